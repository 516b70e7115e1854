"""Resumes / CVs: name header, contact line, sections with dated entries, sidebars, skill bars, photos."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace as dataclass_replace

from docclf.synth.canvas import RGB, first_line, paragraph, wrap
from docclf.synth.fonts import Face, Family
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import bullet, photo, signature
from docclf.synth.phrases import CvText, PaperText
from docclf.synth.text import random_date
from docclf.synth.layouts.common import kv_block, lines_block, page_number, split_address, tex_family

JOB_SUMMARY_P = 0.65  # jobs described in prose (1-3 sentences), as most real CVs do, besides or instead of bullets
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
    summary: str = ""  # a job's prose description, drawn above its bullets


def make_doc(rng: random.Random, long_px: int) -> Doc:
    doc = new_doc(rng, "portrait", long_px, colour_p=0.55,
                  body_kinds={"sans": 4, "serif": 2, "mono": 0.2, "script": 0.1},
                  head_kinds={"sans": 3, "serif": 1.5})
    doc.text = CvText(rng, doc.fake, doc.lang)
    return doc


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
        dates = date_range(doc, start, years, k == 0 and rng.random() < 0.6)
        summary = doc.text.job_summary(rng.randint(1, 3)) if rng.random() < JOB_SUMMARY_P else ""
        bullets = doc.text.bullets(rng.choice([0, 0, 1, 2, 3] if summary else [0, 1, 2, 3, 3, 4]))
        out.append(Entry(doc.text.role(), f.company(), f.city(), dates, bullets, summary))
        year = start - rng.randint(0, 1)
    return out


def schools(doc: Doc, n: int) -> list[Entry]:
    rng, f = doc.rng, doc.fake
    year = rng.randint(2000, 2020)
    out = []
    for _ in range(n):
        uni = UNI.get(doc.lang.lang, UNI["en"]).format(c=f.city())
        out.append(Entry(doc.text.degree(), uni, "", date_range(doc, year - rng.randint(2, 5), rng.randint(2, 5), False),
                         [doc.text.school_note()] if rng.random() < 0.35 else []))
        year -= rng.randint(3, 5)
    return out


def contact_items(doc: Doc) -> list[str]:
    f = doc.fake
    street, city = split_address(f.address())
    items = [f.phone_number(), f.free_email(), f"{street}, {city}" if doc.rng.random() < 0.5 else city]
    if doc.rng.random() < 0.5:
        items.append(f"linkedin.com/in/{f.user_name()}")
    if doc.rng.random() < 0.3:
        items.append(doc.rng.choice(["github.com/", "twitter.com/", "gitlab.com/", "behance.net/"]) + f.user_name())
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
    """Title, organisation, dates (right-aligned or in a left column), the summary and bullets."""
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
    if e.summary and y + size * 1.3 <= bottom:
        y = paragraph(cv, x, y, w, e.summary, reg, size * 0.95, doc.ink, 1.25, bottom=bottom) + size * 0.3
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
    return doc.text.profile(n)


def few(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    """The bounds of a count of entries: one or two on a brief CV, lo..hi otherwise."""
    return (1, 2) if doc.text.brief else (lo, hi)


def ends_here(doc: Doc) -> bool:
    """A brief CV may stop before its closing sections (skills, languages), leaving the page's foot blank."""
    return doc.text.brief and doc.rng.random() < 0.6


def density(doc: Doc) -> tuple[int, int]:
    """(jobs, degrees): sparse, typical or packed resumes."""
    r = doc.rng.random()
    if r < 0.2 or (doc.text.brief and r < 0.75):
        return doc.rng.randint(1, 2), 1
    if r < 0.75:
        return doc.rng.randint(2, 4), doc.rng.randint(1, 2)
    return doc.rng.randint(4, 6), doc.rng.randint(2, 3)


# --------------------------------------------------------------------------- families


