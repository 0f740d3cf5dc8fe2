"""Signing every issued PDF (PAdES): the key, the time-stamp authority, the levels, and
the upload check on /verify/. How a city sets them up: docs/operators/signing.md.

Environment: PDF_SIGNING_BACKEND, SIGNING_PKCS12_PATH, SIGNING_PKCS12_PASSWORD, SIGNING_DEV_DIR,
SIGNING_PKCS11_MODULE, SIGNING_PKCS11_TOKEN_LABEL, SIGNING_PKCS11_PIN,
SIGNING_PKCS11_KEY_LABEL, SIGNING_PKCS11_CERT_LABEL, SIGNING_PKCS11_CHAIN_PATH,
SIGNING_TRUST_ROOTS, SIGNING_ATTEMPTS, SIGNING_RETRY_SECONDS, SIGNING_TSA_URL,
SIGNING_TSA_TIMEOUT_SECONDS, SIGNING_TSA_ROOTS, SIGNING_VALIDATION_INFO, SIGNING_LTA, SIGNING_LOCATION,
SIGNING_TIMESTAMP_EVERY_SECONDS, VERIFY_UPLOAD_MAX_BYTES.
"""

from config.settings.base import BASE_DIR, env

# Where the key is: a PKCS#12 file (the default) or a PKCS#11 token
# (integrations.signing.pkcs11.backend.Pkcs11Backend). Not SIGNING_BACKEND: that is
# Django's own setting, the signer of cookies and messages.
PDF_SIGNING_BACKEND = env.str("PDF_SIGNING_BACKEND",
                              default="integrations.signing.pkcs12.backend.Pkcs12Backend")
# No file and DEBUG on: a development key, made on first use in SIGNING_DEV_DIR and
# trusted by nobody. No file and DEBUG off: nothing is issued (an incident says why).
SIGNING_PKCS12_PATH = env.str("SIGNING_PKCS12_PATH", default="")
SIGNING_PKCS12_PASSWORD = env.str("SIGNING_PKCS12_PASSWORD", default="")
SIGNING_DEV_DIR = env.str("SIGNING_DEV_DIR", default=str(BASE_DIR / "var" / "signing"))
SIGNING_PKCS11_MODULE = env.str("SIGNING_PKCS11_MODULE", default="")
SIGNING_PKCS11_TOKEN_LABEL = env.str("SIGNING_PKCS11_TOKEN_LABEL", default="")
SIGNING_PKCS11_PIN = env.str("SIGNING_PKCS11_PIN", default="")
SIGNING_PKCS11_KEY_LABEL = env.str("SIGNING_PKCS11_KEY_LABEL", default="")
SIGNING_PKCS11_CERT_LABEL = env.str("SIGNING_PKCS11_CERT_LABEL", default="")
SIGNING_PKCS11_CHAIN_PATH = env.str("SIGNING_PKCS11_CHAIN_PATH", default="")
# Roots whose signatures /verify/ calls ours (PEM files); empty: the configured key's root.
# After a change of CA, list the old root too, so documents signed before still answer.
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])
# Tries of the key per document before the issuing step fails (it is retried, and shown
# among the supervisors' incidents); seconds between tries grow by this much each time.
SIGNING_ATTEMPTS = env.int("SIGNING_ATTEMPTS", default=3)
SIGNING_RETRY_SECONDS = env.float("SIGNING_RETRY_SECONDS", default=0.5)
# An RFC 3161 time-stamp authority: B-T. Unreachable: B-B now, time-stamped later by the
# periodic task every SIGNING_TIMESTAMP_EVERY_SECONDS.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
SIGNING_TSA_TIMEOUT_SECONDS = env.float("SIGNING_TSA_TIMEOUT_SECONDS", default=5.0)
SIGNING_TIMESTAMP_EVERY_SECONDS = env.int("SIGNING_TIMESTAMP_EVERY_SECONDS", default=10 * 60)
# With a TSA: validation data in the document (B-LT) and a document time-stamp (B-LTA).
# SIGNING_TSA_ROOTS (PEM files): the TSA's root when another CA than the key's certified
# it; the validation data of both chains is gathered against them.
SIGNING_VALIDATION_INFO = env.bool("SIGNING_VALIDATION_INFO", default=False)
SIGNING_TSA_ROOTS = env.list("SIGNING_TSA_ROOTS", default=[])
SIGNING_LTA = env.bool("SIGNING_LTA", default=False)
# Printed in the signature's dictionary (a reader's signature panel shows it).
SIGNING_LOCATION = env.str("SIGNING_LOCATION", default="")
# /verify/'s file check: the largest PDF accepted (a signed certificate is about 42 KB).
VERIFY_UPLOAD_MAX_BYTES = env.int("VERIFY_UPLOAD_MAX_BYTES", default=3 * 1024 * 1024)
