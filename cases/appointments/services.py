"""Holding and booking inspection visits, race-safe.

Lock order, everywhere: the case row, then slot rows in ascending id, then appointment
rows of those slots. Whoever changes an appointment holds its slot's lock, so two
sessions never wait on each other in a cycle and a slot has one live claim at a time.
"""

import datetime
import functools

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.display import jalali
from cases.models import Case, CaseEvent, InspectionSlot
from cases.notifications import notify
from cases.prepared import PreparedRead
from integrations.db import insert_unless_duplicate

from .availability import (
    calendar,
    closed_reason,
    free_times,
    holiday_dates,
    parse_starts_at,
    serving_slots,
    tehran,
)
from .models import Appointment, AppointmentStatus

# calendar, free_times and parse_starts_at are re-exported here.
__all__ = [
    "SlotUnavailable", "book", "calendar", "current", "expire_holds", "free_times",
    "hand_over", "hold", "parse_starts_at", "release", "reschedule", "schedule_visit",
]  # fmt: skip

TAKEN = "این زمان دیگر آزاد نیست؛ زمان دیگری انتخاب کنید"
PAST = "زمان گذشته قابل انتخاب نیست"
NOT_CHOSEN = "زمان بازدید انتخاب نشده است؛ یک زمان آزاد انتخاب کنید"


class SlotUnavailable(Exception):
    """The chosen time cannot be had; `message` is for the citizen."""

    def __init__(self, message: str = TAKEN) -> None:
        super().__init__(message)
        self.message = message


CURRENT = "_current_appointment"


def current(case: Case) -> Appointment | None:
    """The case's live (held or booked) appointment, with its slot and inspector: read
    once per case object (a step asks for its page, its problems and the flow's check in
    one request); every write here forgets it, and the writes under lock read afresh."""
    if CURRENT not in case.__dict__:
        case.__dict__[CURRENT] = _read_current(case)
    return case.__dict__[CURRENT]


def _read_current(case: Case) -> Appointment | None:
    """The case's live appointment with its slot and the slot's inspector, as
    `live().select_related("slot__inspector").first()` reads them, the SQL compiled once."""
    rows = _CURRENT.rows(case.pk)
    if not rows:
        return None
    values, models = rows[0], _CURRENT_MODELS
    built, at = [], 0
    for model, names in models:
        built.append(model.from_db(Appointment.objects.db, names, values[at:at + len(names)]))
        at += len(names)
    appointment, slot, inspector = built
    Appointment.slot.field.set_cached_value(appointment, slot)
    InspectionSlot.inspector.field.set_cached_value(slot, inspector)
    return appointment


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_INSPECTOR = InspectionSlot.inspector.field.related_model
_CURRENT_MODELS = [(model, _attnames(model)) for model in (Appointment, InspectionSlot, _INSPECTOR)]


def _current_of(case_id: int):
    names = [*_CURRENT_MODELS[0][1], *(f"slot__{n}" for n in _CURRENT_MODELS[1][1]),
             *(f"slot__inspector__{n}" for n in _CURRENT_MODELS[2][1])]
    live = Appointment.objects.live().filter(case_id=case_id)
    return live.order_by(*Appointment._meta.ordering).values_list(*names)[:1]


_CURRENT = PreparedRead(_current_of, -7_000_003)


def _forgets_current(write):
    """A write of this module: the case object's remembered appointment goes with it."""

    @functools.wraps(write)
    def wrapped(case: Case, *args, **kwargs):
        try:
            return write(case, *args, **kwargs)
        finally:
            case.__dict__.pop(CURRENT, None)

    return wrapped


@_forgets_current
def hold(
    case: Case, starts_at: datetime.datetime, now: datetime.datetime | None = None
) -> Appointment:
    """Hold a free inspector at that hour for the case, replacing the case's earlier hold."""
    now = now or timezone.now()
    _check_time(starts_at, now)
    with transaction.atomic():
        _lock_case(case)
        return _take(case, starts_at, now)


def book(case: Case, now: datetime.datetime | None = None) -> Appointment:
    """Turn the case's hold into a booking (at تایید و ثبت); idempotent once booked.
    The case object then remembers the booking (the flow's next check reads it)."""
    try:
        appointment = _book(case, now)
    except BaseException:
        case.__dict__.pop(CURRENT, None)
        raise
    case.__dict__[CURRENT] = appointment
    return appointment


