"""The filter forms' cached choices follow the data they list, at once."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import District
from tests.support.clients import logged_in
from tests.support.factories import UserFactory
from tests.support.transfer_driver import register_transfer

pytestmark = pytest.mark.django_db


def test_the_district_choices_are_read_once_and_follow_a_rename(demo):
    client = logged_in("supervisor")
    client.get("/staff/search/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/staff/tasks/")
    assert not [q for q in captured.captured_queries if 'FROM "cases_district"' in q["sql"]]
    district = District.objects.get(number=12)
    district.name = "منطقه دوازده تازه"
    district.save()
    assert "منطقه دوازده تازه" in client.get("/staff/search/").content.decode()


def test_a_new_inspector_is_offered_for_reassignment_at_once(demo):
    register_transfer("citizen")  # an open task, so the reassignment form is shown
    client = logged_in("supervisor")
    assert "نگار" not in client.get("/staff/tasks/").content.decode()
    inspector = UserFactory(first_name="نگار", last_name="کاظمی")
    inspector.groups.add(Group.objects.get(name="inspector"))
    assert "نگار کاظمی" in client.get("/staff/tasks/").content.decode()
    inspector.groups.clear()
    assert "نگار" not in client.get("/staff/tasks/").content.decode()


def test_an_unknown_district_is_refused_with_the_same_message(demo):
    response = logged_in("supervisor").get("/staff/search/?district=99")
    assert response.status_code == 400
