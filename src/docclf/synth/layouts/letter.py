"""Letters: sender and recipient blocks, date line, subject, salutation, paragraphs, closing, signature."""

from __future__ import annotations

import random

from docclf.synth.canvas import paragraph
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import logo, signature
from docclf.synth.phrases import LetterText
from docclf.synth.text import LOREM, random_date
from docclf.synth.layouts.common import (company, fold_marks, footer_columns, kv_block, letterhead,
                                         lines_block, page_number, person_block, split_address, tex_family)

def make_doc(rng: random.Random, long_px: int) -> Doc:
    return new_doc(rng, "portrait", long_px, colour_p=0.35,
                   body_kinds={"serif": 3, "sans": 3, "mono": 0.4, "script": 0.3},
                   head_kinds={"sans": 2, "serif": 2})


def words(doc: Doc, *kinds: str) -> LetterText:
    """The letter's phrase builder, made once per page for the kinds of letter a layout writes."""
    if doc.text is None:
        doc.text = LetterText(doc.rng, doc.fake, doc.lang, kinds or ("business",))
    return doc.text


def n_paragraphs(rng: random.Random) -> int:
    """From a one-line note to a full page."""
    r = rng.random()
    return 1 if r < 0.12 else rng.randint(2, 3) if r < 0.5 else rng.randint(4, 6) if r < 0.9 else 12


MERGE_FIELDS = (["<FirstName> <LastName>", "<Company>", "<Street>", "<City>, <State> <Zip>"],
                ["«Title» «FirstName» «LastName»", "«Address1»", "«PostalCode» «City»"],
                ["{{name}}", "{{company}}", "{{street}}", "{{zip}} {{city}}"],
                ["[Recipient Name]", "[Company Name]", "[Street Address]", "[City, ST ZIP Code]"])


def recipient(doc: Doc, with_company: bool | None = None) -> list[str]:
    """The recipient's address block, or the merge fields of an unfilled template."""
    if words(doc).merge:
        return doc.rng.choice(MERGE_FIELDS)
    return person_block(doc, with_company)


def salutation(doc: Doc, generic_p: float = 0.3) -> str:
    if words(doc).merge:
        return doc.rng.choice(["Dear <FirstName>,", "Dear «Title» «LastName»,", "Dear {{first_name}},",
                               "Dear [Recipient Name],"])
    if doc.rng.random() < generic_p:
        return doc.lang["dear_generic"]
    return words(doc).salutation()


def body(doc: Doc, x: float, y: float, w: float, face, size: float, bottom: float, n: int | None = None,
         align: str | None = None, indent: float = 0.0, gap: float | None = None,
         after_salutation: bool = True) -> float:
    """Opening sentence plus paragraphs in the page's language; stops at `bottom`."""
    rng = doc.rng
    n = n_paragraphs(rng) if n is None else n
    align = align or ("justify" if rng.random() < 0.35 else "left")
    gap = size * rng.uniform(0.5, 1.1) if gap is None else gap
    leading = rng.uniform(1.2, 1.5)
    paragraphs = words(doc).paragraphs(n)
    if rng.random() < 0.03:  # an unfilled template
        paragraphs = [LOREM] * len(paragraphs)
    for k, text in enumerate(paragraphs):
        if k == 0 and (not after_salutation or doc.lang.lang != "de"):
            text = text[:1].upper() + text[1:]  # German openers are lower case only after "Sehr geehrte ...,"
        if y + size * 2 > bottom:
            break
        y = paragraph(doc.cv, x, y, w, text, face, size, doc.ink, leading, align, bottom, indent) + gap
    return y


