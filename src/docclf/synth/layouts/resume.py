"""Resumes / CVs: name header, contact line, sections with dated entries, sidebars, skill bars, photos."""

from __future__ import annotations

import random
from dataclasses import dataclass

from docclf.synth.canvas import RGB, paragraph, wrap
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import bullet, photo, signature
from docclf.synth.text import DEGREES, FIELDS, LANGUAGE_NAMES, SKILLS, random_date
from docclf.synth.layouts.common import kv_block, lines_block, page_number, split_address

UNI = {"en": "University of {c}", "de": "Universität {c}", "fr": "Université de {c}", "es": "Universidad de {c}",
       "it": "Università di {c}", "nl": "Universiteit {c}", "pt": "Universidade de {c}"}


@dataclass
class Entry:
    """A dated resume entry (job or degree)."""

    title: str
    org: str
    place: str
    dates: str
    bullets: list[str]


def make_doc(rng: random.Random, long_px: int) -> Doc:
    return new_doc(rng, "portrait", long_px, colour_p=0.55,
                   body_kinds={"sans": 4, "serif": 2, "mono": 0.2, "script": 0.1},
                   head_kinds={"sans": 3, "serif": 1.5})


def date_range(doc: Doc, start_year: int, years: int, current: bool) -> str:
    rng, L = doc.rng, doc.lang
    style = rng.randrange(3)
    m1, m2 = rng.randint(1, 12), rng.randint(1, 12)
    a = [f"{m1:02d}/{start_year}", f"{L.months[m1 - 1][:3]} {start_year}", str(start_year)][style]
    end = start_year + years
    b = L["present"] if current else [f"{m2:02d}/{end}", f"{L.months[m2 - 1][:3]} {end}", str(end)][style]
    return f"{a} – {b}"


def jobs(doc: Doc, n: int) -> list[Entry]:
    rng, f = doc.rng, doc.fake
    year = rng.randint(2014, 2024)
    out = []
    for k in range(n):
        years = rng.randint(1, 5)
        start = year - years
        out.append(Entry(f.job(), f.company(), f.city(), date_range(doc, start, years, k == 0 and rng.random() < 0.6),
                         [f.sentence(nb_words=rng.randint(6, 14)).rstrip(".") for _ in range(rng.choice([0, 1, 2, 3, 4]))]))
        year = start - rng.randint(0, 1)
    return out


def schools(doc: Doc, n: int) -> list[Entry]:
    rng, f = doc.rng, doc.fake
    year = rng.randint(2000, 2020)
    out = []
    for _ in range(n):
        deg = rng.choice(DEGREES).format(f=rng.choice(FIELDS))
        uni = UNI.get(doc.lang.lang, UNI["en"]).format(c=f.city())
        out.append(Entry(deg, uni, "", date_range(doc, year - rng.randint(2, 5), rng.randint(2, 5), False),
                         [f.sentence(nb_words=8).rstrip(".")] if rng.random() < 0.3 else []))
        year -= rng.randint(3, 5)
    return out


def contact_items(doc: Doc) -> list[str]:
    f = doc.fake
    street, city = split_address(f.address())
    items = [f.phone_number(), f.free_email(), f"{street}, {city}" if doc.rng.random() < 0.5 else city]
    if doc.rng.random() < 0.5:
        items.append(f"linkedin.com/in/{f.user_name()}")
    return items


def heading(doc: Doc, x: float, y: float, w: float, text: str, style: int, size: float, colour: RGB) -> float:
    """A section heading in one of several styles; returns the y below it."""
    cv, face = doc.cv, doc.head.bold
    text = text.upper() if style in (0, 2) else text
    if style == 3:
        cv.rect(x, y, x + w, y + size * 1.7, fill=doc.tint(colour, 0.85))
        cv.text(x + size * 0.4, y + size * 1.25, text, face, size, doc.ink)
        return y + size * 2.3
    cv.text(x, y + size, text, face, size, colour)
    if style in (0, 1):
        cv.hline(x, x + w, y + size * 1.45, colour, 0.8 if style == 0 else 0.5)
    if style == 2:
        cv.hline(x + cv.width(text, face, size) + size * 0.5, x + w, y + size * 0.65, colour, 0.5)
    return y + size * 2.1


