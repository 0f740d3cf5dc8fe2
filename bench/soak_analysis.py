"""The soak's verdicts from its raw records: latency per window, memory, errors, losses.

Pure functions over plain data, so the rules are tested on synthetic records
(tests/project/test_soak_analysis.py) without running a soak.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.stats import median, percentile

# p95 of the last full window may be at most this many times the first full window's.
P95_GROWTH_LIMIT = 1.5
# The worker's memory: the last window's median RSS at most this many times the first's.
RSS_GROWTH_LIMIT = 1.2
WINDOW_SECONDS = 60.0
WINDOWS_WHEN_SHORT = 4


@dataclass(frozen=True)
class Request:
    started: float  # seconds since the soak began
    seconds: float
    status: int  # 0: no answer (connection error, timeout)
    method: str
    path: str


def window_seconds(duration: float) -> float:
    """A minute, as the target says; a run too short for two minutes is cut in quarters
    so that its first and last windows are still apart."""
    return WINDOW_SECONDS if duration >= 2 * WINDOW_SECONDS else duration / WINDOWS_WHEN_SHORT


def latency_windows(requests: list[Request], duration: float) -> list[dict]:
    """p50/p95/p99 (ms) and counts per full window of requests started in [0, duration)."""
    width = window_seconds(duration)
    count = int(duration // width)
    buckets: list[list[float]] = [[] for _ in range(count)]
    for r in requests:
        index = int(r.started // width)
        if 0 <= r.started < duration and index < count:
            buckets[index].append(r.seconds * 1000)
    return [{"from_s": i * width, "to_s": (i + 1) * width, "requests": len(b),
             "p50_ms": percentile(b, 0.50), "p95_ms": percentile(b, 0.95),
             "p99_ms": percentile(b, 0.99)} for i, b in enumerate(buckets)]


def p95_flat(windows: list[dict]) -> dict:
    answered = [w for w in windows if w["requests"]]
    if len(answered) < 2:
        return {"flat": False, "first_ms": None, "last_ms": None, "ratio": None,
                "why": "fewer than two windows with requests"}
    first, last = answered[0]["p95_ms"], answered[-1]["p95_ms"]
    growth = last / first if first else float("inf")
    return {"flat": growth <= P95_GROWTH_LIMIT, "first_ms": first, "last_ms": last,
            "ratio": growth, "limit": P95_GROWTH_LIMIT}


def rss_flat(samples: list[tuple[float, int]], duration: float) -> dict:
    """samples: (seconds since start, bytes). Median of the first window against the last."""
    width = window_seconds(duration)
    first = [b for t, b in samples if 0 <= t < width]
    last = [b for t, b in samples if duration - width <= t < duration]
    if not first or not last:
        return {"flat": False, "first_mb": None, "last_mb": None, "ratio": None,
                "why": "no memory samples in the first or the last window"}
    growth = median(last) / median(first)
    return {"flat": growth <= RSS_GROWTH_LIMIT, "first_mb": median(first) / 2**20,
            "last_mb": median(last) / 2**20, "peak_mb": max(b for _, b in samples) / 2**20,
            "ratio": growth, "limit": RSS_GROWTH_LIMIT}


def errors(requests: list[Request], failed_cases: list[str]) -> dict:
    """Every 5xx, every request without an answer and every case its driver could not
    finish (an unexpected 4xx or page fails the driver's own check) is an error; the
    driver provokes no 4xx of its own."""
    server = [r for r in requests if r.status >= 500]
    unanswered = [r for r in requests if r.status == 0]
    client = [r for r in requests if 400 <= r.status < 500]
    return {"server_errors": len(server), "unanswered": len(unanswered),
            "client_errors": len(client), "failed_cases": len(failed_cases),
            "total": len(server) + len(unanswered) + len(failed_cases),
            "examples": [f"{r.status} {r.method} {r.path}" for r in (server + unanswered)[:5]]
            + failed_cases[:5],
            "client_examples": sorted({f"{r.status} {r.method} {r.path}" for r in client})[:5]}


def losses(checks: dict[str, list[str]]) -> dict:
    """checks: what was looked at (documents, payments, sms, cases) → what is missing."""
    return {"lost": sum(len(v) for v in checks.values()),
            "by_kind": {k: len(v) for k, v in checks.items()},
            "examples": {k: v[:5] for k, v in checks.items() if v}}


def verdict(flat: dict, memory: dict, error_counts: dict, lost: dict) -> bool:
    return (flat["flat"] and memory["flat"] and error_counts["total"] == 0
            and lost["lost"] == 0)
