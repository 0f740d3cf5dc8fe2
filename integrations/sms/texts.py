"""Message texts: Jinja2 in a sandbox, so a clerk's template reaches only its variables.

The immutable sandbox refuses attribute access to anything underscored (no
`__class__`, `__globals__`) and calls of mutating methods; the texts only ever get
plain strings, numbers and booleans, so there is nothing else to reach either.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .models import SmsTemplate

logger = logging.getLogger(__name__)

ENV = ImmutableSandboxedEnvironment(
    autoescape=False, undefined=StrictUndefined, lstrip_blocks=True
)
TEXT_CACHE_SECONDS = 300
# Kinds whose text ships with the code (templates/sms/<kind>.txt) and seeds the table.
DEFAULTS_DIR = Path(settings.BASE_DIR) / "templates" / "sms"
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")


class TemplateInvalid(ValueError):
    """A template clerks cannot save; the message is Persian, for the admin form."""


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # characters as the network counts them
    count: int  # SMS parts a phone receives


def segments(text: str) -> Segments:
    """Persian needs UCS-2: 70 characters fit one SMS, 67 per part once concatenated
    (the rest is the concatenation header); pure Latin goes as GSM-7 (160 / 153)."""
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        # Characters outside the BMP (emoji) take two UTF-16 units.
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    count = 1 if units <= single else -(-units // part)
    return Segments(encoding, units, count)


def default_text(kind: str) -> str:
    return (DEFAULTS_DIR / f"{kind}.txt").read_text(encoding="utf-8")


def check(body: str, variables: list[str], sample: dict) -> str:
    """Validate a clerk's template; return it rendered with the sample data."""
    try:
        parsed = ENV.parse(body)
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            f"متن الگو در خط {exc.lineno} نادرست است: {exc.message}") from exc
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(variables))
    if unknown:
        allowed = "، ".join(variables) or "هیچ"
        raise TemplateInvalid(
            f"متغیر ناشناخته: {'، '.join(unknown)}. متغیرهای مجاز: {allowed}")
    try:
        text = _render(ENV.from_string(body), {k: sample.get(k, "") for k in variables})
    except SecurityError as exc:
        raise TemplateInvalid("الگو به چیزی بیرون از متغیرهای داده‌شده دست می‌زند") from exc
    except UndefinedError as exc:
        raise TemplateInvalid(f"الگو چیزی می‌خواهد که در متغیرها نیست: {exc.message}") from exc
    except Exception as exc:  # a filter given the wrong kind of value, and the like
        raise TemplateInvalid(f"الگو با داده نمونه اجرا نشد: {exc}") from exc
    limit = settings.SMS_MAX_SEGMENTS
    if segments(text).count > limit:
        raise TemplateInvalid(f"متن با داده نمونه بیش از {limit} پیامک می‌شود؛ کوتاه‌ترش کنید")
    return text


def render(kind: str, context: dict) -> str:
    """The text of `kind` with `context`: the clerks' version, else the shipped one.

    A stored template that fails at run time (it passed the admin's checks, so this
    means a variable the sender stopped giving) falls back to the shipped text: the
    citizen still gets a message, and the error is logged for the staff.
    """
    stored = stored_text(kind)
    if stored is not None:
        body, variables = stored
        given = {k: v for k, v in context.items() if k in variables}
        try:
            return _render(ENV.from_string(body), given)
        except Exception:
            logger.exception("sms_template_failed", extra={"kind": kind})
    return _render(ENV.from_string(default_text(kind)), context)


def stored_text(kind: str) -> tuple[str, list[str]] | None:
    """The clerks' (body, variables) of `kind`, None when they have not stored one: kept
    in the cache (no query per message) and dropped when a template is saved or deleted.
    Without Redis each process keeps its own copy, so another process may send the old
    text for up to TEXT_CACHE_SECONDS after an edit."""

    def read():
        # () for "none stored": the cache cannot keep None apart from a miss.
        return SmsTemplate.objects.filter(kind=kind).values_list("body", "variables").first() or ()

    found = cache.get_or_set(_text_key(kind), read, TEXT_CACHE_SECONDS)
    return tuple(found) if found else None


def _text_key(kind: str) -> str:
    return f"sms:text:{kind}"


def forget_text(instance: SmsTemplate, **_kwargs) -> None:
    """Now, for what this transaction sends next, and again once the change commits: a
    message another transaction rendered in between would have kept the old text."""
    key = _text_key(instance.kind)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _render(template, context: dict) -> str:
    text = template.render(context)
    # Blank lines and indentation (left by tags) dropped: every character costs.
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
