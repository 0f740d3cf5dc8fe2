"""Rate limits by URL name, from settings.RATE_LIMITS, counted by django-ratelimit.

Limits live in one settings dict rather than as decorators on views, so pages built by
other parts of the service (staff search, the verification API) are limited by naming
them, and an operator can tune every limit from the environment:

    RATE_LIMITS = {"accounts:login": ("ip", "20/m", "POST"),
                   "transfer:appointment:execute[send_code]": ("ip", "10/m", "POST")}

The key is the resolved view name (``namespace:name``); a ``[value]`` suffix narrows the
rule to POSTs whose ``action`` field (the wizard's button) has that value. The rule is
(django-ratelimit key, rate, methods) — methods None means every method.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from cases.persian import to_persian_digits

log = logging.getLogger(__name__)

MSG_LIMITED = "تعداد درخواست‌ها از حد مجاز گذشته است. لطفاً چند دقیقه دیگر دوباره تلاش کنید."
# The page says when, in the same (rounded-up) minutes as Retry-After's seconds.
MSG_LIMITED_FOR = "تعداد درخواست‌ها از حد مجاز گذشته است. لطفاً {} دقیقه دیگر دوباره تلاش کنید."
_RULE_NAME = re.compile(r"^(?P<view>[^\[\]]+)(?:\[(?P<action>[^\[\]]+)\])?$")
# A flow version's namespace (transfer_v2, workflows/case_flow.py): its pages share the
# service's rules and counters, so a new version cannot reset a citizen's limits.
_VERSION_NAMESPACE = re.compile(r"^(?P<service>[a-z]+)_v\d+:")


@dataclass(frozen=True)
class Rule:
    group: str
    view_name: str
    action: str | None
    key: str
    rate: str
    methods: tuple[str, ...] | None

    def applies_to(self, request: HttpRequest, view_name: str) -> bool:
        if view_name != self.view_name:
            return False
        if self.action is not None and request.POST.get("action") != self.action:
            return False
        return self.methods is None or request.method in self.methods


def parse_rules(config: dict) -> list[Rule]:
    rules = []
    for name, (key, rate, methods) in config.items():
        match = _RULE_NAME.match(name)
        if match is None:
            raise ValueError(f"RATE_LIMITS: cannot read the rule name {name!r}")
        if isinstance(methods, str):
            methods = (methods,)
        rules.append(Rule(
            group=f"url:{name}", view_name=match["view"], action=match["action"], key=key,
            rate=rate, methods=tuple(m.upper() for m in methods) if methods else None,
        ))
    return rules


def limited_response(request: HttpRequest, retry_after: int | None) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", "")
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"code": "too_many_requests", "detail": MSG_LIMITED}, status=429)
    else:
        message = MSG_LIMITED
        if retry_after and retry_after > 0:
            message = MSG_LIMITED_FOR.format(to_persian_digits(math.ceil(retry_after / 60)))
        response = HttpResponse(
            render_to_string("429.html", {"message": message}, request=request), status=429
        )
    if retry_after and retry_after > 0:
        response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Counts every matching request and answers 429 once its rule's rate is spent.

    The rules are looked up by view name in a dict made once per RATE_LIMITS: a page with
    no rule (most of them) costs a dict lookup, not a pass over every rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._config_seen: dict | None = None
        self._by_view: dict[str, tuple[Rule, ...]] = {}
        # Resolved view name → the service's name its rules are filed under.
        self._service_names: dict[str, str] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def rules_for(self, view_name: str) -> tuple[str, tuple[Rule, ...]]:
        """The name the rules know the view by (its service's), and its rules."""
        # Re-read when the dict is replaced (tests, reloads).
        config = getattr(settings, "RATE_LIMITS", {})
        if config is not self._config_seen:
            by_view: dict[str, list[Rule]] = {}
            for rule in parse_rules(config):
                by_view.setdefault(rule.view_name, []).append(rule)
            self._by_view = {name: tuple(rules) for name, rules in by_view.items()}
            self._config_seen = config
        service_name = self._service_names.get(view_name)
        if service_name is None:
            service_name = _VERSION_NAMESPACE.sub(r"\g<service>:", view_name)
            self._service_names[view_name] = service_name
        return service_name, self._by_view.get(service_name, ())

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.view_name:
            return None
        view_name, rules = self.rules_for(match.view_name)
        for rule in rules:
            if not rule.applies_to(request, view_name):
                continue
            try:
                usage = get_usage(request, group=rule.group, key=rule.key, rate=rule.rate,
                                  method=ALL, increment=True)
            except Exception:  # noqa: BLE001 — a cache outage must not take the site down
                log.exception("rate_limit_cache_unavailable", extra={"group": rule.group})
                continue
            if usage and usage["should_limit"]:
                log.warning("rate_limited", extra={"group": rule.group,
                                                   "view": view_name})
                return limited_response(request, usage.get("time_left"))
        return None
