"""The services' flows and their versions, by stable labels ("transfer", "inquiry").

`settings.FLOW_VERSIONS` lists each service's flow classes, oldest first. A case stays on
the version it started on (its process names the class, and viewflow resolves that name);
new cases start on the newest. Everything that reports on a service (the staff workspace,
the dashboards, the BPMN export, the vanished-step sweep) asks here, so a version added or
retired in the setting is seen everywhere at once.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.module_loading import import_string
from viewflow.workflow.flow import Start

from cases.persian import to_persian_digits


class VersionError(LookupError):
    pass


@cache
def _table() -> dict[str, tuple[type, ...]]:
    table = {}
    for label, paths in settings.FLOW_VERSIONS.items():
        classes = tuple(import_string(path) for path in paths)
        numbers = [flow_class.version for flow_class in classes]
        if numbers != sorted(set(numbers)):
            raise VersionError(f"FLOW_VERSIONS[{label!r}]: versions {numbers}, not ascending")
        for flow_class in classes:
            if str(flow_class.service) != label:
                raise VersionError(f"{flow_class.__name__} serves {flow_class.service!r}, "
                                   f"listed under {label!r}")
        table[label] = classes
    return table


def labels() -> list[str]:
    return list(_table())


def versions(label: str) -> tuple[type, ...]:
    """The label's flow classes, oldest first; KeyError for an unknown label."""
    return _table()[label]


def newest(label: str) -> type:
    return versions(label)[-1]


def flow(label: str, version: int | None = None) -> type:
    """The label's flow at `version` (the newest when None); VersionError when not loaded."""
    if version is None:
        return newest(label)
    for flow_class in versions(label):
        if flow_class.version == version:
            return flow_class
    raise VersionError(f"{label} has no version {version} loaded")


def all_flows() -> list[type]:
    return [flow_class for classes in _table().values() for flow_class in classes]


def mount_path(flow_class) -> str:
    """Where a version's URLs live: /flows/transfer/ for the first, /flows/transfer/v2/ next."""
    label = str(flow_class.service)
    return f"{label}/" if flow_class.version == 1 else f"{label}/v{flow_class.version}/"


def version_label(flow_class) -> str:
    """«نسخه ۲»: how staff pages tell versions apart."""
    return f"نسخه {to_persian_digits(flow_class.version)}"


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs) -> None:
    """Tests deploy a version by changing the setting (and mount its URLs with their own
    URLconf: the site's is built once, from the versions loaded then)."""
    if setting in {"FLOW_VERSIONS", "INSTALLED_APPS"}:
        _table.cache_clear()


def superseded(flow_class) -> bool:
    """A loaded version that is not its service's newest: it finishes its open cases but
    starts none. A flow outside FLOW_VERSIONS (a test's) is left alone."""
    label = str(getattr(flow_class, "service", ""))
    return (label in _table() and flow_class in versions(label)
            and newest(label) is not flow_class)


def start_url(flow_class) -> str:
    """The version's start page (its flow.Start node's form)."""
    start = next(node for node in flow_class.instance.nodes() if isinstance(node, Start))
    return reverse(f"{flow_class.app_name}:{start.name}:execute")