def closing_block(doc: Doc, x: float, y: float, face, bold, size: float, name: str | None = None,
                  title: str | None = None, company_name: str | None = None) -> float:
    """Closing phrase, signature scribble, typed name and function; returns the y below."""
    rng, L = doc.rng, doc.lang
    closing = rng.choice([L["closing"], L["closing"], L["closing2"], L["closing3"]])
    y = paragraph(doc.cv, x, y, doc.W - x - 50, closing, face, size, doc.ink, 1.3)
    if company_name and rng.random() < 0.3:
        doc.cv.text(x, y + size, company_name, face, size, doc.ink)
        y += size * 1.4
    if rng.random() < 0.85:
        signature(doc, x, y + 2, rng.uniform(70, 130), rng.uniform(22, 36))
    y += rng.uniform(34, 46)
    doc.cv.text(x, y + size, name or doc.fake.name(), bold if rng.random() < 0.3 else face, size, doc.ink)
    y += size * 1.35
    if title or rng.random() < 0.6:
        doc.cv.text(x, y + size, title or doc.fake.job(), face, size * 0.95, doc.grey(40, 110))
        y += size * 1.35
    if rng.random() < 0.2:
        y += size
        doc.cv.text(x, y + size, f"{L['enclosure']}: {words(doc).enclosure()}", face,
                    size * 0.9, doc.ink)
        y += size * 1.4
    return y


def subject_line(doc: Doc, x: float, y: float, w: float, face, bold, size: float, prefix_p: float = 0.5) -> float:
    rng, L = doc.rng, doc.lang
    text = words(doc).subject()
    if rng.random() < 0.3:
        text += f" – {rng.choice([L['your_ref'], L['our_ref']])} {rng.randint(100, 9999)}"
    if rng.random() < prefix_p:
        text = f"{L['re']} {text}"
    return paragraph(doc.cv, x, y, w, text, bold, size * rng.uniform(1.0, 1.15), doc.ink, 1.3)


def date_line(doc: Doc, city: str | None = None) -> str:
    rng, L = doc.rng, doc.lang
    d = L.date(random_date(rng), 0 if rng.random() < 0.7 else 1)
    if city and rng.random() < 0.5:
        if L.lang == "fr":
            return f"{city}, le {d}"
        return f"{city}, {d}"
    return d


# --------------------------------------------------------------------------- families


def business(doc: Doc) -> None:
    """Company letterhead, recipient, date, subject, salutation, paragraphs, signature, footer."""
    rng, cv = doc.rng, doc.cv
    reg, bold = doc.body.regular, doc.body.bold
    co = company(doc)
    m = rng.uniform(50, 80)
    right = doc.W - rng.uniform(50, 80)
    size = rng.uniform(9, 11.5)
    y = letterhead(doc, co, m, right, rng.uniform(28, 50), reg, doc.head.bold)
    y += rng.uniform(20, 60)
    y = lines_block(doc, m, y, recipient(doc), reg, size) + size * 1.5
    dl = date_line(doc, doc.fake.city())
    if rng.random() < 0.6:
        cv.text_right(right, y + size, dl, reg, size, doc.ink)
    else:
        cv.text(m, y + size, dl, reg, size, doc.ink)
    y += size * 3
    if rng.random() < 0.8:
        y = subject_line(doc, m, y, right - m, reg, bold, size) + size
    cv.text(m, y + size, salutation(doc), reg, size, doc.ink)
    y += size * 2.2
    footer = rng.random() < 0.55
    bottom = doc.H - (110 if footer else 60) - 100
    y = body(doc, m, y, right - m, reg, size, bottom)
    closing_block(doc, m if rng.random() < 0.8 else doc.W * 0.55, y + size * 0.5, reg, bold, size,
                  company_name=co.name)
    if footer:
        footer_columns(doc, co, m, right, doc.H - 62, reg, 6.5)


