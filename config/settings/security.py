"""Hardening: HTTPS and HSTS, cookies, Content-Security-Policy, the client's address behind
proxies, login lockout (django-axes), rate limits and idle sessions.

Production values unless DEBUG; check --deploy runs clean with DEBUG off.

Environment: SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_PRELOAD,
SESSION_COOKIE_AGE, CSP_FORM_ACTION_EXTRA, TRUSTED_PROXY_COUNT, TRUSTED_PROXY_HEADER,
AXES_FAILURE_LIMIT, AXES_COOLOFF_HOURS, AXES_VERBOSE, LOGIN_SMS_CODE_AFTER_FAILURES,
KNOWN_DEVICE_DAYS, RATELIMIT_ENABLE, RATE_LOGIN, RATE_PASSWORD_RESET,
RATE_REGISTER, RATE_CODE_SEND, RATE_CODE_CHECK, RATE_VERIFY, RATE_PAYMENT_START, RATE_OIDC,
RATE_DRAFT_START, RATE_LIMITED_SEARCH_URLS, RATE_SEARCH, RATE_LIMITED_VERIFY_API_URLS,
SESSION_IDLE_SECONDS_CITIZEN, SESSION_IDLE_SECONDS_STAFF, SESSION_TIMEOUT_WARNING_SECONDS,
SESSION_EXPIRED_NOTICE_SECONDS.
"""

from config.settings.base import DEBUG, env

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preload is the owner's promise for the whole registrable domain and every subdomain
# (hstspreload.org), which the city's IT decides, not this service: off by default, and
# check --deploy's reminder of it (security.W021) silenced. docs/operators/deploy.md says how.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, so every
# script and stylesheet is a static file of our own; nothing is loaded from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"] + env.list("CSP_FORM_ACTION_EXTRA", default=[]),
    }
}

# How many proxies stand between the internet and this process, each appending to
# TRUSTED_PROXY_HEADER the address it was connected from (ops/client_address.py). 0: no
# proxy, REMOTE_ADDR is the client and a forwarded header is ignored (it could be forged).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")

# Login lockout (django-axes) by account and address together: AXES_FAILURE_LIMIT wrong
# passwords for one username from one address lock that pair only. Not by address alone:
# a carrier's NAT puts thousands of people behind one address, and one of them guessing
# would lock them all out. The address's own ceiling is the rate limit below (RATE_LOGIN).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The Persian 429 page saying «… دقیقه دیگر», with the same wait as Retry-After.
AXES_LOCKOUT_CALLABLE = "cases.accounts.lockout.lockout_response"
# A browser that signed in to the account before (its signed cookie) is spared the lock.
AXES_WHITELIST_CALLABLE = "cases.accounts.devices.known_device_login"
AXES_RESET_ON_SUCCESS = True
# Tries during a lock are refused without being counted, so the time the page promised
# holds: the owner retrying behind the attacker's NAT does not push their own lock on.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
# This many failures for one username from all addresses together within the cool-off
# (a guesser spreading over addresses) and a right password from a new device also needs
# an SMS code sent to the account's mobile: harder to get in, but never a hard lock.
LOGIN_SMS_CODE_AFTER_FAILURES = env.int("LOGIN_SMS_CODE_AFTER_FAILURES", default=20)
# How long a browser stays a known device of an account after signing in to it.
KNOWN_DEVICE_DAYS = env.int("KNOWN_DEVICE_DAYS", default=180)
# The client's address as every per-address limit sees it (TRUSTED_PROXY_COUNT, above).
AXES_CLIENT_IP_CALLABLE = "ops.client_address.client_address"

