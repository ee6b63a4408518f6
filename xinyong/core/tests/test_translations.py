"""The English catalogue keeps up with the Chinese UI: every message has its translation,
none is a guess left by ``makemessages`` (fuzzy), the placeholders are the message's own,
and the compiled catalogue is the one the site serves."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from xinyong.core.tests.pofile import entries

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def _live():
    return [e for e in entries(CATALOGUE.read_text(encoding="utf-8")) if e.msgid and not e.obsolete]


def _named(bad) -> str:
    return "\n".join(f"django.po:{e.line}: {e.msgid[:60]}" for e in bad[:20])


def test_every_message_has_an_english_translation():
    bad = [e for e in _live() if not all(t.strip() for t in e.translations)]
    assert not bad, f"{len(bad)} untranslated:\n{_named(bad)}"


def test_no_translation_is_a_fuzzy_guess():
    bad = [e for e in _live() if e.fuzzy]
    assert not bad, f"{len(bad)} fuzzy (check each, then remove the flag):\n{_named(bad)}"


def test_translations_keep_the_placeholders_of_their_message():
    def names(text):
        return sorted(PLACEHOLDER.findall(text))

    single = [e for e in _live() if "python-format" in e.flags and "msgid_plural" not in e.parts]
    bad = [e for e in single if any(names(t) != names(e.msgid) for t in e.translations)]
    assert not bad, f"{len(bad)} with other placeholders:\n{_named(bad)}"


def test_each_message_appears_once():
    seen, repeated = set(), []
    for e in _live():
        key = (e.parts.get("msgctxt"), e.msgid)
        if key in seen:
            repeated.append(e)
        seen.add(key)
    assert not repeated, _named(repeated)


def test_the_compiled_catalogue_is_up_to_date():
    """The .mo the site reads says what the .po says (compilemessages was run)."""
    live = [e for e in _live() if "msgid_plural" not in e.parts and "msgctxt" not in e.parts]
    with translation.override("en"):
        stale = [e for e in live if translation.gettext(e.msgid) != e.translations[0]]
    assert not stale, f"{len(stale)} differ from the .mo (compilemessages -l en):\n{_named(stale)}"
