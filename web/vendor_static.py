"""Static files taken from npm packages (node_modules), one by one.

Only the files a page uses are exposed — bpmn-js's navigated viewer and its two
stylesheets, with the package's licence beside them (it asks that the bpmn.io watermark
stay visible) — not the package's modeler and development builds. `npm ci` installs them
(`make run`, `make test`, the Dockerfile's node stage); nothing from npm is committed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage

# Served path → file under node_modules.
VENDORED = {
    "vendor/bpmn-js/bpmn-navigated-viewer.production.min.js":
        "bpmn-js/dist/bpmn-navigated-viewer.production.min.js",
    "vendor/bpmn-js/diagram-js.css": "bpmn-js/dist/assets/diagram-js.css",
    "vendor/bpmn-js/bpmn-js.css": "bpmn-js/dist/assets/bpmn-js.css",
    "vendor/bpmn-js/LICENSE": "bpmn-js/LICENSE",
}


def node_modules() -> Path:
    return Path(getattr(settings, "NODE_MODULES_DIR", settings.BASE_DIR / "node_modules"))


class VendorFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [p for p in VENDORED.values() if not (node_modules() / p).exists()]
        if not missing:
            return []
        return [CheckWarning(f"npm files missing: {', '.join(missing)}",
                             hint="run `npm ci` (make run and make test do)",
                             id="web.W001")]

    def find(self, path: str, find_all: bool = False, **kwargs):
        source = VENDORED.get(path)
        if source is None or not (node_modules() / source).exists():
            return []  # what Django's own finders answer for "not here"
        found = str(node_modules() / source)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for served, source in VENDORED.items():
            file = node_modules() / source
            if not file.exists():
                continue
            storage = FileSystemStorage(location=str(file.parent))
            storage.prefix = str(Path(served).parent)
            yield file.name, storage
