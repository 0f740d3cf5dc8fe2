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
