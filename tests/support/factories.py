"""factory_boy factories; traits name the situations tests need."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.identity import make_valid_national_id
from cases.models import Case, District, Property, RegistryRecord, RenovationDebt, ServiceKind

PASSWORD = "a-strong-test-pass-1405"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    # Never a demo account's name (citizen, citizen2): get_or_create would return it instead.
    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "نرگس"
    last_name = factory.Sequence(lambda n: f"شهروند{n}")
    national_id = factory.Sequence(lambda n: make_valid_national_id(f"{100000000 + n:09d}"))
    mobile = factory.Sequence(lambda n: f"0912{n:07d}")
    # Proven by default (as after registration); verified_mobile="" for one that is not.
    verified_mobile = factory.SelfAttribute("mobile")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        # Staff accounts carry no citizen identity.
        staff = factory.Trait(national_id=None, mobile="")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(staff=True, roles=["inspector"]) joins the role groups."""
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("number",)

    number = 12
    name = factory.LazyAttribute(lambda d: f"منطقه {d.number}")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    renovation_code = factory.Sequence(lambda n: f"12-{n + 100}-1-1-0-0-1")
    district = factory.SubFactory(DistrictFactory)
    address = "خیابان آزادی، پلاک ۱"
    registry_plate = "۱۲۳/۴"
    area_m2 = Decimal("75.00")
    floor = "۲"
    unit = "۴"
    owner_names = "نرگس شهروند"


class RegistryRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistryRecord

    property = factory.SubFactory(PropertyFactory)
    request_number = factory.Sequence(lambda n: f"1403-05-{n:06d}")
    subject = "گواهی پایان کار"
    answered_on = datetime.date(2024, 8, 1)
    certificate_number = None
    certificate_issued_on = None

    class Params:
        with_certificate = factory.Trait(
            certificate_number=factory.Sequence(lambda n: f"C-{n:06d}"),
            certificate_issued_on=datetime.date(2024, 8, 10),
        )


class RenovationDebtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenovationDebt

    property = factory.SubFactory(PropertyFactory)
    amount_rials = 1_200_000


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    service = ServiceKind.TRANSFER
    citizen = factory.SubFactory(UserFactory)
    property = factory.SubFactory(PropertyFactory)

    class Params:
        inquiry = factory.Trait(service=ServiceKind.INQUIRY)

    @factory.post_generation
    def advanced_to(self, create, extracted, **kwargs):
        """CaseFactory(advanced_to="inspection_approved") walks the real transitions."""
        path = ["register", "approve_inspection", "settle_fees", "issue", "archive"]
        targets = {"registered": 1, "inspection_approved": 2, "fees_settled": 3, "issued": 4,
                   "archived": 5}
        if not (create and extracted):
            return
        for name in path[: targets[extracted]]:
            getattr(self, name)()
            self.save()
