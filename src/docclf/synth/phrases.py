"""Words per document class, built from sentence templates and term lists in the vocabulary files.

Faker supplies names, addresses, companies and cities; everything a reader recognises a class by
(an abstract's sentences, a letter's phrases, a CV's bullets, an invoice's items) comes from
`docclf/synth/vocab/*.json`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from docclf.synth.text import fill, for_lang, lorem, pick, random_date, sentence_case, title_case, vocab

AN = re.compile(r"\b([Aa]) ((?!uni|use|Eu|eu|one)[aeiouAEIOU])")  # "a organoid" -> "an organoid"
SECTION_ORDER = (("Introduction",), ("Related Work", "Background", "Preliminaries"),
                 ("Method", "Methods", "Materials and Methods", "Model", "Data"),
                 ("Experimental Setup", "Experiments", "Empirical Strategy", "Theoretical Analysis"),
                 ("Results", "Main Results", "Evaluation"), ("Discussion", "Ablation Study", "Limitations"),
                 ("Conclusion", "Conclusions"))
CENTS = re.compile(r"[.,]00(?!\d)")
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
LOREM_DECK_P = 0.1  # share of decks, and of CVs below, still filled with a template's lorem ipsum
LOREM_CV_P = 0.06
ABOUT_P = 0.25  # CV profiles written as a web resume's third-person "About"
# CVs that say little: a line or two of profile, a bullet or two a job. Real CVs run from 40 words a
# page to 400; without these, generated ones rarely fell under 100 (7% against 31% of the dev set's),
# and the text view learned "a short page of sentences is a letter"
BRIEF_CV_P = 0.3
MERGE_P = 0.04  # letters saved as mail-merge templates (recipient and salutation left as fields)
VARIABLES = ["x", "z", "w", "u", "v", "h", "y", "t", "s", "k", "n", "m"]  # Latin: body fonts may lack Greek


def whole_money(lang: Any, value: float) -> str:
    """An amount without cents, as in prose ("$250,000", "250.000 €")."""
    return CENTS.sub("", lang.money(value))


# --------------------------------------------------------------------------- papers


class PaperText:
    """A paper's words: one research field for the whole page, English templates or the local language's."""

    def __init__(self, rng: random.Random, fake: Any, lang: str, english: bool) -> None:
        data = vocab("paper")
        self.rng, self.fake, self.english = rng, fake, english
        self.field_name = rng.choice(sorted(data["fields"]))
        self.field = data["fields"][self.field_name]
        self.common = data["common"]
        self.local = for_lang(data["other_languages"], lang) if not english else None
        self.cites = rng.randint(15, 60)  # the size of this paper's bibliography
        self.tables = [self.field, self.common]
        self.section = rng.randint(0, 3)  # where in SECTION_ORDER the page starts
        self.used: set[str] = set()  # sentence templates already on the page

    def _extra(self) -> dict[str, Any]:
        return {
            "cite": self.cite, "citeay": self.citeay,
            "fig": lambda r: r.randint(1, 8), "tab": lambda r: r.randint(1, 5), "eq": lambda r: r.randint(1, 12),
            "sec": lambda r: r.randint(2, 7), "n": lambda r: r.choice([r.randint(12, 99), r.randint(100, 5000)]),
            "small": lambda r: r.randint(3, 10), "pct": lambda r: f"{r.uniform(0.5, 35):.1f}",
            "num": lambda r: f"{r.uniform(1.2, 8):.1f}", "year": lambda r: r.randint(1990, 2024),
            "period": lambda r: (lambda a: f"{a} to {a + r.randint(3, 25)}")(r.randint(1970, 2000)),
            "x": lambda r: r.choice(VARIABLES[:6]), "y": lambda r: r.choice(VARIABLES[6:]),
            "pval": lambda r: r.choice(["p < 0.001", "p < 0.01", "p < 0.05", f"p = 0.0{r.randint(1, 4)}"]),
            "lastname": lambda r: self.fake.last_name(), "Lastname": lambda r: self.fake.last_name(),
            "keyword": lambda r: r.choice(self.field["keyword"]),
        }

    def fill(self, template: str) -> str:
        tables = [self.local] if self.local is not None else self.tables
        text = sentence_case(fill(self.rng, template, tables, self._extra()))
        return text if self.local is not None else AN.sub(r"\1n \2", text)

    def cite(self, rng: random.Random) -> str:
        a = rng.randint(1, self.cites)
        r = rng.random()
        if r < 0.6:
            return f"[{a}]"
        if r < 0.85:
            return f"[{a}, {rng.randint(1, self.cites)}]"
        return f"[{a}–{a + rng.randint(1, 4)}]"

    def citeay(self, rng: random.Random) -> str:
        name, year = self.fake.last_name(), rng.randint(1995, 2025)
        r = rng.random()
        if r < 0.5:
            return f"({name} et al., {year})"
        if r < 0.75:
            return f"{name} et al. ({year})"
        return f"({name} and {self.fake.last_name()}, {year})"

    def title(self) -> str:
        if self.local is not None:
            return self.fill(self.rng.choice(self.local["title"]))
        return title_case(self.fill(self.rng.choice(self.common["title"])))

    def sentences(self, kind: str, n: int) -> str:
        """n sentences of one section kind (abstract, intro, related, method, experiments, results, ...);
        templates not yet used on the page come first, so a page rarely repeats a sentence."""
        pool = self.local["sentences"] if self.local is not None else self.common[kind]
        fresh = [t for t in pool if t not in self.used]
        chosen = pick(self.rng, fresh, n)
        chosen += pick(self.rng, [t for t in pool if t not in chosen], n - len(chosen))
        self.used.update(chosen)
        return " ".join(self.fill(t) for t in chosen)

    def paragraph(self, kind: str | None = None, n: int | None = None) -> str:
        kind = kind or self.rng.choice(["intro", "related", "method", "method", "experiments", "results",
                                        "results", "discussion"])
        return self.sentences(kind, n or self.rng.randint(3, 6))

    def section_kind(self, heading: str) -> str:
        """Which sentences suit the text under a section heading."""
        h = heading.lower()
        for key, kind in (("intro", "intro"), ("related", "related"), ("background", "related"),
                          ("result", "results"), ("experiment", "experiments"), ("evaluation", "results"),
                          ("ablation", "results"), ("discussion", "discussion"), ("limitation", "discussion"),
                          ("conclusion", "conclusion"), ("data", "experiments")):
            if key in h:
                return kind
        return "method"

    def abstract(self) -> str:
        if self.local is not None:
            return self.sentences("abstract", self.rng.randint(4, 7))
        parts = self.common["abstract"]
        rng = self.rng
        # Abstracts follow a shape: problem, proposal, evidence, implication.
        chosen = [parts[rng.choice([0, 2])], parts[rng.choice([1, 3])], parts[rng.choice([4, 6])]]
        chosen += pick(rng, [p for p in parts if p not in chosen], rng.randint(1, 4))
        return " ".join(self.fill(t) for t in chosen)

    def keywords(self) -> list[str]:
        return pick(self.rng, self.field["keyword"], self.rng.randint(3, 5))

    def caption(self, kind: str) -> str:
        if self.local is not None:
            return self.fill(self.rng.choice(self.local["sentences"]))
        return self.fill(self.rng.choice(self.common["caption_fig" if kind == "figure" else "caption_tab"]))

    def heading(self) -> str:
        """The next section heading, in the order papers use them."""
        self.section = min(self.section + self.rng.choice([1, 1, 2]), len(SECTION_ORDER) - 1)
        return self.rng.choice(SECTION_ORDER[self.section])

    def subheading(self) -> str:
        return self.rng.choice(self.field["sub"])

    def venue(self) -> str:
        return self.rng.choice(self.field["venue"])

    def arxiv_class(self) -> str:
        return self.rng.choice(self.field["arxiv"])

    def series(self, n: int) -> list[str]:
        """Legend entries of a figure: the compared methods or conditions."""
        names = pick(self.rng, self.field["baseline"], n)
        return names + [f"Ours ({k})" for k in range(1, n - len(names) + 1)]

    def ack(self) -> str:
        return " ".join(self.fill(t) for t in pick(self.rng, self.common["ack"], 2))

    def results_table(self) -> tuple[list[list[str]], str]:
        """A results table: methods (with citations) by this field's metrics."""
        rng = self.rng
        metrics = pick(rng, self.field["short_metric"], rng.randint(2, 5))
        head = rng.choice(["Method", "Model", "Condition", "Sample", "Specification", "Group"])
        rows = [[head] + metrics]
        names = pick(rng, self.field["baseline"], rng.randint(3, 8))
        if rng.random() < 0.6:
            names.append(rng.choice(["Ours", "Proposed", "This work", "Ours (full)"]))
        for name in names:
            ref = f" {self.cite(rng)}" if rng.random() < 0.35 and name not in ("Ours", "Proposed") else ""
            rows.append([name + ref] + [f"{rng.uniform(0, 100):.{rng.choice([1, 2])}f}"
                                        + (f" ± {rng.uniform(0, 3):.1f}" if rng.random() < 0.2 else "")
                                        for _ in metrics])
        return rows, "l" + "r" * len(metrics)

    @staticmethod
    def _pages(rng: random.Random) -> str:
        first = rng.randint(1, 2400)
        return f"{first}–{first + rng.randint(4, 30)}"

    def reference(self, k: int, numbered: bool) -> str:
        """One bibliography entry: authors, year, title, venue, volume and pages, sometimes a DOI or arXiv id."""
        rng, f = self.rng, self.fake
        n = rng.choice([1, 2, 2, 3, 3, 4, 5])
        names = [f"{f.last_name()}, {f.first_name()[0]}." if not numbered else f"{f.first_name()[0]}. {f.last_name()}"
                 for _ in range(n)]
        authors = ", ".join(names[:-1]) + (" and " if n > 1 else "") + names[-1] if n < 5 else names[0] + " et al."
        year = rng.randint(1975, 2025)
        saved_local, self.local = self.local, None  # references are in English whatever the paper's language
        try:
            title = title_case(self.fill(rng.choice(self.common["title"])))
        finally:
            self.local = saved_local
        r = rng.random()
        if r < 0.55:
            where = f"{self.venue()}, {rng.randint(1, 120)}({rng.randint(1, 12)}):{self._pages(rng)}"
        elif r < 0.75:
            where = f"In {self.venue()}, pp. {self._pages(rng)}"
        elif r < 0.9:
            where = f"arXiv preprint arXiv:{rng.randint(15, 25)}{rng.randint(1, 12):02d}.{rng.randint(10000, 29999)}"
        else:
            where = f"{rng.choice(['Springer', 'Cambridge University Press', 'MIT Press', 'Wiley', 'Elsevier'])}, {f.city()}"
        title += "" if title.endswith("?") else "."
        ref = f"{authors}. {title} {where}, {year}." if numbered else f"{authors} ({year}). {title} {where}."
        if rng.random() < 0.3:
            ref += f" doi:10.{rng.randint(1000, 9999)}/{f.bothify('??.####.#####').lower()}"
        return f"[{k}] {ref}" if numbered else ref


