"""Health check of the Celery beat container: is its schedule file still being written?

beat saves the schedule (every entry's last run) at least every three minutes while it
sends tasks (celery.beat.Scheduler.sync_every); a beat that hangs or lost its broker stops
writing. Run as `python -m ops.beat_health /tmp/celerybeat-schedule 600`: exit 0 when a
file of that schedule (shelve may add a suffix such as .db) changed in the last 600 s.
Needs neither Django nor the broker, so the check itself never hangs.
"""

from __future__ import annotations

import glob
import os
import sys
import time


def schedule_age(path: str) -> float | None:
    """Seconds since any file of the schedule at `path` changed; None if there is none."""
    files = [f for f in glob.glob(glob.escape(path) + "*") if os.path.isfile(f)]
    if not files:
        return None
    return time.time() - max(os.path.getmtime(f) for f in files)


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/tmp/celerybeat-schedule"
    max_age = float(argv[2]) if len(argv) > 2 else 600.0
    age = schedule_age(path)
    if age is None:
        print(f"no schedule file at {path}", file=sys.stderr)
        return 1
    if age > max_age:
        print(f"schedule not written for {age:.0f} s (limit {max_age:.0f} s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
