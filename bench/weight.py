"""Section 5: bytes on the wire per page, first visit and warm cache, in Debian's Chromium.

Counted from the DevTools protocol's Network.loadingFinished encodedDataLength (headers
plus the body as transferred, i.e. compressed when the server compressed it); a resource
the browser takes from its cache costs nothing and raises no event.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
FIRST_VISIT_BUDGET = 150 * 1024
WARM_BUDGET = 20 * 1024


def available() -> bool:
    return CHROMIUM.exists()


class Browser:
    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        # The test client drives the ORM while Playwright's loop runs in this thread.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS)
        return self

    def __exit__(self, *exc) -> None:
        self.browser.close()
        self._playwright.stop()

    def measure(self, base: str, path: str, session: str | None) -> dict:
        context = self.browser.new_context()
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        transferred = {"bytes": 0, "requests": 0}

        def finished(event):
            transferred["bytes"] += int(event.get("encodedDataLength", 0))
            transferred["requests"] += 1

        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        try:
            response = page.goto(base + path, wait_until="networkidle")
            first = dict(transferred, status=response.status if response else None)
            transferred.update(bytes=0, requests=0)
            page.goto(base + path, wait_until="networkidle")
            warm = dict(transferred)
        finally:
            context.close()
        return {"first_bytes": first["bytes"], "first_requests": first["requests"],
                "warm_bytes": warm["bytes"], "warm_requests": warm["requests"],
                "status": first["status"]}
