from .case import CaseStatus, Case, ServiceKind
from .inspection import Holiday, InspectionSlot, InspectorProfile
from .portal import PortalSettings
from .registry import DebtStatus, District, Property, RegistryRecord, RenovationDebt
from .timeline import CaseEvent

__all__ = [
    "Case",
    "CaseEvent",
    "CaseStatus",
    "DebtStatus",
    "District",
    "Holiday",
    "InspectionSlot",
    "InspectorProfile",
    "PortalSettings",
    "Property",
    "RegistryRecord",
    "RenovationDebt",
    "ServiceKind",
]
