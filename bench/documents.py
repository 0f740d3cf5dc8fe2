"""Section 4: certificate PDF and PNG preview times, warm, against a one-line PDF from the
same renderer; each kind measured in a child process so its peak memory is its own.

Times are CPU time (this process and the processes it starts: pdftoppm for the PNG), so
other work on a shared machine does not count; the certificate's process also renders the
one-line PDF between its own renders, for a ratio taken in one process at one moment.
"""

from __future__ import annotations

import multiprocessing
import resource
import time

from bench.stats import median

ONE_LINE = "<!doctype html><html lang='fa' dir='rtl'><body><p>سلام</p></body></html>"


def _certificate_html() -> str:
    """A transfer certificate's HTML for an archived case, through the issuing code's own
    template function (an unsaved certificate row: nothing is stored)."""
    from django.utils import timezone

    from cases.certificates.models import Certificate, CertificateKind, certificate_validity
    from cases.certificates.rendering import transfer_certificate_html
    from cases.models import Case, CaseStatus, ServiceKind
    from cases.tracking import generate_verification_code

    case = (Case.objects.filter(service=ServiceKind.TRANSFER, status=CaseStatus.ARCHIVED)
            .select_related("property", "citizen").first())
    if case is None:
        from tests.support.factories import CaseFactory

        case = CaseFactory(advanced_to="archived")
    now = timezone.now()
    fields = {f.name for f in Certificate._meta.get_fields()}
    # Versioned certificates name their case twice (current version and issued-for).
    owner = {name: case for name in ("case", "issued_for") if name in fields}
    certificate = Certificate(**owner, kind=CertificateKind.TRANSFER, issued_at=now,
                              valid_until=now + certificate_validity(),
                              verification_code=generate_verification_code())
    return transfer_certificate_html(certificate, visited_at=now, result="approved",
                                     inspector="کارشناس", amount_rials=1_200_000,
                                     reference="123456")


def _measure(kind: str, renders: int, queue) -> None:
    try:
        _measure_in_child(kind, renders, queue)
    except BaseException:  # the parent waits on the queue: always answer it
        import traceback

        queue.put({"kind": kind, "error": traceback.format_exc()})


def _measure_in_child(kind: str, renders: int, queue) -> None:
    from django.db import connection

    from cases.certificates.preview import render_first_page
    from cases.certificates.rendering import site_base_url
    from integrations.pdf.loader import get_renderer

    renderer = get_renderer()
    base = site_base_url()
    if kind == "one_line_pdf":
        html = ONE_LINE
    else:
        html = _certificate_html()
    connection.close()
    pdf = renderer.render(html, base_url=base)  # warm: fonts, stylesheets, imports

    sign = _signer() if kind == "certificate_signing" else None

    def once():
        if kind == "certificate_png":
            return render_first_page(pdf)
        if sign is not None:  # the drawn certificate signed, apart from drawing it
            return sign(pdf)
        return renderer.render(html, base_url=base)

    def baseline():
        return renderer.render(ONE_LINE, base_url=base)

    once()
    baseline()
    times, wall, baseline_times = [], [], []
    for _ in range(renders):
        t0, w0 = cpu_seconds(), time.perf_counter()
        out = once()
        times.append((cpu_seconds() - t0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        if kind == "certificate_pdf":
            t0 = cpu_seconds()
            baseline()
            baseline_times.append((cpu_seconds() - t0) * 1000)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    found = {"kind": kind, "ms": times, "wall_ms": wall, "clock": "cpu", "bytes": len(out),
             "peak_rss_mb": peak_kb / 1024, "child_peak_rss_mb": children_kb / 1024}
    if baseline_times:
        found["one_line_same_process_ms"] = median(baseline_times)
        found["ratio_same_process"] = median(times) / found["one_line_same_process_ms"]
    queue.put(found)


def _signer():
    """Signing as the issuing step does (PAdES B-B with the configured key; no TSA: its
    round trip is the network's, not ours)."""
    from cases.certificates.signing import PLACEMENT, signing_options
    from integrations.signing import pades
    from integrations.signing.loader import get_key_backend

    backend, options = get_key_backend(), signing_options(timestamper=None)
    options = pades.Options(reason=options.reason, attempts=1)
    return lambda pdf: pades.sign_pdf(pdf, backend, options, PLACEMENT).data


def cpu_seconds() -> float:
    """User and system CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


KINDS = ("one_line_pdf", "certificate_pdf", "certificate_png", "certificate_signing")


def run(renders: int) -> dict:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    found = {}
    for kind in KINDS:
        queue = context.Queue()
        child = context.Process(target=_measure, args=(kind, renders, queue))
        child.start()
        found[kind] = queue.get(timeout=600)
        child.join()
        if "error" in found[kind]:
            raise RuntimeError(f"{kind} failed in its process:\n{found[kind]['error']}")
        found[kind]["median_ms"] = median(found[kind]["ms"])
        found[kind]["wall_median_ms"] = median(found[kind]["wall_ms"])
    return found
