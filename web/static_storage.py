"""Static files as production serves them: hashed names, gzip and Brotli copies (WhiteNoise)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, tolerant of third-party CSS that names
    files its package does not ship.

    viewflow's roboto-fontface.css refers to font files missing from the wheel; Django's
    manifest storage would then refuse the whole `collectstatic`. Such a reference
    (and only one found inside another file) is left as written: the browser would get a
    404 for it, exactly as before; our own files are all hashed.
    """

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None or not name.startswith("viewflow/"):
                raise
            return name
