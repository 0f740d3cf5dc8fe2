"""The demo data contract (DESIGN.md "Demo data"), as data."""

import datetime
from decimal import Decimal

DEMO_PASSWORD = "demo-pass-1405"
SUPPORT_PHONE = "31291513"

CITIZENS = [
    # username, first, last, first nine digits of the national ID, mobile
    ("citizen", "مریم", "احمدی", "001234567", "09120000001"),
    ("citizen2", "علی", "رضایی", "002345678", "09120000002"),
]

STAFF = [
    # username, first, last, role, districts
    ("inspector", "حسین", "کریمی", "inspector", (12, 3)),
    ("inspector2", "زهرا", "موسوی", "inspector", (7, 12)),
    ("supervisor", "محمد", "نوری", "supervisor", ()),
    ("clerk", "سارا", "حسینی", "clerk", ()),
]

PROPERTIES = [
    {
        "renovation_code": "12-345-67-8-0-0-12",
        "district": 12,
        "address": "خیابان ولیعصر، کوچه بهار، پلاک ۱۴",
        "registry_plate": "۴۵۶۷/۱۲۳",
        "area_m2": Decimal("86.50"),
        "floor": "۳",
        "unit": "۷",
        "owner_names": "مریم احمدی",
        "records": [
            {
                "request_number": "1403-12-000123",
                "subject": "گواهی پایان کار",
                "answered_on": datetime.date(2025, 2, 10),
                "certificate_number": "12-1403-7781",
                "certificate_issued_on": datetime.date(2025, 2, 17),
            }
        ],
        "debts": [],
    },
    {
        "renovation_code": "3-114-25-1-0-0-5",
        "district": 3,
        "address": "خیابان شریعتی، نبش کوچه یاس، پلاک ۲۲",
        "registry_plate": "۱۲۸۹/۴۵",
        "area_m2": Decimal("112.00"),
        "floor": "۵",
        "unit": "۱۰",
        "owner_names": "علی رضایی\nفاطمه رضایی",
        "records": [
            {
                "request_number": "1404-03-004567",
                "subject": "گواهی انتقال آپارتمان",
                "answered_on": datetime.date(2025, 6, 1),
                "certificate_number": "3-1404-2290",
                "certificate_issued_on": datetime.date(2025, 6, 9),
            }
        ],
        "debts": [{"title": "عوارض نوسازی", "amount_rials": 4_500_000}],
    },
    {
        "renovation_code": "7-220-9-3-0-0-2",
        "district": 7,
        "address": "خیابان دماوند، کوچه لاله، پلاک ۳",
        "registry_plate": "۷۷۸/۲",
        "area_m2": Decimal("64.20"),
        "floor": "۱",
        "unit": "۲",
        "owner_names": "رضا محمدی",
        "records": [
            {
                "request_number": "1404-07-000890",
                "subject": "استعلام ادارات",
                "answered_on": datetime.date(2025, 10, 12),
                "certificate_number": None,
                "certificate_issued_on": None,
            }
        ],
        "debts": [],
    },
]

# Fixed official holidays of the solar calendar (month, day, title). The lunar ones
# move every year; clerks enter them in the admin.
FIXED_HOLIDAYS = [
    (1, 1, "عید نوروز"),
    (1, 2, "عید نوروز"),
    (1, 3, "عید نوروز"),
    (1, 4, "عید نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "ملی شدن صنعت نفت"),
]

SLOT_DAYS_AHEAD = 14
SLOT_HOURS = range(9, 14)  # 09:00–14:00 in one-hour slots
WORKING_WEEKDAYS = {5, 6, 0, 1, 2}  # Python weekday(): Saturday..Wednesday