def entry(doc: Doc, x: float, y: float, w: float, e: Entry, size: float, bottom: float, dates_left: float = 0,
          accent: RGB | None = None) -> float:
    """Title, organisation, dates (right-aligned or in a left column) and bullets."""
    cv, rng = doc.cv, doc.rng
    reg, bold, ital = doc.body.regular, doc.body.bold, doc.body.italic
    if y + size * 3 > bottom:
        return y
    if dates_left:
        cv.text(x - dates_left, y + size, e.dates, reg, size * 0.9, doc.grey(60, 110))
    else:
        cv.text_right(x + w, y + size, e.dates, reg, size * 0.9, doc.grey(60, 110))
    tw = w - (0 if dates_left else cv.width(e.dates, reg, size * 0.9) + size)
    title = wrap(cv, e.title, bold, size, tw)[0]
    cv.text(x, y + size, title, bold, size, accent or doc.ink)
    y += size * 1.35
    org = f"{e.org}, {e.place}" if e.place and rng.random() < 0.6 else e.org
    cv.text(x, y + size, org, ital if rng.random() < 0.5 else reg, size * 0.95, doc.ink)
    y += size * 1.4
    for b in e.bullets:
        if y + size * 1.3 > bottom:
            break
        bullet(doc, x + size * 0.5, y + size, size, "dot", doc.ink, reg)
        y = paragraph(cv, x + size * 1.3, y, w - size * 1.3, b, reg, size * 0.95, doc.ink, 1.25, bottom=bottom)
    return y + size * 0.7


def skill_bars(doc: Doc, x: float, y: float, w: float, skills: list[str], size: float, ink: RGB, fill: RGB,
               track: RGB) -> float:
    """Skills with bars or dots showing a level."""
    rng, cv = doc.rng, doc.cv
    dots = rng.random() < 0.4
    for s in skills:
        cv.text(x, y + size, s, doc.body.regular, size, ink)
        y += size * 1.5
        level = rng.uniform(0.3, 1.0)
        if dots:
            r = size * 0.35
            for k in range(5):
                cx = x + r + k * r * 2.8
                cv.ellipse(cx - r, y - r * 0.2, cx + r, y + r * 1.8, fill=fill if k < round(level * 5) else track)
            y += size * 1.4
        else:
            cv.rect(x, y, x + w, y + size * 0.45, fill=track, radius=size * 0.2)
            cv.rect(x, y, x + w * level, y + size * 0.45, fill=fill, radius=size * 0.2)
            y += size * 1.1
    return y


def skill_tags(doc: Doc, x: float, y: float, w: float, skills: list[str], size: float, colour: RGB) -> float:
    """Skills as rounded 'pills' flowing left to right."""
    cv = doc.cv
    cx = x
    h = size * 1.7
    for s in skills:
        tw = cv.width(s, doc.body.regular, size) + size * 1.2
        if cx + tw > x + w:
            cx, y = x, y + h + size * 0.5
        cv.rect(cx, y, cx + tw, y + h, fill=doc.tint(colour, 0.82), radius=h / 2)
        cv.text(cx + size * 0.6, y + h * 0.7, s, doc.body.regular, size, doc.ink)
        cx += tw + size * 0.5
    return y + h + size


def profile_text(doc: Doc, n: int | None = None) -> str:
    rng = doc.rng
    return " ".join(doc.fake.sentence(nb_words=rng.randint(8, 16)) for _ in range(n or rng.randint(1, 4)))


def density(doc: Doc) -> tuple[int, int]:
    """(jobs, degrees): sparse, typical or packed resumes."""
    r = doc.rng.random()
    if r < 0.2:
        return doc.rng.randint(1, 2), 1
    if r < 0.75:
        return doc.rng.randint(2, 4), doc.rng.randint(1, 2)
    return doc.rng.randint(4, 6), doc.rng.randint(2, 3)


# --------------------------------------------------------------------------- families


