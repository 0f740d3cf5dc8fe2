"""Run the sections in order and write the report; each section's failure is reported, not fatal."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

# Run in this order: the documents first, their CPU times taken while the machine is still
# quiet. Measured right after the pages section (PostgreSQL's writer and checkpointer still
# busy on the other core) a certificate took 68.9 ms of CPU; alone, 56.6–60 ms.
SECTIONS = ("documents", "engine", "headless", "pages", "scale", "weight")
SIZES = {
    # cases per worker per kind, repeats; page seconds per URL, repeats; document renders
    # smoke: one worker, a short walk (first wizard pages only): checks the code, not speed.
    "smoke": {"cases": 1, "repeats": 1, "workers": (1,), "page_seconds": 1, "page_repeats": 1,
              "walk": "short", "renders": 1, "headless_cases": 1},
    "full": {"cases": 1, "repeats": 3, "workers": (1, 2), "page_seconds": 2, "page_repeats": 3,
             "walk": "full", "renders": 25, "headless_cases": 10},
}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="full")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    parser.add_argument("--only", nargs="*", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--keep", action="store_true",
                        help="keep the other sections' figures from bench/results.json")
    parser.add_argument("--collectstatic", action="store_true",
                        help="serve hashed, compressed static files as production does (slow)")
    parser.add_argument("--no-scale", dest="scale", action="store_false",
                        help="skip section 3 (generating 1,000,000 cases takes minutes)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv if argv is not None else sys.argv[1:])
    size = SIZES[args.size]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    os.environ.setdefault("PRIVATE_STORAGE_ROOT", str(workdir / "private"))

    from bench import database

    url = database.database_url()
    os.environ["BENCH_DATABASE_URL"] = url
    began = time.perf_counter()
    database.recreate(url)

    import django

    django.setup()
    database.migrate()

    from bench import engine, fixtures

    now = datetime.datetime.now().astimezone()
    results: dict = {"size": args.size, "errors": {}, "started": now}
    load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results["versions"] = database.versions()
    from bench import report

    if args.keep and report.RAW.exists():
        kept = report.load_raw()
        for key in ("engine", "headless", "pages", "scale", "documents"):
            section = "pages" if key == "pages" else key
            if key in kept and section not in args.only:
                results[key] = kept[key]
        results["errors"] = {k: v for k, v in kept.get("errors", {}).items()
                             if k not in args.only}
        # The oldest run a kept section comes from.
        results["kept_from"] = kept.get("kept_from") or kept["started"]
    if report.RAW.exists():
        # Only `python -m bench.soak` and `python -m bench.city` measure these; their
        # sections carry their own dates.
        kept = report.load_raw()
        for key in ("soak", "city"):
            results.setdefault(key, kept.get(key))
    from bench import headless

    needed = (engine.fixtures_needed(size["cases"], size["repeats"], size["workers"])
              if "engine" in args.only else 0)
    headless_needed = (headless.fixtures_needed(size["headless_cases"], size["repeats"])
                       if "headless" in args.only else 0)
    cases = fixtures.seed(needed + headless_needed + 2)
    spare, cases = cases[:2], cases[2:]
    cases, headless_cases = cases[:needed], cases[needed:]
    results["fixtures"] = len(cases) + len(headless_cases)
    for section in SECTIONS:
        if section not in args.only:
            continue
        t0 = time.perf_counter()
        print(f"bench: {section} …", file=sys.stderr, flush=True)
        try:
            if section == "engine":
                results["engine"] = engine.run(
                    cases, size["cases"], size["repeats"], size["workers"])
            elif section == "headless":
                results["headless"] = headless.run(
                    headless_cases, size["headless_cases"], size["repeats"])
            elif section == "pages":
                from bench import pages

                results["pages"] = pages.run(spare, workdir, size, weight="weight" in args.only,
                                             collect=args.collectstatic)
            elif section == "scale":
                from bench import scale

                if args.scale:
                    results["scale"] = scale.run(args.size)
                elif not results.get("scale", {}).get("run"):  # --keep holds a measured one
                    results["scale"] = {"run": False, "why": "not run: --no-scale was given"}
            elif section == "documents":
                from bench import documents

                results["documents"] = documents.run(size["renders"])
            elif section == "weight" and "pages" not in args.only:
                raise RuntimeError("page weight is measured on the pages section's walk: add pages")
        except Exception:  # noqa: BLE001 - one broken section must not hide the others
            results["errors"][section] = traceback.format_exc()
            print(results["errors"][section], file=sys.stderr)
        print(f"bench: {section} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    results["seconds"] = time.perf_counter() - began
    results["load"] = (load_at_start, " ".join(f"{x:.1f}" for x in os.getloadavg()))

    from bench import report

    args.out.write_text(report.render(results), encoding="utf-8")
    print(f"bench: wrote {args.out} in {results['seconds']:.0f} s", file=sys.stderr)
    return 1 if results["errors"] else 0
