"""Pieces several document classes share: companies, addresses, letterheads, footers, page numbers."""

from __future__ import annotations

from dataclasses import dataclass

from docclf.synth.canvas import RGB
from docclf.synth.fonts import Face, Family
from docclf.synth.page import Doc
from docclf.synth.render import logo
from docclf.synth.text import COUNTRY, for_lang, vocab


@dataclass
class Company:
    name: str
    street: str
    city: str
    phone: str
    email: str
    web: str
    vat_id: str
    iban: str
    bic: str
    bank: str
    reg: str
    fax: str = ""
    labels: dict[str, str] | None = None  # "Tel.:", "Fax:", "E-Mail:"... in front of each contact, or bare

    @property
    def address_lines(self) -> list[str]:
        return [self.street, self.city]

    def contact(self, web: bool = False) -> list[str]:
        """Phone, fax (when the company has one), e-mail and optionally web, labelled as the company prints them."""
        items = [("phone", self.phone), ("fax", self.fax), ("email", self.email)] + ([("web", self.web)] if web else [])
        return [f"{self.labels[k]} {v}" if self.labels else v for k, v in items if v]


def company(doc: Doc) -> Company:
    """A company with contact, tax and bank details from the page's locale."""
    f, rng = doc.fake, doc.rng
    name = f.company()
    street, city = split_address(f.address())
    slug = "".join(c for c in name.lower().split()[0] if c.isalnum())[:12] or "firma"
    tld = {"de": "de", "fr": "fr", "es": "es", "it": "it", "nl": "nl", "pt": "pt"}.get(doc.lang.lang, "com")
    if doc.lang.locale == "en_GB":
        tld = "co.uk"
    cc = doc.lang.country if doc.lang.country not in ("US",) else "US"
    vat = f"{cc}{rng.randint(10 ** 8, 10 ** 9 - 1)}" if cc != "US" else f"EIN {rng.randint(10, 99)}-{rng.randint(10 ** 6, 10 ** 7 - 1)}"
    iban = f.iban()
    iban = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    reg = rng.choice([f"HRB {rng.randint(1000, 99999)}", f"RCS {f.city()} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                      f"Company No. {rng.randint(10 ** 7, 10 ** 8 - 1)}", f"REA {rng.randint(10 ** 5, 10 ** 6)}",
                      f"KvK {rng.randint(10 ** 7, 10 ** 8 - 1)}"])
    # Real letterheads and invoices mostly label their numbers ("Tel.:", "Fax:", "E-Mail:"); bare numbers
    # taught the text view that these words belong to forms and fax cover sheets (the 'other' class).
    table = for_lang(vocab("labels")["contacts"], doc.lang.lang)
    labels = {k: rng.choice(v) for k, v in table.items()} if rng.random() < 0.75 else None
    fax = f.phone_number() if rng.random() < 0.35 else ""
    return Company(name, street, city, f.phone_number(), f"{rng.choice(['info', 'billing', 'contact', 'office', 'hello'])}@{slug}.{tld}",
                   f"www.{slug}.{tld}", vat, iban, f.swift(), f"{f.last_name()} {rng.choice(['Bank', 'Bank AG', 'Banque', 'Banco', 'Sparkasse', 'Credit Union'])}",
                   reg, fax, labels)


def split_address(addr: str) -> tuple[str, str]:
    """Faker addresses are 'street\\ncity' (sometimes one line with a comma); return both parts."""
    lines = [line.strip() for line in addr.replace(", ", "\n", 1).split("\n") if line.strip()] \
        if "\n" not in addr else [line.strip() for line in addr.split("\n") if line.strip()]
    if len(lines) == 1:
        return lines[0], ""
    return lines[0], " ".join(lines[1:])


def person_block(doc: Doc, with_company: bool | None = None) -> list[str]:
    """Recipient lines: optional company, a person, street, city (and sometimes country)."""
    f, rng = doc.fake, doc.rng
    lines = []
    if with_company if with_company is not None else rng.random() < 0.5:
        lines.append(f.company())
        if rng.random() < 0.6:
            attn = {"de": "z. Hd. ", "fr": "À l'attention de ", "es": "Att.: ", "it": "Alla c.a. ", "nl": "t.a.v. ",
                    "pt": "A/C "}.get(doc.lang.lang, "Attn: ")
            lines.append(attn + f.name() if rng.random() < 0.5 else f.name())
    else:
        lines.append(f.name())
    street, city = split_address(f.address())
    lines += [street, city]
    if rng.random() < 0.15:
        lines.append(COUNTRY.get(doc.lang.country, doc.lang.country))
    return [line for line in lines if line]


def lines_block(doc: Doc, x: float, y: float, lines: list[str], face: Face, size: float,
                fill: RGB | None = None, leading: float = 1.3, bold_first: Face | None = None,
                right: bool = False) -> float:
    """Draw one text line per item starting below y; returns the y after the block."""
    for i, line in enumerate(lines):
        f = bold_first if (i == 0 and bold_first) else face
        base = y + size + i * size * leading
        if right:
            doc.cv.text_right(x, base, line, f, size, fill or doc.ink)
        else:
            doc.cv.text(x, base, line, f, size, fill or doc.ink)
    return y + len(lines) * size * leading


