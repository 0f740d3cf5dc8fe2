"""Page weight: every citizen page's first visit ≤ 150 KB transferred, fonts included;
≤ 20 KB on a warm cache; static files hashed and precompressed; no third-party request.

The live test server sends files as they are, so sizes are those production sends:
static files from `collectstatic` with the production storage (WhiteNoise's compressed
manifest storage, web/static_storage.py)
(its .br, else .gz, file — what WhiteNoise serves to a browser that accepts it), pages
gzip-compressed (as the proxy in front of gunicorn does), plus each response's headers.
Hashed static names are served `immutable` for a year, so a warm visit fetches only
the page itself and whatever is not a static file. The citizen's own certificate (PDF or
image), sent `private, no-store` on purpose, counts in the first visit; on a warm visit it
is reported apart, as the document asked for rather than the page's weight.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from fontTools.ttLib import TTFont

from tests.browser import citizen_walk
from tests.support.browser import TIMEOUT_MS, log_in

FIRST_VISIT_BUDGET = 150 * 1024
WARM_BUDGET = 20 * 1024
HEADER_BYTES = 600  # a generous estimate for one response's status line and headers
STATIC = Path(__file__).resolve().parents[2] / "static"
REPORT = Path("/tmp/ux_page_weights.json")  # read by the README material (see report)

RESOURCES = "() => performance.getEntriesByType('resource').map((e) => e.name)"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as production runs it, into a directory of the test's own."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static_root")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "web.static_storage.StaticStorage"},
    }
    # Our own static/ and the few npm files (the dashboard's diagram viewer) only: no page
    # loads the apps' static files, and compressing all of viewflow's would take minutes.
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder",
               "web.vendor_static.VendorFinder"]
    with override_settings(STATIC_ROOT=root, STORAGES=storages, STATICFILES_FINDERS=finders):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    return root, manifest


def served_static_size(root: Path, manifest: dict, relative: str) -> int:
    hashed = root / manifest[relative]
    for suffix in (".br", ".gz"):
        packed = hashed.with_name(hashed.name + suffix)
        if packed.exists():
            return packed.stat().st_size
    return hashed.stat().st_size


class Meter:
    def __init__(self, site: str, collected) -> None:
        self.site = site
        self.root, self.manifest = collected
        self.pages: dict[str, dict[str, int]] = {}
        self.documents_fetched: dict[str, int] = {}
        self.outside: list[str] = []

    def attach(self, context):
        # chrome-extension: and chrome: are Chromium's own PDF viewer: no network.
        context.on("request", lambda r: r.url.startswith(("data:", "chrome-extension:", "chrome:", self.site))
                   or self.outside.append(r.url))
        self.documents = {}
        context.on("response", lambda r: r.request.resource_type == "document"
                   and r.frame.parent_frame is None and self.documents.__setitem__(r.frame, r))
        return context

    def measure(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => true)")
        html = self.documents[page.main_frame].body()
        document = len(gzip.compress(html, 6)) + HEADER_BYTES
        cold, warm = document, document
        for url in page.evaluate(RESOURCES):
            path = urlsplit(url).path
            if path.startswith("/static/"):
                cold += served_static_size(self.root, self.manifest, path.removeprefix("/static/")) + HEADER_BYTES
            else:  # e.g. the certificate's image or PDF
                fetched = page.context.request.get(url)
                body = fetched.body()
                packed = fetched.headers.get("content-type", "").startswith(("image/png", "image/jpeg", "application/pdf"))
                size = (len(body) if packed else len(gzip.compress(body, 6))) + HEADER_BYTES
                cold += size
                if "no-store" in fetched.headers.get("cache-control", ""):
                    # The citizen's own certificate, deliberately never stored (shared
                    # phones): the document asked for, fetched again on purpose, and
                    # reported apart from the page's warm weight.
                    self.documents_fetched[f"{name}: {path}"] = size
                else:
                    warm += size
        self.pages[name] = {"first_visit": cold, "warm": warm}


@pytest.fixture
def meter(site, collected):
    return Meter(site, collected)


def assert_budgets(meter: Meter) -> None:
    existing = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    documents = {f"document {name}": size for name, size in meter.documents_fetched.items()}
    REPORT.write_text(json.dumps({**existing, **meter.pages, **documents}, ensure_ascii=False, indent=1))
    over = [f"{name}: {sizes}" for name, sizes in meter.pages.items()
            if sizes["first_visit"] > FIRST_VISIT_BUDGET or sizes["warm"] > WARM_BUDGET]
    assert not over, "over budget (first visit 150 KB, warm 20 KB):\n" + "\n".join(over)
    assert not meter.outside, f"requests to other hosts: {meter.outside}"


def test_static_files_are_hashed_and_precompressed(collected):
    root, manifest = collected
    for name in ("css/site.css", "css/print.css", "js/site.js", "js/wizard.js",
                 "fonts/vazirmatn/Vazirmatn-Regular.woff2"):
        hashed = manifest[name]
        assert re.search(r"\.[0-9a-f]{12}\.", hashed), hashed
        if not name.endswith(".woff2"):  # WOFF2 is compressed already
            assert (root / (hashed + ".gz")).exists() and (root / (hashed + ".br")).exists(), hashed


def test_fonts_are_woff2_subsets_with_swap():
    css = (STATIC / "css" / "site.css").read_text()
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    assert len(faces) == 2 and all("font-display: swap" in face for face in faces), faces
    for weight in ("Regular", "Bold"):
        path = STATIC / "fonts" / "vazirmatn" / f"Vazirmatn-{weight}.woff2"
        assert path.read_bytes()[:4] == b"wOF2"
        assert path.stat().st_size < 40 * 1024, "not a subset"
        cmap = TTFont(path).getBestCmap()
        needed = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءآأ۰۱۲۳۴۵۶۷۸۹،؛؟" + "AZaz09/-:"
        assert not [c for c in needed if ord(c) not in cmap], "Persian or Latin glyphs missing"
        assert ord("中") not in cmap and ord("Ж") not in cmap, "other scripts are not needed"


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_anonymous_pages_within_budget(demo, site, browser, meter):
    context = meter.attach(browser.new_context(base_url=site, locale="fa-IR"))
    context.set_default_timeout(TIMEOUT_MS)
    citizen_walk.anonymous_pages(context.new_page(), meter.measure)
    context.close()
    assert len(meter.pages) == 7
    assert_budgets(meter)


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_transfer_pages_within_budget(demo, site, browser, meter, tmp_path):
    context, page = log_in(browser, site, "citizen")
    meter.attach(context)
    citizen_walk.transfer_pages(page, meter.measure, tmp_path)
    context.close()
    assert len(meter.pages) == 16
    assert_budgets(meter)


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_inquiry_pages_within_budget(demo, site, browser, meter, tmp_path):
    context, page = log_in(browser, site, "citizen")
    meter.attach(context)
    citizen_walk.inquiry_pages(page, meter.measure, tmp_path)
    context.close()
    assert len(meter.pages) == 10
    assert_budgets(meter)
    # The answer's PDF and image were fetched and are private, no-store documents.
    assert len(meter.documents_fetched) == 2, meter.documents_fetched


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_pages_after_inspection_within_budget(demo, site, browser, meter):
    """A draft in the list, a cancelled case, a debt, the sandbox bank, the paid fees,
    issuance, the issued certificate, the receipt and a payment problem."""
    cases = citizen_walk.cases_after_inspection("citizen2")
    context, page = log_in(browser, site, "citizen2")
    meter.attach(context)
    citizen_walk.transfer_with_debt_pages(page, meter.measure, cases)
    context.close()
    assert len(meter.pages) == 10
    assert_budgets(meter)


DIAGRAM_FIRST_VISIT_BUDGET = 400 * 1024


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("flow", ["transfer", "inquiry"])
def test_a_diagram_page_within_its_budget(demo, site, browser, meter, flow):
    """The dashboard loads bpmn-js's viewer (only there): ≤ 400 KB first, ≤ 20 KB warm."""
    context, page = log_in(browser, site, "supervisor")
    meter.attach(context)
    page.goto(f"/staff/dashboard/{flow}/")
    page.locator("#flow-diagram[data-ready=true]").wait_for(state="attached")
    meter.measure(page, f"dashboard {flow}")
    context.close()
    sizes = meter.pages[f"dashboard {flow}"]
    existing = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.write_text(json.dumps({**existing, **meter.pages}, ensure_ascii=False, indent=1))
    assert sizes["first_visit"] <= DIAGRAM_FIRST_VISIT_BUDGET, sizes
    assert sizes["warm"] <= WARM_BUDGET, sizes
    assert not meter.outside, meter.outside