def din5008(doc: Doc) -> None:
    """German standard business letter: return line, address field, info block, fold marks, footer."""
    rng, cv = doc.rng, doc.cv
    reg, bold = doc.body.regular, doc.body.bold
    co = company(doc)
    left, right = 70.9, doc.W - 56.7
    size = rng.uniform(9.5, 11)
    if rng.random() < 0.5:
        logo(doc, right, 40, 30, co.name, doc.head.bold, right=True)
    else:
        letterhead(doc, co, left, right, 36, reg, doc.head.bold)
    fold_marks(doc)
    ya = 127.6
    cv.text(left, ya, f"{co.name} · {co.street} · {co.city}", reg, 6.5, doc.grey(50, 120))
    lines_block(doc, left, ya + 12, recipient(doc), reg, size, leading=1.25)
    L = doc.lang
    pairs = [(L["your_ref"], doc.fake.bothify("??-####").upper()), (L["our_ref"], doc.fake.bothify("??/###").upper()),
             (L["phone"], co.phone), (L["email"], co.email), (L["date"], L.date(random_date(rng), 1))]
    pairs = pairs[rng.randint(0, 2):]
    kv_block(doc, doc.W * 0.62, ya - 6, pairs, reg, reg, 7.5, right_edge=right)
    y = 270
    y = subject_line(doc, left, y, right - left, reg, bold, size, prefix_p=0.1) + size * 1.5
    cv.text(left, y + size, salutation(doc), reg, size, doc.ink)
    y += size * 2.4
    bottom = doc.H - 190
    y = body(doc, left, y, right - left, reg, size, bottom, align="left")
    closing_block(doc, left, y + size * 0.4, reg, bold, size)
    footer_columns(doc, co, left, right, doc.H - 58, reg, 6.3, rule=rng.random() < 0.5)
    if rng.random() < 0.4:
        page_number(doc, 1, rng.choice([1, 2]), reg, 7.5, doc.H - 70)


def personal(doc: Doc) -> None:
    """A private letter: sender top right, no logo, often serif, often short, sometimes no subject."""
    rng, cv = doc.rng, doc.cv
    words(doc, "personal")
    fam = doc.family({"serif": 3, "sans": 1, "script": 1, "mono": 0.3})
    reg, bold = fam.regular, fam.bold
    m = rng.uniform(56, 90)
    right = doc.W - m
    size = rng.uniform(10, 13)
    name = doc.fake.name()
    street, city = split_address(doc.fake.address())
    sender = [name, street, city] + ([doc.fake.phone_number()] if rng.random() < 0.5 else [])
    if rng.random() < 0.6:
        lines_block(doc, right, m, sender, reg, size * 0.95, right=True)
    else:
        lines_block(doc, m, m, sender, reg, size * 0.95)
    y = m + len(sender) * size * 1.3 + size * 2
    if rng.random() < 0.6:
        y = lines_block(doc, m, y, recipient(doc, with_company=False), reg, size) + size * 2
    cv.text_right(right, y + size, date_line(doc, doc.fake.city()), reg, size, doc.ink)
    y += size * 3
    if rng.random() < 0.4:
        y = subject_line(doc, m, y, right - m, reg, bold, size) + size
    cv.text(m, y + size, salutation(doc, 0.1), reg, size, doc.ink)
    y += size * 2.4
    n = rng.choice([1, 1, 2, 2, 3, 4])
    y = body(doc, m, y, right - m, reg, size, doc.H - 160, n=n, indent=size * 2 if rng.random() < 0.4 else 0)
    closing_block(doc, m if rng.random() < 0.5 else doc.W * 0.55, y + size * 0.5, reg, bold, size, name=name,
                  title="")


