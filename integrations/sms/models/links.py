"""Short links for texts: /s/<code>/ stands for a longer path of the site."""

import secrets
import string

from django.db import models

from integrations.db import insert_unless_duplicate

ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 7  # 62**7 ≈ 3.5e12: not guessable in practice, and short in a text


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


class ShortLink(models.Model):
    """A code for a site path. The link grants nothing: the target checks who asks."""

    code = models.CharField("کد", max_length=16, unique=True)
    target = models.CharField("مسیر مقصد", max_length=300, unique=True)
    created_at = models.DateTimeField("ایجاد", auto_now_add=True)

    class Meta:
        verbose_name = "پیوند کوتاه"
        verbose_name_plural = "پیوندهای کوتاه"

    def __str__(self) -> str:
        return f"/s/{self.code}/ → {self.target}"

    @classmethod
    def for_target(cls, target: str) -> "ShortLink":
        """The one link of `target`, made on first use (one per path, so texts agree)."""
        for _ in range(5):
            # Written first (a case's first text makes its link; later ones find it in the
            # cache, notifications.case_link): one statement, no savepoint. The target's
            # link written before, by us or a concurrent writer, or (rarely) a code
            # already taken makes it a no-op; then the link is read, or a code drawn again.
            link = cls(code=new_code(), target=target)
            if insert_unless_duplicate(link):
                return link
            existing = cls.objects.filter(target=target).first()
            if existing is not None:
                return existing
        raise RuntimeError(f"could not make a short link for {target!r}")
