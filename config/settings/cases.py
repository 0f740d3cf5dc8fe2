"""The service's own rules: the property registry, phone verification, appointment holds,
drafts, certificates and their public verification, data retention, and the staff
workspace's lists.

Environment: PROPERTY_REGISTRY_BACKEND, PROPERTY_REGISTRY_URL, PROPERTY_REGISTRY_TOKEN,
PROPERTY_REGISTRY_TIMEOUT_SECONDS, PHONE_CODE_TTL_SECONDS, PHONE_CODE_MAX_ATTEMPTS,
PHONE_CODE_RESEND_SECONDS, PHONE_CODE_SENDS_PER_PHONE_PER_HOUR,
PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR, SLOT_HOLD_MINUTES, DRAFT_RETENTION_DAYS,
DRAFTS_PER_SERVICE, PDF_RENDERER, CERTIFICATE_VALIDITY_DAYS, VERIFY_LOOKUPS_PER_WINDOW,
VERIFY_WINDOW_SECONDS, RETENTION_CLOSED_CASE_DOCUMENTS_DAYS, RETENTION_SMS_BODY_DAYS,
RETENTION_SMS_CODE_BODY_HOURS, RETENTION_SMS_CODE_KINDS, RETENTION_ACCOUNT_CODE_HOURS,
FILE_DELETION_DELAY_HOURS,
STAFF_PAGE_SIZE,
STAFF_SUMMARY_REFRESH_SECONDS.
"""

from config.settings.base import env

# The property registry backend (integrations/registry): the database-backed default, or
# a city's registry service (integrations.registry.http.HttpRegistry at this URL, with
# this bearer token; docs/developers/property-registry.md).
PROPERTY_REGISTRY_BACKEND = env.str(
    "PROPERTY_REGISTRY_BACKEND", default="cases.property_registry.DatabaseRegistry"
)
PROPERTY_REGISTRY_URL = env.str("PROPERTY_REGISTRY_URL", default="")
PROPERTY_REGISTRY_TOKEN = env.str("PROPERTY_REGISTRY_TOKEN", default="")
PROPERTY_REGISTRY_TIMEOUT_SECONDS = env.float("PROPERTY_REGISTRY_TIMEOUT_SECONDS", default=5.0)
# Phone verification (DESIGN.md): codes expire, tries and sends are limited.
PHONE_CODE_TTL_SECONDS = env.int("PHONE_CODE_TTL_SECONDS", default=120)
PHONE_CODE_MAX_ATTEMPTS = env.int("PHONE_CODE_MAX_ATTEMPTS", default=5)
PHONE_CODE_RESEND_SECONDS = env.int("PHONE_CODE_RESEND_SECONDS", default=60)
PHONE_CODE_SENDS_PER_PHONE_PER_HOUR = env.int("PHONE_CODE_SENDS_PER_PHONE_PER_HOUR", default=5)
# Per address: high, as a carrier NAT's subscribers share one (the per-phone cap is tight).
PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR = env.int("PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR",
                                                default=600)
# A slot is held from the verified code until تایید و ثبت, at most this long.
SLOT_HOLD_MINUTES = env.int("SLOT_HOLD_MINUTES", default=15)
# Drafts never registered are purged with their process after this many days.
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=14)
# Open drafts a citizen may keep per service: one more is refused (continue or delete one),
# so pressing «گام بعدی» on the commitments in a loop cannot fill the database.
DRAFTS_PER_SERVICE = env.int("DRAFTS_PER_SERVICE", default=3)

# Certificates: drawn by this renderer (integrations/pdf/loader.py), valid this long.
PDF_RENDERER = env.str("PDF_RENDERER", default="integrations.pdf.weasy.WeasyPrintRenderer")
CERTIFICATE_VALIDITY_DAYS = env.int("CERTIFICATE_VALIDITY_DAYS", default=90)
# Public verification (page and API): look-ups per client address per window.
VERIFY_LOOKUPS_PER_WINDOW = env.int("VERIFY_LOOKUPS_PER_WINDOW", default=20)
VERIFY_WINDOW_SECONDS = env.int("VERIFY_WINDOW_SECONDS", default=600)

# Data retention (cases/retention.py, `manage.py apply_retention`, daily via beat).
RETENTION_CLOSED_CASE_DOCUMENTS_DAYS = env.int("RETENTION_CLOSED_CASE_DOCUMENTS_DAYS",
                                               default=365)
RETENTION_SMS_BODY_DAYS = env.int("RETENTION_SMS_BODY_DAYS", default=30)
# Messages carrying a one-time code lose their body as soon as they are final and this old.
RETENTION_SMS_CODE_BODY_HOURS = env.int("RETENTION_SMS_CODE_BODY_HOURS", default=1)
RETENTION_SMS_CODE_KINDS = env.list("RETENTION_SMS_CODE_KINDS", default=["verification_code"])
# The accounts' code rows (login, mobile, reset: a phone and an address each) go this long
# after sending; the hourly caps need the last hour only.
RETENTION_ACCOUNT_CODE_HOURS = env.int("RETENTION_ACCOUNT_CODE_HOURS", default=24)
# A file whose row is deleted or purged stays this long before the sweep removes it
# (cases/file_deletions.py): longer than a backup takes from its dump to its mirror's
# end, so every file a dumped row names is still there to be mirrored.
FILE_DELETION_DELAY_HOURS = env.int("FILE_DELETION_DELAY_HOURS", default=48)

# Rows per page of the staff lists (pages are counted by "has next", never COUNT(*)).
STAFF_PAGE_SIZE = env.int("STAFF_PAGE_SIZE", default=25)
# How often the waiting-time summary behind the dashboards is brought up to date.
STAFF_SUMMARY_REFRESH_SECONDS = env.int("STAFF_SUMMARY_REFRESH_SECONDS", default=10 * 60)
