"""The files pages take from npm packages (web/vendor_static.py): found in node_modules,
collected by collectstatic, and nothing else of the package exposed."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from web.vendor_static import VENDORED, VendorFinder, node_modules


def test_each_vendored_file_is_found_in_node_modules():
    assert (node_modules() / "bpmn-js").exists(), "run `npm ci` (make test does)"
    for served, source in VENDORED.items():
        assert finders.find(served) == str(node_modules() / source)
    assert finders.find("vendor/bpmn-js/bpmn-modeler.production.min.js") is None
    assert VendorFinder().check() == []


def test_collectstatic_copies_them_with_the_licence(tmp_path):
    only_vendor = ["web.vendor_static.VendorFinder"]
    with override_settings(STATIC_ROOT=tmp_path, STATICFILES_FINDERS=only_vendor, STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
        call_command("collectstatic", interactive=False, verbosity=0)
    copied = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert copied == sorted(VENDORED)
    assert "bpmn.io" in (tmp_path / "vendor/bpmn-js/LICENSE").read_text()


def test_a_missing_install_is_reported_by_the_checks(settings, tmp_path):
    settings.NODE_MODULES_DIR = tmp_path
    (warning,) = VendorFinder().check()
    assert warning.id == "web.W001" and "npm ci" in warning.hint
