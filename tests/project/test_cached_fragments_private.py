"""No kept fragment shows one person's data to another.

The calendar's frame, the staff menu and the filter forms' choices are rendered once and
kept (cases/appointments/calendar_frame.py, staff/page_parts.py,
cases/select_widget.py, staff/choices.py). Two citizens and two staff members of different
roles open the same pages one after the other, every cache warm from the one before;
each page must show its own person's name and nothing of the other's: name, phone,
tracking number, chosen hour, or another role's menu.
"""

from __future__ import annotations

import re

import pytest

from cases.models import Case
from cases.tracking import format_tracking_number
from tests.support.clients import logged_in
from tests.support.transfer_driver import A, B, CitizenDriver

pytestmark = pytest.mark.django_db

PEOPLE = {"citizen": ("مریم احمدی", "09121112233", A),
          "citizen2": ("علی رضایی", "09123334455", B)}


def user_name(html: str) -> str:
    return re.search(r'<span class="user-name">([^<]*)</span>', html).group(1)


def twice(client, path: str) -> str:
    client.get(path)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def marks_of(username: str, case: Case | None) -> list[str]:
    name, phone, _ = PEOPLE[username]
    marks = [name, phone]
    if case is not None and case.tracking_number:
        marks += [case.tracking_number, format_tracking_number(case.tracking_number)]
    return marks


def test_two_citizens_see_only_their_own(demo):
    clients = {username: logged_in(username) for username in PEOPLE}
    appointment_pages, cases = {}, {}
    for username, client in clients.items():
        _, phone, code = PEOPLE[username]
        driver = CitizenDriver(client)
        at_appointment = driver.until_appointment(code)
        path = at_appointment.wsgi_request.get_full_path()
        before = twice(client, path)
        held = driver.pick_time_and_verify(at_appointment, phone)
        appointment_pages[username] = (before, twice(client, path))
        driver.step(driver.step(held, "گام بعدی"), "تایید و ثبت")
        cases[username] = Case.objects.filter(citizen__username=username).latest("pk")

    for username, (before, after) in appointment_pages.items():
        # Nothing chosen before the citizen chose, though the other's choice was kept warm.
        assert " checked" not in before and after.count(" checked") == 1
    pages = {}
    for round_ in range(2):  # each person's pages right after the other's
        for username, client in clients.items():
            for path in ("/", "/services/", "/services/requests/",
                         f"/services/cases/{cases[username].pk}/"):
                pages[(username, path if "cases/" not in path else "case")] = twice(client, path)
    for (username, _), html in pages.items():
        other = next(u for u in PEOPLE if u != username)
        assert user_name(html) == PEOPLE[username][0]
        assert [mark for mark in marks_of(other, cases[other]) if mark in html] == []
    for username in PEOPLE:
        own = pages[(username, "/services/requests/")]
        assert format_tracking_number(cases[username].tracking_number) in own


STAFF = {
    "supervisor": ("محمد نوری", ["کارهای باز", "داشبورد انتقال"], ["کارهای بدون کارشناس"]),
    "inspector": ("حسین کریمی", ["کارهای بدون کارشناس", "بازدیدهای من"],
                  ["کارهای باز", "داشبورد انتقال", "ارجاع به"]),
}


def test_two_roles_see_only_their_own_menu_and_name(demo):
    from tests.support.transfer_driver import register_transfer

    register_transfer("citizen")
    paths = {"supervisor": ["/staff/search/", "/staff/tasks/", "/staff/search/?district=12"],
             "inspector": ["/staff/search/", "/staff/queue/", "/staff/visits/",
                           "/staff/search/?district=12"]}
    clients = {username: logged_in(username) for username in STAFF}
    for round_ in range(2):
        for username, client in clients.items():
            name, shown, hidden = STAFF[username]
            other_name = STAFF[next(u for u in STAFF if u != username)][0]
            for path in paths[username]:
                html = twice(client, path)
                assert user_name(html) == name, path
                assert all(item in html for item in shown), (username, path)
                assert not [item for item in hidden if item in html], (username, path)
                if "tasks" not in path:  # the task list names each task's inspector
                    assert other_name not in html, (username, path)
