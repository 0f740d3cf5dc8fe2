import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.demo import data
from cases.models import (
    DebtStatus,
    Holiday,
    InspectionSlot,
    PortalSettings,
    Property,
    RegistryRecord,
    RenovationDebt,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("username", "password", "national_id", "mobile")),
        "groups": sorted(User.objects.values_list("username", "groups__name")),
        "properties": sorted(Property.objects.values_list("renovation_code", "address")),
        "records": sorted(RegistryRecord.objects.values_list("request_number", "property_id")),
        "debts": sorted(RenovationDebt.objects.values_list("property_id", "amount_rials", "status")),
        "slots": InspectionSlot.objects.count(),
        "holidays": Holiday.objects.count(),
    }


def test_second_run_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


def test_accounts_roles_and_districts(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for username in ("citizen", "citizen2", "inspector", "inspector2", "supervisor", "clerk"):
        assert User.objects.get(username=username).check_password(data.DEMO_PASSWORD)
    districts = {
        u: sorted(User.objects.get(username=u).inspector_profile.districts.values_list("number", flat=True))
        for u in ("inspector", "inspector2")
    }
    assert districts == {"inspector": [3, 12], "inspector2": [7, 12]}
    assert User.objects.get(username="supervisor").groups.filter(name="supervisor").exists()
    assert User.objects.get(username="clerk").is_staff
    assert User.objects.get(username="citizen").is_citizen
    assert PortalSettings.get_solo().support_phone == "31291513"


def test_slots_cover_working_days_only(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    holidays = set(Holiday.objects.values_list("date", flat=True))
    today = timezone.localdate()
    slots = InspectionSlot.objects.all()
    assert slots.exists()
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        assert local.weekday() in {5, 6, 0, 1, 2}  # Saturday..Wednesday
        assert local.date() not in holidays
        assert 9 <= local.hour <= 13 and local.minute == 0
        assert 0 < (local.date() - today).days <= 14
    per_inspector = slots.values("inspector").distinct().count()
    assert per_inspector == 2


def test_reset_restores_a_settled_debt_and_a_changed_password(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    debt = RenovationDebt.objects.get(property__renovation_code="3-114-25-1-0-0-5")
    debt.settle(reference="PAY-1", at=timezone.now())
    debt.save()
    citizen = User.objects.get(username="citizen")
    citizen.set_password("changed-password-99")
    citizen.save()

    call_command("seed_demo")  # a plain run leaves the changes alone
    assert RenovationDebt.objects.get(pk=debt.pk).status == DebtStatus.SETTLED

    call_command("seed_demo", "--reset")
    debt = RenovationDebt.objects.get(pk=debt.pk)
    assert (debt.status, debt.amount_rials, debt.settled_at) == (DebtStatus.OPEN, 4_500_000, None)
    assert User.objects.get(username="citizen").check_password(data.DEMO_PASSWORD)


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username="citizen").exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="citizen").exists()
