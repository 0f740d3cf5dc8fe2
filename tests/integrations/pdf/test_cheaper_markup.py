"""What the renderer leaves out of WeasyPrint's work still comes out of the PDF as before:
left-to-right isolates written as Unicode marks, and a user-agent stylesheet without
the pseudo-elements our documents never draw."""

import re
import subprocess

from weasyprint.html import UA

from integrations.pdf import user_agent
from integrations.pdf.weasy import LRI, PDI, WeasyPrintRenderer, isolate_ltr

BASE = "http://127.0.0.1:8000/"
LINK = '<link rel="stylesheet" href="/static/css/certificate.css">'


def squeezed(text: str) -> str:
    """Without spaces and the embedding marks pdftotext writes around each direction."""
    return re.sub(r"[\s\u202a-\u202e]", "", text)


def text_of(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def test_only_a_text_only_ltr_bdi_becomes_marks():
    html = ('<p>تاریخ <bdi dir="ltr">۱۴۰۵/۰۹/۰۳</bdi> و <bdi dir="ltr">A &amp; B</bdi>'
            '<bdi>auto</bdi> <bdi dir="ltr"><b>bold</b></bdi></p>')
    assert isolate_ltr(html) == (f'<p>تاریخ {LRI}۱۴۰۵/۰۹/۰۳{PDI} و {LRI}A &amp; B{PDI}'
                                 '<bdi>auto</bdi> <bdi dir="ltr"><b>bold</b></bdi></p>')


def test_marks_leave_no_trace_in_the_text_and_keep_its_reading_order():
    """A date and a code in a Persian sentence come out of the PDF in the order they are
    read (the bdi elements gave pieces in drawing order: the sentence back to front)."""
    sentence = "صادر شده در ۱۴۰۵/۰۹/۰۳ با کد ۱۲-۳۴۵-۶۷ برای واحد ۳"
    page = (f'{LINK}<p>صادر شده در <bdi dir="ltr">۱۴۰۵/۰۹/۰۳</bdi> با کد '
            '<bdi dir="ltr">۱۲-۳۴۵-۶۷</bdi> برای واحد ۳</p>')
    text = text_of(WeasyPrintRenderer().render(page, BASE))
    assert LRI not in text and PDI not in text
    assert squeezed(text) == squeezed(sentence)


def test_the_user_agent_sheet_loses_exactly_the_undrawn_pseudo_elements():
    """Fails when a WeasyPrint upgrade rewrites these rules: look at the new file then."""
    removed = user_agent.UNDRAWN_PSEUDO_RULE.findall(UA)
    assert [rule.split(" ", 1)[0] for rule in removed] == [
        "::footnote-call", "::footnote-marker", "::note-call", "::note-marker",
        "::note-callback"]
    kept = user_agent.document_ua_css()
    assert "::footnote" not in kept and "::note" not in kept
    assert [line for line in kept.splitlines() if "::marker" in line] == [
        "li::marker { font-variant-numeric: tabular-nums; white-space: pre; "
        "text-transform: none }"]
    # Nothing else changed: the same lines once the five are emptied and li:: dropped.
    assert kept.replace("li::marker", "::marker").splitlines() == [
        "" if line in removed else line for line in UA.splitlines()]


def test_a_list_item_still_draws_its_marker():
    pdf = WeasyPrintRenderer().render(
        f"{LINK}<ul style='list-style: disc'><li>یک</li></ul>"
        "<ol style='list-style: decimal'><li>دو</li></ol>", BASE)
    text = text_of(pdf)
    assert "•" in text and "1." in text
