"""`make city` (bench/city.py): it refuses what the disk cannot hold, saying the size it
needs, shrinks to what fits only when asked, and its section says what was measured."""

from __future__ import annotations

import pytest

from bench import city_report
from bench.city import HEADROOM, plan_steps

KB = 1_000


def test_a_city_the_disk_holds_runs_every_step():
    steps, needed = plan_steps([1_000_000, 10_000_000], 5 * KB, 100 * 10**9, False, 20_000)
    assert steps == [1_000_000, 10_000_000]
    assert needed == int((10_000_000 - 20_000) * 5 * KB * HEADROOM)


def test_a_city_too_large_is_refused_with_the_size_it_needs():
    with pytest.raises(SystemExit) as refused:
        plan_steps([1_000_000, 10_000_000], 5 * KB, 20 * 10**9, False, 20_000)
    message = str(refused.value)
    assert "refusing" in message
    assert "64.9 GB" in message  # (10 M − 20 k) × 5 KB × 1.3
    assert "20.0 GB are free" in message and "--largest" in message


def test_largest_measures_the_whole_millions_that_fit():
    steps, needed = plan_steps([1_000_000, 10_000_000], 5 * KB, 20 * 10**9, True, 20_000)
    assert steps == [1_000_000, 3_000_000]  # 20 GB ÷ 6.5 KB ≈ 3.08 M
    assert needed <= 20 * 10**9


def test_not_even_a_million_is_refused():
    with pytest.raises(SystemExit, match="not even 1,000,000"):
        plan_steps([1_000_000, 10_000_000], 5 * KB, 10**9, True, 20_000)


def _step(cases, p95s, queries=7):
    return {"cases": cases, "open_tasks": cases // 10, "database_bytes": cases * 5 * KB,
            "generate_seconds": 1.0, "summary_seconds": 1.0,
            "pages": [{"path": f"/staff/{i}/", "status": 200, "p50_ms": p / 2, "p95_ms": p,
                       "queries": queries} for i, p in enumerate(p95s)]}


def test_the_section_reports_growth_and_the_budget():
    city = {"started": "2026-12-06T12:00+03:30", "requested": "1000000,10000000", "runs": 20,
            "bytes_per_case": 5 * KB, "free_bytes_at_start": 80 * 10**9, "load": "1.0",
            "steps": [_step(1_000_000, [40.0, 100.0]), _step(10_000_000, [60.0, 250.0])]}
    text = "\n".join(city_report.render(city))
    assert "| `/staff/0/` | 40.0 | 60.0 | ×1.50 | 7/7 | yes |" in text
    assert "| `/staff/1/` | 100.0 | 250.0 | ×2.50 | 7/7 | NO |" in text
    assert "every page under 200 ms: no" in text
    assert "queries per page the same at every size: yes" in text


def test_the_section_says_how_to_record_it_before_it_ran():
    assert "make city" in city_report.render(None)[0]


def test_a_measurement_taken_again_says_when_and_why():
    city = {"started": "2026-12-06T12:00+03:30", "requested": "1000000,10000000", "runs": 20,
            "bytes_per_case": 5 * KB, "free_bytes_at_start": 80 * 10**9, "load": "1.0",
            "steps": [_step(1_000_000, [40.0]), _step(10_000_000, [90.0])]}
    city["steps"][-1]["measured_again"] = {"at": "2026-12-06T15:00+03:30", "why": "an index",
                                           "load": "0.5"}
    text = "\n".join(city_report.render(city))
    assert "timed again 2026-12-06T15:00+03:30" in text and "an index" in text
    assert "not compared (the last size was timed again with later code)" in text


def test_every_step_timed_again_is_compared_and_each_says_why():
    city = {"started": "2026-12-06T12:00+03:30", "requested": "1000000,3000000", "runs": 20,
            "bytes_per_case": 5 * KB, "free_bytes_at_start": 80 * 10**9, "load": "1.0",
            "steps": [_step(1_000_000, [40.0]), _step(3_000_000, [90.0])]}
    for step, why in zip(city["steps"], ("a fix, on a 1 M database", "a fix")):
        step["measured_again"] = {"at": "2026-12-06T15:00+03:30", "why": why, "load": "0.5"}
    text = "\n".join(city_report.render(city))
    assert "The pages at 1,000,000 cases were timed again" in text and "a fix, on a 1 M" in text
    assert "The pages at 3,000,000 cases were timed again" in text
    assert "queries per page the same at every size: yes" in text