def classic(doc: Doc) -> None:
    """Centred (or left) name, contact line, ruled section headings, dated entries right-aligned."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    m = rng.uniform(40, 70)
    w = doc.W - 2 * m
    size = rng.uniform(8.5, 10.5)
    name = doc.fake.name()
    nsize = rng.uniform(18, 30)
    centre = rng.random() < 0.6
    col = doc.accent if doc.colour else doc.ink
    (cv.text_center if centre else cv.text)(doc.W / 2 if centre else m, m + nsize, name, doc.head.bold, nsize, col)
    y = m + nsize + 8
    if rng.random() < 0.6:
        (cv.text_center if centre else cv.text)(doc.W / 2 if centre else m, y + size, doc.fake.job(),
                                                doc.body.italic, size * 1.2, doc.ink)
        y += size * 1.6
    contact = " | ".join(contact_items(doc))
    (cv.text_center if centre else cv.text)(doc.W / 2 if centre else m, y + size, contact, doc.body.regular,
                                            size * 0.9, doc.grey(40, 110))
    y += size * 2.5
    hstyle = rng.randrange(4)
    hsize = size * rng.uniform(1.1, 1.35)
    bottom = doc.H - m
    nj, ns = density(doc)
    sections = [("profile", None), ("experience", jobs(doc, nj)), ("education", schools(doc, ns)), ("skills", None)]
    if rng.random() < 0.4:
        sections[1], sections[2] = sections[2], sections[1]
    if rng.random() < 0.3:
        sections.pop(0)
    for key, entries in sections:
        if y + hsize * 4 > bottom:
            break
        y = heading(doc, m, y + size * 0.4, w, L[key], hstyle, hsize, col)
        if key == "profile":
            y = paragraph(cv, m, y, w, profile_text(doc), doc.body.regular, size, doc.ink, 1.3, bottom=bottom) + size
        elif key == "skills":
            text = ", ".join(rng.sample(SKILLS, rng.randint(5, 14)))
            y = paragraph(cv, m, y, w, text, doc.body.regular, size, doc.ink, 1.3, bottom=bottom) + size
            langs = ", ".join(f"{n} ({lv})" for n, lv in zip(rng.sample(LANGUAGE_NAMES, 3), ("C2", "B2", "A2")))
            y = paragraph(cv, m, y, w, f"{L['languages']}: {langs}", doc.body.regular, size, doc.ink, 1.3,
                          bottom=bottom) + size
        else:
            for e in entries:
                y = entry(doc, m, y, w, e, size, bottom)


def sidebar(doc: Doc) -> None:
    """A coloured sidebar with photo, contact, skill bars and languages; main column with entries."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    sw = doc.W * rng.uniform(0.3, 0.36)
    left = rng.random() < 0.7
    sx0 = 0 if left else doc.W - sw
    dark = rng.random() < 0.5
    side_fill = doc.accent if dark else doc.tint(doc.accent, rng.uniform(0.82, 0.94))
    side_ink = (255, 255, 255) if dark else doc.ink
    cv.rect(sx0, 0, sx0 + sw, doc.H, fill=side_fill)
    pad = 22
    size = rng.uniform(8, 9.8)
    y = 36
    if rng.random() < 0.6:
        d = sw * 0.55
        photo(doc, sx0 + (sw - d) / 2, y, d, d * (1 if rng.random() < 0.6 else 1.25), portrait=True,
              round_=rng.random() < 0.6)
        y += d * 1.25 + 16
    name = doc.fake.name()
    mx0 = sw + 30 if left else 40
    mw = doc.W - sw - 70
    nsize = rng.uniform(20, 30)
    cv.text(mx0, 60 + nsize * 0.4, name, doc.head.bold, nsize, doc.accent if doc.colour and not dark else doc.ink)
    cv.text(mx0, 60 + nsize * 0.4 + size * 2, doc.fake.job(), doc.body.regular, size * 1.3, doc.grey(60, 110))
    hsize = size * 1.15
    for key in ("contact", "skills", "languages"):
        cv.text(sx0 + pad, y + hsize, L[key].upper(), doc.head.bold, hsize, side_ink)
        y += hsize * 2
        if key == "contact":
            for item in contact_items(doc):
                y = paragraph(cv, sx0 + pad, y, sw - 2 * pad, item, doc.body.regular, size * 0.9, side_ink, 1.2) + 4
        elif key == "skills":
            track = doc.tint(side_fill, 0.5) if dark else (255, 255, 255)
            y = skill_bars(doc, sx0 + pad, y, sw - 2 * pad, rng.sample(SKILLS, rng.randint(3, 7)), size * 0.9,
                           side_ink, (255, 255, 255) if dark else doc.accent, track)
        else:
            for n in rng.sample(LANGUAGE_NAMES, rng.randint(2, 4)):
                cv.text(sx0 + pad, y + size, f"{n} – {rng.choice(['C2', 'C1', 'B2', 'B1', 'A2', 'native'])}",
                        doc.body.regular, size * 0.9, side_ink)
                y += size * 1.5
        y += size * 1.5
    y = 60 + nsize + size * 4
    hstyle = rng.randrange(4)
    nj, ns = density(doc)
    if rng.random() < 0.6:
        y = heading(doc, mx0, y, mw, L["profile"], hstyle, hsize * 1.1, doc.accent if doc.colour else doc.ink)
        y = paragraph(cv, mx0, y, mw, profile_text(doc), doc.body.regular, size, doc.ink, 1.3) + size
    for key, entries in (("experience", jobs(doc, nj)), ("education", schools(doc, ns))):
        y = heading(doc, mx0, y, mw, L[key], hstyle, hsize * 1.1, doc.accent if doc.colour else doc.ink)
        for e in entries:
            y = entry(doc, mx0, y, mw, e, size, doc.H - 30)


