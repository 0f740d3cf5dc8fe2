"""Addresses made once per page (cases/addresses.py) are the ones reverse() makes."""

import pytest
from django.urls import reverse, set_script_prefix

from cases.addresses import address_maker


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/city/", "/987654321/"])
def test_an_id_address_is_what_reverse_makes_under_any_script_prefix(script_prefix, prefix):
    script_prefix(prefix)
    case = address_maker("staff:case")
    for pk in (1, 42, 987654321, 10_000_001):
        assert case(pk) == reverse("staff:case", args=[pk])
    assert case(42).startswith(prefix)


@pytest.mark.parametrize("prefix", ["/", "/city/", "/987654321/"])
def test_a_named_token_address_is_what_reverse_makes(script_prefix, prefix):
    script_prefix(prefix)
    serve = address_maker("documents:serve", "token")
    for token in ("12:34:abcDEF-_", "987654321", "x"):
        assert serve(token) == reverse("documents:serve", kwargs={"token": token})