# Rate-limit counters live in the shared cache (database.py). While it is unreachable the
# limits let requests through rather than refuse every login: the limits held in the
# database stay (django-axes' lockouts, the phone codes' per-phone and per-address caps).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# The same client address as django-axes and the verification look-ups (ops/client_address).
RATELIMIT_IP_META_KEY = "ops.client_address.client_address"
# URL name (namespace:name, "[action]" = the POST's action button) → (key, rate, methods).
# Login by address: generous, since one carrier NAT address carries the logins of thousands
# of subscribers (a busy minute there is tens of logins; 300 leaves room for a peak).
# Guessing is held per account (the pair lockout, the SMS code step), not here; this only
# caps what one address can send at all.
# Phone codes and registration likewise, per address: a NAT's many subscribers each get
# their codes. What holds one phone or one account tight is counted in the database:
# PHONE_CODE_SENDS_PER_PHONE_PER_HOUR (5), PHONE_CODE_RESEND_SECONDS (60) and
# PHONE_CODE_MAX_ATTEMPTS (5) per code; these only bound what one address can send at all.
_CODE_SEND = env.str("RATE_CODE_SEND", default="120/m")
_CODE_CHECK = env.str("RATE_CODE_CHECK", default="300/m")
RATE_LIMITS = {
    "accounts:login": ("ip", env.str("RATE_LOGIN", default="300/m"), "POST"),
    # The admin's own login page: staff passwords, the same allowance as citizens'.
    "admin:login": ("ip", env.str("RATE_LOGIN", default="300/m"), "POST"),
    "accounts:login_code[send_code]": ("ip", _CODE_SEND, "POST"),
    "accounts:login_code[check_code]": (
        "ip", _CODE_CHECK, "POST"),
    "accounts:verify_mobile[send_code]": (
        "ip", _CODE_SEND, "POST"),
    "accounts:verify_mobile[check_code]": (
        "ip", _CODE_CHECK, "POST"),
    # «فراموشی رمز عبور»: counted per address whether or not an account matched, so the
    # refusal says nothing of who exists; the SMS itself has the per-phone cap too.
    "accounts:password_reset": ("ip", env.str("RATE_PASSWORD_RESET", default="60/m"), "POST"),
    "accounts:password_reset_code[send_code]": (
        "ip", _CODE_SEND, "POST"),
    "accounts:password_reset_code[check_code]": (
        "ip", _CODE_CHECK, "POST"),
    "accounts:register": ("ip", env.str("RATE_REGISTER", default="300/h"), "POST"),
    "transfer:appointment:execute[send_code]": (
        "ip", _CODE_SEND, "POST"),
    "transfer:appointment:execute[check_code]": (
        "ip", _CODE_CHECK, "POST"),
    "verify:page": ("ip", env.str("RATE_VERIFY", default="60/m"), None),
    "verify:file": ("ip", env.str("RATE_VERIFY", default="60/m"), "POST"),
    "payments:start": ("user_or_ip", env.str("RATE_PAYMENT_START", default="10/m"), "POST"),
    "oidc_authentication_init": ("ip", env.str("RATE_OIDC", default="30/m"), None),
}
for _name in env.list("RATE_LIMITED_SEARCH_URLS", default=["staff:search"]):
    RATE_LIMITS[_name] = ("user_or_ip", env.str("RATE_SEARCH", default="60/m"), None)
for _name in env.list("RATE_LIMITED_VERIFY_API_URLS",
                      default=["verify_api:verify_document", "verify_api:verify_file"]):
    RATE_LIMITS[_name] = ("ip", env.str("RATE_VERIFY", default="60/m"), None)
# Starting a request (ticking تعهدات and pressing گام بعدی creates a draft), per account:
# on top of the cap of open drafts (DRAFTS_PER_SERVICE), so a script cannot churn them.
for _name in ("transfer:start:execute", "inquiry:start:execute"):
    RATE_LIMITS[_name] = ("user_or_ip", env.str("RATE_DRAFT_START", default="10/h"), "POST")

# Idle session timeout, by role: staff sessions are shorter. The warning comes this many
# seconds before the end; an expired session's next request says so on the login page.
SESSION_IDLE_SECONDS_CITIZEN = env.int("SESSION_IDLE_SECONDS_CITIZEN", default=30 * 60)
SESSION_IDLE_SECONDS_STAFF = env.int("SESSION_IDLE_SECONDS_STAFF", default=15 * 60)
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_SECONDS", default=120)
SESSION_EXPIRED_NOTICE_SECONDS = env.int("SESSION_EXPIRED_NOTICE_SECONDS", default=60 * 60)
