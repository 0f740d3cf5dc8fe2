"""The staff pages' pieces printed in Python (config/jinja_env.py): the workspace menu, the
list filters' fields, a sortable column's header and a waiting time."""

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cases.field_rows import field_row
from cases.persian import to_persian_digits

from .access import is_inspector, is_supervisor

# The workspace menu as each role sees it: it holds nothing of the person but their role,
# so it is rendered once per role (and language and address prefix) and kept in the process.
_menus: dict[tuple, SafeString] = {}


def staff_nav(context) -> SafeString:
    """The menu of jinja2/staff/_nav_links.html for the signed-in person's role."""
    user = context["user"]
    role = {"inspect": is_inspector(user), "supervise": is_supervisor(user)}
    key = (role["inspect"], role["supervise"], translation.get_language(), get_script_prefix())
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = mark_safe(render_to_string("staff/_nav_links.html", role))
    return menu


# The filter forms' fields as a page prints them (field_row() each), kept in the
# process per form, language, each field's choices and each field's value: a list page
# shown unfiltered, or filtered by its menus, prints them from here. The key holds what
# the fragment prints, so a changed list of choices (a district renamed, a flow version
# loaded) is a new key and nothing needs invalidating. A value typed freely (a search
# text, a date) or an error is never kept: those fields render afresh.
MAX_KEPT_FIELDS = 256
_fields: dict[tuple, SafeString] = {}


def _field_key(bound) -> tuple | None:
    """What field_row prints for `bound` beyond its form's class, or None when it holds a
    value nobody else would send (free text) or an error."""
    if bound.errors:
        return None
    value = bound.value()
    choices = getattr(bound.field, "choices", None)
    if choices is None:
        return None if value not in (None, "") else (bound.name, None, None)
    choices = tuple((str(k), str(label)) for k, label in choices)
    if value not in (None, "") and str(value) not in {k for k, _ in choices}:
        return None
    return bound.name, None if value is None else str(value), choices


def kept_fields(form, *names: str) -> SafeString:
    """`field_row(form[name])` for each name, from
    the kept rendering when every field's key allows it."""
    keys = [_field_key(form[name]) for name in names]
    key = None if None in keys else (type(form), form.prefix, form.auto_id,
                                     translation.get_language(), *keys)
    html = _fields.get(key) if key else None
    if html is None:
        html = mark_safe("\n".join(field_row(form[name]) for name in names))
        if key:
            if len(_fields) >= MAX_KEPT_FIELDS:
                _fields.clear()
            _fields[key] = html
    return html


def wait(seconds) -> str:
    """A waiting time as a Persian reader says it: ۳ روز ۴ ساعت, ۲۵ دقیقه."""
    if seconds in (None, ""):
        return "—"
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        text = f"{days} روز" + (f" {hours} ساعت" if hours else "")
    elif hours:
        text = f"{hours} ساعت"
    else:
        text = f"{max(1, rest // 60)} دقیقه"
    return to_persian_digits(text)



def sort_th(sort, key: str) -> SafeString:
    """A sortable column's header (staff/_sort_header.html): a link that sorts by it (or
    reverses it), with aria-sort on the column sorted now."""
    column = sort.sorting.column(key)
    return mark_safe(render_to_string("staff/_sort_header.html", {
        "title": column.title, "href": sort.link(key), "direction": sort.direction(key)}))
