"""A web worker's start-up objects are frozen out of the garbage collector's scans."""

import gc
import os
import subprocess
import sys

from django.conf import settings

from ops.loaded_objects import freeze_loaded_objects


def test_freezing_moves_the_live_objects_out_of_the_collectors_generations():
    before = len(gc.get_objects())
    try:
        frozen = freeze_loaded_objects()
        assert frozen >= before // 2
        assert len(gc.get_objects()) < before // 10
    finally:
        gc.unfreeze()


def test_the_wsgi_entry_points_freeze_once_django_is_set_up():
    for module, settings_module in (("config.wsgi", "config.settings"),
                                    ("bench.wsgi", "bench.settings")):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "DEBUG": "1"}
        done = subprocess.run(
            [sys.executable, "-c", f"import gc, {module}; print(gc.get_freeze_count())"],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert int(done.stdout.split()[-1]) > 50_000, module
