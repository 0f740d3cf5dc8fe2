"""A case's documents as the staff pages show them: images as thumbnails opening the full
file, other files (PDF) as links. jinja2/staff/_document_gallery.html renders them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cases.prepared import PreparedInstances

from .links import signed_urls_maker
from .models import CaseDocument
from .thumbnails import SIDE, may_have_thumbnail
from .validation import PDF_TYPE


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class GalleryItem:
    document: CaseDocument
    url: str  # the full file, through a link signed for the viewer
    thumbnail: Thumbnail | None  # None: a PDF, a purged file, an image that cannot be read

    @property
    def label(self) -> str:
        """The kind's name; a PDF says so, as it opens in a reader, not as a picture."""
        kind = self.document.get_kind_display()
        return f"{kind} (فایل پی‌دی‌اف)" if self.document.content_type == PDF_TYPE else kind


def document_gallery(documents: Iterable[CaseDocument], user) -> list[GalleryItem]:
    """One item per document, with links signed for `user`; reads nothing more.

    A thumbnail not made yet (made on its first request) has no known size: it is given
    SIDE×SIDE, the square box the page's CSS draws every thumbnail in, so nothing moves
    when it arrives.
    """
    items = []
    signed_urls = signed_urls_maker()
    for document in documents:
        url, thumbnail_url = signed_urls(document, user)
        thumbnail = None
        if may_have_thumbnail(document):
            thumbnail = Thumbnail(thumbnail_url, document.thumbnail_width or SIDE,
                                  document.thumbnail_height or SIDE)
        items.append(GalleryItem(document, url, thumbnail))
    return items


def case_gallery(case_pk: int, user) -> list[GalleryItem]:
    """The case's documents, oldest first, as document_gallery gives them."""
    return document_gallery(_OF_CASE.objects(case_pk), user)


# The inspector's visit page and the staff case page read it on every visit: compiled
# once per process (cases/prepared.py).
_OF_CASE = PreparedInstances(
    lambda case_pk: CaseDocument.objects.filter(case_id=case_pk).order_by("uploaded_at"),
    -7_000_051)