def modern(doc: Doc) -> None:
    """A designed letterhead: coloured side bar or corner block, contact details in a side column."""
    rng, cv = doc.rng, doc.cv
    reg, bold = doc.body.regular, doc.body.bold
    co = company(doc)
    size = rng.uniform(9, 11)
    col = doc.accent
    side_w = rng.uniform(120, 170)
    left_side = rng.random() < 0.6
    if left_side:
        cv.rect(0, 0, side_w, doc.H, fill=doc.tint(col, rng.choice([0, 0.85, 0.93])))
        ink = (255, 255, 255) if cv.img.getpixel((1, 1)) == col else doc.ink
        logo(doc, 20, 40, 26, co.name, doc.head.bold, colour=ink if ink != doc.ink else col, text=False)
        lines_block(doc, 20, 90, [co.name, "", co.street, co.city, "", co.phone, co.email, co.web], reg, 7.5,
                    ink, 1.35)
        m, right = side_w + 40, doc.W - 50
    else:
        cv.rect(0, 0, doc.W, 8, fill=col)
        cv.rect(0, doc.H - 8, doc.W, doc.H, fill=col)
        m, right = 60, doc.W - 60
        logo(doc, m, 40, 28, co.name, doc.head.bold)
    y = rng.uniform(110, 170)
    y = lines_block(doc, m, y, recipient(doc), reg, size) + size * 2
    cv.text(m, y + size, date_line(doc), reg, size, doc.grey(60, 110))
    y += size * 3
    y = subject_line(doc, m, y, right - m, reg, bold, size, prefix_p=0.2) + size
    cv.text(m, y + size, salutation(doc), reg, size, doc.ink)
    y += size * 2.2
    y = body(doc, m, y, right - m, reg, size, doc.H - 170)
    closing_block(doc, m, y + size * 0.4, reg, bold, size, company_name=co.name)
    if not left_side and rng.random() < 0.7:
        cv.text_center(doc.W / 2, doc.H - 26, f"{co.name} | {co.street}, {co.city} | {co.phone} | {co.web}",
                       reg, 6.5, doc.grey(70, 130))


def french(doc: Doc) -> None:
    """French/Spanish-style layout: sender top left, recipient in the right column, 'Objet :' line."""
    rng, cv = doc.rng, doc.cv
    words(doc, "business", "application", "personal")
    reg, bold = doc.body.regular, doc.body.bold
    m = rng.uniform(50, 75)
    right = doc.W - m
    size = rng.uniform(9.5, 11.5)
    name = doc.fake.name()
    street, city = split_address(doc.fake.address())
    sender = [name, street, city, doc.fake.phone_number(), doc.fake.free_email()]
    lines_block(doc, m, m, sender[: rng.randint(3, 5)], reg, size)
    rx = doc.W * rng.uniform(0.5, 0.6)
    y = lines_block(doc, rx, m + 90, recipient(doc), reg, size) + size * 1.5
    cv.text(rx, y + size, date_line(doc, doc.fake.city()), reg, size, doc.ink)
    y += size * 4
    L = doc.lang
    cv.text(m, y + size, f"{L['subject']} : " if L.lang == "fr" else f"{L['subject']}: ", bold, size, doc.ink)
    sw = cv.width(f"{L['subject']} : ", bold, size)
    cv.text(m + sw, y + size, words(doc).subject(), reg, size, doc.ink)
    y += size * 2
    if rng.random() < 0.3:
        cv.text(m, y + size, f"{L['our_ref']} : {rng.randint(100, 9999)}/{doc.fake.bothify('??').upper()}", reg,
                size * 0.9, doc.ink)
        y += size * 1.6
    y += size
    cv.text(m + (size * 2 if rng.random() < 0.5 else 0), y + size, salutation(doc, 0.5), reg, size, doc.ink)
    y += size * 2.4
    y = body(doc, m, y, right - m, reg, size, doc.H - 170, indent=size * 2.5, align="justify", gap=size * 0.4)
    closing_block(doc, rx, y + size * 0.6, reg, bold, size, name=name, title="")


