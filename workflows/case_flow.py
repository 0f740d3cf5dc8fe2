"""What every service's flow shares: its process and task are a case's, and a task is
completed under a row lock on its process (two tabs, a callback and a worker can race)."""

from viewflow.workflow import flow, lock

from .models import CaseProcess, CaseTask


class CaseFlow(flow.Flow):
    """A service's flow: subclasses name their `process_title`, their `service` (a
    cases.models.ServiceKind) and their nodes."""

    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = lock.select_for_update_lock
    service: str
