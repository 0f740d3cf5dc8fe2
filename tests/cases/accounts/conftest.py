"""A real OpenID Connect provider (django-oidc-provider) in a second process.

The provider is a tiny Django project (provider_site/) with its own SQLite database in a
temporary folder: migrated, given an RSA signing key (`creatersakey`), our client and
a few people, then served by `runserver --noreload` on a free 127.0.0.1 port.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from cases.identity import make_valid_national_id

SITE = Path(__file__).parent / "provider_site"
CLIENT_ID = "eservices-test"
CLIENT_SECRET = "provider-test-secret-4f1c"
CALLBACK = "http://testserver/oidc/callback/"
PASSWORD = "idp-pass-1405"

PEOPLE = {
    # A citizen the city's service has never seen.
    "sara": {"national_id": make_valid_national_id("004221337"), "first_name": "سارا",
             "last_name": "رضایی", "email": "sara@example.org"},
    # A citizen who already has a local account (tests create it with this national ID).
    "reza": {"national_id": make_valid_national_id("123987456")},
    # Staff: known to the provider by username only.
    "oidc-inspector": {},
    # Nobody: no national ID, no local staff account.
    "stranger": {},
    # A national ID that fails its check digit.
    "typo": {"national_id": "1234567890"},
}


@dataclass
class Provider:
    base: str
    process: subprocess.Popen

    def endpoint(self, name: str) -> str:
        return f"{self.base}/openid/{name}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=SITE, env=env, check=True,
                   capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("idp")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["IDP_DATA_DIR"] = str(data_dir)
    env["IDP_SETUP"] = json.dumps({
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK],
        "people": [{"username": name, "password": PASSWORD, **person}
                   for name, person in PEOPLE.items()],
    })
    # migrate, creatersakey, then the client and the people (see idp/setup_data.py).
    _manage(env, "shell", "-c", "import idp.setup_data")
    port = _free_port()
    log = open(data_dir / "runserver.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=SITE, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    provider = Provider(base=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(provider.endpoint(".well-known/openid-configuration"),
                            timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the identity provider did not start; see {log.name}")
        time.sleep(0.2)
    yield provider
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def oidc_settings(settings, identity_provider):
    """Our service configured for the provider, as an operator would from the environment."""
    config = requests.get(
        identity_provider.endpoint(".well-known/openid-configuration"), timeout=5).json()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid profile email national_id"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = config["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
    return settings
