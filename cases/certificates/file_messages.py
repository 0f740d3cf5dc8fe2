"""What the page and the API tell a person about a checked file, in Persian."""

from __future__ import annotations

from cases.persian import to_persian_digits

from . import file_check as fc
from .lookup import EXPIRED

LATER_CHANGES = {
    "timestamps": "مهر زمان و داده‌های اعتبارسنجی (متن سند تغییری نکرده است)",
    "signatures": "امضای دیگری پس از امضای شهرداری",
    "form": "پر شدن فیلدهای فرم",
    "annotations": "افزوده شدن یادداشت یا حاشیه‌نویسی",
    "other": "تغییر در محتوای سند",
}
HEADLINES = {
    fc.GENUINE: "این فایل همان سندی است که شهرداری صادر کرده و پس از امضا تغییری نکرده است.",
    fc.REVOKED: "این فایل را شهرداری صادر کرده، اما این سند باطل شده است.",
    fc.BEFORE_SIGNATURES: "این سند پیش از آغاز امضای الکترونیکی صادر شده و فایل آن با نسخه "
                          "نگه‌داری‌شده در سوابق شهرداری یکسان است.",
    fc.ALTERED: "این فایل پس از امضای شهرداری تغییر کرده است؛ به آن اعتماد نکنید.",
    fc.SIGNED_AFTER: "امضای شهرداری سالم است، اما پس از آن شخص یا نهاد دیگری سند را امضا "
                     "کرده است.",
    fc.NOT_OURS: "این فایل امضای شهرداری را ندارد و در سوابق شهرداری نیست.",
    fc.UNREADABLE: "این فایل، PDF خوانایی نیست.",
}
TRUSTED = {fc.GENUINE, fc.BEFORE_SIGNATURES}
MSG_TOO_LARGE = "حجم فایل بیش از اندازه مجاز است؛ فایل PDF سند را همان‌گونه که دریافت کرده‌اید بفرستید."
MSG_NO_FILE = "فایل PDF سند را انتخاب کنید."


def verdict_lines(verdict: fc.FileVerdict) -> list[str]:
    """The headline, then what else the person needs to know, one sentence each."""
    lines = [HEADLINES[verdict.outcome]]
    document = verdict.document
    if verdict.outcome in TRUSTED and document and document.state == EXPIRED:
        lines.append("اعتبار این سند به پایان رسیده است.")
    if verdict.current_version:
        lines.append(f"نسخه {to_persian_digits(str(verdict.current_version))} جایگزین آن شده "
                     "است؛ تنها نسخه جدید معتبر است.")
    if verdict.later_signers:
        lines.append("امضاهای بعدی: " + "، ".join(s or "نامشخص" for s in verdict.later_signers))
    if verdict.later_changes not in ("none", "timestamps") and verdict.outcome != fc.GENUINE:
        lines.append("تغییر پس از امضای شهرداری: " + LATER_CHANGES[verdict.later_changes])
    if verdict.outcome == fc.NOT_OURS and verdict.signer:
        lines.append(f"امضاکننده این فایل: {verdict.signer}")
    return lines
