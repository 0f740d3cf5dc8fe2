"""Inspection appointments: free times, holds, bookings and the race for the last slot."""

import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connections, transaction
from django.template.loader import render_to_string

from cases.appointments import services
from cases.appointments.models import Appointment, AppointmentStatus
from cases.appointments.services import SlotUnavailable
from cases.identity import normalize_mobile
from cases.models import CaseEvent, Holiday, InspectionSlot, InspectorProfile
from integrations.sms.models import OutboxMessage
from tests.support.factories import CaseFactory, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


NOW = at(11, 28, 8)  # Saturday 7 Azar 1405, 08:00 in Tehran
SUNDAY_9 = at(11, 29, 9)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_inspector(*districts: int):
    user = UserFactory(staff=True, roles=["inspector"])
    profile = InspectorProfile.objects.create(user=user)
    profile.districts.set([DistrictFactory(number=n) for n in districts])
    return user


def make_slots(inspector, *starts: datetime.datetime) -> list[InspectionSlot]:
    return InspectionSlot.objects.bulk_create(
        [InspectionSlot(inspector=inspector, starts_at=s, ends_at=s + datetime.timedelta(hours=1))
         for s in starts]
    )


def case_in(district: int, **kwargs):
    return CaseFactory(property__district=DistrictFactory(number=district), **kwargs)


def registered_case_in(district: int):
    case = case_in(district)
    case.register()
    case.save_registration()
    return case


def live_on(slot) -> list[Appointment]:
    return list(Appointment.objects.live().filter(slot=slot))


# --- what is free -----------------------------------------------------------------------


def test_free_times_leave_out_past_holidays_weekend_and_taken_hours(frozen):
    frozen.move_to(at(11, 28, 10, 30))
    now = at(11, 28, 10, 30)
    inspector = make_inspector(12)
    Holiday.objects.create(date=datetime.date(2026, 11, 30), title="تعطیل آزمایشی")
    make_slots(
        inspector,
        at(11, 28, 9),  # earlier today
        at(11, 28, 11),
        at(11, 29, 9), at(11, 29, 10),
        at(11, 30, 9),  # the holiday
        at(12, 3, 9), at(12, 4, 9),  # Thursday, Friday
        at(12, 20, 9),  # beyond the two weeks
    )
    booked, expired, held = make_slots(inspector, at(12, 1, 9), at(12, 2, 9), at(12, 2, 10))
    taken = Appointment.objects.create(case=case_in(12), slot=booked, held_until=now)
    taken.book(now)
    taken.save()
    minute = datetime.timedelta(minutes=1)
    Appointment.objects.create(case=case_in(12), slot=expired, held_until=now - minute)
    Appointment.objects.create(case=case_in(12), slot=held, held_until=now + 5 * minute)
    make_slots(make_inspector(7), at(11, 29, 11))  # another district's inspector

    assert services.free_times(12) == [at(11, 28, 11), at(11, 29, 9), at(11, 29, 10), at(12, 2, 9)]


def test_one_hour_served_by_two_inspectors_is_shown_once_and_picked_in_turn(frozen):
    first, second = make_inspector(12), make_inspector(12, 3)
    make_slots(first, SUNDAY_9)
    make_slots(second, SUNDAY_9)

    assert services.free_times(12) == [SUNDAY_9]
    assert services.hold(case_in(12), SUNDAY_9).slot.inspector == first
    assert services.free_times(12) == [SUNDAY_9]  # the second inspector is still free
    assert services.free_times(3) == [SUNDAY_9]
    assert services.hold(case_in(12), SUNDAY_9).slot.inspector == second
    assert services.free_times(12) == services.free_times(3) == []


