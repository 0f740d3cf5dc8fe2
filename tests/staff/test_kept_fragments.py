"""The staff pages' kept fragments (menus, filter fields) hold nobody's own input: two
people open the same page and neither sees what the other typed or chose."""

import pytest

from cases.models import District
from staff import page_parts
from tests.support.clients import logged_in

pytestmark = pytest.mark.django_db


def test_a_typed_search_is_shown_to_who_typed_it_and_never_kept(demo):
    typed = "نشانه‌ای-که-فقط-یکی-نوشت"
    mine = logged_in("supervisor").get("/staff/search/", {"q": typed}).content.decode()
    assert typed in mine
    assert not [html for html in page_parts._fields.values() if typed in html]
    assert typed not in logged_in("inspector").get("/staff/search/").content.decode()


def test_a_chosen_filter_is_marked_only_on_the_page_of_who_chose_it(demo):
    chosen = '<option value="12" selected>'
    assert chosen in logged_in("supervisor").get("/staff/search/?district=12").content.decode()
    assert chosen in logged_in("supervisor").get("/staff/tasks/?district=12").content.decode()
    assert chosen not in logged_in("inspector").get("/staff/search/").content.decode()
    assert chosen not in logged_in("supervisor").get("/staff/tasks/").content.decode()


def test_the_kept_filter_fields_change_with_the_districts_they_list(demo):
    client = logged_in("supervisor")
    for path in ("/staff/search/", "/staff/tasks/", "/staff/search/?district=12"):
        client.get(path)  # kept
    District.objects.filter(number=3).update(name="نامی که در فهرست نبود")
    District.objects.get(number=3).save()  # the write the cached choices listen to
    for path in ("/staff/search/", "/staff/tasks/", "/staff/search/?district=12"):
        assert "نامی که در فهرست نبود" in client.get(path).content.decode(), path


def test_an_invalid_filter_is_rendered_with_its_error_and_not_kept(demo):
    response = logged_in("supervisor").get("/staff/search/?date_from=نه-یک-تاریخ")
    assert response.status_code == 400 and "نه-یک-تاریخ" in response.content.decode()
    assert not [html for html in page_parts._fields.values() if "نه-یک-تاریخ" in html]
