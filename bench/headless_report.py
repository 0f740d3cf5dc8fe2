"""The headless engine section of bench/results.md, and the engine's statement groups."""

from __future__ import annotations

from pathlib import Path

from bench.stats import median

STATEMENTS = Path(__file__).with_name("engine_statements.md")
PROFILE = Path(__file__).with_name("headless_profile.md")
CAMUNDA = {"tasks_per_s": 100, "cases_per_s": 5}  # Camunda 8 SaaS 1x cluster sizing
TARGET = {"tasks_per_s": 300, "cases_per_s": 20}


def _n(value, digits=1) -> str:
    return "–" if value is None or value != value else f"{value:,.{digits}f}"


def statements_explained() -> list[str]:
    """The committed table of what every group of statements per case is for."""
    return ["", STATEMENTS.read_text(encoding="utf-8").strip()] if STATEMENTS.exists() else []


def render(headless: dict) -> list[str]:
    out = [
        f"{headless['workers']} worker processes on PostgreSQL, {headless['cases_per_worker']} "
        f"cases each per kind after one untimed warm-up case; runs: {headless['repeats']} "
        "(median shown). Each case goes through the flows' own activations under the process "
        "lock and the domain services the step pages call — no HTTP, no templates "
        "(bench/headless.py). The PDF renderer is the tests' recording one; the certificate's "
        "HTML and QR code (render_pdf) and the uploads' validation and re-encoding are timed "
        "apart: *engine* columns leave them out. Statements include BEGIN/COMMIT and the "
        "automatic steps and SMS deliveries Celery runs in-process.",
        "",
        "| flow | cases/s | tasks/s | engine cases/s | engine tasks/s | CPU ms/case | "
        "PDF ms/case | uploads ms/case | statements/case | of which savepoints |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    best = {"tasks_per_s": 0.0, "cases_per_s": 0.0}
    for kind, runs in sorted(headless["runs"].items()):
        row = {k: median(r[k] for r in runs) for k in runs[0]}
        best["tasks_per_s"] = max(best["tasks_per_s"], row["engine_tasks_per_s"])
        best["cases_per_s"] = max(best["cases_per_s"], row["engine_cases_per_s"])
        out.append(
            f"| {kind} | {_n(row['cases_per_s'], 2)} | {_n(row['tasks_per_s'])} | "
            f"{_n(row['engine_cases_per_s'], 2)} | {_n(row['engine_tasks_per_s'])} | "
            f"{_n(row['cpu_ms_per_case'], 0)} | {_n(row['pdf_ms_per_case'], 0)} | "
            f"{_n(row['upload_ms_per_case'], 0)} | {_n(row['queries_per_case'], 0)} | "
            f"{_n(row['savepoints_per_case'], 0)} |")
    out += ["", "| measure | best engine figure | Camunda 1x | target | target met |",
            "|---|---|---|---|---|"]
    for key, label in (("tasks_per_s", "tasks/s"), ("cases_per_s", "complete cases/s")):
        out.append(f"| {label} | {_n(best[key])} | {CAMUNDA[key]} | ≥ {TARGET[key]} | "
                   f"{'yes' if best[key] >= TARGET[key] else 'no'} |")
    if PROFILE.exists():
        out += ["", PROFILE.read_text(encoding="utf-8").strip()]
    return out
