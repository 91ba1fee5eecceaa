"""The pages' languages: gettext catalogs (`<locale>/LC_MESSAGES/messages.po`, read with Babel) and the
request's language, time zone and translator.

The .po files are the source of truth and are compiled in memory when first used, so no build step can
leave a stale .mo behind. Message ids are the English texts; `zh_CN` is the default language.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from extractor.reasons import translations as reason_translations

CATALOGS = Path(__file__).parent
DEFAULT_LOCALE = "zh_CN"
DEFAULT_TIMEZONE = "Asia/Shanghai"
LOCALES = ("zh_CN", "en")
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a text for the catalogs where it is declared; it is translated where it is shown."""
    return message


def catalog_path(locale: str) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    path = catalog_path(locale)
    if locale not in LOCALES or not path.is_file():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    if locale == "zh_CN":  # the reasons' words live in their registry, in both languages
        for english, chinese in reason_translations().items():
            if english in catalog:
                del catalog[english]
            catalog.add(english, chinese)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


@dataclass(frozen=True)
class Language:
    locale: str = DEFAULT_LOCALE
    timezone: str = DEFAULT_TIMEZONE

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (KeyError, ValueError):
            return ZoneInfo(DEFAULT_TIMEZONE)

    @property
    def html_lang(self) -> str:
        return self.locale.replace("_", "-")

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.locale).ngettext(singular, plural, n)


_current: ContextVar[Language | None] = ContextVar("language", default=None)
_DEFAULT = Language()


def current() -> Language:
    return _current.get() or _DEFAULT


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def language_of(user: Any | None) -> Language:
    """The user's language and time zone (a page before login speaks the default)."""
    if user is None:
        return Language()
    return Language(getattr(user, "locale", DEFAULT_LOCALE), getattr(user, "timezone", DEFAULT_TIMEZONE))


def gettext(message: str) -> str:
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current().ngettext(singular, plural, n)