def header_band(doc: Doc) -> None:
    """A coloured header with name and title; narrow left column of details, wide right column."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    bh = rng.uniform(90, 140)
    cv.rect(0, 0, doc.W, bh, fill=doc.accent)
    white = (255, 255, 255)
    m = rng.uniform(36, 56)
    nsize = rng.uniform(22, 34)
    photo_d = 0
    if rng.random() < 0.4:
        photo_d = bh - 30
        photo(doc, m, 15, photo_d, photo_d, portrait=True, round_=rng.random() < 0.5)
        photo_d += 16
    cv.text(m + photo_d, bh / 2 + 2, doc.fake.name(), doc.head.bold, nsize, white)
    cv.text(m + photo_d, bh / 2 + nsize * 0.9, doc.fake.job(), doc.body.regular, 12, white)
    size = rng.uniform(8, 9.5)
    lw = doc.W * 0.3
    y = bh + 24
    hsize = size * 1.2
    col = doc.accent if doc.colour else doc.ink
    y = heading(doc, m, y, lw - 10, L["contact"], 1, hsize, col)
    for item in contact_items(doc):
        y = paragraph(cv, m, y, lw - 20, item, doc.body.regular, size * 0.9, doc.ink, 1.2) + 4
    y = heading(doc, m, y + 10, lw - 10, L["skills"], 1, hsize, col)
    y = skill_tags(doc, m, y, lw - 20, rng.sample(SKILLS, rng.randint(4, 9)), size * 0.85, doc.accent) \
        if rng.random() < 0.5 else skill_bars(doc, m, y, lw - 30, rng.sample(SKILLS, rng.randint(3, 6)), size * 0.9,
                                              doc.ink, doc.accent, (225, 225, 225))
    if rng.random() < 0.6:
        y = heading(doc, m, y + 10, lw - 10, L["interests"], 1, hsize, col)
        paragraph(cv, m, y, lw - 20, ", ".join(doc.fake.word() for _ in range(5)), doc.body.regular, size, doc.ink, 1.3)
    x = m + lw + 10
    w = doc.W - x - m
    y = bh + 24
    nj, ns = density(doc)
    for key, entries in (("experience", jobs(doc, nj)), ("education", schools(doc, ns))):
        y = heading(doc, x, y, w, L[key], 1, hsize, col)
        for e in entries:
            y = entry(doc, x, y, w, e, size, doc.H - 30)


def tabular(doc: Doc) -> None:
    """German Lebenslauf / Europass style: photo top right, personal data, dates in a left column."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    m = rng.uniform(50, 70)
    size = rng.uniform(9, 10.5)
    col = doc.accent if doc.colour else doc.ink
    title = L["cv"] if rng.random() < 0.7 else L["resume"]
    cv.text(m, m + 22, title, doc.head.bold, rng.uniform(20, 28), col)
    if rng.random() < 0.7:
        photo(doc, doc.W - m - 90, m, 90, 115, portrait=True)
    y = m + 50
    y = heading(doc, m, y, doc.W - 2 * m - 110, L["personal"], rng.randrange(4), size * 1.2, col)
    f = doc.fake
    street, city = split_address(f.address())
    pairs = [("Name", f.name()), (L["address"], f"{street}, {city}"), (L["phone"], f.phone_number()),
             (L["email"], f.free_email()), (L["birth"], L.date(random_date(rng, 1965, 2002), 1))]
    if rng.random() < 0.5:
        pairs.append((L["nationality"], rng.choice(["deutsch", "française", "española", "italiana", "British"])))
    y = kv_block(doc, m, y, pairs, doc.body.regular, doc.body.regular, size, label_w=120) + size
    dates_w = 120
    nj, ns = density(doc)
    hstyle = rng.randrange(4)
    for key, entries in (("experience", jobs(doc, nj)), ("education", schools(doc, ns))):
        if y > doc.H - 120:
            break
        y = heading(doc, m, y, doc.W - 2 * m, L[key], hstyle, size * 1.2, col)
        for e in entries:
            y = entry(doc, m + dates_w, y, doc.W - 2 * m - dates_w, e, size, doc.H - 110, dates_left=dates_w)
    if y < doc.H - 150:
        y = heading(doc, m, y, doc.W - 2 * m, L["skills"], hstyle, size * 1.2, col)
        y = paragraph(cv, m + dates_w, y, doc.W - 2 * m - dates_w, ", ".join(rng.sample(SKILLS, 8)),
                      doc.body.regular, size, doc.ink, 1.3) + size
    if rng.random() < 0.6 and y < doc.H - 90:
        cv.text(m, y + 20, f"{f.city()}, {L.date(random_date(rng), 1)}", doc.body.regular, size, doc.ink)
        signature(doc, m, y + 26, 110, 30)


