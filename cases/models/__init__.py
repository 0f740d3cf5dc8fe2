from .case import ApplicantRole, Case, CaseStatus, ServiceKind
from .inspection import Holiday, InspectionReport, InspectionSlot, InspectorProfile
from .portal import PortalSettings
from .properties import DebtStatus, District, Property, RegistryRecord, RenovationDebt
from .stored_files import FileDeletion
from .timeline import CaseEvent

__all__ = [
    "ApplicantRole",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "DebtStatus",
    "District",
    "FileDeletion",
    "Holiday",
    "InspectionReport",
    "InspectionSlot",
    "InspectorProfile",
    "PortalSettings",
    "Property",
    "RegistryRecord",
    "RenovationDebt",
    "ServiceKind",
]
