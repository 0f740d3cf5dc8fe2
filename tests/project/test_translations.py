"""Every text a page template marks with `_()` has its English translation.

`manage.py makemessages` does not read Jinja2 templates, so these texts are added to
locale/en/LC_MESSAGES/django.po by hand (docs/developers/templates.md); a text added to a
template and not to the catalogue would show in Persian on the English site."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.utils import translation
from jinja2.ext import extract_from_ast

TEMPLATES = Path(settings.BASE_DIR) / "jinja2"


def marked_texts() -> dict[str, set[str]]:
    """Each literal passed to `_()` in the page templates → the templates that mark it."""
    env = engines["jinja2"].env
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        for _line, _function, text in extract_from_ast(tree, gettext_functions=("_",)):
            if isinstance(text, str):
                found.setdefault(text, set()).add(str(path.relative_to(TEMPLATES)))
    return found


def test_the_templates_mark_texts_to_translate():
    texts = marked_texts()
    assert "خروج" in texts and "base.html" in texts["خروج"]


def test_every_marked_text_has_its_english_translation():
    with translation.override("en"):
        untranslated = {text: sorted(where) for text, where in marked_texts().items()
                        if translation.gettext(text) == text}
    assert not untranslated, (
        f"add these to locale/en/LC_MESSAGES/django.po, then `make messages`: {untranslated}")
