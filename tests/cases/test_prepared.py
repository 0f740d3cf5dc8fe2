"""A prepared read returns what its queryset returns, for any values, compiled once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.appointments import availability
from cases.appointments.services import _read_current
from cases.models import District, InspectionSlot
from cases.prepared import PreparedRead

pytestmark = pytest.mark.django_db


def _slots(district: int, after: datetime.datetime):
    return (InspectionSlot.objects.filter(inspector__inspector_profile__districts=district,
                                          starts_at__gt=after)
            .order_by("starts_at", "pk").values_list("pk", "starts_at"))


def test_the_rows_are_the_querysets_for_every_value(demo, postgres):
    prepared = PreparedRead(_slots, -30_001, datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC))
    now = timezone.now()
    for district in District.objects.values_list("number", flat=True):
        for hours in (-48, 0, 30, 24 * 20):
            after = now + datetime.timedelta(hours=hours)
            assert prepared.rows(district, after) == list(_slots(district, after))
    assert prepared._compiled  # compiled on PostgreSQL (the district as psycopg's Int2)


def test_a_read_compiled_once_runs_one_statement(demo, postgres):
    prepared = PreparedRead(_slots, -30_001, datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC))
    prepared.rows(12, timezone.now())
    with CaptureQueriesContext(connection) as captured:
        prepared.rows(3, timezone.now())
    assert len(captured) == 1 and "%s" not in captured[0]["sql"]


def test_a_stand_in_the_sql_does_not_carry_leaves_the_read_to_the_orm(demo):
    def unused_second(district, _ignored):
        return _slots(district, timezone.now() - datetime.timedelta(days=1))

    prepared = PreparedRead(unused_second, -30_001, "never a parameter")
    assert prepared.rows(12, "x") == list(unused_second(12, "x"))
    assert prepared._compiled is False


def test_a_stand_in_out_of_its_fields_range_leaves_the_read_to_the_orm(demo):
    """Django decides `pk=-1` on a positive field is empty without SQL; the read is then
    the ORM's for every value, and right."""
    prepared = PreparedRead(lambda pk: District.objects.filter(pk=pk).values_list("name"), -1)
    assert prepared.rows(12) == list(District.objects.filter(pk=12).values_list("name"))
    assert prepared.rows(12) and prepared._compiled is False


def test_the_calendars_free_hours_and_the_live_appointment_match_the_orm(demo, postgres):
    from cases.appointments import services
    from cases.appointments.models import Appointment
    from tests.support.transfer_driver import register_transfer

    case = register_transfer("citizen")
    live = Appointment.objects.live().filter(case=case).select_related("slot__inspector").first()
    read = _read_current(case)
    assert (read.pk, read.slot.pk, read.slot.inspector.pk, read.status) == (
        live.pk, live.slot.pk, live.slot.inspector.pk, live.status)
    assert read.slot.inspector.get_full_name() == live.slot.inspector.get_full_name()
    district = case.property.district_id
    now = timezone.now()
    end, holidays = availability._window_end(now, 14), availability.holiday_dates()
    tehran = availability.tehran()
    for who in (None, case):
        unoccupied = availability._unoccupied_in_window(district, now, end, who and who.pk)
        hours = unoccupied.order_by("starts_at").values_list("starts_at", flat=True).distinct()
        expected = [at for at in hours
                    if not availability.closed_reason(timezone.localdate(at, tehran), holidays)]
        assert services.free_times(district, now, 14, who) == expected
    # The case's own booking is still a choice for that case.
    assert live.slot.starts_at in services.free_times(district, now, 14, case)


def test_prepared_instances_are_the_querysets_with_their_related_rows(demo, postgres):
    """A step page's task read: the same task, process, case, citizen and property as the
    manager's, the related ones already there (no query to reach them), compiled once."""
    from cases.prepared import PreparedInstances
    from tests.support.transfer_driver import register_transfer
    from workflows.models import CaseTask

    case = register_transfer("citizen")
    read = PreparedInstances(lambda pk: CaseTask.objects.filter(pk=pk)[:1], -30_001)
    owner, code = case.citizen.username, case.property.renovation_code
    for task in CaseTask.objects.filter(process__caseprocess__case=case):
        expected = CaseTask.objects.get(pk=task.pk)
        with CaptureQueriesContext(connection) as captured:
            (made,) = read.objects(task.pk)
            reached = made.process.caseprocess.case
            assert (reached.citizen.username, reached.property.renovation_code) == (owner, code)
        assert len(captured) == 1, [q["sql"][:120] for q in captured]
        assert type(made) is CaseTask and made.pk == expected.pk
        for field in CaseTask._meta.concrete_fields:
            assert getattr(made, field.attname) == getattr(expected, field.attname), field
        assert made.flow_task is expected.flow_task and made.status == expected.status
        assert reached.pk == case.pk and not made._state.adding
    assert read.objects(-1) == [] and read._compiled


def test_prepared_instances_carry_their_annotations(demo, postgres):
    """A citizen's listed drafts (annotated with their open step and whether they may be
    deleted) are the ORM's, annotations included, for every citizen and service."""
    from django.contrib.auth import get_user_model

    from cases.payments.models import Payment
    from tests.support.factories import CaseFactory, RenovationDebtFactory
    from workflows import drafts

    citizen = get_user_model().objects.get(username="citizen")
    kept, plain = CaseFactory(citizen=citizen), CaseFactory(citizen=citizen)
    debt = RenovationDebtFactory(property=kept.property)
    Payment.objects.create(case=kept, debt=debt, payer=citizen, amount_rials=1000)
    drafts._LISTED.objects(citizen.pk, "transfer")  # compiled with stand-ins, then reused
    for person in (citizen, get_user_model().objects.get(username="citizen2")):
        for service in ("transfer", "inquiry"):
            orm = list(drafts.with_open_step(drafts.open_drafts(person, service)))
            got = drafts.listed_drafts(person, service)
            assert [(c.pk, c.deletable, c.open_step_id, c.process_pk) for c in got] == [
                (c.pk, c.deletable, c.open_step_id, c.process_pk) for c in orm]
    assert drafts._LISTED._compiled
    listed = {c.pk: c.deletable for c in drafts.listed_drafts(citizen, kept.service)}
    assert listed[kept.pk] is False and listed.get(plain.pk, True) is True


def test_a_prepared_statement_is_the_built_one_with_the_values_put_in(demo, postgres):
    """A statement put together from querysets' SQL: built once with stand-ins, then the
    same SQL and parameters as building it with the call's values."""
    from cases.prepared import PreparedStatement

    def union(district, other, after):
        first, params = _slots(district, after)[:2].query.sql_with_params()
        second, more = _slots(other, after)[:2].query.sql_with_params()
        return f"({first}) UNION ALL ({second})", [*params, *more]

    prepared = PreparedStatement(union, -30_001, -30_002,
                                 datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC))
    now = timezone.now()
    for district, other in ((3, 4), (12, 3)):
        sql, params = prepared.statement(district, other, now)
        assert (sql, params) == union(district, other, now)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert len(cursor.fetchall()) <= 4
    assert prepared._compiled
