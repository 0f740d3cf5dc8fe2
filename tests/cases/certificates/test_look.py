"""The issued documents look as they did: each page, rasterised, matches a reference image
kept beside this test, within a tolerance that lets anti-aliasing differ but not layout.

The inputs are fixed (date, tracking number, verification code, so the QR too), so the
only thing that can move a pixel is the rendering itself. After an intended change of the
look, write new references with UPDATE_LOOK_REFERENCES=1, review them and commit them.
"""

from __future__ import annotations

import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from PIL import Image, ImageChops

from cases.certificates import preview, services, versions
from cases.certificates.services import (
    certificate_pdf,
    issue_inquiry_answer,
    issue_transfer_certificate,
)
from cases.models import Case
from tests.support.certificates import APPROVED, ISSUED, NO_FEES, inquiry_case, ready_case
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).with_name("reference")
DPI = 100
# A pixel "differs" when its grey level moves by more than 32 of 255: glyph edges that
# anti-alias differently (another rasteriser, a font hinted or subset another way, text
# placed a fraction of a pixel away) move a few levels, while ink that is no longer where
# it was moves from paper white to text black (about 240 levels). At most 0.1 % of a page
# may differ: on an A4 page at 100 dpi that is ~970 pixels. Measured on the transfer
# certificate: text half a point larger changes 6.6 % of it, the frame's content 2 mm
# lower 7.2 %, the headings 1 mm higher 5.9 %, the QR 4 mm smaller 1.1 %, the frame's
# bottom edge drawn above the closing block instead of below it 0.36 % (the last test
# below keeps these caught); the same layout drawn from floats instead of flex boxes,
# 0.004 %.
LEVELS = 32
SHARE = 0.001
TRACKING = "1234567897"
CODE = "48151623"
REISSUED_CODE = "16234815"


@pytest.fixture(autouse=True)
def _fixed(settings, tmp_path, monkeypatch):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.SITE_URL = "https://eservices.example.ir"
    monkeypatch.setattr(services, "generate_verification_code", lambda: CODE)
    monkeypatch.setattr(versions, "generate_verification_code", lambda: REISSUED_CODE)


def _fixed_tracking(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(tracking_number=TRACKING)
    case.refresh_from_db()
    return case


def transfer_pdf() -> bytes:
    citizen = UserFactory(username="look", first_name="نرگس", last_name="رضایی")
    case = _fixed_tracking(ready_case(citizen=citizen))
    with time_machine.travel(ISSUED, tick=False):
        issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    return certificate_pdf(case)


def reissued_pdf() -> bytes:
    """Version 2 of the transfer certificate: one more line among its identifiers."""
    citizen = UserFactory(username="look", first_name="نرگس", last_name="رضایی")
    case = _fixed_tracking(ready_case(citizen=citizen))
    with time_machine.travel(ISSUED, tick=False):
        issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
        versions.reissue_certificate(case, actor=None, reason="اصلاح نشانی")
    return certificate_pdf(case)


def inquiry_pdf() -> bytes:
    case = _fixed_tracking(inquiry_case())
    with time_machine.travel(ISSUED, tick=False):
        issue_inquiry_answer(case)
    return certificate_pdf(case)


DOCUMENTS = {"transfer": transfer_pdf, "transfer_reissued": reissued_pdf,
             "inquiry_answer": inquiry_pdf}


def pages(pdf: bytes) -> list[Image.Image]:
    """Every page of `pdf` in grey at DPI, through poppler (the same on every machine)."""
    from pypdf import PdfReader

    count = len(PdfReader(BytesIO(pdf)).pages)
    images = []
    for number in range(1, count + 1):
        png = subprocess.run(
            ["pdftoppm", "-png", "-gray", "-r", str(DPI), "-f", str(number), "-l", str(number),
             "-singlefile", "-"],
            input=pdf, capture_output=True, check=True, timeout=60).stdout
        images.append(Image.open(BytesIO(png)).convert("L"))
    return images


def differing_share(image: Image.Image, reference: Image.Image) -> float:
    """The share of pixels whose grey level differs by more than LEVELS (1.0 if sizes differ)."""
    if image.size != reference.size:
        return 1.0
    histogram = ImageChops.difference(image.convert("L"), reference.convert("L")).histogram()
    return sum(histogram[LEVELS + 1:]) / (image.size[0] * image.size[1])


def assert_looks_like(images: list[Image.Image], name: str) -> None:
    if os.environ.get("UPDATE_LOOK_REFERENCES") == "1":
        REFERENCE.mkdir(exist_ok=True)
        for old in REFERENCE.glob(f"{name}-*.png"):
            old.unlink()
        for number, image in enumerate(images, 1):
            image.save(REFERENCE / f"{name}-{number}.png", optimize=True)
        pytest.fail(f"wrote {len(images)} reference image(s) for {name}: review, then commit")
    references = sorted(REFERENCE.glob(f"{name}-*.png"))
    assert len(images) == len(references), f"{name}: {len(images)} pages, {len(references)} kept"
    for number, (image, path) in enumerate(zip(images, references), 1):
        share = differing_share(image, Image.open(path))
        assert share <= SHARE, f"{name} page {number}: {share:.2%} of pixels differ"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_page_looks_as_its_reference(name):
    assert_looks_like(pages(DOCUMENTS[name]()), name)


def test_the_png_preview_looks_as_its_reference():
    image = Image.open(BytesIO(preview.render_first_page(transfer_pdf())))
    assert image.size == (662, 936)  # 80 dpi A4: what the page that shows it expects
    assert_looks_like([image.convert("L")], "transfer_preview")


@pytest.mark.parametrize("change", [
    "html { font-size: 11pt; }",  # one step larger text
    ".frame { border-width: 1.2pt; padding-block-start: 9mm; }",  # everything 2 mm lower
    ".qr svg { inline-size: 26mm; block-size: 26mm; }",  # a smaller QR
    "h2 { margin-block: 3mm 1.5mm; }",  # the sections' headings 1 mm closer to the tables
    ".closing::after { display: none; }",  # the frame no longer around the QR and seal
])
def test_the_comparison_sees_a_change_of_layout(change, monkeypatch):
    """The tolerance is not so wide that a real change of the look would pass."""
    from cases.certificates import rendering

    render = rendering._render
    monkeypatch.setattr(rendering, "_render", lambda template, context: render(
        template, context).replace("</head>", f"<style>{change}</style></head>"))
    images = pages(transfer_pdf())
    reference = Image.open(REFERENCE / "transfer-1.png")
    assert differing_share(images[0], reference) > SHARE
