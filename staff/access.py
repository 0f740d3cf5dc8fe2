"""Who may open which staff page: roles are groups with permissions (cases.accounts.roles)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

INSPECT = "cases.inspect_case"
SUPERVISE = "cases.supervise_case"


def is_inspector(user) -> bool:
    return user.has_perm(INSPECT)


def is_supervisor(user) -> bool:
    return user.has_perm(SUPERVISE)


def is_staff_member(user) -> bool:
    return is_inspector(user) or is_supervisor(user)


def _role_required(check: Callable) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _role_required(is_staff_member)
inspector_required = _role_required(is_inspector)
supervisor_required = _role_required(is_supervisor)