def _book(case: Case, now: datetime.datetime | None) -> Appointment:
    now = now or timezone.now()
    # No savepoint: its one caller (registration) rolls back with it when the hour is lost.
    with transaction.atomic(savepoint=False):
        _lock_case(case)
        appointment = _locked_live(case)
        if appointment is None:
            # Our expired hold was cleared away; the hour may still have a free inspector.
            last = Appointment.objects.filter(case=case).select_related("slot").first()
            if last is None or last.status != AppointmentStatus.RELEASED:
                raise SlotUnavailable(NOT_CHOSEN)
            _check_time(last.slot.starts_at, now)
            appointment = _take(case, last.slot.starts_at, now)
        if appointment.status == AppointmentStatus.BOOKED:
            return appointment
        if appointment.slot.starts_at <= now:
            raise SlotUnavailable(PAST)
        appointment.book(now)
        appointment.save()
        _record(case, None, "appointment_booked", appointment)
        return appointment


@_forgets_current
def release(case: Case, *, cancelled: bool = False) -> int:
    """Free the case's live hold or booking; `cancelled` when the case itself is cancelled."""
    with transaction.atomic():
        _lock_case(case)
        appointment = _locked_live(case)
        if appointment is None:
            return 0
        if cancelled:
            appointment.cancel()
        else:
            appointment.release()
        appointment.save()
        name = "appointment_cancelled" if cancelled else "appointment_released"
        _record(case, None, name, appointment)
        return 1


@_forgets_current
def reschedule(
    case: Case, starts_at: datetime.datetime, by=None, now: datetime.datetime | None = None
) -> Appointment:
    """Staff move a booked visit to another hour; on SlotUnavailable the old one stays."""
    now = now or timezone.now()
    _check_time(starts_at, now)
    with transaction.atomic():
        _lock_case(case)
        # Read without the slot lock: only the case's lock holder changes a booking, and
        # _take locks every slot it touches in ascending order (no deadlock cycle).
        old = _read_current(case)
        if old is not None and old.slot.starts_at == starts_at:
            return old
        appointment = _take(case, starts_at, now, replace_booked=True)
        appointment.book(now)
        appointment.save()
        schedule_visit(case, starts_at)
        data = {"from": _when(old) if old else None}
        _record(case, by, "appointment_rescheduled", appointment, **data)
        # Written with the change (outbox): the citizen learns the new hour, once per slot.
        notify(case, "visit_rescheduled", visit_at=appointment.slot.starts_at,
               idempotency_suffix=appointment.slot_id)
        return appointment


@_forgets_current
def hand_over(case: Case, inspector, by=None) -> Appointment | None:
    """The case's live visit moves to `inspector` at the same hour (its task was given to
    them), so their list and calendar show it and the hour is theirs, not the first
    inspector's. SlotUnavailable when they already have a visit then; nothing changes."""
    with transaction.atomic():
        _lock_case(case)
        old = _read_current(case)
        if old is None or old.slot.inspector_id == inspector.pk:
            return old
        slot, _ = InspectionSlot.objects.get_or_create(
            inspector=inspector, starts_at=old.slot.starts_at,
            defaults={"ends_at": old.slot.ends_at})
        _lock_slots({old.slot_id, slot.pk})
        if Appointment.objects.live().filter(slot=slot).exists():
            raise SlotUnavailable(
                f"{inspector.get_full_name() or inspector.username} در "
                f"{jalali(slot.starts_at, 'datetime')} بازدید دیگری دارد؛ "
                "ابتدا یکی از دو بازدید را جابه‌جا کنید.")
        from_inspector = old.slot.inspector_id
        Appointment.objects.filter(pk=old.pk).update(slot=slot)
        old.slot = slot  # the only column changed; no need to read the row again
        _record(case, by, "appointment_handed_over", old, from_inspector_id=from_inspector)
        return old




def expire_holds(now: datetime.datetime | None = None) -> int:
    """Release holds past their time (periodic task); slots busy elsewhere wait for next run."""
    now = now or timezone.now()
    expired = Appointment.objects.expired_holds(now)
    released = 0
    with transaction.atomic():
        slots = InspectionSlot.objects.select_for_update(skip_locked=True).filter(
            pk__in=expired.values("slot_id")
        )
        slot_ids = list(slots.order_by("pk").values_list("pk", flat=True))
        for appointment in expired.filter(slot_id__in=slot_ids):
            appointment.release()
            appointment.save()
            released += 1
    return released