# --------------------------------------------------------------------------- letters


class LetterText:
    """One letter's words: a type (order, reminder, application, thanks, ...) fixed for the page."""

    def __init__(self, rng: random.Random, fake: Any, lang: Any, kinds: tuple[str, ...] = ("business",)) -> None:
        table = for_lang(vocab("letter"), lang.lang)
        self.rng, self.fake, self.lang, self.table = rng, fake, lang, table
        types = [name for name, t in sorted(table["types"].items()) if t["kind"] in kinds] or sorted(table["types"])
        self.merge = rng.random() < MERGE_P
        self.type = table["types"][rng.choice(types)]
        first, last = fake.first_name(), fake.last_name()
        date = random_date(rng)
        # One set of facts per letter, so the subject, body and closing agree with each other.
        self.extra = {
            "first": first, "First": first, "last": last, "name": f"{first} {last}", "company": fake.company(),
            "city": fake.city(), "job": self._job(rng, fake, lang.lang), "ref": self._ref(rng, date.year),
            "date": lambda r: lang.date(date + dt.timedelta(days=r.randint(-40, 40))),
            "amount": lang.money(round(10 ** rng.uniform(1.5, 4.3), 2)),
            "days": rng.choice([3, 5, 7, 10, 14, 30]), "time": rng.choice(["9:00", "10:30", "14:00", "15:30", "18:00", "19:30"]),
            "weekday": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
            "product": lambda r: self._product(r),
        }

    @staticmethod
    def _job(rng: random.Random, fake: Any, lang: str) -> str:
        """A job title in the letter's language (Faker's are English for Italian and Dutch)."""
        roles = for_lang(vocab("resume"), lang).get("roles")
        return rng.choice(roles) if roles and lang in ("it", "nl") else fake.job()

    def _product(self, rng: random.Random) -> str:
        """A line item of the invoice vocabulary, lower-cased mid-sentence (German nouns keep their capital)."""
        item = fill(rng, rng.choice(for_lang(vocab("invoice")["services"], self.lang.lang)), [],
                    {"n": rng.randint(10, 150), "month": rng.choice(self.lang.months)})
        return item if self.lang.lang == "de" else item[:1].lower() + item[1:]

    @staticmethod
    def _ref(rng: random.Random, year: int) -> str:
        return rng.choice([f"{year}-{rng.randint(100, 9999)}", f"{rng.randint(10000, 99999)}",
                           f"{rng.choice('ABKRS')}{rng.randint(1000, 99999)}", f"{rng.randint(100, 999)}/{year % 100:02d}"])

    def fill(self, template: str) -> str:
        return fill(self.rng, template, [], self.extra)

    def salutation(self) -> str:
        return self.fill(self.rng.choice(self.table["salutation"]))

    def subject(self) -> str:
        return self.fill(self.rng.choice(self.type["subject"]))

    def opening(self) -> str:
        return self.fill(self.rng.choice(self.type["open"]))

    def paragraphs(self, n: int) -> list[str]:
        """n paragraphs: the opening with the matter of the letter, more of it, and a closing paragraph."""
        rng = self.rng
        body = pick(rng, self.type["body"], len(self.type["body"]))
        personal = self.type["kind"] == "personal"
        generic = [] if personal else pick(rng, self.table["generic"], len(self.table["generic"]))

        def take(pool: list[str], k: int) -> list[str]:
            return [self.fill(pool.pop()) for _ in range(min(len(pool), k))]

        out = [" ".join([self.opening()] + take(body, rng.randint(1, 3)))]
        for _ in range(max(0, n - 2)):
            sentences = take(body, rng.randint(1, 3)) if body else take(generic, rng.randint(1, 2))
            if not sentences:
                break
            out.append(" ".join(sentences))
        if n > 1:
            out.append(" ".join(take(body, 2)) if personal else self.fill(rng.choice(self.table["close"])))
        return [p for p in out if p]

    def enclosure(self) -> str:
        return self.rng.choice(self.table["enclosure"])

    @property
    def application_line(self) -> str:
        return self.table["application_line"] + self.extra["job"]


