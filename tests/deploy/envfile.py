"""What an operator's containers get: .env.example with its REQUIRED values filled in, plus
what docker-compose.yml's `environment:` sets (interpolated as Compose would)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE = ROOT / "docker-compose.yml"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
_INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def env_example() -> dict[str, str]:
    """The assignments .env.example makes (commented lines are not assignments)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def filled_env_example() -> dict[str, str]:
    """.env.example as an operator fills it: every REQUIRED (empty) value given one."""
    values = env_example()
    for name, value in values.items():
        if value == "":
            values[name] = ("operator-" + name.lower() + "-" + "x" * 40 if name == "SECRET_KEY"
                            else "operator-" + name.lower().replace("_", "-"))
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name, operator, default = match.groups()
        given = env.get(name)
        if operator in (":-", ":?") and not given or operator in ("-", "?") and given is None:
            if operator and operator.endswith("?"):
                raise KeyError(f"{name}: {default}")
            return default or ""
        return given or ""

    return _INTERPOLATION.sub(value, text.replace("$$", "\0")).replace("\0", "$")


def compose_environment(service: str, env: dict[str, str]) -> dict[str, str]:
    """The `environment:` docker-compose.yml gives `service`, with .env's values in it."""
    compose = yaml.safe_load(COMPOSE.read_text())
    block = compose["services"][service].get("environment", {}) or {}
    return {name: interpolate(str(value), env) for name, value in block.items()}


def operator_environment(service: str = "web") -> dict[str, str]:
    """A container's environment: .env (env_file) overridden by compose's `environment:`."""
    env = filled_env_example()
    return {**env, **compose_environment(service, env)}