def classic(doc: Doc) -> None:
    """Centred (or left) name, contact line, ruled section headings, dated entries right-aligned."""
    rng, cv = doc.rng, doc.cv
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
        (cv.text_center if centre else cv.text)(doc.W / 2 if centre else m, y + size, doc.text.role(),
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
        y = heading(doc, m, y + size * 0.4, w, doc.text.heading(key), hstyle, hsize, col)
        if key == "profile":
            y = paragraph(cv, m, y, w, profile_text(doc), doc.body.regular, size, doc.ink, 1.3, bottom=bottom) + size
        elif key == "skills":
            n_skills = rng.randint(5, 14)
            skills = doc.text.skills_with_levels(n_skills) if rng.random() < 0.35 else doc.text.skills(n_skills)
            text = rng.choice([", ", " · ", " | "]).join(skills)
            y = paragraph(cv, m, y, w, text, doc.body.regular, size, doc.ink, 1.3, bottom=bottom) + size
            langs = ", ".join(f"{n} ({lv})" for n, lv in doc.text.languages(rng.randint(2, 4)))
            y = paragraph(cv, m, y, w, f"{doc.text.heading('languages')}: {langs}", doc.body.regular, size, doc.ink,
                          1.3, bottom=bottom) + size
        else:
            for e in entries:
                y = entry(doc, m, y, w, e, size, bottom)


def sidebar(doc: Doc) -> None:
    """A coloured sidebar with photo, contact, skill bars and languages; main column with entries."""
    rng, cv = doc.rng, doc.cv
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
    cv.text(mx0, 60 + nsize * 0.4 + size * 2, doc.text.role(), doc.body.regular, size * 1.3, doc.grey(60, 110))
    hsize = size * 1.15
    for key in ("contact", "skills", "languages"):
        cv.text(sx0 + pad, y + hsize, doc.text.heading(key).upper(), doc.head.bold, hsize, side_ink)
        y += hsize * 2
        if key == "contact":
            for item in contact_items(doc):
                y = paragraph(cv, sx0 + pad, y, sw - 2 * pad, item, doc.body.regular, size * 0.9, side_ink, 1.2) + 4
        elif key == "skills":
            track = doc.tint(side_fill, 0.5) if dark else (255, 255, 255)
            y = skill_bars(doc, sx0 + pad, y, sw - 2 * pad, doc.text.skills(rng.randint(3, 7)), size * 0.9,
                           side_ink, (255, 255, 255) if dark else doc.accent, track)
        else:
            for n, level in doc.text.languages(rng.randint(2, 4)):
                cv.text(sx0 + pad, y + size, f"{n} – {level}", doc.body.regular, size * 0.9, side_ink)
                y += size * 1.5
        y += size * 1.5
    y = 60 + nsize + size * 4
    hstyle = rng.randrange(4)
    nj, ns = density(doc)
    if rng.random() < 0.6:
        y = heading(doc, mx0, y, mw, doc.text.heading("profile"), hstyle, hsize * 1.1, doc.accent if doc.colour else doc.ink)
        y = paragraph(cv, mx0, y, mw, profile_text(doc), doc.body.regular, size, doc.ink, 1.3) + size
    for key, entries in (("experience", jobs(doc, nj)), ("education", schools(doc, ns))):
        y = heading(doc, mx0, y, mw, doc.text.heading(key), hstyle, hsize * 1.1, doc.accent if doc.colour else doc.ink)
        for e in entries:
            y = entry(doc, mx0, y, mw, e, size, doc.H - 30)


def header_band(doc: Doc) -> None:
    """A coloured header with name and title; narrow left column of details, wide right column."""
    rng, cv = doc.rng, doc.cv
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
    cv.text(m + photo_d, bh / 2 + nsize * 0.9, doc.text.role(), doc.body.regular, 12, white)
    size = rng.uniform(8, 9.5)
    lw = doc.W * 0.3
    y = bh + 24
    hsize = size * 1.2
    col = doc.accent if doc.colour else doc.ink
    y = heading(doc, m, y, lw - 10, doc.text.heading("contact"), 1, hsize, col)
    for item in contact_items(doc):
        y = paragraph(cv, m, y, lw - 20, item, doc.body.regular, size * 0.9, doc.ink, 1.2) + 4
    y = heading(doc, m, y + 10, lw - 10, doc.text.heading("skills"), 1, hsize, col)
    y = skill_tags(doc, m, y, lw - 20, doc.text.skills(rng.randint(4, 9)), size * 0.85, doc.accent) \
        if rng.random() < 0.5 else skill_bars(doc, m, y, lw - 30, doc.text.skills(rng.randint(3, 6)), size * 0.9,
                                              doc.ink, doc.accent, (225, 225, 225))
    if rng.random() < 0.6:
        y = heading(doc, m, y + 10, lw - 10, doc.text.heading("interests"), 1, hsize, col)
        paragraph(cv, m, y, lw - 20, ", ".join(doc.text.interests(5)), doc.body.regular, size, doc.ink, 1.3)
    x = m + lw + 10
    w = doc.W - x - m
    y = bh + 24
    if rng.random() < 0.6:
        y = heading(doc, x, y, w, doc.text.heading("profile"), 1, hsize, col)
        y = paragraph(cv, x, y, w, profile_text(doc), doc.body.regular, size, doc.ink, 1.3, bottom=doc.H - 30) + size
    nj, ns = density(doc)
    for key, entries in (("experience", jobs(doc, nj)), ("education", schools(doc, ns))):
        y = heading(doc, x, y, w, doc.text.heading(key), 1, hsize, col)
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
        y = heading(doc, m, y, doc.W - 2 * m, doc.text.heading(key), hstyle, size * 1.2, col)
        for e in entries:
            y = entry(doc, m + dates_w, y, doc.W - 2 * m - dates_w, e, size, doc.H - 110, dates_left=dates_w)
    if y < doc.H - 150:
        y = heading(doc, m, y, doc.W - 2 * m, doc.text.heading("skills"), hstyle, size * 1.2, col)
        y = paragraph(cv, m + dates_w, y, doc.W - 2 * m - dates_w, ", ".join(doc.text.skills(8)),
                      doc.body.regular, size, doc.ink, 1.3) + size
    if rng.random() < 0.6 and y < doc.H - 90:
        cv.text(m, y + 20, f"{f.city()}, {L.date(random_date(rng), 1)}", doc.body.regular, size, doc.ink)
        signature(doc, m, y + 26, 110, 30)


def compact(doc: Doc) -> None:
    """A dense two-column resume with small type and skill tags."""
    rng, cv = doc.rng, doc.cv
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
        y = heading(doc, m, y, doc.W - 2 * m, doc.text.heading("profile"), hstyle, size * 1.3, col)
        y = paragraph(cv, m, y, doc.W - 2 * m, profile_text(doc, rng.randint(2, 5)), doc.body.regular, size,
                      doc.ink, 1.3) + size
    top = y
    y = heading(doc, m, y, w1, doc.text.heading("experience"), hstyle, size * 1.3, col)
    for e in jobs(doc, rng.randint(4, 8)):
        if len(e.bullets) < 2:
            e.bullets = doc.text.bullets(2)
        y = entry(doc, m, y, w1, e, size, doc.H - m)
    y2 = top
    y2 = heading(doc, x2, y2, w2, doc.text.heading("skills"), hstyle, size * 1.3, col)
    y2 = skill_tags(doc, x2, y2, w2, doc.text.skills(rng.randint(6, 14)), size, doc.accent)
    y2 = heading(doc, x2, y2, w2, doc.text.heading("education"), hstyle, size * 1.3, col)
    for e in schools(doc, rng.randint(1, 3)):
        y2 = entry(doc, x2, y2, w2, e, size, doc.H - m)
    for key in ("certs", "languages", "projects", "interests", "awards"):
        if y2 > doc.H - 120:
            break
        y2 = heading(doc, x2, y2, w2, doc.text.heading(key), hstyle, size * 1.3, col)
        for _ in range(rng.randint(2, 4)):
            bullet(doc, x2 + size * 0.4, y2 + size, size, "dot", col, doc.body.regular)
            y2 = paragraph(cv, x2 + size * 1.2, y2, w2 - size * 1.2, doc.text.item(key),
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
    paper = PaperText(rng, doc.fake, "en", True)
    y = lines_block(doc, doc.W / 2 - 120, y, [name, f"Department of {rng.choice(doc.text.table['field'])}",
                                               UNI.get(L.lang, UNI["en"]).format(c=doc.fake.city()),
                                               doc.fake.free_email()], fam.regular, size) + size
    for key, entries in (("experience", jobs(doc, rng.randint(1, 3))), ("education", schools(doc, rng.randint(1, 3)))):
        y = heading(doc, m, y, w, doc.text.heading(key), 1, size * 1.2, doc.ink)
        for e in entries:
            e.bullets = e.bullets[:1]
            y = entry(doc, m, y, w, e, size, doc.H - m)
    y = heading(doc, m, y, w, L["publications"], 1, size * 1.2, doc.ink)
    k = 1
    while y < doc.H - m - size * 3:
        ref = paper.reference(k, numbered=True)
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
    cv.text_center(doc.W / 2, m, rng.choice([L["cv"], L["resume"], doc.text.role()]), doc.body.regular, size * 0.9,
                   doc.grey(80, 130)) if rng.random() < 0.5 else None
    cv.text_right(doc.W - m, m, f"{L['page']} 2", doc.body.regular, size, doc.grey(80, 130))
    y = m + 20
    hstyle = rng.randrange(4)
    if rng.random() < 0.6:
        for e in jobs(doc, rng.randint(1, 4)):
            y = entry(doc, m, y, w, e, size, doc.H - m)
    for key in rng.sample(["education", "certs", "projects", "interests", "awards", "volunteering"], rng.randint(1, 3)):
        y = heading(doc, m, y + size, w, doc.text.heading(key), hstyle, size * 1.25, col)
        if key == "education":
            for e in schools(doc, rng.randint(1, 2)):
                y = entry(doc, m, y, w, e, size, doc.H - m)
        else:
            for _ in range(rng.randint(1, 4)):
                bullet(doc, m + size * 0.5, y + size, size, "dot", doc.ink, doc.body.regular)
                y = paragraph(cv, m + size * 1.3, y, w, doc.text.item(key), doc.body.regular, size, doc.ink, 1.25) + 3
    y = heading(doc, m, y + size, w, doc.text.heading("references"), hstyle, size * 1.25, col)
    cv.text(m, y + size, L["refs_avail"], doc.body.italic, size, doc.ink)
    if rng.random() < 0.5:
        page_number(doc, 2, rng.choice([2, None]), doc.body.regular, 8)


def minimal(doc: Doc) -> None:
    """A sparse resume: name, one contact line, a few entries, much white space."""
    rng, cv = doc.rng, doc.cv
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
        cv.text(m, y + size, doc.text.heading(key), doc.head.bold, size * 1.15, doc.accent if doc.colour else doc.ink)
        y += size * 2.4
        for e in entries:
            e.bullets = e.bullets[:1]
            y = entry(doc, m + dates_w, y, w - dates_w, e, size, doc.H - m, dates_left=dates_w) + size
        y += size


# --------------------------------------------------------------------------- modern (HTML/JSON-resume-like) themes


def icon(doc: Doc, x: float, base: float, size: float, colour: RGB, kind: int) -> float:
    """A small contact icon (filled circle, square, rounded square or ring) before an item; returns its width."""
    cv, r = doc.cv, size * 0.38
    cy = base - size * 0.35
    if kind == 0:
        cv.ellipse(x, cy - r, x + 2 * r, cy + r, fill=colour)
    elif kind == 1:
        cv.rect(x, cy - r, x + 2 * r, cy + r, fill=colour)
    elif kind == 2:
        cv.rect(x, cy - r, x + 2 * r, cy + r, fill=colour, radius=r * 0.5)
    else:
        cv.ellipse(x, cy - r, x + 2 * r, cy + r, outline=colour, width=size * 0.12)
    return 2 * r + size * 0.45


def contact_row(doc: Doc, x: float, base: float, w: float, items: list[str], size: float, colour: RGB,
                centre: bool = False) -> float:
    """Contact items on one or two lines, each after an icon; returns the baseline of the last line."""
    cv, kind = doc.cv, doc.rng.randrange(4)
    gap = size * 1.4
    widths = [cv.width(it, doc.body.regular, size) + size * 1.2 for it in items]
    lines: list[list[int]] = [[]]
    used = 0.0
    for k, wk in enumerate(widths):
        if lines[-1] and used + wk > w:
            lines.append([])
            used = 0.0
        lines[-1].append(k)
        used += wk + gap
    for row in lines:
        total = sum(widths[k] for k in row) + gap * (len(row) - 1)
        cx = x + (w - total) / 2 if centre else x
        for k in row:
            cx += icon(doc, cx, base, size, colour, kind)
            cv.text(cx, base, items[k], doc.body.regular, size, doc.ink)
            cx += widths[k] - size * 1.2 + gap
        base += size * 1.5
    return base - size * 1.5


def level_dots(doc: Doc, x: float, base: float, size: float, level: int, on: RGB, off: RGB) -> None:
    r = size * 0.3
    for k in range(5):
        cx = x + k * r * 2.8
        doc.cv.ellipse(cx, base - size * 0.35 - r, cx + 2 * r, base - size * 0.35 + r, fill=on if k < level else off)


def timeline(doc: Doc) -> None:
    """Name header with an icon contact line; entries on a vertical timeline with dates in a left column."""
    rng, cv = doc.rng, doc.cv
    m = rng.uniform(40, 60)
    w = doc.W - 2 * m
    size = rng.uniform(8.5, 10)
    col = doc.accent if doc.colour else doc.ink
    nsize = rng.uniform(22, 32)
    name = doc.fake.name()
    cv.text(m, m + nsize, name.upper() if rng.random() < 0.4 else name, doc.head.bold, nsize, col)
    cv.text(m, m + nsize + size * 1.9, doc.text.role(), doc.body.regular, size * 1.35, doc.grey(60, 110))
    y = contact_row(doc, m, m + nsize + size * 4, w, contact_items(doc), size * 0.9, col) + size
    cv.hline(m, doc.W - m, y, col, rng.uniform(0.6, 2))
    y += size * 1.5
    if rng.random() < 0.7:
        y = heading(doc, m, y, w, doc.text.heading("profile"), 1, size * 1.3, col)
        y = paragraph(cv, m, y, w, profile_text(doc), doc.body.regular, size, doc.ink, 1.35) + size
    date_w = rng.uniform(80, 105)
    line_x = m + date_w - 12
    nj, ns = density(doc)
    for key, entries in (("experience", jobs(doc, nj + 1)), ("education", schools(doc, ns))):
        if y > doc.H - 120:
            break
        y = heading(doc, m, y, w, doc.text.heading(key), 1, size * 1.3, col)
        top = y
        for e in entries:
            if y > doc.H - 80:
                break
            cv.ellipse(line_x - 3, y + size * 0.35, line_x + 3, y + size * 0.35 + 6, fill=col)
            e.dates = e.dates.replace(" – ", " –\n") if rng.random() < 0.5 else e.dates
            lines_block(doc, m, y, e.dates.split("\n"), doc.body.regular, size * 0.85, doc.grey(60, 110), 1.25)
            y = entry(doc, m + date_w, y, w - date_w, dataclass_replace(e, dates=""), size, doc.H - 50)
        cv.vline(line_x, top + 4, y - size, doc.tint(col, 0.6), 0.8)
    if y < doc.H - 110 and not ends_here(doc):
        y = heading(doc, m, y, w, doc.text.heading("skills"), 1, size * 1.3, col)
        skills = doc.text.skills(rng.randint(4, 8))
        half = (len(skills) + 1) // 2
        for k, sk in enumerate(skills):
            cx = m + (k // half) * w / 2
            base = y + size + (k % half) * size * 1.6
            cv.text(cx, base, sk, doc.body.regular, size, doc.ink)
            level_dots(doc, cx + w / 2 - 80, base, size, rng.randint(2, 5), col, (215, 215, 215))
        y += half * size * 1.6 + size
    if y < doc.H - 70 and not ends_here(doc):
        y = heading(doc, m, y, w, doc.text.heading("languages"), 1, size * 1.3, col)
        cv.text(m, y + size, "  ·  ".join(f"{n} ({lv})" for n, lv in doc.text.languages(rng.randint(2, 4))),
                doc.body.regular, size, doc.ink)


def json_theme(doc: Doc) -> None:
    """A theme rendered from a JSON resume: header with name, label and contacts, optional photo circle,
    work with highlights, skills as 'name: keywords' rows, languages and interests in columns."""
    rng, cv = doc.rng, doc.cv
    m = rng.uniform(36, 56)
    w = doc.W - 2 * m
    size = rng.uniform(8.6, 11.5)
    col = doc.accent if doc.colour else doc.ink
    x = m
    if rng.random() < 0.45:  # photo, or the grey placeholder circle of an empty template
        d = rng.uniform(60, 80)
        if rng.random() < 0.5:
            photo(doc, m, m, d, d, portrait=True, round_=True)
        else:
            cv.ellipse(m, m, m + d, m + d, fill=(220, 220, 222))
            cv.ellipse(m + d * 0.35, m + d * 0.2, m + d * 0.65, m + d * 0.5, fill=(245, 245, 245))
            cv.pieslice(m + d * 0.2, m + d * 0.55, m + d * 0.8, m + d * 1.15, 180, 360, fill=(245, 245, 245))
        x = m + d + 16
    nsize = rng.uniform(20, 28)
    cv.text(x, m + nsize, doc.fake.name(), doc.head.bold, nsize, doc.ink)
    cv.text(x, m + nsize + size * 1.8, doc.text.role(), doc.body.regular, size * 1.3, col)
    y = contact_row(doc, x, m + nsize + size * 3.8, doc.W - m - x, contact_items(doc), size * 0.9, col)
    y = max(y + size * 2, m + 95)
    hstyle = rng.choice([0, 1, 2])
    if rng.random() < 0.8:
        y = heading(doc, m, y, w, doc.text.heading("profile"), hstyle, size * 1.25, col)
        y = paragraph(cv, m, y, w, profile_text(doc), doc.body.regular, size, doc.ink, 1.35) + size * 0.6
    y = heading(doc, m, y, w, doc.text.heading("experience"), hstyle, size * 1.25, col)
    nj, ns = density(doc)
    for e in jobs(doc, nj + 1):
        if y > doc.H * 0.72:
            break
        e.title, e.org = e.org, e.title  # company first, position under it, as JSON-resume themes show them
        y = entry(doc, m, y, w, e, size, doc.H * 0.78)
    y = heading(doc, m, y, w, doc.text.heading("education"), hstyle, size * 1.25, col)
    for e in schools(doc, ns):
        y = entry(doc, m, y, w, e, size, doc.H - 90)
    if y < doc.H - 100 and not ends_here(doc):
        y = heading(doc, m, y, w, doc.text.heading("skills"), hstyle, size * 1.25, col)
        groups = doc.text.skills(rng.randint(6, 12))
        for k in range(0, len(groups), 3):
            if y > doc.H - 50:
                break
            head, rest = groups[k], groups[k + 1:k + 3]
            cv.text(m, y + size, head, doc.body.bold, size, doc.ink)
            cv.text(m + w * 0.3, y + size, ", ".join(rest) or head, doc.body.regular, size, doc.ink)
            y += size * 1.5
    if y < doc.H - 70 and not ends_here(doc):
        y += size * 0.5
        half = w / 2
        heading(doc, m, y, half - 10, doc.text.heading("languages"), hstyle, size * 1.15, col)
        heading(doc, m + half, y, half, doc.text.heading("interests"), hstyle, size * 1.15, col)
        yy = y + size * 2.2
        for k, (n, lv) in enumerate(doc.text.languages(3)):
            cv.text(m, yy + size + k * size * 1.45, f"{n} – {lv}", doc.body.regular, size, doc.ink)
        paragraph(cv, m + half, yy, half, ", ".join(doc.text.interests(4)), doc.body.regular, size, doc.ink, 1.35)


def academic_dense(doc: Doc) -> None:
    """A long academic CV page: small serif type, many sections, numbered publications, grants, teaching."""
    rng, cv = doc.rng, doc.cv
    fam = doc.family({"serif": 5, "sans": 1})
    doc.body = doc.head = fam
    from docclf.synth.text import fill, vocab

    acad = vocab("resume")["academic"]
    paper = PaperText(rng, doc.fake, "en", True)
    m = rng.uniform(42, 60)
    w = doc.W - 2 * m
    size = rng.uniform(7.2, 8.6)
    name = doc.fake.name()
    centre = rng.random() < 0.5
    put = cv.text_center if centre else cv.text
    put(doc.W / 2 if centre else m, m + 14, name, fam.bold, 15, doc.ink)
    uni = f"University of {doc.fake.city()}"
    dept = f"Department of {rng.choice(doc.text.table['field'])}"
    put(doc.W / 2 if centre else m, m + 14 + size * 1.8, f"{dept}, {uni}", fam.regular, size, doc.ink)
    put(doc.W / 2 if centre else m, m + 14 + size * 3.2, " · ".join(contact_items(doc)[:3]), fam.regular, size * 0.95, doc.ink)
    y = m + 14 + size * 4.5
    extra = {"field": lambda r: r.choice(doc.text.table["field"]), "n": lambda r: r.randint(20, 300),
             "small": lambda r: r.randint(2, 9), "year": lambda r: r.randint(2008, 2022),
             "year2": lambda r: r.randint(2023, 2027), "funder": lambda r: r.choice(acad["funder"]),
             "money": lambda r: doc.lang.money(r.choice([50, 150, 300, 1200]) * 1000),
             "venue": lambda r: paper.venue(), "uni": lambda r: f"University of {doc.fake.city()}"}

    def section(title: str) -> None:
        nonlocal y
        y = heading(doc, m, y + size * 0.3, w, title, rng.choice([1, 1, 2]), size * 1.2, doc.ink)

    def rows(items: list[str], dated: bool = True) -> None:
        nonlocal y
        for it in items:
            if y > doc.H - m - size * 2:
                return
            if dated:
                cv.text(m, y + size, str(rng.randint(2008, 2025)), fam.regular, size, doc.ink)
            y = paragraph(cv, m + (size * 5 if dated else 0), y, w - (size * 5 if dated else 0), it, fam.regular,
                          size, doc.ink, 1.22, bottom=doc.H - m) + size * 0.25

    section(doc.text.heading("education"))
    rows([f"{doc.text.degree()}, {doc.fake.city()} University" for _ in range(rng.randint(2, 3))])
    section(acad["sections"]["appointments"])
    rows([f"{rng.choice(acad['roles'])}, {dept}, {extra['uni'](rng)}" for _ in range(rng.randint(2, 4))])
    if rng.random() < 0.6:
        section(acad["sections"]["research"])
        rows([", ".join(paper.keywords())], dated=False)
    for key in ["publications"] + pick_n(rng, ["grants", "teaching", "talks", "service"], 4):
        if y > doc.H - m - size * 4:
            break
        if key == "publications":
            section(doc.lang["publications"])
            for k in range(1, rng.randint(10, 32)):
                if y > doc.H - m - size * 2:
                    break
                y = paragraph(cv, m, y, w, paper.reference(k, numbered=True), fam.regular, size, doc.ink, 1.22,
                              bottom=doc.H - m) + size * 0.3
        else:
            section(acad["sections"][key])
            rows([fill(rng, t, [], extra) for t in pick_n(rng, acad[key], rng.randint(3, 5))], dated=key != "service")


def pick_n(rng: random.Random, items: list[str], k: int) -> list[str]:
    return rng.sample(items, min(k, len(items)))


# --------------------------------------------------------------------------- single-column web themes


HIGHLIGHTS = {"en": "Highlights", "de": "Highlights", "fr": "Réalisations", "es": "Logros", "it": "Risultati",
              "nl": "Hoogtepunten", "pt": "Destaques"}


def iso_range(doc: Doc, start: int, years: int, current: bool) -> str:
    """'2013-12-01 - 2014-12-01', as web themes print a JSON resume's dates (sometimes 'Dec 2013 — Dec 2014')."""
    rng, L = doc.rng, doc.lang
    m1, m2 = rng.randint(1, 12), rng.randint(1, 12)
    sep = rng.choice([" - ", " — ", " – ", " to "])
    if rng.random() < 0.65:
        end = L["present"] if current else f"{start + years}-{m2:02d}-01"
        return f"{start}-{m1:02d}-01{sep}{end}"
    end = L["present"] if current else f"{L.months[m2 - 1]} {start + years}"
    return f"{L.months[m1 - 1]} {start}{sep}{end}"


def web_entry(doc: Doc, x: float, y: float, w: float, e: Entry, size: float, bottom: float, col: RGB) -> float:
    """Organisation, position and dates, the summary if any, then 'Highlights' and bullets."""
    rng, cv = doc.rng, doc.cv
    reg, bold = doc.body.regular, doc.body.bold
    if y + size * 4 > bottom:
        return y
    grey = doc.grey(90, 140)
    cv.text(x, y + size * 1.05, e.org, bold, size * 1.05, doc.ink)
    if rng.random() < 0.5:
        cv.text_right(x + w, y + size, e.dates, bold if rng.random() < 0.5 else reg, size * 0.9, doc.ink)
        y += size * 1.5
    else:
        y += size * 1.5
        cv.text(x, y + size * 0.9, e.dates, reg, size * 0.9, grey)
        y += size * 1.35
    cv.text(x, y + size, e.title, bold if rng.random() < 0.4 else reg, size, col if rng.random() < 0.4 else doc.ink)
    y += size * 1.6
    if e.summary:
        y = paragraph(cv, x, y, w, e.summary, reg, size, doc.ink, 1.4, bottom=bottom)
        y += size * 0.5
    if e.bullets:
        if rng.random() < 0.6:
            cv.text(x, y + size, HIGHLIGHTS.get(doc.lang.lang, "Highlights"), bold, size * 0.95, doc.ink)
            y += size * 1.6
        for b in e.bullets:
            if y + size * 1.4 > bottom:
                break
            bullet(doc, x + size * 1.2, y + size, size, "dot", doc.ink, reg)
            y = paragraph(cv, x + size * 2.2, y, w - size * 2.2, b, reg, size, doc.ink, 1.35, bottom=bottom)
            y += size * 0.2
    return y + size * 0.9


def web_theme(doc: Doc) -> None:
    """A single-column HTML theme of a JSON resume: big name header (sometimes in a full-width band), role,
    labelled contact lines, 'About', then Work, Volunteer, Education, Awards, Publications, Skills, Languages,
    Interests and References with ISO dates. Sometimes the second page, which only continues sections."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    reg, bold = doc.body.regular, doc.body.bold
    m = rng.uniform(34, 60)
    size = rng.uniform(9.0, 12.0)  # HTML themes print at 16 px, about 12 pt: larger than paper CVs
    col = doc.accent if doc.colour else doc.ink
    label_col = rng.random() < 0.3  # section titles in a left column, content to their right
    x = m + (rng.uniform(90, 120) if label_col else 0)
    w = doc.W - m - x
    hsize = size * rng.uniform(1.3, 1.8)
    rule = rng.random() < 0.5
    bottom = doc.H - m
    y = m
    second = rng.random() < 0.25
    if second:  # page 2: the tail of an entry, then more sections
        for b in doc.text.bullets(rng.randint(1, 3)):
            bullet(doc, x + size * 1.2, y + size, size, "dot", doc.ink, reg)
            y = paragraph(cv, x + size * 2.2, y, w - size * 2.2, b, reg, size, doc.ink, 1.35) + size * 0.2
        y += size
    else:
        y = web_header(doc, m, size, col)
    f = doc.fake

    def section(key: str) -> None:
        nonlocal y
        title = L["publications"] if key == "publications" else doc.text.heading(key)
        if label_col:  # wrapped to the label column, the content starts beside it
            paragraph(cv, m, y, x - m - size, title, bold, hsize * 0.8, col, 1.2)
            y += hsize * 0.15
        else:
            cv.text(m, y + hsize, title, doc.head.bold, hsize, col)
            y += hsize * 1.6
        if rule and not label_col:
            cv.hline(m, doc.W - m, y - hsize * 0.35, doc.grey(190, 225), 0.6)

    order = ["volunteering", "education", "awards", "publications", "skills", "languages", "interests", "references"]
    if not second:
        section("profile")
        y = paragraph(cv, x, y, w, doc.text.profile(), reg, size, doc.ink, 1.45, bottom=bottom) + size * 1.2
        order = ["experience"] + order
    else:
        order = order[rng.randint(0, 3):]
    keep = [k for k in order if k in ("experience", "education", "skills") or rng.random() < 0.6]
    for key in keep:
        if y + hsize * 4 > bottom:
            break
        section(key)
        if key in ("experience", "volunteering", "education"):
            entries = (jobs(doc, rng.randint(1, 3)) if key == "experience" else
                       schools(doc, rng.randint(1, 2)) if key == "education" else jobs(doc, 1))
            for e in entries:
                if key == "volunteering":
                    e.org, e.title = doc.text.volunteering(), e.title
                if rng.random() < 0.8:
                    e.dates = iso_range(doc, rng.randint(2005, 2020), rng.randint(1, 4), False)
                y = web_entry(doc, x, y, w, e, size, bottom, col)
        elif key == "skills":
            skills = doc.text.skills(rng.choice([2, 4, 6]))
            levels = doc.text.table["skill_levels"]
            half = w / 2
            for k in range(0, len(skills), 2):
                if y + size * 8 > bottom:
                    break
                top = y
                for j, sk in enumerate(skills[k:k + 2]):
                    yy = top
                    cv.text(x + j * half, yy + size, sk, reg, size, doc.ink)
                    cv.text(x + j * half, yy + size * 2.3, rng.choice(levels), doc.body.italic, size * 0.9,
                            doc.grey(120, 150))
                    yy += size * 2.9
                    for kw in doc.text.skills(rng.randint(1, 3)):
                        bullet(doc, x + j * half + size * 1.2, yy + size, size, "dot", doc.ink, reg)
                        cv.text(x + j * half + size * 2.2, yy + size, kw, reg, size, doc.ink)
                        yy += size * 1.35
                    y = max(y, yy)
                y += size * 0.8
        elif key == "languages":
            for n, lv in doc.text.languages(rng.randint(1, 3)):
                cv.text(x, y + size, n, reg, size, doc.ink)
                cv.text(x, y + size * 2.3, lv, doc.body.italic, size * 0.9, doc.grey(120, 150))
                y += size * 3.2
        elif key == "interests":
            for it in doc.text.interests(rng.randint(1, 2)):
                cv.text(x, y + size, it, reg, size, doc.ink)
                y += size * 1.5
                for kw in doc.text.interests(rng.randint(1, 2)):
                    bullet(doc, x + size * 1.2, y + size, size, "dot", doc.ink, reg)
                    cv.text(x + size * 2.2, y + size, kw, reg, size, doc.ink)
                    y += size * 1.35
            y += size * 0.5
        elif key == "publications":
            paper = PaperText(rng, f, "en", True)
            for _ in range(rng.randint(1, 2)):
                cv.text(x, y + size, first_line(doc.cv, paper.title(), bold, size, w), bold, size, doc.ink)
                cv.text(x, y + size * 2.4, f"{paper.venue()} · {iso_range(doc, rng.randint(2010, 2022), 0, False).split(' ')[0]}",
                        reg, size * 0.9, doc.grey(90, 140))
                y += size * 3.4
        elif key == "awards":
            for _ in range(rng.randint(1, 2)):
                cv.text(x, y + size, doc.text.item("awards"), bold, size, doc.ink)
                cv.text(x, y + size * 2.3, f.company(), reg, size * 0.9, doc.grey(90, 140))
                y += size * 3.3
        else:  # references
            quote = doc.text.bullets(1)[0]
            y = paragraph(cv, x, y, w, f"“{quote}”" if rng.random() < 0.5 else L["refs_avail"], reg, size, doc.ink,
                          1.4) + size * 0.3
            cv.text(x, y + size, f"— {f.name()}", reg, size, doc.ink)
            y += size * 2
        y += size * 0.8
    if second and rng.random() < 0.5:
        page_number(doc, 2, 2, reg, size * 0.9)


def web_header(doc: Doc, m: float, size: float, col: RGB) -> float:
    """The name, role and contacts of a web theme, plain or in a full-width band; returns the y below."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    reg, bold = doc.body.regular, doc.body.bold
    f = doc.fake
    name = f.name()
    nsize = rng.uniform(20, 34)
    role = doc.text.role()
    style = rng.randrange(3)
    ink, sub = doc.ink, doc.grey(100, 140)
    if style == 1:  # a full-width band: dark with white type, or a light tint
        bh = nsize * 2.6 + size * 2
        dark = doc.colour and rng.random() < 0.6
        cv.rect(0, 0, doc.W, m * 0.6 + bh, fill=doc.accent if dark else doc.tint(doc.accent, rng.uniform(0.88, 0.95)))
        if dark:
            ink = sub = (255, 255, 255)
    centre = style == 2
    put = cv.text_center if centre else cv.text
    x = doc.W / 2 if centre else m
    name = name.upper() if rng.random() < 0.35 else name
    put(x, m + nsize, name, doc.head.bold, nsize, ink if style == 1 or not doc.colour or rng.random() < 0.6 else col)
    put(x, m + nsize + size * 2.4, role, doc.head.bold if rng.random() < 0.5 else reg, size * 1.5, sub)
    y = m + nsize + size * 3.6
    if style == 1:
        y = m * 0.6 + nsize * 2.6 + size * 2 + size * 1.5
    if centre:
        cv.hline(m, doc.W - m, y, doc.grey(150, 200), 0.6)
        y += size
    items = contact_items(doc)
    if rng.random() < 0.5:  # 'Email' over the address, 'Phone' over the number
        labels = [L["phone"], L["email"], L["address"], "Website", "Profile"]
        for k, it in enumerate(items[:rng.randint(2, 4)]):
            cv.text(m, y + size, labels[min(k, len(labels) - 1)], bold, size, doc.ink)
            cv.text(m, y + size * 2.3, it, reg, size, doc.ink)
            y += size * 3.1
        return y + size
    return contact_row(doc, m, y + size * 1.5, doc.W - 2 * m, items, size * 0.95, col, centre=centre) + size * 2.5


# --------------------------------------------------------------------------- LaTeX CV classes' look

# The colour schemes LaTeX CV classes offer (blue, orange, green, red, purple, grey, black).
TEX_COLOURS = ((56, 115, 178), (242, 140, 38), (89, 178, 77), (217, 51, 51), (128, 84, 204), (128, 128, 128),
               (0, 0, 0))


def hints_entry(doc: Doc, x: float, y: float, w: float, hint: str, parts: list[tuple[str, Face]], note: str,
                size: float, bottom: float) -> float:
    """A two-column LaTeX CV entry: dates or a label right-aligned in the hints column, then the comma-separated
    title, organisation and place, then a smaller description; returns the y below it."""
    cv = doc.cv
    if y + size * 2 > bottom:
        return y
    cv.text_right(x - size * 0.9, y + size, hint, doc.body.regular, size * 0.92, doc.ink)
    cx, line_y = x, y
    for k, (text, face) in enumerate(parts):
        piece = text + ("," if k < len(parts) - 1 else ".")
        pw = cv.width(piece + " ", face, size)
        if cx + pw > x + w and cx > x:
            cx, line_y = x, line_y + size * 1.3
        cv.text(cx, line_y + size, piece, face, size, doc.ink)
        cx += pw
    y = line_y + size * 1.35
    if note and y + size * 1.2 <= bottom:
        y = paragraph(cv, x, y, w, note, doc.body.regular, size * 0.88, doc.ink, 1.25, bottom=bottom)
    return y + size * 0.55


def latex_cv(doc: Doc) -> None:
    """A CV typeset with a LaTeX CV class: a big name, details on the right (or centred, or in a footer), section
    titles after a coloured bar in the hints column, dates and labels right-aligned in that column."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    style = rng.choices(["classic", "casual", "banking"], [3, 2, 1])[0]
    doc.body = doc.head = tex_family(doc, "serif" if style == "banking" and rng.random() < 0.5 else "sans")
    reg, bold, ital = doc.body.regular, doc.body.bold, doc.body.italic
    col = rng.choice(TEX_COLOURS) if doc.colour or rng.random() < 0.3 else doc.grey(40, 90)
    grey = doc.grey(100, 140)
    m = rng.uniform(45, 80)
    w = doc.W - 2 * m
    size = rng.uniform(9.2, 11.2)  # 10-12 pt classes
    hint_w = w * rng.uniform(0.16, 0.24) if style != "banking" else 0.0
    first, last = doc.fake.first_name(), doc.fake.last_name()
    nsize = rng.uniform(26, 36)
    details = contact_items(doc)
    y = m
    if style == "classic":
        cv.text(m, y + nsize, f"{first} {last}", doc.head.regular, nsize, col)
        title_y = y + nsize * 1.25
        if rng.random() < 0.8:
            cv.text(m, title_y + size * 1.5, doc.text.role(), ital, size * 1.5, grey)
        right = doc.W - m
        if rng.random() < 0.4:
            photo(doc, right - 62, y, 62, 78, portrait=True)
            cv.rect(right - 63, y - 1, right + 1, y + 79, outline=col, width=0.8)
            right -= 72
        dy = y + size
        room = right - m - cv.width(f"{first} {last}", doc.head.regular, nsize) - size * 2
        for item in details:  # long items (an address) break at their comma, as a line break in the source would
            for piece in ([item] if cv.width(item, ital, size * 0.9) < room else item.split(", ")):
                cv.text_right(right, dy, piece, ital, size * 0.9, grey)
                dy += size * 1.3
        y = max(title_y + size * 2.5, dy) + size
    elif style == "casual":
        cv.text_right(doc.W - m, y + nsize, first, doc.head.regular, nsize, col)
        cv.text_right(doc.W - m, y + nsize * 2.05, last, doc.head.regular, nsize, grey)
        y += nsize * 2.5
        # the details go in a centred footer, separated by symbols
        sep = rng.choice([" • ", "  ", " · "])
        line = sep.join(details[:3])
        cv.text_center(doc.W / 2, doc.H - m * 0.55 - size * 1.3, line, reg, size * 0.85, grey)
        if len(details) > 3:
            cv.text_center(doc.W / 2, doc.H - m * 0.55, sep.join(details[3:]), reg, size * 0.85, grey)
    else:
        cv.text_center(doc.W / 2, y + nsize * 0.8, f"{first} {last}", bold, nsize * 0.8, col)
        y += nsize * 0.8 + size * 1.4
        for k in range(0, len(details), 3):
            cv.text_center(doc.W / 2, y, "  ·  ".join(details[k:k + 3]), reg, size * 0.85, doc.ink)
            y += size * 1.3
        cv.hline(m, doc.W - m, y, col, 0.8)
        y += size
    if rng.random() < 0.35:  # the classes' \quote: a centred italic line or two
        y = paragraph(cv, m + w * 0.15, y, w * 0.7, doc.text.profile(1), ital, size, doc.ink, 1.3, align="center")
        y += size
    bottom = doc.H - m - (size * 3 if style == "casual" else 0)
    x = m + hint_w + (size * 0.9 if hint_w else 0)
    tw = doc.W - m - x
    hsize = size * rng.uniform(1.35, 1.6)
    sections = ["education", "experience", "languages", "skills"]
    if rng.random() < 0.5:
        sections[0], sections[1] = sections[1], sections[0]
    # then short sections while the page has room: a typeset CV usually fills its page, a brief one not
    extras = rng.sample(["projects", "certs", "awards", "volunteering", "interests"], 5)
    sections += extras[:rng.randint(0, 2)] if doc.text.brief else extras
    for key in sections:
        if y + hsize * 4 > bottom:
            break
        y += size * 0.6
        if hint_w:  # \section: a coloured bar in the hints column, the title beside it
            cv.rect(m, y + hsize * 0.35, m + hint_w, y + hsize * 0.8, fill=col)
            cv.text(x, y + hsize, doc.text.heading(key), doc.head.regular, hsize, col)
        else:
            cv.text(m, y + hsize, doc.text.heading(key), bold, hsize, col)
            cv.hline(m, doc.W - m, y + hsize * 1.35, col, 0.6)
        y += hsize * 1.7
        if key in ("education", "experience"):
            entries = (schools(doc, rng.randint(1, 3)) if key == "education"
                       else jobs(doc, rng.randint(*few(doc, 2, 4))))
            for e in entries:
                parts = [(e.title, bold), (e.org, ital)] + ([(e.place, reg)] if e.place else [])
                note = " ".join([e.summary] + [b.rstrip(".") + "." for b in e.bullets[:2]]).strip()
                if hint_w:
                    y = hints_entry(doc, x, y, tw, e.dates, parts, note, size, bottom)
                else:
                    cv.text_right(doc.W - m, y + size, e.dates, reg, size * 0.92, doc.ink)
                    y = hints_entry(doc, x, y, tw - cv.width(e.dates, reg, size) - size, "", parts, note, size,
                                    bottom)
        elif key == "languages":
            for name, level in doc.text.languages(rng.randint(2, 4)):
                if y + size * 1.5 > bottom:
                    break
                (cv.text_right if hint_w else cv.text)(x - size * 0.9 if hint_w else m, y + size, name, reg, size,
                                                       doc.ink)
                cv.text(x + (0 if hint_w else w * 0.25), y + size, level, bold, size, doc.ink)
                y += size * 1.45
        elif key == "skills":
            groups = rng.randint(2, 4)
            for _ in range(groups):
                if y + size * 1.5 > bottom:
                    break
                label = rng.choice(doc.text.table["headings"].get("skills") or [L["skills"]])
                if hint_w:
                    cv.text_right(x - size * 0.9, y + size, label, reg, size * 0.92, doc.ink)
                y = paragraph(cv, x, y, tw, ", ".join(doc.text.skills(rng.randint(3, 6))), reg, size, doc.ink, 1.3,
                              bottom=bottom) + size * 0.25
        else:
            for _ in range(rng.randint(1, 3)):
                if y + size * 1.5 > bottom:
                    break
                bullet(doc, x + size * 0.3, y + size, size, "dot", doc.ink, reg)
                y = paragraph(cv, x + size * 1.2, y, tw - size * 1.2, doc.text.item(key), reg, size, doc.ink, 1.3,
                              bottom=bottom) + size * 0.25
    if rng.random() < 0.3:
        cv.text_right(doc.W - m, doc.H - m * 0.5, rng.choice(["1/2", "1/1", "2/2"]), reg, size * 0.8, doc.ink)

FAMILIES = (("classic", classic), ("sidebar", sidebar), ("header_band", header_band), ("tabular", tabular),
            ("compact", compact), ("academic", academic), ("continuation", continuation), ("minimal", minimal),
            ("timeline", timeline), ("json_theme", json_theme), ("academic_dense", academic_dense),
            ("web_theme", web_theme), ("latex_cv", latex_cv))
# web_theme: about 14 % of resumes; latex_cv: about 10 %
WEIGHTS = (2.5, 2.5, 1.5, 1.5, 1.5, 0.6, 1, 1, 2, 2.5, 0.8, 3.2, 2.4)
