"""Section 2 of bench/results.md: every page against hello and bare, by CPU and by req/s."""

from __future__ import annotations

from bench.stats import median, ratio

STATIC_MANIFEST = "hashed and compressed (collectstatic, WhiteNoise)"
STATIC_SOURCES = ("served by WhiteNoise from the sources (STATIC_MANIFEST=0: uncompressed, "
                  "short cache lifetime; `--collectstatic` for the production arrangement)")
# REDIS_URL in the bench's environment gives the production arrangement.
SESSIONS = {"web.session_store": "read from Redis, written through to PostgreSQL (REDIS_URL)",
            "django.contrib.sessions.backends.db": "in PostgreSQL (no REDIS_URL: LocMem cache)"}
# The targets: hello ÷ bare, the median citizen page ÷ hello, the slowest page ÷ hello.
HELLO_BARE, MEDIAN_CITIZEN, SLOWEST = 0.5, 0.25, 0.15


def _n(value, digits=1) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:,.{digits}f}"


def _errors(runs) -> int:
    return sum(r["errors"] for r in runs or [])


def _baseline_row(name: str, path: str, runs: list[dict], pages: dict) -> str:
    rps, cpu = median(r["rps"] for r in runs), median(r.get("cpu_ms") for r in runs)
    return (f"| baseline | {name} | {path} | {_n(rps)} | "
            f"{_n(median(r['p50_ms'] for r in runs))} | {_n(median(r['p95_ms'] for r in runs))} | "
            f"{_n(median(r['p99_ms'] for r in runs))} | {_n(cpu, 2)} | | "
            f"{_n(ratio(pages.get('hello_cpu_ms'), cpu), 3)} | | | | "
            f"{_n(ratio(rps, pages['hello_rps']), 3)} | {_n(ratio(rps, pages.get('bare_rps')), 3)} "
            f"| {_errors(runs)} |")


def targets(pages: dict) -> list[tuple[str, float, float, float, float]]:
    """(target, by CPU, by req/s, threshold, by CPU against the run's hello) for the three
    page targets. By CPU, each page is set against the hello measured right before it."""
    loaded = [p for p in pages["pages"] if p["runs"]]
    citizen = [p for p in loaded if p["group"] == "citizen"]

    def by(key: str, pick) -> float:
        values = [p.get(key) for p in loaded if p.get(key) == p.get(key)]
        return pick(values) if values else float("nan")

    hello_bare = pages.get("hello_bare_cpu_ratio", float("nan"))
    return [
        ("hello ÷ bare", hello_bare, pages["hello_bare_ratio"], HELLO_BARE, hello_bare),
        ("median citizen page ÷ hello",
         median(p.get("cpu_ratio") for p in citizen), median(p["rps_ratio"] for p in citizen),
         MEDIAN_CITIZEN, median(p.get("cpu_ratio_run", p.get("cpu_ratio")) for p in citizen)),
        ("slowest page ÷ hello", by("cpu_ratio", min), by("rps_ratio", min), SLOWEST,
         min((p.get("cpu_ratio_run", p.get("cpu_ratio")) for p in loaded), default=float("nan"))),
    ]


def against_signed_in_hello(pages: dict) -> tuple[float, float]:
    """(median citizen page, slowest page) ÷ the shell each runs in, by CPU: hello with the
    page's own cookie measured beside it (anonymous pages: anonymous hello); from a run
    without those, hello signed in measured around the pages."""
    loaded = [p for p in pages["pages"] if p["runs"] and p.get("cpu_ms")]

    def shell_ratio(page: dict) -> float:
        shell = page.get("shell_ratio")
        if shell is not None and shell == shell:
            return shell
        around = pages.get("hello_signed_in_cpu_ms")
        return ratio(around, page["cpu_ms"]) if around else float("nan")

    ratios = [shell_ratio(p) for p in loaded]
    if not loaded or all(r != r for r in ratios):
        return float("nan"), float("nan")
    citizen = [shell_ratio(p) for p in loaded if p["group"] == "citizen"]
    return median(citizen), min(r for r in ratios if r == r)


def against_reference(pages: dict) -> tuple[float, float, int, int]:
    """(median signed-in citizen page ÷ the reference page, slowest signed-in page ÷ it,
    signed-in pages costing at most 1.5 reference pages, signed-in pages): each against
    the reference page measured beside it. Anonymous pages have no reference."""
    signed = [p for p in pages["pages"] if p["runs"] and p.get("reference_ratio") is not None
              and p["reference_ratio"] == p["reference_ratio"]]
    if not signed:
        return float("nan"), float("nan"), 0, 0
    citizen = [p["reference_ratio"] for p in signed if p["group"] == "citizen"]
    near = sum(1 for p in signed if p["reference_ratio"] >= 1 / 1.5)
    return median(citizen), min(p["reference_ratio"] for p in signed), near, len(signed)


