"""What the engine and page sections drive: the demo data plus one citizen, one property
(with an earlier certificate and an open debt, so every case pays) and one phone per case,
and enough inspectors in district 12 for every case to find a free hour."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

BENCH_DISTRICT = 12
HOURS_PER_INSPECTOR = 40  # ~10 working days × 5 hours in the 14-day window, with margin


@dataclass(frozen=True)
class CaseFixture:
    username: str
    renovation_code: str
    request_number: str
    phone: str


@transaction.atomic
def seed(cases: int, start: int = 0) -> list[CaseFixture]:
    from cases.demo.seed import seed as seed_demo
    from cases.identity import make_valid_national_id
    from cases.models import InspectorProfile
    from tests.support.factories import (
        PropertyFactory,
        RegistryRecordFactory,
        RenovationDebtFactory,
        UserFactory,
    )

    seed_demo()
    for n in range(cases // HOURS_PER_INSPECTOR + 2):
        inspector = UserFactory(username=f"bench_inspector{n}", staff=True, roles=["inspector"])
        InspectorProfile.objects.get_or_create(user=inspector)[0].districts.set([BENCH_DISTRICT])
    seed_demo()  # again: slots for the new inspectors too
    made = []
    for n in range(start, start + cases):
        user = UserFactory(
            username=f"bench_citizen{n}",
            national_id=make_valid_national_id(f"{500000000 + n:09d}"),
            mobile=f"0935{n:07d}",
        )
        prop = PropertyFactory(renovation_code=f"12-{900 + n}-7-1-0-0-3")
        record = RegistryRecordFactory(
            property=prop, request_number=f"1404-09-{n:06d}", with_certificate=True,
            certificate_number=f"12-1404-B{n:06d}",
        )
        RenovationDebtFactory(property=prop, amount_rials=1_200_000)
        made.append(CaseFixture(user.username, prop.renovation_code, record.request_number,
                                f"0936{n:07d}"))
    return made