# --------------------------------------------------------------------------- CVs


class CvText:
    """A CV's words: one trade (software, finance, nursing, ...) for the whole page, in the page's language."""

    def __init__(self, rng: random.Random, fake: Any, lang: Any) -> None:
        data = vocab("resume")
        self.rng, self.fake, self.lang = rng, fake, lang
        self.table = for_lang(data, lang.lang)
        self.domain = data["domains"][rng.choice(sorted(data["domains"]))]
        self.certs_list = data["certs"]
        self.lorem = rng.random() < LOREM_CV_P  # a CV template with its placeholder text left in
        self.brief = rng.random() < BRIEF_CV_P
        self.tables = [self.table, self.domain]
        self.used: set[str] = set()  # sentence templates already on the page
        gender = rng.choice(["m", "f"])  # the person's; an 'about' uses its pronouns, participles its endings
        first = fake.first_name_male() if gender == "m" else fake.first_name_female()
        self.extra = {
            "pct": lambda r: r.choice([10, 12, 15, 18, 20, 25, 30, 35, 40, 50, 60]),
            "n": lambda r: r.choice([r.randint(5, 60), r.randint(100, 900), r.randint(1000, 20000)]),
            "small": lambda r: r.randint(2, 9), "years": rng.randint(2, 20),
            "money": lambda r: whole_money(lang, r.choice([50, 120, 250, 400, 750]) * 1000),
            "tool": lambda r: r.choice(self.domain["skill"]), "city": lambda r: fake.city(),
            "company": lambda r: fake.company(), "role": lambda r: self.role(), "Role": lambda r: self.role(),
            "year": lambda r: r.randint(2005, 2024), "first": first, **self.table["gender"][gender],
        }

    def fill(self, template: str) -> str:
        # A sentence that ends on a company ("... Sp. z o.o.") keeps one full stop.
        return DOUBLE_STOP.sub(".", sentence_case(fill(self.rng, template, self.tables, self.extra)))

    def role(self) -> str:
        rng = self.rng
        if self.lang.lang == "en" or "roles" not in self.table:
            return rng.choice(self.domain["role"]) if rng.random() < 0.85 else self.fake.job()
        # Faker's job titles are localised for de, fr, es and pt only; our lists cover the rest.
        return rng.choice(self.table["roles"]) if rng.random() < 0.6 or self.lang.lang in ("it", "nl") else self.fake.job()

    def heading(self, key: str) -> str:
        options = self.table["headings"].get(key)
        return self.rng.choice(options) if options else self.lang[key]

    def sentences(self, pool: list[str], n: int) -> str:
        """n filled sentences of a pool, those not yet on the page first (a CV rarely says a thing twice)."""
        fresh = [t for t in pool if t not in self.used]
        chosen = pick(self.rng, fresh, n)
        chosen += pick(self.rng, [t for t in pool if t not in chosen], n - len(chosen))
        self.used.update(chosen)
        return " ".join(self.fill(t) for t in chosen)

    def profile(self, n: int | None = None) -> str:
        """A profile of n sentences (2-5 when not given), or the third-person 'About' of web resumes."""
        rng = self.rng
        n = n or rng.randint(2, 5)
        n = min(n, rng.randint(1, 2)) if self.brief else n
        if self.lorem:
            return lorem(rng, rng.randint(20, 60)) + "."
        if rng.random() < ABOUT_P:
            return self.sentences(self.table["about"], n + 1)
        first, rest = self.table["profile"][0], self.table["profile"][1:]
        return " ".join([self.fill(first), self.sentences(rest, n - 1)]).strip()

    def job_summary(self, n: int) -> str:
        """What a job was, in n sentences of prose (first person, impersonal or 'we')."""
        n = 1 if self.brief else n
        if self.lorem:
            return lorem(self.rng, self.rng.randint(12, 35)) + "."
        return self.sentences(self.table["job"], n)

    def bullets(self, n: int) -> list[str]:
        n = self.rng.randint(0, 2) if self.brief and n > 2 else n  # one line asked for stays one
        if self.lorem:
            return [lorem(self.rng, self.rng.randint(5, 14)) for _ in range(n)]
        pool = self.domain["bullet"] if self.lang.lang == "en" else self.table["bullets"]
        return [self.fill(t) for t in pick(self.rng, pool, n)]

    def skills(self, n: int) -> list[str]:
        n = min(n, self.rng.randint(3, 6)) if self.brief else n
        return pick(self.rng, self.domain["skill"], n)

    def skills_with_levels(self, n: int) -> list[str]:
        """Skills with a spelled-out level: "Python (Advanced)"."""
        return [f"{s} ({self.rng.choice(self.table['skill_levels'])})" for s in self.skills(n)]

    def degree(self) -> str:
        return self.fill(self.rng.choice(self.table["degree"]))

    def school_note(self) -> str:
        return self.fill(self.rng.choice(self.table["school_extra"]))

    def languages(self, n: int) -> list[tuple[str, str]]:
        """(language, level) pairs, the first one native."""
        names = pick(self.rng, self.table["language_names"], n)
        levels = self.table["levels"]
        return [(name, levels[0] if k == 0 else self.rng.choice(levels[1:])) for k, name in enumerate(names)]

    def interests(self, n: int) -> list[str]:
        return pick(self.rng, self.table["interests"], n)

    def certs(self, n: int) -> list[str]:
        return [f"{c} ({self.rng.randint(2012, 2025)})" for c in pick(self.rng, self.certs_list, n)]

    def volunteering(self) -> str:
        return self.rng.choice(self.table["volunteering"])

    def personal_label(self, key: str) -> str:
        return self.table["personal"][key]

    def project(self) -> str:
        return f"{self.fake.last_name()}: {self.bullets(1)[0]}"

    def item(self, key: str) -> str:
        """One line for a short section (certs, languages, projects, interests, awards, volunteering)."""
        rng = self.rng
        if key == "certs":
            return self.certs(1)[0]
        if key == "languages":
            name, level = self.languages(1 + rng.randint(0, 2))[-1]
            return f"{name}: {level}"
        if key == "projects":
            return self.project()
        if key == "interests":
            return ", ".join(self.interests(rng.randint(2, 4)))
        if key == "volunteering":
            return self.volunteering()
        return f"{rng.choice(['Employee of the Year', 'Best Paper Award', 'Scholarship', 'Innovation Award', 'Dean’s List'])} ({rng.randint(2008, 2025)})"


