"""Drive a page with the keyboard only: Tab / Shift+Tab to a control found by what a
screen reader would read for it, then Space, Enter, arrows or typing. Every control
reached must show its focus (an outline or a focus ring)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

MAX_TABS = 120

FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const style = getComputedStyle(el);
  const holder = el.closest("label") ? getComputedStyle(el.closest("label")) : style;
  const ring = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "",
    name: [el.getAttribute("aria-label") || "", label, el.tagName === "INPUT" ? "" : el.innerText].join(" ").replace(/\s+/g, " ").trim(),
    visible: ring(style) || ring(holder),
    html: el.outerHTML.slice(0, 120),
  };
}"""


class Keyboard:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.unfocused: list[str] = []  # controls whose focus could not be seen

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str | re.Pattern, *, backwards: bool = False, tag: str | None = None) -> dict:
        pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MAX_TABS):
            self.page.keyboard.press(key)
            now = self.focused()
            if now is None:
                continue
            if not now["visible"]:
                self.unfocused.append(now["html"])
            if pattern.search(now["name"]) and (tag is None or now["tag"] == tag):
                return now
        raise AssertionError(f"{key} never reached {pattern.pattern!r} on {self.page.url}")

    def type_into(self, name, text: str) -> None:
        self.tab_to(name)
        self.page.keyboard.type(text)

    def press_button(self, name, key: str = "Enter", timeout: float | None = None) -> None:
        self.tab_to(name, tag="button")
        with self.page.expect_navigation(timeout=timeout):
            self.page.keyboard.press(key)

    def choose_file(self, name, path: Path, tries: int = 3) -> None:
        """Space on the file input opens the chooser. On a loaded machine Chromium now and
        then swallows the key press's chooser (its user-activation check); a person whose
        chooser did not open presses Space again, and so does this, on the same input."""
        self.tab_to(name)
        for attempt in range(1, tries + 1):
            try:
                with self.page.expect_file_chooser(timeout=10_000) as chooser:
                    self.page.keyboard.press("Space")
                break
            except PlaywrightTimeoutError:
                if attempt == tries:
                    raise
        chooser.value.set_files(path)

    def follow_link(self, name) -> None:
        self.tab_to(name, tag="a")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
