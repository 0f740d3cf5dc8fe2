#!/usr/bin/env python
import os
import sys
from pathlib import Path

# `make run` writes var/dev.env (git-ignored): the development settings it serves with,
# so that a command typed beside it (`.venv/bin/python manage.py sms_outbox`) runs with
# them too. Read only when the environment gives no settings of its own, so a deployment
# (SECRET_KEY or DEBUG set) never sees it; docker-compose's `.env` is not this file.
DEV_ENV = Path(__file__).resolve().parent / "var" / "dev.env"


def read_dev_env() -> None:
    if not DEV_ENV.exists() or {"SECRET_KEY", "DEBUG"} & os.environ.keys():
        return
    for line in DEV_ENV.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


if __name__ == "__main__":
    read_dev_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
