"""The kinds of document a citizen uploads, and which ones each applicant must give."""

from django.db import models

# DESIGN.md "Documents": at least three images, whoever applies.
MIN_IMAGES = 3


class DocumentKind(models.TextChoices):
    NATIONAL_CARD = "national_card", "کارت ملی"
    OWNERSHIP_DEED = "ownership_deed", "سند مالکیت"
    NOTARY_LETTER = "notary_letter", "نامه دفترخانه"
    POWER_OF_ATTORNEY = "power_of_attorney", "وکالت‌نامه"
    ATTORNEY_NATIONAL_CARD = "attorney_national_card", "کارت ملی وکیل"
    INQUIRY_LETTER = "inquiry_letter", "تصویر نامه استعلام"
    OTHER = "other", "سایر مدارک"
    # Taken by the inspector at the visit, never uploaded by the citizen.
    INSPECTION_PHOTO = "inspection_photo", "عکس بازدید"


CITIZEN_KINDS = [k for k in DocumentKind.values if k != DocumentKind.INSPECTION_PHOTO]


OWNER_KINDS = [
    DocumentKind.NATIONAL_CARD.value,
    DocumentKind.OWNERSHIP_DEED.value,
    DocumentKind.NOTARY_LETTER.value,
]
ATTORNEY_KINDS = [
    *OWNER_KINDS,
    DocumentKind.POWER_OF_ATTORNEY.value,
    DocumentKind.ATTORNEY_NATIONAL_CARD.value,
]


def required_kinds(applicant_role: str) -> list[str]:
    """The kinds an applicant must upload at least once (values of DocumentKind).

    "attorney" needs the owner's three plus the power of attorney and their own card.
    A role not chosen yet gets the owner's list: the minimum every applicant needs (the
    step's form is what insists that a role be chosen).
    """
    if applicant_role == "attorney":
        return list(ATTORNEY_KINDS)
    return list(OWNER_KINDS)


def kind_label(kind: str) -> str:
    return DocumentKind(kind).label
