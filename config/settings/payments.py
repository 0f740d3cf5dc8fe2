"""Payments: the gateway, how long a payment lives, reconciliation, the sandbox bank and
Zarinpal.

Environment: PAYMENT_GATEWAY, PAYMENT_EXPIRY_MINUTES, PAYMENT_AT_BANK_MINUTES,
PAYMENT_RECONCILE_AFTER_MINUTES, PAYMENT_RECONCILE_EVERY_SECONDS,
PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS, ZARINPAL_MERCHANT_ID, ZARINPAL_BASE_URL,
ZARINPAL_TIMEOUT_SECONDS.
"""

from config.settings.base import env

# A dotted path (see integrations/payments/loader.py); the default is the sandbox bank.
PAYMENT_GATEWAY = env.str(
    "PAYMENT_GATEWAY", default="integrations.payments.sandbox.gateway.SandboxGateway"
)
# Payments left unfinished expire after this many minutes.
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=30)
# Another citizen's attempt this young is "at the bank": a new payment of the same debt
# waits for it instead of replacing it (cases/payments/at_bank.py; capped at the expiry).
PAYMENT_AT_BANK_MINUTES = env.int("PAYMENT_AT_BANK_MINUTES", default=15)
# Reconciliation asks the provider about payments still at the bank after this long
# (keep it below PAYMENT_EXPIRY_MINUTES), and about returned-unverified ones at once.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=10)
PAYMENT_RECONCILE_EVERY_SECONDS = env.int("PAYMENT_RECONCILE_EVERY_SECONDS", default=120)
# The sandbox bank's "delayed callback" sends its notice after this many seconds.
PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS = env.int("PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS", default=20)
# Zarinpal (PAYMENT_GATEWAY=integrations.payments.zarinpal.gateway.ZarinpalGateway).
ZARINPAL_MERCHANT_ID = env.str("ZARINPAL_MERCHANT_ID", default="")
ZARINPAL_BASE_URL = env.str("ZARINPAL_BASE_URL", default="https://payment.zarinpal.com")
ZARINPAL_TIMEOUT_SECONDS = env.float("ZARINPAL_TIMEOUT_SECONDS", default=10.0)