def compact(doc: Doc) -> None:
    """A dense two-column resume with small type and skill tags."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    m = rng.uniform(28, 40)
    size = rng.uniform(7.5, 9)
    col = doc.accent if doc.colour else doc.ink
    name = doc.fake.name()
    cv.text(m, m + 22, name.upper() if rng.random() < 0.5 else name, doc.head.bold, rng.uniform(20, 26), col)
    cv.text(m, m + 38, "  •  ".join(contact_items(doc)), doc.body.regular, size, doc.grey(50, 110))
    cv.hline(m, doc.W - m, m + 48, col, 1.2)
    gap = 20
    w1 = (doc.W - 2 * m - gap) * rng.uniform(0.55, 0.65)
    w2 = doc.W - 2 * m - gap - w1
    x2 = m + w1 + gap
    y = m + 62
    hstyle = rng.randrange(4)
    if rng.random() < 0.7:  # a profile across the page
        y = heading(doc, m, y, doc.W - 2 * m, L["profile"], hstyle, size * 1.3, col)
        y = paragraph(cv, m, y, doc.W - 2 * m, profile_text(doc, rng.randint(2, 5)), doc.body.regular, size,
                      doc.ink, 1.3) + size
    top = y
    y = heading(doc, m, y, w1, L["experience"], hstyle, size * 1.3, col)
    for e in jobs(doc, rng.randint(4, 8)):
        while len(e.bullets) < 2:
            e.bullets.append(doc.fake.sentence(nb_words=rng.randint(6, 14)).rstrip("."))
        y = entry(doc, m, y, w1, e, size, doc.H - m)
    y2 = top
    y2 = heading(doc, x2, y2, w2, L["skills"], hstyle, size * 1.3, col)
    y2 = skill_tags(doc, x2, y2, w2, rng.sample(SKILLS, rng.randint(6, 14)), size, doc.accent)
    y2 = heading(doc, x2, y2, w2, L["education"], hstyle, size * 1.3, col)
    for e in schools(doc, rng.randint(1, 3)):
        y2 = entry(doc, x2, y2, w2, e, size, doc.H - m)
    for key in ("certs", "languages", "projects", "interests", "awards"):
        if y2 > doc.H - 120:
            break
        y2 = heading(doc, x2, y2, w2, L[key], hstyle, size * 1.3, col)
        for _ in range(rng.randint(2, 4)):
            bullet(doc, x2 + size * 0.4, y2 + size, size, "dot", col, doc.body.regular)
            y2 = paragraph(cv, x2 + size * 1.2, y2, w2 - size * 1.2, doc.fake.sentence(nb_words=rng.randint(2, 6)).rstrip("."),
                           doc.body.regular, size, doc.ink, 1.25) + 2


def academic(doc: Doc) -> None:
    """An academic CV: serif, positions, education, numbered publications list."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    fam = doc.family({"serif": 4, "sans": 1})
    doc.body = doc.head = fam
    m = rng.uniform(56, 76)
    w = doc.W - 2 * m
    size = rng.uniform(9, 10.5)
    name = doc.fake.name()
    cv.text_center(doc.W / 2, m + 16, "Curriculum Vitae" if rng.random() < 0.5 else name, fam.bold, 18, doc.ink)
    y = m + 26
    y = lines_block(doc, doc.W / 2 - 120, y, [name, f"Department of {rng.choice(FIELDS)}",
                                               UNI.get(L.lang, UNI["en"]).format(c=doc.fake.city()),
                                               doc.fake.free_email()], fam.regular, size) + size
    for key, entries in (("experience", jobs(doc, rng.randint(1, 3))), ("education", schools(doc, rng.randint(1, 3)))):
        y = heading(doc, m, y, w, L[key], 1, size * 1.2, doc.ink)
        for e in entries:
            e.bullets = e.bullets[:1]
            y = entry(doc, m, y, w, e, size, doc.H - m)
    y = heading(doc, m, y, w, L["publications"], 1, size * 1.2, doc.ink)
    k = 1
    while y < doc.H - m - size * 3:
        ref = f"[{k}] {doc.fake.last_name()}, {doc.fake.first_name()[0]}., {doc.fake.last_name()}, " \
              f"{doc.fake.first_name()[0]}. ({rng.randint(2005, 2025)}). {doc.fake.sentence(nb_words=rng.randint(6, 12))} " \
              f"{rng.choice(['Journal of ', 'Proc. ', 'Annals of '])}{rng.choice(FIELDS)}, {rng.randint(1, 80)}, " \
              f"{rng.randint(1, 900)}–{rng.randint(901, 999)}."
        y = paragraph(cv, m, y, w, ref, fam.regular, size * 0.95, doc.ink, 1.25, bottom=doc.H - m, indent=0) + 4
        k += 1


