"""Does a page fit a laptop's and a phone's screen, and does it read in Persian?

`FitChecker.check(page, name)` looks at the page at 1280×800 and at 390×844 and records,
without stopping, every element that lies past the screen's edge or is cut off by the box
that holds it (on the laptop, a table's link or button that needs the table scrolled), and
every piece of text a person sees or hears that shows a raw identifier, Latin digits or a
Latin word. `assert_clean()` then fails once with the whole list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Returns where the page does not fit. An element must fit the screen, unless a box that
# clips or scrolls sideways holds it (a .table-wrap): then the holder must fit the screen
# and the element's text or control must be visible in it or reachable by its scrolling.
# On a laptop (`whole`) a table's links and buttons must be in view without scrolling: a
# link half shown at the table's edge is what a person sees, not the scrollbar.
LAYOUT = """async (whole) => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = window.innerWidth;
  const describe = (el) => {
    const classes = (el.getAttribute("class") || "").trim().split(/\\s+/).filter(Boolean);
    const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    return `<${el.tagName.toLowerCase()}${classes.map((c) => "." + c).join("")}> «${text}»`;
  };
  const sideways = (el) => getComputedStyle(el).overflowX;
  const holderOf = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (sideways(p) !== "visible") return p;
    }
    return null;
  };
  const ownText = (el) => [...el.childNodes].some(
    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const span = (box) => `${Math.round(box.left)}…${Math.round(box.right)} px`;
  const control = "a[href], button, input:not([type=hidden]), select, textarea, summary, label";
  const found = [];
  const reported = [];
  const report = (el, problem) => {
    if (reported.some((outer) => outer.contains(el))) return;  // its outermost box says it
    reported.push(el);
    found.push(`${describe(el)} ${problem}`);
  };
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > width + 1) {
    found.push(`the page scrolls sideways: ${scrolled} px wide in a ${width} px screen`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".visually-hidden")) continue;  // clipped to 1 px on purpose, for screen readers
    // The BPMN diagram pans and clips its drawing on purpose: its own box is what must fit.
    if (el.parentElement.closest(".bpmn-diagram")) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const holder = holderOf(el);
    if (!holder) {
      if (box.left < -1 || box.right > width + 1) {
        report(el, `spans ${span(box)}, past the ${width} px screen`);
      }
      continue;
    }
    if (!ownText(el) && !el.matches(control)) continue;
    const frame = holder.getBoundingClientRect();
    const left = frame.left + holder.clientLeft;
    const right = left + holder.clientWidth;
    let reach = [left, right];
    const scrolls = ["auto", "scroll"].includes(sideways(holder));
    if (scrolls && !(whole && el.matches(control))) {
      // What the holder's own scrolling can bring into view: scrollLeft runs from -max
      // to 0 in a right-to-left box, from 0 to max in a left-to-right one, and lowering it
      // by d moves the content d px to the right.
      const max = holder.scrollWidth - holder.clientWidth;
      const [low, high] = getComputedStyle(holder).direction === "rtl" ? [-max, 0] : [0, max];
      reach = [left - (holder.scrollLeft - low), right + (high - holder.scrollLeft)];
    }
    if (box.left < reach[0] - 1 || box.right > reach[1] + 1) {
      const where = `${describe(holder).split(">")[0]}>`;
      const problem = scrolls && whole
        ? `is out of view until ${where} is scrolled sideways` : `is cut off by ${where}`;
      const view = span({left: reach[0], right: reach[1]});
      report(el, `${problem} (spans ${span(box)}, in view ${view})`);
    }
  }
  return found;
}"""

# The page's title, every visible text node (screen-reader-only text included: it is read
# aloud) and the names a screen reader reads from attributes, each with the element that
# holds it and whether that marks a code or a left-to-right value.
TEXTS = """() => {
  // The title too: it names the tab, and a screen reader says it first.
  const texts = [{text: document.title, element: "<title>", code: false, ltr: false}];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || el.closest("script, style, template, noscript")) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const classes = (el.getAttribute("class") || "").trim().split(/\\s+/).filter(Boolean);
    texts.push({
      text,
      element: `<${el.tagName.toLowerCase()}${classes.map((c) => "." + c).join("")}>`,
      // The templates mark codes so: the ltr_code and tracking filters (and dates, order
      // numbers, phones) write <bdi dir="ltr">; an error quoted as the system wrote it is <code>.
      code: Boolean(el.closest("code")),
      ltr: Boolean(el.closest("code, [dir=ltr]")),
    });
  }
  // What a screen reader says instead of, or beside, the text: names, alternatives, hints.
  for (const el of document.body.querySelectorAll("[aria-label], [alt], [placeholder]")) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    for (const name of ["aria-label", "alt", "placeholder"]) {
      const text = (el.getAttribute(name) || "").trim();
      const element = `<${el.tagName.toLowerCase()} ${name}>`;
      if (text) texts.push({text, element, code: false, ltr: false});
    }
  }
  return texts;
}"""

# A name from the code shown instead of its Persian title: snake_case, or a dotted path.
RAW_IDENTIFIER = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){2,}"
)
LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# A citizen's own file name, as they named it: the list of uploads shows it, and «حذف»'s
# accessible name repeats it.
FILE_NAME = re.compile(r"[\w.-]+\.(?:jpe?g|png|pdf)", re.IGNORECASE)
# Latin words a Persian page may show as they are:
ALLOWED_LATIN = {
    "English",  # the language switch offers English in English (it is marked lang="en")
    # File formats, by the names a citizen sees on their files and the download links.
    "CSV", "PDF", "BPMN", "JPEG", "PNG",
    # The BPMN editors a supervisor can open the downloaded diagram in, by their own names
    # (bpmn.io is also the watermark its licence requires on the drawn diagram).
    "bpmn.io", "Camunda", "Modeler",
}


def _size(viewport: dict) -> str:
    return f"{viewport['width']}×{viewport['height']}"


def text_problems(text: str, code: bool, ltr: bool) -> list[str]:
    """What in one piece of text does not read as Persian."""
    if code:  # quoted as the system wrote it (an incident's error message)
        return []
    problems = [f"raw identifier «{name}»" for name in RAW_IDENTIFIER.findall(text)]
    if not ltr and not problems:
        latin = [word for word in LATIN.findall(text)
                 if word not in ALLOWED_LATIN and not FILE_NAME.fullmatch(word)]
        if latin:
            kind = "Latin digits" if all(word.isdigit() for word in latin) else "Latin text"
            problems.append(f"{kind} «{' '.join(latin)}»")
    return problems


@dataclass
class FitChecker:
    findings: dict[str, list[str]] = field(default_factory=dict)  # finding → viewports
    checked: list[str] = field(default_factory=list)

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        self.checked.append(name)
        restore = page.viewport_size
        try:
            for viewport in (LAPTOP, PHONE):
                page.set_viewport_size(viewport)
                for problem in page.evaluate(LAYOUT, viewport is LAPTOP):
                    self._add(f"{name}: {problem}", viewport)
                for piece in page.evaluate(TEXTS):
                    for problem in text_problems(piece["text"], piece["code"], piece["ltr"]):
                        where = f"{piece['element']} «{piece['text'][:60]}»"
                        self._add(f"{name}: {problem} in {where}", viewport)
        finally:
            page.set_viewport_size(restore)

    def _add(self, finding: str, viewport: dict) -> None:
        sizes = self.findings.setdefault(finding, [])
        if _size(viewport) not in sizes:
            sizes.append(_size(viewport))

    def assert_clean(self) -> None:
        lines = [f"[{', '.join(sizes)}] {finding}" for finding, sizes in self.findings.items()]
        assert not lines, (f"{len(lines)} problem(s) on {len(self.checked)} page states:\n"
                           + "\n".join(lines))
