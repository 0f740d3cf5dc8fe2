"""The Jinja2 environment the site's pages are rendered with (jinja2/, settings.TEMPLATES).

In config/ because it gathers what every part of the site prints (the portal's, the
wizard's and the staff workspace's pieces), which no one of them may import.

Why Jinja2 for pages: a template is compiled to Python once per process, where Django's
engine walks its node tree on every render (the services menu: 1.2 of its 2.4 ms in
Django's engine, about half that in Jinja2). What a page calls into Django for is kept
per process where it cannot differ between requests of the same language and address
prefix: an address with no arguments, a static file's URL, a translated text. Undefined
names print nothing and their attributes are undefined too, as in Django's templates.

What the templates have (docs/developers/templates.md):
- `_()`, `url()`, `static()`, `csrf_input` (one token per response, however many forms);
- the Persian filters (`fa_digits`, `jalali`, `ltr_code`, `tracking`, `rials`,
  `rials_toman`, `wait`), Django's `json_script`, `truncatechars`, `default_if_none`
  and the wizard's `errors_for`;
- the pieces printed in Python: `field_row`, `kept_fields`, `sort_th`, `staff_nav`,
  `case_payments`, `calendar_days`.
"""

from __future__ import annotations

import functools
import secrets

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from cases.appointments.calendar_frame import render_days
from cases.display import fa_digits, jalali, ltr_code, rials, tracking
from cases.field_rows import field_row
from cases.payments.display import case_payments, rials_toman
from staff import page_parts
from workflows.wizard_errors import errors_for

MAX_KEPT = 4096
_addresses: dict[tuple, str] = {}
_texts: dict[tuple, Markup] = {}


def url(name: str, *args, **kwargs) -> str:
    """`reverse(name, args=…, kwargs=…)`; kept per process (and address prefix) when the
    address has no arguments, the same for every request."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    key = (name, get_script_prefix())
    found = _addresses.get(key)
    if found is None:
        found = _addresses[key] = reverse(name)
    return found


@receiver(setting_changed)
def _forget_addresses(setting: str, **kwargs) -> None:
    """A URLconf swapped in (tests do) may name other addresses: Django drops its own
    resolver caches then, and the addresses kept here go with them."""
    if setting == "ROOT_URLCONF":
        _addresses.clear()


static = functools.lru_cache(maxsize=1024)(django_static)


def gettext(message: str) -> Markup:
    """Django's gettext, kept per language and text. The templates' texts are literals and
    their translations ours, so both are printed as written, as Django's engine does."""
    key = (translation.get_language(), message)
    found = _texts.get(key)
    if found is None:
        if len(_texts) >= MAX_KEPT:
            _texts.clear()
        found = _texts[key] = Markup(translation.gettext(message))
    return found


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# The largest multiple of the alphabet's size a byte can hold: bytes below it map to a
# letter uniformly, the few above are drawn again.
_CSRF_UNBIASED = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def masked_csrf_token(request) -> str:
    """Django's `get_token`, with the mask's 32 letters drawn from one read of the OS's
    random source where Django reads it once per letter (~25 µs of a page's CPU).

    The same token: a fresh mask added letter by letter to the cookie's secret, so Django's
    middleware unmasks and checks it as its own (tests/project/test_jinja_env.py). A request
    with no secret yet goes through Django's own path, which makes the cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie's expiry renewed
    size = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < len(secret):
        mask += [byte % size for byte in secrets.token_bytes(48) if byte < _CSRF_UNBIASED]
    letters = CSRF_ALLOWED_CHARS
    return "".join(letters[m] for m in mask[:len(secret)]) + "".join(
        letters[(_CSRF_INDEX[x] + m) % size] for x, m in zip(secret, mask))


class CsrfInput:
    """The CSRF field, made on first use and then the same for the rest of the response:
    Django's `csrf_input` masks a new token each time a page prints it."""

    def __init__(self, request) -> None:
        self.request, self.html = request, None

    def __html__(self) -> str:
        if self.html is None:
            self.html = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                                    masked_csrf_token(self.request))
        return self.html

    __str__ = __html__


def csrf(request) -> dict:
    """Context processor (Jinja2 engine only): `csrf_input`, one token per response."""
    return {"csrf_input": CsrfInput(request)}


def truncatechars(value, length: int) -> str:
    return Truncator(value).chars(int(length))


def default_if_none(value, default):
    return default if value is None else value


def _json_script(value, element_id: str) -> SafeString:
    return json_script(value, element_id)


def calendar_days(days) -> SafeString:
    """The calendar's days and hours (cases/appointments/calendar_frame.py)."""
    return render_days(list(days or []))


@pass_context
def staff_nav(context) -> SafeString:
    return page_parts.staff_nav(context)


class Missing(ChainableUndefined):
    """An undefined name as Django's templates treat one: it prints nothing, its
    attributes and what its methods return are missing too, and it is less, greater and
    equal to nothing (Django's `{% if missing > 0 %}` is false)."""

    def __call__(self, *args, **kwargs) -> Missing:
        return self

    def _false(self, other) -> bool:
        return False

    __lt__ = __le__ = __gt__ = __ge__ = _false


def _finalize(value):
    """What `{{ … }}` prints. Django's engine calls a method it is given; Jinja2 prints
    its repr, so a template converted without the call's parentheses fails loudly."""
    if callable(value) and not isinstance(value, (str, Missing)):
        raise TypeError(f"a template printed {value!r}: call it")
    return value


def environment(**options) -> Environment:
    # Django's backend would choose DebugUndefined under DEBUG, which prints the name.
    options["undefined"] = Missing
    options.setdefault("keep_trailing_newline", True)
    options["finalize"] = _finalize
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, translation.ngettext, newstyle=False)
    env.globals.update(
        url=url, static=static, get_current_language=translation.get_language,
        field_row=field_row, kept_fields=page_parts.kept_fields, sort_th=page_parts.sort_th,
        staff_nav=staff_nav,
        case_payments=case_payments, calendar_days=calendar_days)
    env.filters.update(
        fa_digits=fa_digits, jalali=jalali, ltr_code=ltr_code, tracking=tracking,
        rials=rials, rials_toman=rials_toman, wait=page_parts.wait,
        errors_for=errors_for,
        json_script=_json_script, truncatechars=truncatechars,
        default_if_none=default_if_none)
    return env
