"""Each page's <meta name="description">: what a search result or a shared link says of it.

By URL name, so the pages built by other parts of the service (login and registration in
cases/accounts, the verification page) are described without touching their templates;
a page with a description that depends on its data overrides base.html's
``{% block description %}`` instead. Every other page gets the site's own description.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

SITE = _("خدمات الکترونیک شهرداری: درخواست گواهی انتقال آپارتمان و استعلام ادارات/ ترهین "
         "به‌صورت برخط، بدون مراجعه حضوری.")

BY_URL_NAME = {
    "portal:home": _("درخواست گواهی انتقال آپارتمان و پاسخ استعلام ادارات و بانک‌ها (ترهین) را "
                     "بدون مراجعه حضوری از شهرداری بگیرید و برخط پیگیری کنید."),
    "accounts:login": _("ورود شهروندان به خدمات الکترونیک شهرداری با نام کاربری (شناسه شهروندی) "
                        "و کلمه عبور (رمز عبور)."),
    "accounts:register": _("ثبت نام در خدمات الکترونیک شهرداری: حساب کاربری شهروندی بسازید تا "
                           "گواهی انتقال آپارتمان و استعلام ادارات/ ترهین را برخط درخواست کنید."),
    "verify:page": _("بررسی اصالت گواهی انتقال آپارتمان یا پاسخ استعلام شهرداری با شماره پیگیری "
                     "و کد تصدیق چاپ شده روی آن."),
    "portal:services": _("خدمات اختصاصی شهروندان: درخواست انتقال، استعلام ادارات/ ترهین و "
                         "درخواست های پیشین."),
    "portal:transfer": _("درخواست گواهی انتقال آپارتمان: ثبت درخواست جدید و پیگیری درخواست های "
                         "پیشین."),
    "portal:inquiry": _("استعلام ادارات/ ترهین: پاسخ استعلام ملک برای بانک، دفترخانه یا اداره، "
                        "و پیگیری درخواست های پیشین."),
    "portal:previous_requests": _("درخواست های پیشین شما: آخرین وضعیت هر درخواست، ادامه "
                                  "پیش‌نویس‌ها و چاپ گواهی‌های صادرشده."),
}


def description_of(request: HttpRequest) -> str:
    """The description of the page `request` asks for (the site's when it has none)."""
    match = getattr(request, "resolver_match", None)
    return BY_URL_NAME.get(match.view_name, SITE) if match else SITE
