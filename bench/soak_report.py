"""Section 6 of bench/results.md: the soak as last recorded by `make soak`."""

from __future__ import annotations

from bench.soak_analysis import P95_GROWTH_LIMIT, RSS_GROWTH_LIMIT

NOT_RUN = ("Not recorded yet: the soak runs only by its own command, `make soak` "
           "(`python -m bench.soak --citizens 50 --seconds 600`).")


def _n(value, digits=1) -> str:
    return "–" if value is None or value != value else f"{value:,.{digits}f}"


def _met(ok: bool) -> str:
    return "held" if ok else "NOT held"


def render(soak: dict | None) -> list[str]:
    if not soak:
        return [NOT_RUN]
    p95, memory, errors, lost = soak["p95"], soak["memory"], soak["errors"], soak["lost"]
    counts = soak["counts"]
    out = [
        f"Recorded {soak['finished']} by `python -m bench.soak --citizens {soak['citizens']} "
        f"--seconds {soak['seconds']}` (load average at its end {soak['load']}): "
        f"{soak['citizens']} simulated citizens, each a thread with its own HTTP session "
        "(login form, cookies, CSRF tokens from the pages; a GET that meets a kept-alive "
        "connection gunicorn has just closed is sent again once, as a browser does; a POST "
        "never), completing transfer and inquiry "
        "cases in turns by the manual's labels: uploads, the SMS code read from the outbox, "
        "the inspector's approval in a staff session, the sandbox bank, issuance; the "
        "citizens in 4 client processes, after one untimed case of each kind (the worker's "
        "first certificate loads the renderer's fonts). "
        f"{soak['server']}; PostgreSQL and Redis on the same machine, which the load "
        "generator shares too. The citizens do not pause between pages: the server is kept "
        "saturated, so a request's latency is mostly its wait in the queue, and what must "
        "stay flat is that wait.",
        "",
        f"Requests: {soak['requests']:,} ({soak['requests_in_window']:,} started in the "
        f"{soak['seconds']} s measured; the cases under way at the end were finished). "
        f"Cases completed: {counts['cases']:,}; documents {counts['documents']:,} "
        f"({counts['uploads']:,} uploaded), payments {counts['payments']:,}, SMS "
        f"{counts['sms']:,}. The worker drained in {_n(soak['drain_seconds'], 0)} s after. "
        f"Citizens who ran out of the {soak.get('fixtures', 0):,} seeded people and property "
        f"before the time was up: {soak.get('ran_out', 0)}.",
        "",
        "| window (s) | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for w in soak["windows"]:
        out.append(f"| {_n(w['from_s'], 0)}–{_n(w['to_s'], 0)} | {w['requests']:,} | "
                   f"{_n(w['p50_ms'])} | {_n(w['p95_ms'])} | {_n(w['p99_ms'])} |")
    out += [
        "",
        f"- p95 flat (rule: last full window ≤ {P95_GROWTH_LIMIT}× the first): "
        f"{_n(p95['first_ms'])} → {_n(p95['last_ms'])} ms, ×{_n(p95['ratio'], 2)}: "
        f"{_met(p95['flat'])}.",
        f"- Worker memory flat (rule: median RSS of the last window ≤ {RSS_GROWTH_LIMIT}× the "
        f"first's; the worker and its pool, every 2 s): {_n(memory['first_mb'])} → "
        f"{_n(memory['last_mb'])} MB, ×{_n(memory['ratio'], 2)}: {_met(memory['flat'])}.",
        f"- Errors (5xx, no answer, a case its driver could not finish): {errors['total']} "
        f"({errors['server_errors']} 5xx, {errors['unanswered']} unanswered, "
        f"{errors['failed_cases']} cases); 4xx answers: {errors['client_errors']} (an hour "
        "taken by another citizen between page and code answers 400, and the citizen picks "
        "the next free hour, as the manual tells)"
        + (": " + ", ".join(f"`{e}`" for e in errors.get("client_examples", []))
           if errors.get("client_examples") else "") + ".",
        f"- Lost (a document not in storage or not recorded, a payment not settled once nor "
        f"closed without a charge, an SMS not sent, a finished case not archived with its "
        f"certificate): {lost['lost']} "
        + "(" + ", ".join(f"{k} {v}" for k, v in lost["by_kind"].items()) + ").",
        "",
        f"Verdict: load {_met(soak['ok'])}.",
    ]
    examples = errors["examples"] + [e for v in lost["examples"].values() for e in v]
    if examples:
        out += ["", "First problems seen:", ""] + [f"- `{e}`" for e in examples[:10]]
    return out
