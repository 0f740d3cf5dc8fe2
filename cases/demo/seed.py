"""Create or restore the demo data; every step is idempotent."""

import datetime

import jdatetime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cases.accounts.roles import ensure_role_groups
from cases.identity import make_valid_national_id
from cases.models import (
    DebtStatus,
    District,
    Holiday,
    InspectionSlot,
    InspectorProfile,
    PortalSettings,
    Property,
    RegistryRecord,
    RenovationDebt,
)

from . import data


@transaction.atomic
def seed(reset: bool = False, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    ensure_role_groups()
    _districts()
    _users(reset)
    _properties(reset)
    _holidays(today)
    _slots(today)
    portal = PortalSettings.get_solo()
    if reset or not portal.support_phone:
        portal.support_phone = data.SUPPORT_PHONE
        portal.save()


def _districts() -> None:
    for number in range(1, 23):
        District.objects.get_or_create(number=number, defaults={"name": f"منطقه {number}"})


def _user(username: str, reset: bool, **fields):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if reset and not created:
        for name, value in fields.items():
            setattr(user, name, value)
    if created or reset:
        user.set_password(data.DEMO_PASSWORD)
        user.is_active = True
        user.save()
    return user


def _users(reset: bool) -> None:
    for username, first, last, nine, mobile in data.CITIZENS:
        _user(
            username,
            reset,
            first_name=first,
            last_name=last,
            national_id=make_valid_national_id(nine),
            mobile=mobile,
            # Demo numbers count as proven, so the demo logs in without an SMS step.
            verified_mobile=mobile,
        )
    for username, first, last, role, districts in data.STAFF:
        user = _user(
            username, reset, first_name=first, last_name=last, is_staff=(role == "clerk")
        )
        user.groups.add(Group.objects.get(name=role))
        if role == "inspector":
            profile, created = InspectorProfile.objects.get_or_create(user=user)
            if created or reset:
                profile.districts.set(districts)


def _properties(reset: bool) -> None:
    for spec in data.PROPERTIES:
        spec = dict(spec)
        records, debts = spec.pop("records"), spec.pop("debts")
        spec["district_id"] = spec.pop("district")
        code = spec.pop("renovation_code")
        prop, created = Property.objects.get_or_create(renovation_code=code, defaults=spec)
        if reset and not created:
            Property.objects.filter(pk=prop.pk).update(**spec)
        for record in records:
            record = dict(record)
            number = record.pop("request_number")
            _, made = RegistryRecord.objects.get_or_create(
                request_number=number, defaults={**record, "property": prop}
            )
            if reset and not made:
                RegistryRecord.objects.filter(request_number=number).update(
                    **record, property=prop
                )
        for debt in debts:
            existing = RenovationDebt.objects.filter(property=prop, title=debt["title"])
            if not existing.exists():
                RenovationDebt.objects.create(property=prop, **debt)
            elif reset:
                # Restoring demo rows is an operator's rewrite of data, not a business
                # event: it deliberately steps around the debt's state machine.
                existing.update(
                    status=DebtStatus.OPEN,
                    amount_rials=debt["amount_rials"],
                    settled_at=None,
                    settlement_reference="",
                )


def _holidays(today: datetime.date) -> None:
    year = jdatetime.date.fromgregorian(date=today).year
    # Next year's too: the 14-day slot window can cross Nowruz.
    for jyear in (year, year + 1):
        for month, day, title in data.FIXED_HOLIDAYS:
            date = jdatetime.date(jyear, month, day).togregorian()
            Holiday.objects.get_or_create(date=date, defaults={"title": title})


def _slots(today: datetime.date) -> None:
    holidays = set(Holiday.objects.values_list("date", flat=True))
    tz = timezone.get_current_timezone()
    inspectors = get_user_model().objects.filter(inspector_profile__isnull=False)
    wanted = []
    for offset in range(1, data.SLOT_DAYS_AHEAD + 1):
        day = today + datetime.timedelta(days=offset)
        if day.weekday() not in data.WORKING_WEEKDAYS or day in holidays:
            continue
        for hour in data.SLOT_HOURS:
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
            wanted.append((start, start + datetime.timedelta(hours=1)))
    for inspector in inspectors:
        InspectionSlot.objects.bulk_create(
            [InspectionSlot(inspector=inspector, starts_at=s, ends_at=e) for s, e in wanted],
            ignore_conflicts=True,
        )
