"""Medians and ratios: the only arithmetic the report does."""

from __future__ import annotations

import statistics


def median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("nan")