def kv_block(doc: Doc, x: float, y: float, pairs: list[tuple[str, str]], label: Face, value: Face,
             size: float, label_w: float | None = None, right_edge: float | None = None,
             label_fill: RGB | None = None) -> float:
    """'Label   value' rows; values start at x + label_w, or end at right_edge when given."""
    if label_w is None:
        label_w = max(doc.cv.width(k, label, size) for k, _ in pairs) + size
    step = size * 1.45
    for i, (k, v) in enumerate(pairs):
        base = y + size + i * step
        doc.cv.text(x, base, k, label, size, label_fill or doc.ink)
        if right_edge is not None:
            doc.cv.text_right(right_edge, base, v, value, size, doc.ink)
        else:
            doc.cv.text(x + label_w, base, v, value, size, doc.ink)
    return y + len(pairs) * step


def page_number(doc: Doc, n: int, total: int | None, face: Face, size: float, y: float | None = None) -> None:
    """'3', '- 3 -', 'Page 3 of 5' at the bottom centre or right."""
    rng = doc.rng
    style = rng.randrange(4)
    text = [str(n), f"- {n} -", f"{doc.lang['page']} {n}" + (f" {doc.lang['of']} {total}" if total else ""),
            f"{n}/{total}" if total else str(n)][style]
    y = y if y is not None else doc.H - rng.uniform(20, 40)
    if rng.random() < 0.6:
        doc.cv.text_center(doc.W / 2, y, text, face, size, doc.ink)
    else:
        doc.cv.text_right(doc.W - rng.uniform(36, 60), y, text, face, size, doc.ink)


def footer_columns(doc: Doc, co: Company, x0: float, x1: float, y: float, face: Face, size: float,
                   rule: bool = True) -> None:
    """A company footer: address, contact, bank and registration in 2-4 small columns."""
    cols = [[co.name, co.street, co.city], co.contact(web=True),
            [co.bank, f"IBAN {co.iban}", f"BIC {co.bic}"], [co.reg, f"{doc.lang['vat_id']} {co.vat_id}"]]
    n = doc.rng.choice([2, 3, 4, 4])
    cols = cols[:n]
    ink = doc.grey(60, 130)
    if rule:
        doc.cv.hline(x0, x1, y - size * 0.6, doc.accent if doc.rng.random() < 0.4 else ink, 0.5)
    w = (x1 - x0) / n
    for i, col in enumerate(cols):
        lines_block(doc, x0 + i * w, y, col, face, size, ink, 1.25)


def letterhead(doc: Doc, co: Company, x0: float, x1: float, y: float, face: Face, bold: Face) -> float:
    """A company letterhead in one of several arrangements; returns the y below it."""
    rng = doc.rng
    style = rng.randrange(5)
    s = rng.uniform(22, 40)
    if style == 0:  # logo left, contact right
        logo(doc, x0, y, s, co.name, bold)
        lines_block(doc, x1, y - 2, [co.street, co.city, *co.contact()], face, 7.5,
                    doc.grey(60, 120), 1.3, right=True)
        return y + max(s, 42) + 10
    if style == 1:  # centred name with a rule
        doc.cv.text_center(doc.W / 2, y + 18, co.name.upper() if rng.random() < 0.5 else co.name, bold,
                           rng.uniform(14, 22), doc.accent)
        doc.cv.text_center(doc.W / 2, y + 32, " · ".join([co.street, co.city, *co.contact()[:2]]), face, 7.5, doc.grey(60, 120))
        doc.cv.hline(x0, x1, y + 40, doc.accent, rng.uniform(0.5, 2))
        return y + 52
    if style == 2:  # logo right
        logo(doc, x1, y, s, co.name, bold, right=True)
        return y + s + 14
    if style == 3:  # coloured band across the top
        doc.cv.rect(0, 0, doc.W, y + s, fill=doc.accent)
        doc.cv.text(x0, y + s * 0.7, co.name, bold, s * 0.55, (255, 255, 255))
        doc.cv.text_right(x1, y + s * 0.7, co.web, face, 8, (255, 255, 255))
        return y + s + 22
    # name and tagline left, small
    doc.cv.text(x0, y + 14, co.name, bold, rng.uniform(12, 18), doc.accent)
    tag = doc.fake.catch_phrase() if doc.lang.lang == "en" else co.web
    doc.cv.text(x0, y + 26, tag, face, 8, doc.grey(80, 140))
    return y + 40


def fold_marks(doc: Doc) -> None:
    """DIN 5008 fold and punch marks on the left edge (German business paper)."""
    for yy, w in ((doc.H * 105 / 297, 10), (doc.H * 210 / 297, 10), (doc.H / 2, 14)):
        doc.cv.hline(8, 8 + w, yy, doc.grey(100, 160), 0.4)


def tex_family(doc: Doc, kind: str) -> Family:
    """Computer Modern when it covers the page's language (LaTeX's own look), else a family of that kind."""
    name = "Computer Modern Sans" if kind == "sans" else "Computer Modern"
    cm = [f for f in doc.fams if f.name == name and f.regular.covers(doc.chars)]
    return cm[0] if cm and doc.rng.random() < 0.7 else doc.family({kind: 1})
