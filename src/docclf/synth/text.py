"""Text content: Faker per locale, the vocabulary files (labels, phrases), template filling, dates and money."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

# (locale, weight): English dominates real collections, but a classifier must not read language.
LOCALES: tuple[tuple[str, float], ...] = (
    ("en_US", 24), ("en_GB", 10), ("de_DE", 12), ("de_AT", 2), ("fr_FR", 11), ("es_ES", 9),
    ("it_IT", 9), ("nl_NL", 5), ("pt_PT", 3), ("pt_BR", 3), ("pl_PL", 3), ("sv_SE", 2),
    ("da_DK", 2), ("cs_CZ", 2), ("fi_FI", 1),
)


@functools.lru_cache(maxsize=None)
def faker_for(locale: str):
    """One Faker per locale per process, its word lists in a fixed order; callers reseed it per page."""
    from faker import Faker

    fake = Faker(locale)
    for provider in fake.get_providers():
        # Some providers build lists from sets (it_IT cities), whose order follows the per-process
        # string hash seed: sort them so a page never depends on PYTHONHASHSEED.
        if isinstance(getattr(provider, "cities", None), list):
            provider.cities = sorted(provider.cities)
    return fake


def pick_locale(rng: random.Random) -> str:
    names, weights = zip(*LOCALES)
    return rng.choices(names, weights)[0]


# Characters a page in this language will contain: fonts without them are not used for it.
LOCALE_CHARS = {"de": "äöüßÄÖÜ", "fr": "éèêàçôœ", "es": "ñáéíóú¿", "it": "àèéìòù", "pt": "ãõçáéêó",
                "pl": "ąćęłńóśźż", "cs": "čďěňřšťůž", "sv": "åäö", "da": "æøå", "fi": "äö", "nl": "ëé"}


def lang_of(locale: str) -> str:
    """Language whose labels a page uses; languages without a table fall back to English."""
    lang = locale.split("_")[0]
    return lang if lang in labels() else "en"


# --------------------------------------------------------------------------- vocabulary files


@functools.lru_cache(maxsize=None)
def vocab(name: str) -> dict[str, Any]:
    """One of the generator's vocabulary files, `docclf/synth/vocab/<name>.json` (read once per process)."""
    path = resources.files("docclf.synth").joinpath("vocab", f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def labels() -> dict[str, dict[str, str]]:
    """Localised labels by language, then by key ("invoice", "total", "experience", ...)."""
    return vocab("labels")["labels"]


def for_lang(table: Mapping[str, Any], lang: str) -> Any:
    """A language's entry of a per-language table, English when the language has none."""
    return table.get(lang) or table["en"]


SLOT = re.compile(r"\{(\w+)\}")
Tables = Sequence[Mapping[str, Sequence[str]]]


def fill(rng: random.Random, template: str, tables: Tables, extra: Mapping[str, Any] | None = None) -> str:
    """Expand every {slot} of `template`, recursively.

    A slot is a value or a function of the RNG from `extra`, else a random alternative from the first of
    `tables` that has it; {Slot} is {slot} with a capital first letter.
    """
    def expand(m: re.Match) -> str:
        key = m.group(1)
        value = _slot(rng, key, tables, extra)
        if value is None and key[:1].isupper():
            value = _slot(rng, key[:1].lower() + key[1:], tables, extra)
            value = None if value is None else value[:1].upper() + value[1:]
        if value is None:
            raise KeyError(f"template slot {{{key}}} has no values (template: {template!r})")
        return value

    return SLOT.sub(expand, template)


def _slot(rng: random.Random, key: str, tables: Tables, extra: Mapping[str, Any] | None) -> str | None:
    if extra and key in extra:
        v = extra[key]
        return str(v(rng) if callable(v) else v)
    for table in tables:
        if key in table:
            return fill(rng, rng.choice(table[key]), tables, extra)
    return None


SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to via vs. with".split())


def title_case(text: str) -> str:
    """Headline capitalisation: every word capitalised except short function words after the first."""
    words = text.split(" ")
    return " ".join(w if (k and w in SMALL_WORDS) or not w[:1].islower() else w[:1].upper() + w[1:]
                    for k, w in enumerate(words))


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def pick(rng: random.Random, items: Sequence[str], k: int) -> list[str]:
    """k distinct items (fewer when the list is shorter), in random order."""
    return rng.sample(list(items), min(k, len(items)))


# (symbol, before?, thousands sep, decimal sep, VAT rate %)
MONEY = {
    "en_US": ("$", True, ",", ".", 8), "en_GB": ("£", True, ",", ".", 20), "de_DE": ("€", False, ".", ",", 19),
    "de_AT": ("€", False, ".", ",", 20), "fr_FR": ("€", False, "\u202f", ",", 20),
    "es_ES": ("€", False, ".", ",", 21), "it_IT": ("€", True, ".", ",", 22), "nl_NL": ("€", True, ".", ",", 21),
    "pt_PT": ("€", False, ".", ",", 23), "pt_BR": ("R$", True, ".", ",", 17), "pl_PL": ("zł", False, " ", ",", 23),
    "sv_SE": ("kr", False, " ", ",", 25), "da_DK": ("kr.", True, ".", ",", 25), "cs_CZ": ("Kč", False, " ", ",", 21),
    "fi_FI": ("€", False, " ", ",", 24),
}

ISO_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR", "R$": "BRL", "zł": "PLN", "kr": "SEK", "kr.": "DKK", "Kč": "CZK"}

COUNTRY = {"DE": "Deutschland", "AT": "Österreich", "FR": "France", "ES": "España", "IT": "Italia",
           "NL": "Nederland", "PT": "Portugal", "BR": "Brasil", "GB": "United Kingdom", "US": "USA",
           "PL": "Polska", "SE": "Sverige", "DK": "Danmark", "CZ": "Česká republika", "FI": "Suomi"}


class Lang:
    """Labels, dates and money for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.iso_money = False  # amounts as "1.234,56 EUR" (ERP printouts, e-invoices) instead of "1.234,56 €"
        self.lang = lang_of(locale)
        self.labels = labels()[self.lang]
        self.months = vocab("labels")["months"][self.lang].split()

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def date(self, d: dt.date, style: int = 0) -> str:
        """A date as people in this locale write it; style 0 is long-form, 1 numeric."""
        if style == 1:
            if self.locale == "en_US":
                return f"{d.month:02d}/{d.day:02d}/{d.year}"
            sep = "." if self.lang in ("de", "pl", "cs", "fi") or self.locale in ("de_AT",) else "/"
            if self.lang == "nl":
                sep = "-"
            return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"
        m = self.months[d.month - 1]
        if self.locale == "en_US":
            return f"{m} {d.day}, {d.year}"
        if self.lang == "de":
            return f"{d.day}. {m} {d.year}"
        if self.lang in ("es", "pt"):
            return f"{d.day} de {m} de {d.year}"
        return f"{d.day} {m} {d.year}"

    def money(self, value: float, symbol: bool = True) -> str:
        sym, before, thou, dec, _ = MONEY.get(self.locale, MONEY["en_US"])
        whole, frac = f"{abs(value):,.2f}".split(".")
        num = ("-" if value < 0 else "") + whole.replace(",", thou) + dec + frac
        if not symbol:
            return num
        if self.iso_money:
            code = ISO_CURRENCY.get(sym, "USD")
            return f"{code} {num}" if before else f"{num} {code}"
        return f"{sym}{'' if len(sym) == 1 else ' '}{num}" if before else f"{num} {sym}"

    @property
    def currency(self) -> str:
        """The currency as the page's amounts write it: its symbol, or its ISO code on ISO-money pages."""
        sym = MONEY.get(self.locale, MONEY["en_US"])[0]
        return ISO_CURRENCY.get(sym, "USD") if self.iso_money else sym

    def number(self, value: float, decimals: int = 2) -> str:
        _, _, thou, dec, _ = MONEY.get(self.locale, MONEY["en_US"])
        whole, _, frac = f"{value:,.{decimals}f}".partition(".")
        return whole.replace(",", thou) + (dec + frac if frac else "")

    @property
    def vat_rate(self) -> int:
        return MONEY.get(self.locale, MONEY["en_US"])[4]

    @property
    def country(self) -> str:
        return self.locale.split("_")[1]


def random_date(rng: random.Random, start: int = 2008, end: int = 2026) -> dt.date:
    """A date from our own RNG (Faker's date helpers read today's date, which breaks determinism)."""
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((end - start) * 365))


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
         "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
         "laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in "
         "voluptate velit esse cillum dolore eu fugiat nulla pariatur.")


def lorem(rng: random.Random, words: int) -> str:
    """Placeholder text as unfilled templates carry it: `words` words of lorem ipsum from a random start."""
    pool = LOREM.split()
    start = rng.randrange(len(pool))
    out = [pool[(start + k) % len(pool)] for k in range(words)]
    text = " ".join(out).rstrip(".,")
    return text[:1].upper() + text[1:]
