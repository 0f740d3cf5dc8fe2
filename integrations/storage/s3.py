"""S3 (or any S3-compatible store) for private files, through django-storages.

Whatever the settings say, nothing stored here is public: objects are written with the
"private" canned ACL, every URL is a presigned one that expires, and a custom domain
(which would mean unsigned URLs) is never used.
"""

from __future__ import annotations

from django.conf import settings
from storages.backends.s3 import S3Storage

# A link is handed out right after the permission check and opened at once: a minute
# is plenty, and a link copied from a browser's history is dead soon after.
DEFAULT_LINK_SECONDS = 60


class PrivateS3Storage(S3Storage):
    def get_default_settings(self) -> dict:
        defaults = super().get_default_settings()
        defaults.update(
            default_acl="private",
            querystring_auth=True,
            querystring_expire=getattr(settings, "AWS_QUERYSTRING_EXPIRE", DEFAULT_LINK_SECONDS),
            file_overwrite=False,
            custom_domain=None,
            # SigV4: the lifetime is signed into the URL (X-Amz-Expires), capped at 7 days.
            signature_version="s3v4",
        )
        return defaults

    def __init__(self, **settings_overrides) -> None:
        super().__init__(**settings_overrides)
        # Options may come from STORAGES["private"]["OPTIONS"]: the guarantees above
        # hold even when someone sets them there.
        self.default_acl = "private"
        self.querystring_auth = True
        self.custom_domain = None
