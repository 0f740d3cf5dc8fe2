"""Section 3b of bench/results.md: the city at 10 M cases, as last recorded by `make city`."""

from __future__ import annotations

BUDGET_MS = 200
NOT_RUN = ("Not recorded yet: it runs only by its own command, `make city` "
           "(`python -m bench.city`), which checks the free disk first.")


def _n(value, digits=1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def render(city: dict | None) -> list[str]:
    if not city:
        return [NOT_RUN]
    steps = city["steps"]
    first, last = steps[0], steps[-1]
    out = [f"Recorded {city['started']} by `python -m bench.city --steps {city['requested']}` "
           f"(load average at its end {city.get('load', '–')}): one database grown step by "
           "step with `generate_city` (a tenth of the cases open, a tenth with a full history), "
           "`VACUUM (ANALYZE)` and the dashboards' summary after each step; each staff page "
           f"{city['runs']} times after a warm-up, in-process (server time), DEBUG off. "
           f"A case costs {city['bytes_per_case'] / 1e3:.2f} KB on disk (measured on the "
           f"first {20_000:,}); {city['free_bytes_at_start'] / 1e9:.1f} GB were free.", "",
           "| cases | open tasks | database GB | generate s | summary s |",
           "|---|---|---|---|---|"]
    for s in steps:
        out.append(f"| {s['cases']:,} | {s['open_tasks']:,} | {s['database_bytes'] / 1e9:.1f} | "
                   f"{_n(s['generate_seconds'], 0)} | {_n(s['summary_seconds'], 0)} |")
    header = " | ".join(f"p95 ms at {s['cases']:,}" for s in steps)
    out += ["", f"| page | {header} | growth | queries | p95 < {BUDGET_MS} ms |",
            "|---|" + "---|" * (len(steps) + 3)]
    for i, page in enumerate(last["pages"]):
        row = [s["pages"][i]["p95_ms"] if i < len(s["pages"]) else None for s in steps]
        growth = (row[-1] / row[0]) if row[0] else None
        queries = "/".join(str(s["pages"][i]["queries"]) for s in steps if i < len(s["pages"]))
        out.append(f"| `{page['path']}` | " + " | ".join(_n(v) for v in row) +
                   f" | ×{_n(growth, 2)} | {queries} | "
                   f"{'yes' if page['p95_ms'] < BUDGET_MS else 'NO'} |")
    timed_again = [s for s in steps if s.get("measured_again")]
    for s in timed_again:
        again = s["measured_again"]
        out += ["", f"The pages at {s['cases']:,} cases were timed again {again['at']} "
                f"(`python -m bench.city --measure-again`, load average {again['load']}): "
                f"{again['why']}."]
        if "refresh_seconds" in again:
            out[-1] += (f" The summary's refresh before it (its snapshots: open tasks, district "
                        f"load) took {again['refresh_seconds']:.1f} s.")
    if timed_again and len(timed_again) < len(steps):
        out[-1] += " The other steps are as first measured."
    # Compared only when every step ran the same code: all as first measured, or all again.
    again = 0 < len(timed_again) < len(steps)
    held = all(p["p95_ms"] < BUDGET_MS for p in last["pages"])
    constant = all(len({s["pages"][i]["queries"] for s in steps if i < len(s["pages"])}) == 1
                   for i in range(len(last["pages"])))
    same = ("not compared (the last size was timed again with later code)" if again
            else f"{'yes' if constant else 'no'} (from {first['cases']:,} cases)")
    out += ["", f"At {last['cases']:,} cases every page under {BUDGET_MS} ms: "
            f"{'yes' if held else 'no'}; queries per page the same at every size: {same}."]
    return out
