"""Pages show the portal settings from their process's copy: no cache or database round
trip on a page, a clerk's save seen at once here and within a minute elsewhere."""

import pytest
from django.core.cache import caches
from django.test import Client

from cases import portal_settings
from cases.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(portal_settings.time, "monotonic", lambda: now[0])
    return now


def test_a_second_read_goes_neither_to_the_database_nor_to_the_shared_cache(
        clock, django_assert_num_queries, monkeypatch):
    assert portal_settings.for_pages().support_phone == "31291513"

    def no_cache(*_args, **_kwargs):
        raise AssertionError("the shared cache was read")

    monkeypatch.setattr(caches["default"], "get", no_cache)
    with django_assert_num_queries(0):
        assert portal_settings.for_pages().support_phone == "31291513"


def test_a_change_behind_the_orm_shows_once_the_copy_is_a_minute_old(clock):
    portal_settings.for_pages()
    PortalSettings.objects.update(support_phone="02188776655")  # no signal, no cache drop
    caches["default"].clear()
    clock[0] += portal_settings.PAGE_COPY_SECONDS - 1
    assert portal_settings.for_pages().support_phone == "31291513"
    clock[0] += 1
    assert portal_settings.for_pages().support_phone == "02188776655"


def test_a_clerks_save_shows_on_the_next_page_of_this_process(clock):
    assert "۳۱۲۹۱۵۱۳" in Client().get("/").content.decode()
    settings = PortalSettings.get_solo()
    settings.support_phone = "02188776655"
    settings.save()
    assert "۰۲۱۸۸۷۷۶۶۵۵" in Client().get("/").content.decode()


def test_what_is_issued_reads_the_current_settings_not_the_pages_copy(clock):
    portal_settings.for_pages()
    PortalSettings.objects.update(municipality_name="شهرداری نمونه")
    caches["default"].clear()
    assert PortalSettings.get_solo().municipality_name == "شهرداری نمونه"
    assert portal_settings.for_pages().municipality_name == "شهرداری"
