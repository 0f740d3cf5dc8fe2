"""Who may open which staff page: roles are groups with permissions (cases.accounts.roles)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cases.accounts.role_flags import role_flags

INSPECT = "cases.inspect_case"
SUPERVISE = "cases.supervise_case"


# The role the request already holds (cases/accounts/role_flags.py: kept in the session,
# read again when the person's roles change): the same answers as user.has_perm(INSPECT)
# and (SUPERVISE) with the model backend, without its two permission queries per page.
def is_inspector(user) -> bool:
    return role_flags(user).inspect


def is_supervisor(user) -> bool:
    return role_flags(user).supervise


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
