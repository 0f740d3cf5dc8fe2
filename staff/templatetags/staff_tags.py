from django import template

from cases.persian import to_persian_digits

register = template.Library()


@register.filter
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


@register.filter
def age(value, now) -> int | None:
    """Seconds from `value` to `now`."""
    if not value:
        return None
    return int((now - value).total_seconds())