def memo(doc: Doc) -> None:
    """An internal memo: To / From / Date / Subject fields under a heading, then body text."""
    rng, cv = doc.rng, doc.cv
    reg, bold = doc.body.regular, doc.body.bold
    m = rng.uniform(56, 80)
    right = doc.W - m
    size = rng.uniform(9.5, 11.5)
    co = company(doc)
    y = m
    if rng.random() < 0.5:
        logo(doc, m, y, 24, co.name, doc.head.bold)
        y += 44
    heading = rng.choice(["MEMORANDUM", "Memo", "MEMO", "Interoffice Memo", "Aktennotiz", "Note de service",
                          "Nota interna"])
    cv.text(m, y + 26, heading, doc.head.bold, rng.uniform(20, 30), doc.accent if doc.colour else doc.ink)
    y += 44
    L = doc.lang
    pairs = [(L["to"], doc.fake.name()), (L["from_"], doc.fake.name()), ("CC:", doc.fake.name()),
             (f"{L['date']}:", L.date(random_date(rng))), (f"{L['subject']}:", words(doc).subject())]
    if rng.random() < 0.5:
        pairs.pop(2)
    y = kv_block(doc, m, y, pairs, bold, reg, size) + 8
    cv.hline(m, right, y, doc.ink, rng.uniform(0.6, 2))
    y += 18
    y = body(doc, m, y, right - m, reg, size, doc.H - 90, after_salutation=False)
    if rng.random() < 0.5:
        cv.text(m, y + size, doc.fake.first_name()[0] + doc.fake.last_name()[0], reg, size, doc.ink)


def continuation(doc: Doc) -> None:
    """Page 2 of a letter: running header with recipient and date, paragraphs, closing and signature."""
    rng, cv = doc.rng, doc.cv
    words(doc, "business", "personal", "application")
    reg, bold = doc.body.regular, doc.body.bold
    m = rng.uniform(56, 80)
    right = doc.W - m
    size = rng.uniform(9.5, 11.5)
    L = doc.lang
    hdr = [doc.fake.name(), L.date(random_date(rng)), f"{L['page']} {rng.randint(2, 3)}"]
    if rng.random() < 0.5:
        lines_block(doc, m, m, hdr, reg, size * 0.9)
        y = m + 3 * size * 1.3 + 30
    else:
        cv.text(m, m + size, " – ".join(hdr), reg, size * 0.9, doc.grey(50, 110))
        y = m + 40
    y = body(doc, m, y, right - m, reg, size, doc.H - 200, n=rng.randint(1, 5))
    if rng.random() < 0.85:
        closing_block(doc, m, y + size * 0.4, reg, bold, size)
    if rng.random() < 0.5:
        page_number(doc, int(hdr[2].split()[-1]), None, reg, 8)


def cover_letter(doc: Doc) -> None:
    """A job application letter: the applicant's name as a header, contact line, then a letter."""
    rng, cv = doc.rng, doc.cv
    words(doc, "application")
    reg, bold, hb = doc.body.regular, doc.body.bold, doc.head.bold
    m = rng.uniform(50, 75)
    right = doc.W - m
    size = rng.uniform(9.5, 11)
    name = doc.fake.name()
    street, city = split_address(doc.fake.address())
    contact = f"{street}, {city} · {doc.fake.phone_number()} · {doc.fake.free_email()}"
    nsize = rng.uniform(18, 28)
    if rng.random() < 0.5:
        cv.text_center(doc.W / 2, m + nsize, name, hb, nsize, doc.accent if doc.colour else doc.ink)
        cv.text_center(doc.W / 2, m + nsize + 16, contact, reg, 7.5, doc.grey(60, 120))
    else:
        cv.text(m, m + nsize, name, hb, nsize, doc.accent if doc.colour else doc.ink)
        cv.text(m, m + nsize + 16, contact, reg, 7.5, doc.grey(60, 120))
    cv.hline(m, right, m + nsize + 26, doc.accent, rng.uniform(0.5, 1.5))
    y = m + nsize + 50
    y = lines_block(doc, m, y, recipient(doc, with_company=True), reg, size) + size * 1.5
    cv.text_right(right, y + size, date_line(doc, doc.fake.city()), reg, size, doc.ink)
    y += size * 3
    cv.text(m, y + size, words(doc, "application").application_line, bold, size, doc.ink)
    y += size * 2.6
    cv.text(m, y + size, salutation(doc, 0.5), reg, size, doc.ink)
    y += size * 2.2
    y = body(doc, m, y, right - m, reg, size, doc.H - 150, n=rng.randint(3, 5))
    closing_block(doc, m, y + size * 0.4, reg, bold, size, name=name, title="")


