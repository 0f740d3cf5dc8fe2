"""The soak's rules (bench/soak_analysis.py) on synthetic records: what counts as flat,
as an error and as lost, and that section 6 of results.md renders a kept result."""

from __future__ import annotations

from bench import soak_analysis as sa
from bench import soak_report
from bench.soak_analysis import Request


def _requests(per_window_ms: list[list[float]], width: float = 60.0) -> list[Request]:
    out = []
    for w, durations in enumerate(per_window_ms):
        for i, ms in enumerate(durations):
            started = w * width + width * i / len(durations)
            out.append(Request(started, ms / 1000, 200, "GET", "/services/"))
    return out


def test_windows_are_minutes_and_ignore_requests_after_the_measured_time():
    requests = _requests([[100] * 20, [100] * 20, [100] * 20])
    requests.append(Request(185.0, 9.0, 200, "GET", "/late/"))  # a case finished after time
    windows = sa.latency_windows(requests, 180)
    assert [w["requests"] for w in windows] == [20, 20, 20]
    assert [w["from_s"] for w in windows] == [0, 60, 120]
    assert all(w["p99_ms"] == 100 for w in windows)


def test_a_short_run_is_cut_in_quarters():
    windows = sa.latency_windows(_requests([[50] * 8], width=60), 60)
    assert len(windows) == 4 and [w["to_s"] for w in windows] == [15, 30, 45, 60]


def test_p95_growing_more_than_half_is_not_flat():
    steady = [[100] * 95 + [200] * 5] * 3
    assert sa.p95_flat(sa.latency_windows(_requests(steady), 180))["flat"]
    rising = steady[:2] + [[100] * 90 + [400] * 10]
    verdict = sa.p95_flat(sa.latency_windows(_requests(rising), 180))
    assert not verdict["flat"] and verdict["ratio"] == 4.0
    assert verdict["first_ms"] == 100 and verdict["last_ms"] == 400
    slower = steady[:2] + [[140] * 100]  # 1.4×: within the rule
    assert sa.p95_flat(sa.latency_windows(_requests(slower), 180))["flat"]


def test_p95_needs_two_windows_with_requests():
    assert not sa.p95_flat(sa.latency_windows(_requests([[100] * 10]), 180))["flat"]


def test_worker_memory_compares_first_and_last_minute_medians():
    mb = 2**20
    flat = [(t, 100 * mb + (t % 7) * mb) for t in range(0, 600, 2)]
    assert sa.rss_flat(flat, 600)["flat"]
    leaking = [(t, int(100 * mb * (1 + t / 1000))) for t in range(0, 600, 2)]
    verdict = sa.rss_flat(leaking, 600)
    assert not verdict["flat"] and 1.5 < verdict["ratio"] < 1.6
    assert not sa.rss_flat([], 600)["flat"]


def test_errors_count_5xx_unanswered_and_unfinished_cases_not_4xx_alone():
    requests = [Request(1, 0.1, 200, "GET", "/"), Request(2, 0.1, 302, "POST", "/x/"),
                Request(3, 0.1, 404, "GET", "/y/"), Request(4, 0.1, 502, "POST", "/z/"),
                Request(5, 30, 0, "GET", "/slow/")]
    counted = sa.errors(requests, ["transfer bench_citizen3: AssertionError: no form"])
    assert counted["total"] == 3 and counted["client_errors"] == 1
    assert "502 POST /z/" in counted["examples"]


def test_losses_and_verdict():
    nothing = sa.losses({"documents": [], "payments": [], "sms": [], "cases": []})
    assert nothing["lost"] == 0
    some = sa.losses({"documents": ["document 7 not in storage"], "sms": ["sms 3 queued"]})
    assert some["lost"] == 2 and some["by_kind"] == {"documents": 1, "sms": 1}
    flat, memory = {"flat": True}, {"flat": True}
    assert sa.verdict(flat, memory, {"total": 0}, nothing)
    assert not sa.verdict(flat, memory, {"total": 0}, some)
    assert not sa.verdict(flat, {"flat": False}, {"total": 0}, nothing)


def test_section_six_renders_a_kept_result_and_says_how_to_record_one():
    assert "make soak" in soak_report.render(None)[0]
    windows = sa.latency_windows(_requests([[100] * 20] * 3), 180)
    result = {
        "citizens": 50, "seconds": 180, "finished": "2026-01-01T08:00+03:30", "load": "2.0",
        "server": "gunicorn", "requests": 60, "requests_in_window": 60, "drain_seconds": 3,
        "counts": {"cases": 4, "documents": 8, "uploads": 8, "payments": 4, "sms": 2},
        "windows": windows, "p95": sa.p95_flat(windows),
        "memory": sa.rss_flat([(t, 2**27) for t in range(0, 180, 2)], 180),
        "errors": sa.errors([], []), "lost": sa.losses({"sms": []}), "ok": True,
    }
    text = "\n".join(soak_report.render(result))
    assert "Verdict: load held." in text
    assert "| 120–180 | 20 | 100.0 | 100.0 | 100.0 |" in text
