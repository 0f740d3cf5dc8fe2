"""The service's copy of what the property registry says about a case's property.

Case.property and Payment.debt are foreign keys, and the staff pages, the certificates and
the payments read those rows, so what the configured registry answers is kept in Property
and RenovationDebt, keyed by the registry's own keys: the renovation code, and the debt's
id. Nothing else in the domain writes these rows from a registry's answer. With the
database registry the rows are the registry's own, and keeping them changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from integrations.registry.base import Debt, PropertyInfo
from integrations.registry.loader import get_registry

from .models import Case, DebtStatus, District, Property, RenovationDebt
from .property_registry import DatabaseRegistry

# A district the registry names that the municipality has not entered yet (as seed_demo
# names them); a clerk can rename it in the admin.
DISTRICT_NAME = "منطقه {}"


def keep_property(info: PropertyInfo) -> Property:
    """The local row for the property as the registry described it, created or brought
    up to date (written only when something differs)."""
    values = {
        "district_id": info.district,
        "address": info.address,
        "registry_plate": info.registry_plate,
        "area_m2": Decimal(info.area_m2),
        "floor": info.floor,
        "unit": info.unit,
    }
    prop = Property.objects.filter(renovation_code=info.renovation_code).first()
    if prop is None or prop.district_id != info.district:
        District.objects.get_or_create(
            number=info.district, defaults={"name": DISTRICT_NAME.format(info.district)}
        )
    if prop is None:
        return Property.objects.create(
            renovation_code=info.renovation_code,
            owner_names="\n".join(info.owner_names),
            **values,
        )
    changed = [name for name, value in values.items() if getattr(prop, name) != value]
    for name in changed:
        setattr(prop, name, values[name])
    if prop.owners != tuple(info.owner_names):
        prop.owner_names = "\n".join(info.owner_names)
        changed.append("owner_names")
    if changed:
        prop.save(update_fields=changed)
    return prop


def refresh_debts(case: Case) -> None:
    """The case's property's debts as the registry lists them now. The fees steps and
    the inquiry's answer ask this first, then read (and payments settle) the copies."""
    if case.property_id is None:
        return
    from cases.payments.services import forget_open_debts  # payments builds on this module

    forget_open_debts(case)
    registry = get_registry()
    if isinstance(registry, DatabaseRegistry):
        return  # its debts are the local rows themselves
    keep_debts(case.property, registry.open_debts(case.property.renovation_code))


def keep_debts(prop: Property, debts: list[Debt]) -> None:
    """One copy per debt the registry lists as open. A copy settled here stays settled
    (the registry may learn of a payment later than the service); an open copy the
    registry no longer lists was settled elsewhere, and is settled here too."""
    listed = {debt.id: debt for debt in debts}
    with transaction.atomic():
        # The property's row first: two refreshes at once would both add the same copy.
        Property.objects.select_for_update().filter(pk=prop.pk).first()
        copies = {
            row.registry_id: row
            for row in RenovationDebt.objects.select_for_update()
            .filter(property=prop)
            .exclude(registry_id="")
        }
        for debt_id, debt in listed.items():
            row = copies.get(debt_id)
            if row is None:
                RenovationDebt.objects.create(
                    property=prop, registry_id=debt_id, title=debt.title,
                    amount_rials=debt.amount_rials,
                )
            elif row.status == DebtStatus.OPEN and (row.title, row.amount_rials) != (
                debt.title, debt.amount_rials
            ):
                row.title, row.amount_rials = debt.title, debt.amount_rials
                row.save(update_fields=["title", "amount_rials"])
        for debt_id, row in copies.items():
            if debt_id not in listed and row.status == DebtStatus.OPEN:
                row.settle(reference="", at=timezone.now())
                row.save()
