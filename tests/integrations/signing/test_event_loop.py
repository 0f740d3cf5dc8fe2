"""pyHanko's synchronous calls work inside a thread whose event loop is running (an async
view, Playwright's sync API in the same thread), not only outside one."""

from __future__ import annotations

import asyncio

from integrations.signing import pades
from integrations.signing.event_loop import outside_event_loop
from tests.support.certificates import blank_pdf
from tests.support.signing import FlakyBackend

OPTIONS = pades.Options(attempts=1, retry_seconds=0)


def test_a_pdf_is_signed_from_inside_a_running_event_loop(signing_pki):
    async def issue() -> pades.SignedPdf:
        return pades.sign_pdf(blank_pdf("a"), FlakyBackend(signing_pki.p12, failures=0), OPTIONS)

    signed = asyncio.run(issue())
    assert signed.data.startswith(b"%PDF") and b"/ETSI.CAdES.detached" in signed.data


def test_outside_a_loop_the_call_runs_in_the_callers_thread():
    import threading

    assert outside_event_loop(threading.get_ident) == threading.get_ident()

    async def inside() -> bool:
        return outside_event_loop(threading.get_ident) != threading.get_ident()

    assert asyncio.run(inside())
