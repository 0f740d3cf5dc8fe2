"""The database-backed default of integrations.registry's interface."""

from django.db.models import Q

from integrations.registry.base import (
    Debt,
    EarlierCertificate,
    PairingCheck,
    PairingProblem,
    PropertyInfo,
    PropertyRegistry,
)

from .models import DebtStatus, Property, RegistryRecord, RenovationDebt


def property_info(prop: Property) -> PropertyInfo:
    return PropertyInfo(
        renovation_code=prop.renovation_code,
        district=prop.district_id,
        address=prop.address,
        registry_plate=prop.registry_plate,
        area_m2=str(prop.area_m2),
        floor=prop.floor,
        unit=prop.unit,
        owner_names=prop.owners,
    )


class DatabaseRegistry(PropertyRegistry):
    def find_property(self, renovation_code: str) -> PropertyInfo | None:
        prop = Property.objects.filter(renovation_code=renovation_code).first()
        return property_info(prop) if prop else None

    def check_pairing(self, renovation_code: str, number: str) -> PairingCheck:
        prop = Property.objects.filter(renovation_code=renovation_code).first()
        if prop is None:
            return PairingCheck(None, PairingProblem.UNKNOWN_CODE)
        record = (
            RegistryRecord.objects.filter(Q(request_number=number) | Q(certificate_number=number))
            .only("property_id")
            .first()
        )
        if record is None:
            return PairingCheck(None, PairingProblem.UNKNOWN_NUMBER)
        if record.property_id != prop.pk:
            return PairingCheck(None, PairingProblem.NUMBER_OF_ANOTHER_PROPERTY)
        return PairingCheck(property_info(prop))

    def latest_certificate(self, renovation_code: str) -> EarlierCertificate | None:
        record = (
            RegistryRecord.objects.filter(
                property__renovation_code=renovation_code, certificate_number__isnull=False
            )
            .order_by("-certificate_issued_on", "-pk")
            .first()
        )
        if record is None:
            return None
        return EarlierCertificate(
            request_number=record.request_number,
            certificate_number=record.certificate_number,
            kind=record.subject,
            issued_on=record.certificate_issued_on,
        )

    def open_debts(self, renovation_code: str) -> list[Debt]:
        rows = RenovationDebt.objects.filter(
            property__renovation_code=renovation_code, status=DebtStatus.OPEN
        ).order_by("pk")
        return [Debt(id=str(d.pk), title=d.title, amount_rials=d.amount_rials) for d in rows]
