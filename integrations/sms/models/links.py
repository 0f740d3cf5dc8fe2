"""Short links for texts: /s/<code>/ stands for a longer path of the site."""

import secrets
import string

from django.db import IntegrityError, models, transaction

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
            existing = cls.objects.filter(target=target).first()
            if existing is not None:
                return existing
            try:
                with transaction.atomic():
                    return cls.objects.create(code=new_code(), target=target)
            except IntegrityError:
                continue  # a concurrent writer took the target, or (rarely) the code
        raise RuntimeError(f"could not make a short link for {target!r}")
