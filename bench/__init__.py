"""The performance suite: `make bench` → bench/results.md.

Every figure is a median of several runs and a ratio to a baseline measured in the same
run, because absolute times on a shared machine drift. `tests/project/test_bench_smoke.py` runs
the same code at the smallest size so it cannot rot.
"""
