"""Every string the portal shows exists in French and German, and the compiled
catalogues match the sources."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
_ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE
)


def _entries(po: Path) -> dict[tuple[str, str], str]:
    def join(chunk: str) -> str:
        return "".join(ast.literal_eval(f'"{part}"') for part in re.findall(r'"(.*)"', chunk))

    text = po.read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if "#, fuzzy" not in b or 'msgid ""\nmsgstr ""' in b]
    assert len(blocks) == len(text.split("\n\n")), f"fuzzy entries in {po}"
    return {
        (join(m.group(1) or ""), join(m.group(2))): join(m.group(3))
        for m in _ENTRY.finditer(text)
        if join(m.group(2))
    }


@pytest.mark.parametrize("language", ["fr", "de"])
def test_every_string_is_translated_and_compiled(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > 100
    missing = [key for key, msgstr in entries.items() if not msgstr]
    assert not missing, f"untranslated in {language}: {missing}"
    with (po.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        (context, msgid)
        for (context, msgid), msgstr in entries.items()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert not stale, (
        f"{language}: django.mo is older than django.po (run make messages): {stale[:3]}"
    )
