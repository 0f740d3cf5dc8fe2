"""CPU time spent serving, read from /proc: what a page costs the machine that serves it.

Requests per second on a shared machine move with whatever else runs on its cores (the
same page measured 195 and 653 req/s in two runs of one day). The CPU time of the
processes that serve a request does not: the web server's (gunicorn's master and
workers), the database's (every PostgreSQL process on this machine) and the cache's
(redis-server), each read before and after a load run and divided by the requests it
completed. The load generator's own time is left out: it is the client, not the page.

A process that exits between two readings is still counted: its time is added to its
parent's `cutime`/`cstime` once reaped (a PostgreSQL backend to the postmaster's, a
gunicorn worker to the master's), and the parents are read too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
DATABASE, CACHE = "postgres", "redis-server"


@dataclass(frozen=True)
class Sample:
    web: float
    database: float
    cache: float

    @property
    def total(self) -> float:
        return self.web + self.database + self.cache

    def __sub__(self, other: "Sample") -> "Sample":
        return Sample(self.web - other.web, self.database - other.database,
                      self.cache - other.cache)


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds of the process and its reaped children)."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # gone between the listing and the read
        return None
    command = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    # fields[0] is field 3 of proc(5): state; ppid is 4, utime..cstime are 14..17.
    ticks = sum(int(fields[i]) for i in range(11, 15))
    return command, int(fields[1]), ticks / TICKS


def _processes() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def sample(web_pid: int) -> Sample:
    """CPU seconds so far of the web server rooted at `web_pid` (it and its children), of
    every PostgreSQL process and of every redis-server on this machine."""
    processes = _processes()
    web = sum(cpu for pid, (_, parent, cpu) in processes.items()
              if pid == web_pid or parent == web_pid)
    database = sum(cpu for command, _, cpu in processes.values() if command == DATABASE)
    cache = sum(cpu for command, _, cpu in processes.values() if command == CACHE)
    return Sample(web, database, cache)


def per_request_ms(before: Sample, after: Sample, requests: int) -> dict[str, float] | None:
    """Milliseconds of CPU per request, in all and by part; None when nothing completed."""
    if requests <= 0:
        return None
    spent = after - before
    return {"cpu_ms": spent.total * 1000 / requests, "web_cpu_ms": spent.web * 1000 / requests,
            "db_cpu_ms": spent.database * 1000 / requests,
            "cache_cpu_ms": spent.cache * 1000 / requests}
