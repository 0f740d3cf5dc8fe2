"""Settings for the municipal e-services case service, one module per concern.

DJANGO_SETTINGS_MODULE=config.settings reads them all. Every deploy-time value comes
from the environment (django-environ, with `.env` read in base.py); each module's
docstring names the variables it reads. The defaults make `make run` work alone on a
fresh machine: SQLite, in-process Celery tasks, the SMS outbox and the sandbox bank.
Production sets DEBUG=False and the variables named in docs/operators/deploy.md.

Each setting is defined in exactly one module; a module that needs another's value
imports it, which is why tasks comes after the domain modules whose intervals its
schedule uses, and observability after tasks.
"""

from config.settings.base import *  # noqa: F403
from config.settings.database import *  # noqa: F403
from config.settings.accounts import *  # noqa: F403
from config.settings.security import *  # noqa: F403
from config.settings.storage import *  # noqa: F403
from config.settings.sms import *  # noqa: F403
from config.settings.payments import *  # noqa: F403
from config.settings.cases import *  # noqa: F403
from config.settings.signing import *  # noqa: F403
from config.settings.backup import *  # noqa: F403
from config.settings.tasks import *  # noqa: F403
from config.settings.observability import *  # noqa: F403