SUBJECT_FIELDS = ("#subjectconst#", "<Subject>", "[Subject]", "«Subject»", "{{subject}}")


def template_stub(doc: Doc) -> None:
    """An almost empty letter template (office suites ship these): logo or company name, merge-field
    address block, date, a subject placeholder and little else, in the places a filled letter has them."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    reg, bold = doc.body.regular, doc.body.bold
    co = company(doc)
    m = rng.uniform(50, 75)
    right = doc.W - m
    size = rng.uniform(8, 10.5)
    top = rng.uniform(30, 50)
    style = rng.randrange(4)
    if style == 0:  # logo left with a rule running to the right margin
        wl = logo(doc, m, top, rng.uniform(18, 30), co.name, doc.head.bold)
        cv.hline(m + wl + 12, right * rng.uniform(0.7, 1.0), top + 14, doc.ink, 0.5)
    elif style == 1:  # an empty logo frame at the right, as downloaded
        s = rng.uniform(50, 75)
        cv.rect(right - s, top, right, top + s, fill=doc.tint(doc.accent, 0.55) if doc.colour else None,
                outline=doc.ink, width=0.6)
        for k, word in enumerate(rng.choice([["Put", "your", "LOGO", "here"], ["LOGO"], ["Your", "logo"]])):
            cv.text_center(right - s / 2, top + s * 0.3 + k * s * 0.2, word, reg, s * 0.16, doc.ink)
    elif style == 2:
        logo(doc, right, top, rng.uniform(18, 30), co.name, doc.head.bold, right=True)
    else:
        cv.text(m, top + 16, co.name, doc.head.bold, rng.uniform(13, 18), doc.accent if doc.colour else doc.ink)
    if rng.random() < 0.4:  # the contact line of the letterhead, often left as a placeholder
        text = rng.choice([f"{co.phone} · {co.email}", "<Phone> · <Email>", co.web])
        cv.text_center(doc.W / 2, top + 44, text, reg, 6.5, doc.grey(60, 120))
    if rng.random() < 0.5:
        fold_marks(doc)
    y = doc.H * rng.uniform(0.15, 0.2)
    if rng.random() < 0.6:
        cv.text(m, y, rng.choice(["...", "<Sender>", f"{co.name} · {co.street} · {co.city}"]), reg, 6, doc.grey(60, 120))
    merge = rng.random() < 0.8
    rec = rng.choice(MERGE_FIELDS) if merge else person_block(doc)
    y = lines_block(doc, m, y + 4, rec, reg, size, leading=1.25) + size * 2
    dl = rng.choice([f"{random_date(rng):%m/%d/%y}", L.date(random_date(rng), 1), L.date(random_date(rng)), "<Date>"])
    cv.text_right(right, y + size, dl, reg, size, doc.ink)
    y += size * rng.uniform(3, 5)
    subject = rng.choice(SUBJECT_FIELDS) if merge or rng.random() < 0.5 else words(doc).subject()
    cv.text(m, y + size, subject, bold, size, doc.ink)
    y += size * 3
    r = rng.random()
    if r < 0.5:
        return
    cv.text(m, y + size, salutation(doc) if not merge else rng.choice(
        ["Dear <FirstName>,", "Dear «Title» «LastName»,", L["dear_generic"], "Dear ,"]), reg, size, doc.ink)
    y += size * 2.4
    if r > 0.8:
        y = body(doc, m, y, right - m, reg, size, doc.H - 200, n=rng.randint(1, 2)) + size
        cv.text(m, y + size, L["closing"], reg, size, doc.ink)
        if rng.random() < 0.5:
            cv.text(m, y + size * 4, rng.choice(["<Your Name>", co.name, "[Name]"]), reg, size, doc.ink)


def latex_letter(doc: Doc) -> None:
    """A letter typeset with LaTeX, in Computer Modern where it covers the language and with LaTeX's wide margins:
    either the standard letter class (return address and date from the middle of the line, recipient left, closing
    and name from the middle again, no letterhead) or KOMA-Script's scrlttr2 (the sender's name over a rule, a small
    return-address line over the window address, fold marks, date flush right, a bold subject)."""
    rng, cv = doc.rng, doc.cv
    doc.body = doc.head = tex_family(doc, "serif" if rng.random() < 0.85 else "sans")
    reg, bold = doc.body.regular, doc.body.bold
    size = rng.uniform(9.5, 11.5)  # 10-12 pt
    m = rng.uniform(80, 115)
    w = doc.W - 2 * m
    name = doc.fake.name()
    street, city = split_address(doc.fake.address())
    phone = doc.fake.phone_number()
    if rng.random() < 0.5:  # the standard letter class
        mid = m + w * 0.5
        sender = ([name] if rng.random() < 0.3 else []) + [street, city] + ([phone] if rng.random() < 0.3 else [])
        y = lines_block(doc, mid, m, sender, reg, size, leading=1.22) + size
        cv.text(mid, y + size, date_line(doc), reg, size, doc.ink)
        y = lines_block(doc, m, y + size * 3, recipient(doc), reg, size, leading=1.22) + size * 1.5
        closing_x = mid
    else:  # KOMA-Script scrlttr2
        nsize = size * rng.uniform(1.4, 2.0)
        if rng.random() < 0.5:
            cv.text(m, m + nsize, name, reg, nsize, doc.ink)
        else:
            cv.text_right(doc.W - m, m + nsize, name, reg, nsize, doc.ink)
        cv.hline(m, doc.W - m, m + nsize * 1.5, doc.ink, 0.5)
        contact = [street, city, phone] + ([doc.fake.email()] if rng.random() < 0.5 else [])
        if rng.random() < 0.5:
            lines_block(doc, doc.W - m, m + nsize * 1.5 + size * 0.5, contact, reg, size * 0.8, leading=1.2, right=True)
        else:
            cv.text_center(doc.W / 2, m + nsize * 1.5 + size * 1.3, " · ".join(contact), reg, size * 0.8, doc.ink)
        fold_marks(doc)
        ya = max(doc.H * 0.19, m + nsize * 1.5 + size * 5.5)  # below the sender's details
        ret = f"{name}, {street}, {city}"
        cv.text(m, ya, ret, reg, size * 0.7, doc.ink)
        if rng.random() < 0.6:
            cv.hline(m, m + doc.cv.width(ret, reg, size * 0.7), ya + size * 0.3, doc.ink, 0.4)
        lines_block(doc, m, ya + size * 0.8, recipient(doc), reg, size, leading=1.22)
        y = doc.H * rng.uniform(0.33, 0.37)
        cv.text_right(doc.W - m, y, date_line(doc, city.split()[-1] if rng.random() < 0.4 else None), reg, size, doc.ink)
        y += size
        if rng.random() < 0.85:
            y = subject_line(doc, m, y + size, w, bold, bold, size, prefix_p=0.1) + size * 0.6
        closing_x = m
    cv.text(m, y + size, salutation(doc), reg, size, doc.ink)
    y += size * 2.2
    # LaTeX sets paragraphs justified; the letter classes separate them by a blank line instead of indenting
    y = body(doc, m, y, w, reg, size, doc.H - m - 110, align="justify", gap=size * rng.uniform(0.6, 1.0))
    closing_block(doc, closing_x, y + size * 0.5, reg, reg, size, name=name, title="")
    if rng.random() < 0.3:
        page_number(doc, 1, None, reg, size * 0.9, doc.H - m * 0.6)


FAMILIES = (("business", business), ("din5008", din5008), ("personal", personal), ("modern", modern),
            ("french", french), ("memo", memo), ("continuation", continuation), ("cover_letter", cover_letter),
            ("template_stub", template_stub), ("latex_letter", latex_letter))
WEIGHTS = (4, 2, 2, 2, 2, 0.8, 1.2, 1.2, 2.2, 2)  # template_stub: about 11 % of letters, latex_letter about 10 %