def continuation(doc: Doc) -> None:
    """Page 2 of a resume: name in the running header, more entries, references, page number."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    m = rng.uniform(40, 64)
    w = doc.W - 2 * m
    size = rng.uniform(8.5, 10.5)
    col = doc.accent if doc.colour else doc.ink
    cv.text(m, m, doc.fake.name(), doc.head.bold, size * 1.1, col)
    cv.text_right(doc.W - m, m, f"{L['page']} 2", doc.body.regular, size, doc.grey(80, 130))
    y = m + 20
    hstyle = rng.randrange(4)
    if rng.random() < 0.6:
        for e in jobs(doc, rng.randint(1, 4)):
            y = entry(doc, m, y, w, e, size, doc.H - m)
    for key in rng.sample(["education", "certs", "projects", "interests", "awards"], rng.randint(1, 3)):
        y = heading(doc, m, y + size, w, L[key], hstyle, size * 1.25, col)
        if key == "education":
            for e in schools(doc, rng.randint(1, 2)):
                y = entry(doc, m, y, w, e, size, doc.H - m)
        else:
            for _ in range(rng.randint(1, 4)):
                bullet(doc, m + size * 0.5, y + size, size, "dot", doc.ink, doc.body.regular)
                y = paragraph(cv, m + size * 1.3, y, w, f"{doc.fake.sentence(nb_words=rng.randint(3, 9)).rstrip('.')} "
                              f"({rng.randint(2008, 2025)})", doc.body.regular, size, doc.ink, 1.25) + 3
    y = heading(doc, m, y + size, w, L["references"], hstyle, size * 1.25, col)
    cv.text(m, y + size, L["refs_avail"], doc.body.italic, size, doc.ink)
    if rng.random() < 0.5:
        page_number(doc, 2, rng.choice([2, None]), doc.body.regular, 8)


def minimal(doc: Doc) -> None:
    """A sparse resume: name, one contact line, a few entries, much white space."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    m = rng.uniform(60, 90)
    w = doc.W - 2 * m
    size = rng.uniform(9.5, 11.5)
    template = rng.random() < 0.2  # an unfilled template, as downloaded
    name = rng.choice(["YOUR NAME", "Your Name", "[Name Surname]"]) if template else doc.fake.name()
    contact = "[Phone] · [Email] · [City]" if template else " · ".join(contact_items(doc)[:2])
    cv.text(m, m + 30, name, doc.head.light if rng.random() < 0.5 else doc.head.bold, rng.uniform(26, 38), doc.ink)
    cv.text(m, m + 52, contact, doc.body.regular, size * 0.9, doc.grey(80, 130))
    y = m + 90
    dates_w = rng.choice([0, 110])
    for key, entries in (("experience", jobs(doc, rng.randint(1, 3))), ("education", schools(doc, 1))):
        cv.text(m, y + size, L[key], doc.head.bold, size * 1.15, doc.accent if doc.colour else doc.ink)
        y += size * 2.4
        for e in entries:
            e.bullets = e.bullets[:1]
            y = entry(doc, m + dates_w, y, w - dates_w, e, size, doc.H - m, dates_left=dates_w) + size
        y += size


FAMILIES = (("classic", classic), ("sidebar", sidebar), ("header_band", header_band), ("tabular", tabular),
            ("compact", compact), ("academic", academic), ("continuation", continuation), ("minimal", minimal))
WEIGHTS = (3, 3, 2, 2, 1.5, 0.8, 1, 1)
