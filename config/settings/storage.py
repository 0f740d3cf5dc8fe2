"""Files: the storages (static, private documents on disk or S3), signed links, uploads and
the virus scanner every upload passes.

Environment: MEDIA_ROOT, PRIVATE_STORAGE_ROOT, SIGNED_LINK_MAX_AGE, UPLOAD_MAX_BYTES,
PRIVATE_STORAGE, AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_QUERYSTRING_EXPIRE,
PRIVATE_STORAGE_DIRECT_LINKS, CLAMD_SOCKET, CLAMD_HOST, CLAMD_PORT, CLAMD_TIMEOUT_SECONDS.
"""

import environ

from config.settings.base import BASE_DIR, STATIC_MANIFEST, env

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, precompressed static files (WhiteNoise), tolerant of viewflow's broken
        # CSS refs; without the manifest the sources as they are.
        "BACKEND": (
            "web.static_storage.StaticStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Documents and certificates are private: never under MEDIA_URL, served by signed links.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private")
SIGNED_LINK_MAX_AGE = env.int("SIGNED_LINK_MAX_AGE", default=300)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Private storage: "filesystem" (PRIVATE_STORAGE_ROOT) or "s3" (django-storages; objects
# private, read only through presigned URLs of AWS_QUERYSTRING_EXPIRE seconds).
PRIVATE_STORAGE = env.str("PRIVATE_STORAGE", default="filesystem")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
# Without keys boto3 looks for its own (instance role, ~/.aws): never a default here.
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)
AWS_DEFAULT_ACL = None  # django-storages' own default; PrivateS3Storage writes "private"
# Documents open through a presigned URL of the store itself; turn off where browsers
# cannot reach the store (e.g. MinIO on an internal network): the app streams them then.
PRIVATE_STORAGE_DIRECT_LINKS = env.bool("PRIVATE_STORAGE_DIRECT_LINKS", default=True)
if PRIVATE_STORAGE == "s3":
    if not AWS_STORAGE_BUCKET_NAME:
        raise environ.ImproperlyConfigured("PRIVATE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    STORAGES["private"] = {"BACKEND": "integrations.storage.s3.PrivateS3Storage"}
elif PRIVATE_STORAGE != "filesystem":
    raise environ.ImproperlyConfigured("PRIVATE_STORAGE must be 'filesystem' or 's3'")

# The virus scanner (ClamAV's clamd) every upload passes when configured; unreachable
# then means refused (fails closed). A socket path, or host and port.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=15.0)
