"""bench/results.md from the collected figures: every figure with its baseline and ratio."""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path

from bench import city_report, headless_report, pages_report, soak_report
from bench.stats import median, ratio

RAW = Path(__file__).with_name("results.json")

FINDINGS = Path(__file__).with_name("findings.md")


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(l for l in Path("/proc/meminfo").read_text().splitlines()
                      if l.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 1024 / 1024
    except OSError:
        memory_gb = float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {memory_gb:.1f} GB RAM, {platform.platform()}"


def _n(value, digits=1) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:,.{digits}f}"


def _yes(met: bool) -> str:
    return "yes" if met else "no"


# SQL statements per complete case, by flow (the manual's transfer has ~34 requests).
QUERY_TARGETS = {"transfer": 200, "inquiry": 120}


def _engine(engine: dict) -> list[str]:
    out = [
        f"Cases driven per worker per run: {engine['cases_per_worker']} per kind; runs: "
        f"{engine['repeats']} (median shown). Each worker is its own process with its own "
        "connection. Tasks are viewflow `Task` rows of the driven processes (every node: "
        "views, gateways, functions, the Handle). Queries per case are every SQL statement "
        "the case's requests ran, the automatic steps included (Celery runs them in-process).",
        "",
        "| flow | workers | cases/s | tasks/s | tasks/case | SQL queries/case | of which "
        "savepoints | baseline tasks/s (ORM insert+update) | tasks/s ÷ baseline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (kind, workers), runs in sorted(engine["runs"].items(), key=lambda i: (i[0][0], i[0][1])):
        tasks_per_case = median(r["tasks"] / r["cases"] for r in runs)
        tps = median(r["tasks_per_s"] for r in runs)
        base = median(r["baseline_tasks_per_s"] for r in runs)
        cps = median(r["cases_per_s"] for r in runs)
        out.append(
            f"| {kind} | {workers} | {_n(cps, 3)} | {_n(tps, 2)} | "
            f"{_n(tasks_per_case, 0)} | {_n(median(r['queries_per_case'] for r in runs), 0)} | "
            f"{_n(median(r.get('savepoints_per_case', float('nan')) for r in runs), 0)} | "
            f"{_n(base)} | {_n(ratio(tps, base), 3)} |")
    out += ["", "Targets (2-core machine): ≥ 300 tasks/s, ≥ 20 complete cases/s, SQL queries "
            "per complete case ≤ 200 (transfer) and ≤ 120 (inquiry). For scale: a naive "
            "viewflow 16-task flow ≈ 245 tasks/s, ≈ 15 processes/s, ≈ 200 queries/process; "
            "Camunda 8.8 1x SaaS sizing: 100 tasks/s, 5 instances/s."]
    best = {k: max(median(r[k] for r in runs) for runs in engine["runs"].values())
            for k in ("tasks_per_s", "cases_per_s")}
    out += ["", "| target | best measured | met |", "|---|---|---|",
            f"| ≥ 300 tasks/s | {_n(best['tasks_per_s'])} | {_yes(best['tasks_per_s'] >= 300)} |",
            f"| ≥ 20 cases/s | {_n(best['cases_per_s'], 2)} | {_yes(best['cases_per_s'] >= 20)} |"]
    for kind, limit in QUERY_TARGETS.items():
        counts = [median(r["queries_per_case"] for r in runs)
                  for (flow, _), runs in engine["runs"].items() if flow == kind]
        if counts:
            out.append(f"| ≤ {limit} queries per {kind} case | {_n(max(counts), 0)} | "
                       f"{_yes(max(counts) <= limit)} |")
    return out + headless_report.statements_explained()


def _weight(pages: dict) -> list[str]:
    rows = [p for p in pages["pages"] if "weight" in p]
    if not rows:
        return ["Not measured (no Chromium at /usr/bin/chromium or the pages section failed)."]
    out = ["Debian's Chromium via Playwright; bytes = DevTools `encodedDataLength` (headers + "
           "body as transferred). First visit: empty cache; warm: the same page again. "
           "Budgets: a citizen page 150 KB first, a diagram page (bpmn-js's viewer) 400 KB; "
           "20 KB warm for both.",
           "", "| page | first visit bytes (requests) | budget | within | warm bytes (requests) "
           "| ≤ 20 KB |",
           "|---|---|---|---|---|---|"]
    for p in rows:
        w = p["weight"]
        budget = 400 if p["path"].startswith("/staff/dashboard/") else 150
        out.append(
            f"| {p['name']} | {w['first_bytes']:,} ({w['first_requests']}) | {budget} KB | "
            f"{'yes' if w['first_bytes'] <= budget * 1024 else 'NO'} | {w['warm_bytes']:,} "
            f"({w['warm_requests']}) | {'yes' if w['warm_bytes'] <= 20 * 1024 else 'NO'} |")
    return out


def _documents(docs: dict) -> list[str]:
    base = docs["one_line_pdf"]["median_ms"]
    cert = docs["certificate_pdf"]
    out = ["Measured first in the run, while the machine is quiet. Warm (one untimed render "
           "first), each kind in its own child process; times are CPU time of that process and "
           "the processes it starts (pdftoppm for the PNG), so other work on a shared machine "
           "counts little (a busy second core still slows a render: 56.6–60 ms alone, 68.9 "
           "right after the pages section); peak memory is the process's ru_maxrss (forked "
           "from the bench, so it includes Django).", "",
           "| document | median ms (CPU) | median ms (wall) | ÷ one-line PDF | bytes | peak RSS MB |",
           "|---|---|---|---|---|---|"]
    for kind in ("one_line_pdf", "certificate_pdf", "certificate_png", "certificate_signing"):
        if kind not in docs:  # results written before signing was measured
            continue
        d = docs[kind]
        wall = median(d["wall_ms"]) if d.get("wall_ms") else None
        out.append(f"| {kind} | {_n(d['median_ms'])} | {_n(wall) if wall else '–'} | "
                   f"{_n(ratio(d['median_ms'], base), 2)} | "
                   f"{d['bytes']:,} | {_n(d['peak_rss_mb'])} |")
    if "ratio_same_process" in cert:
        out += ["", f"The certificate's process also rendered the one-line PDF between its own "
                f"renders: {_n(cert['one_line_same_process_ms'])} ms, so the certificate is "
                f"**{_n(cert['ratio_same_process'], 1)}×** a one-line PDF measured in one process "
                "at one moment (target ≤ 3×)."]
    pdf_ok = cert["median_ms"] <= 60
    png_ok = docs["certificate_png"]["median_ms"] <= 40
    out += ["", f"Targets: certificate PDF ≤ 60 ms: {'met' if pdf_ok else 'not met'}; "
            f"PNG preview ≤ 40 ms: {'met' if png_ok else 'not met'}."]
    if "certificate_signing" in docs:
        signing = docs["certificate_signing"]["median_ms"]
        out += ["", "certificate_signing: the drawn certificate signed (PAdES B-B, the "
                "configured key, its visible field), timed apart from drawing it; its bytes "
                f"are the signed file's. Target ≤ 20 ms: {'met' if signing <= 20 else 'not met'}."]
    return out


def _scale(scale: dict) -> list[str]:
    if not scale.get("run"):
        return [scale.get("why", "not run")]
    budget = scale["budget_ms"]
    out = [f"{scale['cases']:,} cases, {scale['open_tasks']:,} open tasks: "
           f"`manage.py generate_city {' '.join(scale['args'])}` took "
           f"{_n(scale['generate_seconds'], 0)} s, the dashboards' first summary "
           f"{_n(scale['summary_seconds'], 0)} s. Each page {scale['requests_per_page']} times "
           "after a warm-up, in-process (server time, no network), DEBUG off.", "",
           f"| page | status | p50 ms | p95 ms | queries | p95 < {budget} ms |",
           "|---|---|---|---|---|---|"]
    for p in scale["pages"]:
        out.append(f"| `{p['path']}` | {p['status']} | {_n(p['p50_ms'])} | {_n(p['p95_ms'])} | "
                   f"{p['queries']} | {'yes' if p['p95_ms'] < budget else 'NO'} |")
    citizen = scale.get("citizen_pages")
    if not citizen:
        return out
    out += ["", "The citizen's pages on the same database: a generated citizen's list and case "
            "page, then one transfer and one inquiry walked through, each page timed the same "
            "way while the case waits there (the inspector's two pages on the walk too).", "",
            f"| who | page | path | status | p50 ms | p95 ms | queries | p95 < {budget} ms |",
            "|---|---|---|---|---|---|---|---|"]
    for p in citizen:
        out.append(f"| {p['group']} | {p['name']} | `{p['path']}` | {p['status']} | "
                   f"{_n(p['p50_ms'])} | {_n(p['p95_ms'])} | {p['queries']} | "
                   f"{'yes' if p['p95_ms'] < budget else 'NO'} |")
    return out


def save_raw(results: dict, path: Path = RAW) -> None:
    """The figures as JSON, so `--keep` can re-run one section and keep the others."""
    raw = dict(results, started=results["started"].isoformat())
    if isinstance(raw.get("kept_from"), datetime.datetime):
        raw["kept_from"] = raw["kept_from"].isoformat()
    if "engine" in raw:
        runs = {f"{kind}/{workers}": v for (kind, workers), v in raw["engine"]["runs"].items()}
        raw["engine"] = dict(raw["engine"], runs=runs)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def load_raw(path: Path = RAW) -> dict:
    raw = json.loads(path.read_text(encoding="utf-8"))
    for key in ("started", "kept_from"):
        if raw.get(key):
            raw[key] = datetime.datetime.fromisoformat(raw[key])
    if "engine" in raw:
        runs = raw["engine"]["runs"].items()
        raw["engine"]["runs"] = {(k.split("/")[0], int(k.split("/")[1])): v for k, v in runs}
    return raw


def render(results: dict, raw: Path = RAW) -> str:
    if results.get("size") == "full":
        save_raw(results, raw)
    started = results["started"]
    load = results.get("load", ("–", "–"))
    out = ["# Benchmarks", "",
           f"Generated by `make bench` (size **{results['size']}**) on "
           f"{started:%Y-%m-%d %H:%M %Z} in {results['seconds']:.0f} s.", "",
           f"- Machine: {_machine()}",
           f"- Load average at start / end: {load[0]} / {load[1]} — the machine is shared "
           "(several engineers run tests on the same 2 cores), so absolute figures drift; "
           "read the ratios, each measured against its baseline in the same run.",
           "- Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items())]
    if results.get("kept_from"):
        out.append(f"- Sections not re-run this time (`--keep`) are from earlier runs, from "
                   f"{results['kept_from']:%Y-%m-%d %H:%M %Z}.")
    out.append("")
    sections = [
        ("1. Engine throughput (PostgreSQL)", "engine", _engine),
        ("1b. Engine without the web (headless)", "headless", headless_report.render),
        ("2. Pages under load", "pages", pages_report.render),
        ("3. Scale: pages at city size", "scale", _scale),
        ("3b. Scale, one step further", "city", city_report.render),
        ("4. Documents", "documents", _documents),
        ("5. Page weight", "pages", _weight),
        ("6. Load held (soak)", "soak", soak_report.render),
    ]
    for title, key, write in sections:
        out += [f"## {title}", ""]
        if key in results or key in ("soak", "city"):  # their own commands record them
            out += write(results.get(key))
        else:
            why = "error, see below" if key in results["errors"] else "section not selected"
            out.append(f"Not measured: {why}.")
        out.append("")
    if results["errors"]:
        out += ["## Errors", ""]
        for section, text in results["errors"].items():
            out += [f"### {section}", "", "```", text.strip()[-3000:], "```", ""]
    if FINDINGS.exists():
        out += [FINDINGS.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out)