def test_the_free_hours_cost_one_query_however_much_data(frozen, django_assert_max_num_queries):
    inspectors = [make_inspector(12) for _ in range(2)]
    for inspector in inspectors:
        make_slots(inspector, SUNDAY_9, at(11, 29, 10))
    services.free_times(12)  # the holidays read once into the cache
    with django_assert_max_num_queries(1):
        assert services.free_times(12) == [SUNDAY_9, at(11, 29, 10)]

    for inspector in [*inspectors, *(make_inspector(12) for _ in range(3))]:
        make_slots(inspector, *(at(12, day, hour) for day in (1, 2, 6, 7) for hour in range(9, 14)))
    services.hold(case_in(12), SUNDAY_9)
    Holiday.objects.create(date=datetime.date(2026, 12, 6), title="تعطیل آزمایشی")
    services.free_times(12)
    with django_assert_max_num_queries(1):
        hours = services.free_times(12)
    # Sunday 9:00 still has a free inspector; 1, 2 and 7 December's five hours each, the
    # holiday (6 December) left out.
    assert len(hours) == 2 + 3 * 5 and at(12, 6, 9) not in hours


@pytest.mark.django_db
def test_the_slots_are_reached_through_an_inspector_never_by_the_hour_alone():
    """Every page's read of the slots starts from an inspector (one_slot_per_hour). An index on
    the hour alone let a prepared statement's generic plan read two weeks of every
    district's slots before keeping one district's: at a million cases the calendar's
    free hours took 20 ms instead of 4-5 (docs/developers/performance.md)."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, InspectionSlot._meta.db_table)
    assert found["one_slot_per_hour"]["columns"] == ["inspector_id", "starts_at"]
    by_hour_first = [name for name, c in found.items()
                     if c["index"] and c["columns"][:1] == ["starts_at"]]
    assert by_hour_first == []


# --- holding ----------------------------------------------------------------------------


def test_a_past_time_a_holiday_or_a_weekend_cannot_be_held(frozen):
    inspector = make_inspector(12)
    make_slots(inspector, at(11, 28, 7), at(11, 30, 9), at(12, 3, 9))
    assert at(11, 30, 9) in services.free_times(12)  # the holidays read and kept…
    # …then a clerk adds one.
    Holiday.objects.create(date=datetime.date(2026, 11, 30), title="تعطیل آزمایشی")
    case = case_in(12)

    with pytest.raises(SlotUnavailable) as past:
        services.hold(case, at(11, 28, 7))
    assert past.value.message == "زمان گذشته قابل انتخاب نیست"
    for closed_day in (at(11, 30, 9), at(12, 3, 9)):
        with pytest.raises(SlotUnavailable) as closed:
            services.hold(case, closed_day)
        assert closed.value.message == "این زمان دیگر آزاد نیست؛ زمان دیگری انتخاب کنید"
    assert not Appointment.objects.exists()


def test_two_inspectors_at_one_hour_take_two_holds_and_refuse_a_third(frozen, settings):
    settings.SLOT_HOLD_MINUTES = 15
    first, second = make_inspector(12), make_inspector(12)
    make_slots(first, SUNDAY_9)
    make_slots(second, SUNDAY_9)

    one = services.hold(case_in(12), SUNDAY_9)
    two = services.hold(case_in(12), SUNDAY_9)
    assert {one.slot.inspector, two.slot.inspector} == {first, second}
    assert one.status == AppointmentStatus.HELD
    assert one.held_until == NOW + datetime.timedelta(minutes=15)
    third = case_in(12)
    with pytest.raises(SlotUnavailable, match="این زمان دیگر آزاد نیست"):
        services.hold(third, SUNDAY_9)
    assert not third.appointments.exists()
    assert services.free_times(12) == []


def test_an_expired_hold_no_longer_blocks_the_hour(frozen, settings):
    settings.SLOT_HOLD_MINUTES = 15
    (slot,) = make_slots(make_inspector(12), SUNDAY_9)
    first = services.hold(case_in(12), SUNDAY_9)
    with pytest.raises(SlotUnavailable):
        services.hold(case_in(12), SUNDAY_9)

    frozen.shift(datetime.timedelta(minutes=16))
    assert services.free_times(12) == [SUNDAY_9]
    second = services.hold(case_in(12), SUNDAY_9)
    assert live_on(slot) == [second]
    assert Appointment.objects.get(pk=first.pk).status == AppointmentStatus.RELEASED


def test_choosing_another_time_releases_the_old_hold(frozen):
    inspector = make_inspector(12)
    make_slots(inspector, SUNDAY_9, at(11, 29, 10))
    case = case_in(12)
    old = services.hold(case, SUNDAY_9)
    new = services.hold(case, at(11, 29, 10))

    assert Appointment.objects.get(pk=old.pk).status == AppointmentStatus.RELEASED
    assert services.current(case) == new
    assert SUNDAY_9 in services.free_times(12)
    # Picking the same hour again keeps the same claim and renews it.
    frozen.shift(datetime.timedelta(minutes=5))
    again = services.hold(case, at(11, 29, 10))
    assert again.pk == new.pk
    assert again.held_until > new.held_until


def test_a_refused_new_time_keeps_the_old_hold(frozen):
    inspector = make_inspector(12)
    make_slots(inspector, SUNDAY_9, at(11, 29, 10))
    services.hold(case_in(12), at(11, 29, 10))
    case = case_in(12)
    mine = services.hold(case, SUNDAY_9)
    with pytest.raises(SlotUnavailable):
        services.hold(case, at(11, 29, 10))
    assert services.current(case) == mine


# --- booking, releasing, rescheduling ---------------------------------------------------


def test_book_turns_the_hold_into_a_booking(frozen):
    make_slots(make_inspector(12), SUNDAY_9)
    case = case_in(12)
    held = services.hold(case, SUNDAY_9)
    frozen.shift(datetime.timedelta(minutes=3))

    booked = services.book(case)
    assert booked.pk == held.pk
    assert booked.status == AppointmentStatus.BOOKED
    assert booked.booked_at == NOW + datetime.timedelta(minutes=3)
    assert services.book(case).pk == held.pk  # a second تایید و ثبت changes nothing
    frozen.shift(datetime.timedelta(hours=1))
    assert services.current(case).status == AppointmentStatus.BOOKED  # bookings never expire


def test_book_after_the_hold_expired_rebooks_a_free_hour_or_refuses_a_taken_one(frozen):
    (slot,) = make_slots(make_inspector(12), SUNDAY_9, at(11, 29, 10))[:1]
    slow, slower = case_in(12), case_in(12)
    services.hold(slow, SUNDAY_9)
    services.hold(slower, at(11, 29, 10))
    frozen.shift(datetime.timedelta(hours=1))
    # An expired hold nobody replaced is still the case's own: it books.
    assert services.book(slower).slot.starts_at == at(11, 29, 10)
    # A hold the periodic task cleared away is taken again while the hour is free.
    assert services.expire_holds() == 1
    assert services.book(slow).slot == slot

    (other,) = make_slots(make_inspector(3), at(11, 29, 11))
    late = case_in(3)
    services.hold(late, other.starts_at)
    frozen.shift(datetime.timedelta(hours=1))
    services.expire_holds()
    services.hold(case_in(3), other.starts_at)  # someone else takes the freed hour
    # book() takes no savepoint of its own: a caller that goes on after a refusal (this
    # test; the registration rolls back instead) keeps one around it.
    with pytest.raises(SlotUnavailable, match="این زمان دیگر آزاد نیست"), transaction.atomic():
        services.book(late)
    with pytest.raises(SlotUnavailable, match="انتخاب نشده"), transaction.atomic():
        services.book(case_in(3))  # never chose a time


def test_release_frees_the_slot_and_records_it_on_a_registered_case(frozen):
    (slot,) = make_slots(make_inspector(12), SUNDAY_9)
    case = registered_case_in(12)
    services.hold(case, SUNDAY_9)
    services.book(case)

    assert services.release(case, cancelled=True) == 1
    assert case.appointments.get().status == AppointmentStatus.CANCELLED
    assert live_on(slot) == []
    assert services.release(case) == 0
    names = list(case.events.values_list("name", flat=True))
    assert names == ["case_registered", "appointment_booked", "appointment_cancelled"]


def test_a_draft_gets_no_timeline_events(frozen):
    make_slots(make_inspector(12), SUNDAY_9)
    case = case_in(12)
    services.hold(case, SUNDAY_9)
    services.book(case)
    services.release(case)
    assert not CaseEvent.objects.filter(case=case).exists()


def test_reschedule_moves_the_booking_or_keeps_it_when_the_new_hour_is_taken(frozen):
    inspector = make_inspector(12)
    make_slots(inspector, SUNDAY_9, at(11, 29, 10), at(11, 29, 11))
    supervisor = UserFactory(staff=True, roles=["supervisor"])
    case = registered_case_in(12)
    case.contact_phone = "09121234567"
    case.save(update_fields=["contact_phone"])
    services.hold(case, SUNDAY_9)
    old = services.book(case)
    services.hold(case_in(12), at(11, 29, 11))

    with pytest.raises(SlotUnavailable):
        services.reschedule(case, at(11, 29, 11), by=supervisor)
    assert services.current(case) == old

    new = services.reschedule(case, at(11, 29, 10), by=supervisor)
    assert new.status == AppointmentStatus.BOOKED and new.slot.starts_at == at(11, 29, 10)
    assert Appointment.objects.get(pk=old.pk).status == AppointmentStatus.RELEASED
    event = case.events.get(name="appointment_rescheduled")
    assert event.actor == supervisor
    assert event.data["from"] == SUNDAY_9.isoformat()
    assert event.data["starts_at"] == at(11, 29, 10).isoformat()
    # The citizen is texted the new hour, once, and only for the move that happened.
    [sms] = OutboxMessage.objects.filter(kind="visit_rescheduled")
    assert sms.to == normalize_mobile(case.contact_phone)
    assert "۱۰:۰۰" in sms.body
    assert services.reschedule(case, at(11, 29, 10), by=supervisor) == new  # same hour
    assert OutboxMessage.objects.filter(kind="visit_rescheduled").count() == 1


def test_hold_refuses_to_silently_drop_a_booking(frozen):
    make_slots(make_inspector(12), SUNDAY_9, at(11, 29, 10))
    case = case_in(12)
    services.hold(case, SUNDAY_9)
    services.book(case)
    with pytest.raises(ValueError):
        services.hold(case, at(11, 29, 10))
    assert services.current(case).status == AppointmentStatus.BOOKED


def test_expire_holds_releases_only_expired_holds(frozen, settings):
    settings.SLOT_HOLD_MINUTES = 15
    make_slots(make_inspector(12), SUNDAY_9, at(11, 29, 10), at(11, 29, 11))
    early, late, booked = case_in(12), case_in(12), case_in(12)
    services.hold(early, SUNDAY_9)
    services.hold(booked, at(11, 29, 11))
    services.book(booked)
    frozen.shift(datetime.timedelta(minutes=10))
    services.hold(late, at(11, 29, 10))
    frozen.shift(datetime.timedelta(minutes=6))

    assert services.expire_holds() == 1
    assert services.current(early) is None
    assert services.current(late).status == AppointmentStatus.HELD
    assert services.current(booked).status == AppointmentStatus.BOOKED
    assert services.expire_holds() == 0


# --- the database's own guarantees -----------------------------------------------------


def test_the_database_refuses_a_second_live_appointment_for_a_slot_or_a_case(frozen):
    first_slot, second_slot = make_slots(make_inspector(12), SUNDAY_9, at(11, 29, 10))
    case = case_in(12)
    until = NOW + datetime.timedelta(minutes=15)
    Appointment.objects.create(case=case, slot=first_slot, held_until=until)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(case=case_in(12), slot=first_slot, held_until=until)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(case=case, slot=second_slot, held_until=until)
    # Only live rows count: the slot's history may hold any number of released ones.
    services.release(case)
    Appointment.objects.create(case=case_in(12), slot=first_slot, held_until=until)
    assert Appointment.objects.filter(slot=first_slot).count() == 2


def test_status_changes_only_through_transitions(frozen):
    (slot,) = make_slots(make_inspector(12), SUNDAY_9)
    appointment = services.hold(case_in(12), SUNDAY_9)
    with pytest.raises(AttributeError):
        appointment.status = AppointmentStatus.BOOKED
    assert slot.appointments.get().status == AppointmentStatus.HELD


# --- the calendar and its template ------------------------------------------------------


def test_calendar_marks_every_hour_of_two_weeks(frozen):
    frozen.move_to(at(11, 28, 10, 30))
    inspector = make_inspector(12)
    make_slots(inspector, at(11, 28, 9), at(11, 28, 11), SUNDAY_9, at(11, 29, 10), at(12, 3, 9))
    case, other = case_in(12), case_in(12)
    services.hold(case, at(11, 29, 10))

    days = services.calendar(12, case=case)
    assert len(days) == 14
    assert days[0].label == "شنبه ۷ آذر"
    assert [h.label for h in days[0].hours] == ["۰۹:۰۰", "۱۰:۰۰", "۱۱:۰۰", "۱۲:۰۰", "۱۳:۰۰"]
    assert [h.available for h in days[0].hours] == [False, False, True, False, False]
    assert [(h.available, h.selected) for h in days[1].hours[:2]] == [(True, False), (True, True)]
    thursday = days[5]
    assert thursday.closed_reason == "تعطیل آخر هفته" and not thursday.has_available
    # The same held hour is taken for everyone else.
    assert not services.calendar(12, case=other)[1].hours[1].available


def test_calendar_template_renders_accessible_radios(frozen):
    make_slots(make_inspector(12), SUNDAY_9, at(11, 29, 10))
    case = case_in(12)
    services.hold(case, at(11, 29, 10))
    days = services.calendar(12, case=case)
    html = render_to_string("appointments/_calendar.html", {"days": days})

    assert "<form" not in html
    assert re.search(r"<fieldset[^>]*>\s*<legend>تاریخ و ساعت بازدید</legend>", html)
    radios = re.findall(r"<input type=\"radio\"[^>]*>", html)
    assert len(radios) == 14 * 5 and all('name="starts_at"' in r for r in radios)
    enabled = [r for r in radios if "disabled" not in r]
    assert len(enabled) == 2
    assert f'value="{SUNDAY_9.isoformat()}"' in enabled[0]
    assert "checked" in enabled[1] and "checked" not in enabled[0]
    assert html.count("class=\"slot slot-unavailable\"") == len(radios) - 2
    assert html.count("(غیرقابل انتخاب)") == len(radios) - 2
    assert "۰۹:۰۰" in html and "یکشنبه ۸ آذر" in html


# --- the race ---------------------------------------------------------------------------


def race_for(starts_at: datetime.datetime, cases: list) -> list[str]:
    """Every case calls hold() at once, each on its own connection."""
    start = threading.Barrier(len(cases))
    outcomes: list[str] = []

    def attempt(case) -> None:
        try:
            start.wait(timeout=10)
            services.hold(case, starts_at, now=NOW)
            outcomes.append("won")
        except SlotUnavailable:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 — any other outcome fails the test
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_inspector_has_exactly_one_winner(postgres):
    (slot,) = make_slots(make_inspector(12), SUNDAY_9)
    cases = [case_in(12) for _ in range(6)]

    assert race_for(SUNDAY_9, cases) == ["refused"] * 5 + ["won"]
    assert len(live_on(slot)) == 1


@pytest.mark.django_db(transaction=True)
def test_racing_for_two_inspectors_has_two_winners(postgres):
    slots = [make_slots(make_inspector(12), SUNDAY_9)[0] for _ in range(2)]
    cases = [case_in(12) for _ in range(6)]

    assert race_for(SUNDAY_9, cases) == ["refused"] * 4 + ["won"] * 2
    assert [len(live_on(slot)) for slot in slots] == [1, 1]


def test_the_periodic_task_releases_expired_holds(frozen):
    from cases.appointments.tasks import expire_appointment_holds

    make_slots(make_inspector(12), SUNDAY_9)
    case = case_in(12)
    services.hold(case, SUNDAY_9)
    frozen.shift(datetime.timedelta(hours=1))
    assert expire_appointment_holds.apply().get() == 1
    assert services.current(case) is None
