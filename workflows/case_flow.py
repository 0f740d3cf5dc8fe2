"""What every service's flow shares: its process and task are a case's, and a task is
completed under a row lock on its process (two tabs, a callback and a worker can race)."""

from viewflow.workflow import flow

from .models import CaseProcess, CaseTask
from .process_lock import process_row_lock


class CaseFlow(flow.Flow):
    """A service's flow: subclasses name their `process_title`, their `service` (a
    cases.models.ServiceKind), their `version` when it is not the first, and their nodes."""

    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = process_row_lock
    service: str
    # A procedure changed under open cases is a new class with the next number
    # (workflows/flow_versions.py); its URLs live under their own namespace, `transfer_v2`.
    version: int = 1

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)  # viewflow names the namespace after the class
        if cls.version > 1:
            cls.app_name = f"{cls.service}_v{cls.version}"