def render(pages: dict) -> list[str]:
    out = [
        f"Server: {pages['server']}, DEBUG off, static files "
        f"{STATIC_MANIFEST if pages['static_manifest'] else STATIC_SOURCES}, sessions "
        f"{SESSIONS.get(pages.get('sessions'), pages.get('sessions') or 'not recorded')}. "
        f"Load: wrk, {pages['connections']} connections, GET with the owner's session cookie; "
        "rate limits off (every request comes from one address); a page that completes fewer "
        "than 20 requests in its run is run again for 10 s. "
        "Baselines in the same gunicorn, measured in turns before and after the pages: "
        "`/bench/hello/` (a Django view through the whole middleware stack) and `/bench/bare/` "
        "(a Django view with no middleware and no database, bench/wsgi.py); hello signed in "
        "is hello with a citizen's session (what the stack adds for a person).",
        "",
        "**CPU ms** is the serving processes' CPU time per request over each run: gunicorn's, "
        "PostgreSQL's and Redis's, read from /proc (bench/serving_cpu.py; wrk's own left out). "
        "On a shared machine requests per second move with the neighbours' load, CPU time "
        "much less; so the targets are judged by CPU (hello's CPU ÷ the page's, what req/s ÷ "
        "hello would be on a machine of its own), with req/s beside. Each page's run is "
        "preceded by a one-second hello run, anonymous and with the page's own cookie "
        "(**hello beside**, **shell beside**), and its ratio is taken against those: a "
        "machine whose speed drifts during the run moves the page and its baseline alike. "
        "The ratio against the run's hello (measured before and after all the pages) is "
        "given beside.",
        "",
        "| target | by CPU | by req/s | threshold | met (by CPU) "
        "| by CPU against the run's hello |",
        "|---|---|---|---|---|---|",
    ]
    for name, cpu, rps, threshold, run_wide in targets(pages):
        out.append(f"| {name} | {_n(cpu, 3)} | {_n(rps, 3)} | ≥ {threshold} | "
                   f"{'yes' if cpu >= threshold else 'no'} | {_n(run_wide, 3)} |")
    signed_median, signed_slowest = against_signed_in_hello(pages)
    out += [
        "",
        "The targets are judged against anonymous hello, which reads no session. For "
        "reference, each page against the shell it runs in (hello with the page's own "
        "cookie, beside it: the session and the user read): median citizen page "
        f"{_n(signed_median, 3)}, slowest page {_n(signed_slowest, 3)}.",
    ]
    ref_median, ref_slowest, near, signed = against_reference(pages)
    if signed:
        out += [
            "",
            "**The reference page** (`/bench/reference/`, bench/urls.py) is what the issue "
            "calls a plain Django page — signed in through the whole stack, three rows read "
            "by an index, a 3 KB template with a form — measured beside every signed-in "
            f"page ({_n(pages.get('reference_cpu_ms'), 2)} ms of CPU around the pages, "
            f"{_n(ratio(pages.get('hello_cpu_ms'), pages.get('reference_cpu_ms')), 3)} of "
            f"hello): the median signed-in citizen page costs {_n(ratio(1, ref_median), 2)} "
            f"reference pages (reference ÷ page {_n(ref_median, 3)}), the slowest "
            f"{_n(ratio(1, ref_slowest), 2)}; {near} of {signed} signed-in pages cost at most "
            "1.5 reference pages.",
        ]
    out += [
        "",
        "| group | page | path | req/s | p50 ms | p95 ms | p99 ms | CPU ms | hello beside "
        "(CPU ms) | hello ÷ page (CPU) | shell beside (CPU ms) | shell ÷ page (CPU) "
        "| reference ÷ page (CPU) | req/s ÷ hello | req/s ÷ bare | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    if pages.get("bare"):
        out.append(_baseline_row("bare", "/bench/bare/", pages["bare"], pages))
    out.append(_baseline_row("hello", "/bench/hello/", pages["hello"], pages))
    if pages.get("hello_signed_in"):
        out.append(_baseline_row("hello, signed in", "/bench/hello/", pages["hello_signed_in"],
                                 pages))
    if pages.get("reference"):
        out.append(_baseline_row("reference page, signed in", "/bench/reference/",
                                 pages["reference"], pages))
    for p in pages["pages"]:
        if not p["runs"]:
            out.append(f"| {p['group']} | {p['name']} | `{p['path']}` | not loaded: status "
                       f"{p['status']} | | | | | | | | | | | | |")
            continue
        out.append(
            f"| {p['group']} | {p['name']} | `{p['path']}` | {_n(p['rps'])} | {_n(p['p50_ms'])} | "
            f"{_n(p['p95_ms'])} | {_n(p['p99_ms'])} | {_n(p.get('cpu_ms'), 2)} | "
            f"{_n(p.get('hello_beside_cpu_ms'), 2)} | {_n(p.get('cpu_ratio'), 3)} | "
            f"{_n(p.get('shell_cpu_ms'), 2)} | {_n(p.get('shell_ratio'), 3)} | "
            f"{_n(p.get('reference_ratio'), 3)} | "
            f"{_n(p['rps_ratio'], 3)} | "
            f"{_n(p.get('rps_bare_ratio'), 3)} | {p['errors']} |")
    return out
