"""Checks run on every page a citizen sees: axe-core (WCAG 2.0/2.1/2.2 A and AA, no rule
switched off), the Content-Security-Policy (header present, no inline script or style in
the HTML, no violation reported by the browser), no third-party request, reflow at 320 px
and at 200 % text size.

axe comes from the project's own node_modules (package.json); it is added with
add_init_script, which the page's CSP does not govern, so the policy stays as served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from playwright.sync_api import BrowserContext, Page, Response

from tests.support.csp import inline_code

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Records what the browser itself reports: CSP violations, before any page script runs.
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return {passes: result.passes.length, violations: result.violations.map((v) => ({
    id: v.id, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`),
  }))};
}"""
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-wrap, .visually-hidden, object")) continue;  // data tables may scroll
    // A diagram pans inside its box and clips what lies outside: its box is checked, not its content.
    if (el.parentElement && el.parentElement.closest(".bpmn-diagram")) continue;
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) wide.push(el.outerHTML.slice(0, 100));
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 3)};
}"""
BIG_TEXT = "() => { document.documentElement.style.fontSize = '200%'; }"
NORMAL_TEXT = "() => { document.documentElement.style.fontSize = ''; }"


@dataclass
class Auditor:
    """Attach to a browser context, then call check(page, name) on each page state."""

    site: str
    failures: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    documents: dict[Page, Response] = field(default_factory=dict)
    reflow: bool = True

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=LISTENER)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)
        return context

    def _watch(self, page: Page) -> None:
        def remember(response: Response) -> None:
            if response.request.resource_type == "document" and response.frame == page.main_frame:
                self.documents[page] = response

        page.on("response", remember)
        page.on("console", lambda m: "Content Security Policy" in m.text
                and self.failures.append(f"{page.url}: console: {m.text}"))

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        self.checked.append(name)
        self._axe(page, name)
        self._csp(page, name)
        if self.reflow:
            self._reflow(page, name)

    def _axe(self, page: Page, name: str) -> None:
        result = page.evaluate(RUN_AXE, WCAG_TAGS)
        if result["passes"] < 5:  # axe ran on an empty or broken page
            self.failures.append(f"{name}: axe checked almost nothing ({result['passes']} rules passed)")
        for violation in result["violations"]:
            for node in violation["nodes"]:
                self.failures.append(f"{name}: axe {violation['id']} ({violation['help']}): {node}")

    def _csp(self, page: Page, name: str) -> None:
        response = self.documents.get(page)
        if response is None:
            self.failures.append(f"{name}: no document response seen")
            return
        policy = response.headers.get("content-security-policy", "")
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                          "frame-ancestors 'none'", "form-action 'self'"):
            if directive not in policy:
                self.failures.append(f"{name}: CSP lacks {directive!r}: {policy!r}")
        if "permissions-policy" not in response.headers:
            self.failures.append(f"{name}: no Permissions-Policy header")
        for found in inline_code(response.text()):
            self.failures.append(f"{name}: inline code in the HTML: {found}")
        for violation in page.evaluate("() => window.__cspViolations || []"):
            self.failures.append(f"{name}: CSP violation: {violation}")

    def _reflow(self, page: Page, name: str) -> None:
        size = page.viewport_size
        try:
            page.set_viewport_size({"width": 320, "height": 640})
            narrow = page.evaluate(OVERFLOW)
            page.set_viewport_size({"width": 640, "height": 800})
            page.evaluate(BIG_TEXT)
            big = page.evaluate(OVERFLOW)
            page.evaluate(NORMAL_TEXT)
        finally:
            page.set_viewport_size(size)
        for label, found in (("320 px", narrow), ("200 % text", big)):
            if found["scroll"] > found["width"] + 1 or found["wide"]:
                self.failures.append(f"{name}: content wider than the screen at {label}: {found}")

    def third_party(self) -> list[str]:
        # chrome-extension: and chrome: are Chromium's own PDF viewer (the certificate): no network.
        return [url for url in self.requests
                if not url.startswith(self.site) and not url.startswith(("data:", "blob:", "about:", "chrome-extension:", "chrome:"))]

    def assert_clean(self) -> None:
        problems = self.failures + [f"third-party request: {url}" for url in self.third_party()]
        assert not problems, f"{len(problems)} problem(s) on {len(self.checked)} page states:\n" + "\n".join(problems)