# --- internals: called inside a transaction ---------------------------------------------


def _check_time(starts_at: datetime.datetime, now: datetime.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware.")
    if starts_at <= now:
        raise SlotUnavailable(PAST)
    # The calendar's own rule and holiday list: an hour it never offered is refused.
    if closed_reason(timezone.localdate(starts_at, tehran()), holiday_dates()):
        raise SlotUnavailable(TAKEN)


def schedule_visit(case: Case, starts_at: datetime.datetime) -> None:
    """The case's open visit task is due at `starts_at`: the inspector's list orders and
    cuts by the task's `scheduled` (workflows.nodes.PersonalStep.Schedule)."""
    Task.objects.filter(process__caseprocess__case=case, owner_permission="cases.inspect_case",
                        status__in=[STATUS.NEW, STATUS.ASSIGNED]).update(scheduled=starts_at)


def _lock_case(case: Case) -> None:
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))


def _lock_slots(slot_ids: set[int]) -> None:
    locking = InspectionSlot.objects.select_for_update().filter(pk__in=slot_ids)
    list(locking.order_by("pk").values_list("pk", flat=True))


def _locked_live(case: Case) -> Appointment | None:
    """The case's live appointment, read again once its slot is locked."""
    _lock_slots_and_live(case)
    return _read_current(case)


def _lock_slots_and_live(case: Case, slot_ids=()) -> None:
    """Lock `slot_ids` and the slot of the case's live appointment, in one statement."""
    live_slot = Appointment.objects.live().filter(case=case).values("slot_id")[:1]
    list(InspectionSlot.objects.select_for_update()
         .filter(Q(pk__in=slot_ids) | Q(pk__in=Subquery(live_slot)))
         .order_by("pk").values_list("pk", flat=True))


def _take(
    case: Case, starts_at: datetime.datetime, now: datetime.datetime, replace_booked: bool = False
) -> Appointment:
    """Move the case's live appointment to a free inspector at `starts_at`, as a hold."""
    if case.property_id is None:
        raise ValueError("A case needs its property (and so its district) before a visit.")
    district = case.property.district_id
    candidates = list(
        serving_slots(district).filter(starts_at=starts_at).order_by("inspector_id")
        .values_list("pk", flat=True)
    )
    _lock_slots_and_live(case, candidates)
    previous = _read_current(case)
    until = now + datetime.timedelta(minutes=settings.SLOT_HOLD_MINUTES)
    if previous is not None:
        if previous.status == AppointmentStatus.BOOKED and not replace_booked:
            raise ValueError("The case's visit is booked; move it with reschedule().")
        if previous.status == AppointmentStatus.HELD and previous.slot.starts_at == starts_at:
            previous.extend(until)
            previous.save()
            return previous
        previous.release()
        previous.save()
    # The candidates' live appointments, read once: holds past their time are released,
    # the rest take their slot.
    taken = set()
    for other in Appointment.objects.live().filter(slot_id__in=candidates).order_by():
        if other.status == AppointmentStatus.HELD and other.held_until <= now:
            other.release()
            other.save()
        else:
            taken.add(other.slot_id)
    for slot_id in candidates:
        if slot_id in taken:
            continue
        # A writer that skipped the slot lock can still beat us to the row: the partial
        # unique index leaves our claim unwritten (one statement, no savepoint to survive
        # an IntegrityError) and we try the next inspector.
        claim = Appointment(case=case, slot_id=slot_id, held_until=until)
        if insert_unless_duplicate(claim):
            return claim
    raise SlotUnavailable(TAKEN)


def _when(appointment: Appointment) -> str:
    return timezone.localtime(appointment.slot.starts_at, tehran()).isoformat()


def _record(case: Case, by, name: str, appointment: Appointment, **data) -> None:
    # Drafts carry no timeline (their purge deletes them); registered cases get the audit.
    if case.is_draft:
        return
    data |= {"starts_at": _when(appointment), "inspector_id": appointment.slot.inspector_id}
    CaseEvent.objects.create(case=case, actor=by, name=name, data=data)
