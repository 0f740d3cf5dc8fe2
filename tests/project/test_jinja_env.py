"""The pages' Jinja2 environment (config/jinja_env.py) keeps Django's template habits where
a converted template relies on them, and fails where Jinja2 would print nonsense."""

import re

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from tests.support.clients import logged_in
from tests.support.transfer_driver import CitizenDriver


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_an_undefined_name_prints_nothing_as_do_its_attributes_and_calls():
    assert render("[{{ nobody }}{{ nobody.name }}{{ nobody.get_full_name() }}]") == "[]"
    assert render("{% if nobody > 0 or nobody < 0 %}yes{% else %}no{% endif %}") == "no"
    assert render("{% for x in nobody.items %}{{ x }}{% endfor %}.") == "."


def test_a_method_printed_without_its_call_fails_the_page():
    class Person:
        def get_full_name(self) -> str:
            return "نرگس"

    assert render("{{ p.get_full_name() }}", p=Person()) == "نرگس"
    with pytest.raises(TypeError, match="call it"):
        render("{{ p.get_full_name }}", p=Person())


def test_addresses_without_arguments_follow_the_script_prefix():
    try:
        for prefix in ("/", "/city/"):
            set_script_prefix(prefix)
            assert render("{{ url('portal:services') }}") == reverse("portal:services")
            assert render("{{ url('staff:case', 7) }}") == reverse("staff:case", args=[7])
    finally:
        set_script_prefix("/")


def test_kept_addresses_are_dropped_with_a_swapped_urlconf(settings):
    from config import jinja_env

    render("{{ url('portal:services') }}")
    assert jinja_env._addresses
    settings.ROOT_URLCONF = "bench.urls"
    assert not jinja_env._addresses
    assert render("{{ url('portal:services') }}") == reverse("portal:services")


def test_translations_follow_the_language(settings):
    from django.utils import translation

    with translation.override("en"):
        assert render('{{ _("ورود شهروندان") }}') == "Citizens' login"
    with translation.override("fa"):
        assert render('{{ _("ورود شهروندان") }}') == "ورود شهروندان"


@pytest.mark.django_db
def test_every_form_of_a_page_carries_the_same_token(demo):
    html = logged_in("citizen").get("/services/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2 and len(set(tokens)) == 1


@pytest.mark.django_db
def test_the_commitments_box_starts_unticked(demo):
    page = CitizenDriver(logged_in("citizen")).open_services()
    box = re.search(r'<input type="checkbox" name="accepted"[^>]*>', page.content.decode())
    assert box and " checked" not in box.group(0)


@pytest.mark.django_db
def test_the_printed_token_is_djangos_masked_secret_and_a_post_with_it_passes(demo):
    from django.middleware.csrf import _unmask_cipher_token

    browser = logged_in("citizen")
    browser.handler.enforce_csrf_checks = True
    first = browser.get("/services/")
    secret = browser.cookies["csrftoken"].value  # the cookie the first page set
    second = browser.get("/services/")
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
              .group(1) for page in (first, second)]
    assert tokens[0] != tokens[1]  # a fresh mask per response (BREACH)
    assert all(len(token) == 64 and _unmask_cipher_token(token) == secret for token in tokens)
    assert "csrftoken" in second.cookies  # its expiry renewed, as Django's get_token does
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 302
    assert browser.get("/services/").status_code == 302  # signed out: the POST was accepted


def test_the_token_mask_draws_every_letter():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.test import RequestFactory

    from config.jinja_env import masked_csrf_token

    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    masks = {letter for _ in range(200) for letter in masked_csrf_token(request)[:32]}
    assert masks == set(CSRF_ALLOWED_CHARS)  # 6,400 draws: a missing letter is a bias