# --------------------------------------------------------------------------- slides


class SlideText:
    """A deck's words: English decks have a topic (business, tech, research, teaching, ...), others one table."""

    def __init__(self, rng: random.Random, fake: Any, lang: Any) -> None:
        data = vocab("slides")
        self.rng, self.fake, self.lang = rng, fake, lang
        self.table = for_lang(data, lang.lang)
        if "decks" in self.table:
            self.deck_kind = rng.choice(sorted(self.table["decks"]))
            self.deck = self.table["decks"][self.deck_kind]
        else:
            self.deck_kind, self.deck = "general", self.table
        self.tables = [self.deck, self.table]
        year = rng.randint(2015, 2026)
        product = rng.choice([fake.last_name(), f"Project {fake.last_name()}", f"{fake.last_name()} 2.0",
                              f"{fake.last_name()} Cloud"]) if lang.lang == "en" else fake.last_name()
        self.extra = {
            "year": year, "year2": year + rng.randint(1, 5), "quarter": f"Q{rng.randint(1, 4)}",
            "pct": lambda r: r.choice([5, 8, 12, 15, 18, 20, 25, 32, 40]), "n": lambda r: r.randint(12, 900),
            "small": lambda r: r.randint(2, 9), "company": fake.company(), "city": lambda r: fake.city(),
            "product": product, "name": lambda r: fake.name(),
            "money": lambda r: whole_money(lang, r.choice([0.5, 1.2, 2.5, 4, 10]) * 1e6),
            "venue": lambda r: r.choice(["NeurIPS", "ICML", "ACL", "CVPR", "KDD", "AAAI", "ICLR"]),
        }
        self.title = self._fill(rng.choice(self.deck["title"]))
        # Downloaded templates keep their placeholder text: real decks full of lorem ipsum are common.
        self.lorem = rng.random() < LOREM_DECK_P
        if self.lorem:
            self.title = lorem(rng, rng.randint(2, 4)).title()

    def _fill(self, template: str) -> str:
        return sentence_case(fill(self.rng, template, self.tables, self.extra))

    def slide_title(self) -> str:
        if self.lorem:
            return lorem(self.rng, self.rng.randint(1, 3)).title()
        return self._fill(self.rng.choice(self.deck["slide_title"]))

    def titles(self, n: int) -> list[str]:
        if self.lorem:
            return [self.slide_title() for _ in range(n)]
        return [self._fill(t) for t in pick(self.rng, self.deck["slide_title"], n)]

    def bullets(self, n: int) -> list[str]:
        if self.lorem:
            return [lorem(self.rng, self.rng.randint(4, 16)) for _ in range(n)]
        return [self._fill(t) for t in pick(self.rng, self.deck["bullet"], n)]

    def section(self) -> str:
        return self._fill(self.rng.choice(self.table["section"]))

    def block(self) -> str:
        return self.rng.choice(self.table["block"])

    def quote(self) -> str:
        return self._fill(self.rng.choice(self.table.get("quote") or self.deck["bullet"]))
