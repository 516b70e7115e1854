"""Slides: landscape pages with themes (plain white, accent bars, bands, dark), titles, bullets, charts."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from docclf.synth.canvas import RGB, paragraph, wrap
from docclf.synth.page import Doc, new_doc, random_colour
from docclf.synth.render import (bullet, chart, equation, image_placeholder, logo, photo, random_table_style,
                                 series_colours, table)
from docclf.synth.phrases import SlideText
from docclf.synth.text import random_date

WHITE: RGB = (255, 255, 255)


@dataclass
class Theme:
    """Colours and decorations shared by every slide of a deck."""

    kind: str  # plain, bar, band, side, dark, tinted
    bg: RGB
    title: RGB
    text: RGB
    accent: RGB
    bullet: str
    footer: bool
    number: bool
    top: float  # y where the content area starts, below the title


def make_doc(rng: random.Random, long_px: int) -> Doc:
    fmt = "16:9" if rng.random() < 0.65 else "4:3"
    theme_kind = rng.choices(["plain", "bar", "band", "side", "dark", "tinted"], [3, 3, 2, 1.2, 1.5, 1])[0]
    colour_p = 0.2 if theme_kind == "plain" else 0.8
    doc = new_doc(rng, fmt, long_px, colour_p=colour_p, body_kinds={"sans": 6, "serif": 1.2, "mono": 0.2,
                                                                     "script": 0.2})
    doc.theme = make_theme(doc, theme_kind)
    doc.text = SlideText(rng, doc.fake, doc.lang)
    if doc.theme.bg != WHITE:
        doc.cv.rect(0, 0, doc.W, doc.H, fill=doc.theme.bg)
    return doc


def make_theme(doc: Doc, kind: str) -> Theme:
    rng = doc.rng
    acc = doc.accent
    bullet_kind = rng.choice(["dot", "dot", "square", "dash", "arrow", "ring"])
    footer, number = rng.random() < 0.5, rng.random() < 0.7
    if kind == "dark":
        bg = rng.choice([(20, 24, 33), (12, 12, 12), (30, 40, 60), (40, 40, 45), (15, 35, 55)]) \
            if doc.colour else doc.grey(10, 50)
        light = doc.tint(acc, 0.5)
        return Theme(kind, bg, WHITE, (225, 225, 225), light, bullet_kind, footer, number, 130)
    if kind == "tinted":
        return Theme(kind, doc.tint(acc, rng.uniform(0.88, 0.96)), doc.ink, doc.ink, acc, bullet_kind, footer,
                     number, 125)
    if kind == "plain":
        return Theme(kind, WHITE, doc.ink, doc.ink, acc if doc.colour else doc.ink, bullet_kind, footer,
                     number, 120)
    return Theme(kind, WHITE, acc if kind != "band" and rng.random() < 0.6 else doc.ink, doc.ink, acc,
                 bullet_kind, footer, number, 130 if kind == "band" else 125)


def decorate(doc: Doc, number: int, title_band: bool = True) -> None:
    """Theme decorations, footer text, logo and slide number."""
    th, cv, rng = doc.theme, doc.cv, doc.rng
    if th.kind == "band" and title_band:
        cv.rect(0, 0, doc.W, 95, fill=th.accent)
    elif th.kind == "side":
        cv.rect(0, 0, rng.uniform(14, 30), doc.H, fill=th.accent)
    elif th.kind == "bar":
        cv.rect(0, doc.H - rng.uniform(6, 16), doc.W, doc.H, fill=th.accent)
    face = doc.body.regular
    ink = th.text if th.kind == "dark" else doc.grey(90, 140)
    if th.footer:
        cv.text(40, doc.H - 16, rng.choice([doc.fake.company(), doc.lang.date(random_date(rng)), doc.text.title,
                                            "Confidential", f"{doc.fake.company()} | {doc.lang.date(random_date(rng))}",
                                            f"{doc.fake.name()} | {doc.text.title}"]), face, 9, ink)
    if th.number:
        total = number + rng.randint(0, 25)
        cv.text_right(doc.W - 30, doc.H - 16, rng.choice([str(number), f"{number} / {total}", f"{number}/{total}"]),
                      face, 10, ink)
    if rng.random() < 0.25:
        logo(doc, doc.W - 80, 18, 20, doc.fake.company(), doc.body.bold, text=False)


def title(doc: Doc, text: str, x: float = 48, y: float = 40, size: float | None = None,
          align: str = "left") -> float:
    """Slide title (wrapped to two lines at most); returns the y below it."""
    th = doc.theme
    size = size or doc.rng.uniform(26, 40)
    ink = WHITE if th.kind == "band" else th.title
    w = doc.W - x - 48
    lines = wrap(doc.cv, text, doc.head.bold, size, w)[:2]
    for i, line in enumerate(lines):
        base = y + size + i * size * 1.15
        if align == "center":
            doc.cv.text_center(doc.W / 2, base, line, doc.head.bold, size, ink)
        else:
            doc.cv.text(x, base, line, doc.head.bold, size, ink)
    y_end = y + len(lines) * size * 1.15
    if th.kind in ("bar", "plain") and doc.rng.random() < 0.5 and align == "left":
        doc.cv.rect(x, y_end + 8, x + doc.rng.uniform(60, 160), y_end + 11, fill=th.accent)
    return y_end + 20


def slide_title(doc: Doc) -> str:
    L, rng = doc.lang, doc.rng
    pool = [L[k] for k in ("overview", "results", "next_steps", "summary", "background", "goals", "timeline",
                           "budget", "team", "approach", "market", "conclusion")]
    if rng.random() < 0.3:
        return rng.choice(pool)
    return doc.text.slide_title()


def bullets(doc: Doc, x: float, y: float, w: float, bottom: float, n: int | None = None,
            size: float | None = None) -> float:
    """Bullet list with occasional second-level items; returns the y below."""
    th, rng, cv = doc.theme, doc.rng, doc.cv
    size = size or rng.uniform(16, 26)
    n = n or rng.randint(2, 7)
    face = doc.body.regular
    gap = rng.uniform(0.4, 1.1)
    for k, text in enumerate(doc.text.bullets(n)):
        level = 1 if (k and rng.random() < 0.25) else 0
        s = size * (0.85 if level else 1)
        bx = x + level * size * 1.6
        if y + s * 1.3 > bottom:
            break
        bullet(doc, bx, y + s, s, th.bullet, th.accent if rng.random() < 0.6 else th.text, face)
        y = paragraph(cv, bx + s * 0.9, y, w - (bx - x) - s, text, face, s, th.text, 1.2, bottom=bottom)
        y += s * gap
    return y


# --------------------------------------------------------------------------- families


def title_slide(doc: Doc) -> None:
    """Deck title, subtitle, presenter, date; centred or left, sometimes with a photo or colour block."""
    th, rng, cv = doc.theme, doc.rng, doc.cv
    style = rng.randrange(4)
    head = doc.text.title
    size = rng.uniform(34, 54)
    sub = [doc.fake.name(), doc.fake.company(), doc.lang.date(random_date(rng))]
    ink = th.title
    if style == 1:  # photo or colour block on one side
        half = doc.W * rng.uniform(0.4, 0.5)
        if rng.random() < 0.5:
            photo(doc, doc.W - half, 0, half, doc.H)
        else:
            cv.rect(doc.W - half, 0, doc.W, doc.H, fill=th.accent)
        y = paragraph(cv, 48, doc.H * 0.3, doc.W - half - 80, head, doc.head.bold, size, ink, 1.1)
        for i, s in enumerate(sub):
            cv.text(48, y + 30 + i * 22, s, doc.body.regular, 15, th.text)
        return
    if style == 2:  # full colour background block
        cv.rect(0, doc.H * 0.3, doc.W, doc.H * 0.7, fill=th.accent)
        y = paragraph(cv, 60, doc.H * 0.35, doc.W - 120, head, doc.head.bold, size * 0.85, WHITE, 1.1)
        cv.text(60, doc.H * 0.7 - 18, " · ".join(sub[:2]), doc.body.regular, 14, WHITE)
        return
    align = "center" if style == 0 else "left"
    y = doc.H * rng.uniform(0.25, 0.4)
    y = paragraph(cv, 60, y, doc.W - 120, head, doc.head.bold, size, ink, 1.1, align=align)
    if rng.random() < 0.7:
        y = paragraph(cv, 60, y + 10, doc.W - 120, doc.text.slide_title() if rng.random() < 0.5 else doc.fake.company(),
                      doc.body.regular, size * 0.45, th.text, 1.2, align=align)
    for i, s in enumerate(sub[: rng.randint(1, 3)]):
        if align == "center":
            cv.text_center(doc.W / 2, y + 40 + i * 22, s, doc.body.regular, 14, th.text)
        else:
            cv.text(60, y + 40 + i * 22, s, doc.body.regular, 14, th.text)
    if rng.random() < 0.5:
        logo(doc, 40, doc.H - 60, 26, doc.fake.company(), doc.body.bold)


def bullet_slide(doc: Doc) -> None:
    """Title and a bullet list, sometimes with a small picture on the side."""
    rng = doc.rng
    decorate(doc, rng.randint(2, 30))
    y = title(doc, slide_title(doc), y=30 if doc.theme.kind == "band" else 40)
    w = doc.W - 110
    if rng.random() < 0.3:
        pw = doc.W * 0.35
        (photo if rng.random() < 0.6 else image_placeholder)(doc, doc.W - pw - 40, y + 10, pw, doc.H - y - 70)
        w -= pw + 20
    bullets(doc, 60, y + 6, w, doc.H - 40)


def chart_slide(doc: Doc) -> None:
    """Title, a chart, and either a few bullets or a source note."""
    rng, th = doc.rng, doc.theme
    decorate(doc, rng.randint(2, 30))
    y = title(doc, slide_title(doc), y=30 if th.kind == "band" else 40)
    face = doc.body.regular
    size = rng.uniform(10, 14)
    if rng.random() < 0.45:
        cw = doc.W * 0.55
        chart(doc, 50, y + 10, cw, doc.H - y - 60, face, size)
        bullets(doc, 50 + cw + 40, y + 20, doc.W - cw - 130, doc.H - 40, n=rng.randint(2, 4), size=rng.uniform(14, 18))
    else:
        chart(doc, 70, y + 10, doc.W - 140, doc.H - y - 60, face, size)
    if rng.random() < 0.5:
        doc.cv.text(50, doc.H - 28, f"Source: {doc.fake.company()}, {rng.randint(2010, 2025)}", face, 8,
                    doc.grey(110, 150))


def two_column(doc: Doc) -> None:
    """Two columns with sub-headings: text and bullets, or text and an image."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    decorate(doc, rng.randint(2, 30))
    y = title(doc, slide_title(doc), y=30 if th.kind == "band" else 40)
    colw = (doc.W - 130) / 2
    for c in range(2):
        x = 50 + c * (colw + 30)
        if rng.random() < 0.35 and c == 1:
            (photo if rng.random() < 0.5 else image_placeholder)(doc, x, y + 5, colw, doc.H - y - 60)
            continue
        if rng.random() < 0.5:
            cv.rect(x, y, x + colw, y + 34, fill=th.accent)
            cv.text(x + 12, y + 23, doc.text.slide_title(), doc.body.bold, 16, WHITE)
        else:
            cv.text(x, y + 22, doc.text.slide_title(), doc.body.bold, 18, th.accent)
        bullets(doc, x + 14, y + 48, colw - 14, doc.H - 40, n=rng.randint(2, 5), size=rng.uniform(13, 18))


def section(doc: Doc) -> None:
    """A section divider: big number and heading, often on colour, mostly empty."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    on_colour = rng.random() < 0.5 and th.kind != "dark"
    ink = th.title
    if on_colour:
        cv.rect(0, 0, doc.W, doc.H, fill=th.accent)
        ink = WHITE
    n = rng.randint(1, 9)
    big = rng.uniform(60, 120)
    y = doc.H * rng.uniform(0.3, 0.45)
    head = doc.text.section() if rng.random() < 0.35 else slide_title(doc)
    if rng.random() < 0.6:
        cv.text(60, y + big * 0.5, f"{n:02d}" if rng.random() < 0.5 else str(n), doc.head.bold, big,
                ink if on_colour else th.accent)
        y += big * 0.7
    paragraph(cv, 60, y, doc.W - 120, head, doc.head.bold, rng.uniform(30, 46), ink, 1.1)
    if doc.theme.number:
        cv.text_right(doc.W - 30, doc.H - 16, str(rng.randint(2, 30)), doc.body.regular, 10, ink)


def agenda(doc: Doc) -> None:
    """Agenda/contents: numbered items with circles, boxes or plain numbers."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    decorate(doc, 2)
    L = doc.lang
    y = title(doc, rng.choice([L["agenda"], L["contents"], L["overview"]]), y=30 if th.kind == "band" else 40)
    items = doc.text.titles(rng.randint(3, 7))
    n = len(items)
    size = rng.uniform(16, 24)
    step = min(size * 2.2, (doc.H - y - 50) / n)
    style = rng.randrange(3)
    for k, item in enumerate(items):
        yy = y + k * step
        if style == 0:
            r = size * 0.8
            cv.ellipse(70 - r, yy + size * 0.6 - r, 70 + r, yy + size * 0.6 + r, fill=th.accent)
            cv.text_center(70, yy + size * 0.95, str(k + 1), doc.body.bold, size * 0.8, WHITE)
        elif style == 1:
            cv.text(60, yy + size, f"{k + 1:02d}", doc.head.bold, size, th.accent)
        else:
            cv.rect(56, yy, 62, yy + size * 1.2, fill=th.accent)
        cv.text(100, yy + size, item, doc.body.regular, size, th.text)


def table_slide(doc: Doc) -> None:
    """Title and a data table (comparison, figures by quarter)."""
    rng, th = doc.rng, doc.theme
    decorate(doc, rng.randint(2, 30))
    y = title(doc, slide_title(doc), y=30 if th.kind == "band" else 40)
    cols = rng.randint(3, 6)
    rows_n = rng.randint(3, 8)
    year = rng.randint(2015, 2024)
    head = [""] + [rng.choice([f"Q{c}", f"{year + c}", f"{year + c} (plan)"]) for c in range(1, cols)]
    kinds = [rng.randrange(3) for _ in range(cols - 1)]  # one kind of figure per column
    cell = [lambda: f"{rng.uniform(0, 100):.1f}%", lambda: f"{rng.randint(1, 999)}",
            lambda: doc.lang.money(rng.uniform(1, 9999))]
    labels = doc.text.titles(rows_n) if rng.random() < 0.5 else [doc.fake.city() for _ in range(rows_n)]
    rows = [head] + [[label] + [cell[k]() for k in kinds] for label in labels]
    style = random_table_style(doc)
    style.header_ink = WHITE if style.header_fill == doc.accent else th.text
    if th.kind == "dark":
        style.header_fill, style.header_ink, style.zebra, style.line = th.accent, WHITE, None, (150, 150, 150)
    doc_ink = doc.ink
    doc.ink = th.text
    w = doc.W - 120
    table(doc, 60, y + 10, [w / cols] * cols, rows, doc.body.regular, doc.body.bold, rng.uniform(12, 17),
          "l" + "r" * (cols - 1), style)
    doc.ink = doc_ink


def diagram(doc: Doc) -> None:
    """Process flow, cycle or timeline built from boxes, circles and arrows."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    decorate(doc, rng.randint(2, 30))
    y = title(doc, slide_title(doc), y=30 if th.kind == "band" else 40)
    n = rng.randint(3, 5)
    cols = series_colours(doc, n) if rng.random() < 0.5 else [th.accent] * n
    kind = rng.randrange(3)
    face, size = doc.body.regular, rng.uniform(12, 16)
    steps = doc.text.titles(n)
    notes = doc.text.bullets(n)
    while len(steps) < n:
        steps.append(doc.text.slide_title())
    while len(notes) < n:
        notes.append(doc.text.slide_title())
    if kind == 0:  # boxes with arrows
        bw = (doc.W - 100 - (n - 1) * 30) / n
        by = y + (doc.H - y) * 0.2
        for k in range(n):
            x = 50 + k * (bw + 30)
            cv.rect(x, by, x + bw, by + 90, fill=cols[k], radius=rng.choice([0, 8]))
            paragraph(cv, x + 8, by + 20, bw - 16, steps[k], doc.body.bold, size,
                      WHITE, 1.1, align="center")
            paragraph(cv, x, by + 110, bw, notes[k], face, size * 0.85,
                      th.text, 1.2, align="center")
            if k < n - 1:
                ax = x + bw + 6
                cv.polygon([(ax, by + 35), (ax + 18, by + 45), (ax, by + 55)], fill=doc.grey(120, 170))
    elif kind == 1:  # cycle of circles
        cx, cy, r = doc.W / 2, y + (doc.H - y) / 2 - 10, min(doc.W, doc.H - y) * 0.3
        for k in range(n):
            a = 2 * math.pi * k / n - math.pi / 2
            px, py = cx + r * math.cos(a), cy + r * math.sin(a)
            cr = r * 0.38
            cv.ellipse(px - cr, py - cr, px + cr, py + cr, fill=cols[k])
            cv.text_center(px, py + size * 0.35, steps[k].split()[0], doc.body.bold, size, WHITE)
    else:  # timeline
        ly = y + (doc.H - y) * 0.45
        cv.hline(60, doc.W - 60, ly, doc.grey(120, 170), 3)
        step = (doc.W - 160) / (n - 1)
        year = rng.randint(2010, 2024)
        for k in range(n):
            x = 80 + k * step
            cv.ellipse(x - 9, ly - 9, x + 9, ly + 9, fill=cols[k])
            cv.text_center(x, ly - 22, str(year + k), doc.body.bold, size * 1.2, th.accent)
            lx = min(max(x - step / 2 + 6, 30), doc.W - 30 - (step - 12))  # keep labels on the slide
            paragraph(cv, lx, ly + 20, step - 12, notes[k],
                      face, size * 0.85, th.text, 1.2, align="center")


def statement(doc: Doc) -> None:
    """A closing or statement slide: 'Thank you' / 'Questions?' / one large quote, plus contact."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    L = doc.lang
    kind = rng.randrange(3)
    if kind == 2:
        text = doc.text.quote()
        y = paragraph(cv, 90, doc.H * 0.3, doc.W - 180, f"“{text}”", doc.head.italic if rng.random() < 0.5
                      else doc.head.regular, rng.uniform(24, 34), th.title, 1.25, align="center")
        cv.text_center(doc.W / 2, y + 30, f"— {doc.fake.name()}", doc.body.regular, 14, th.text)
    else:
        text = L["thanks_slide"] if kind == 0 else L["questions"]
        size = rng.uniform(44, 70)
        cv.text_center(doc.W / 2, doc.H * 0.45, text, doc.head.bold, size, th.title if th.kind != "band" else th.accent)
        if rng.random() < 0.7:
            cv.text_center(doc.W / 2, doc.H * 0.45 + 40, f"{doc.fake.name()} · {doc.fake.free_email()}",
                           doc.body.regular, 14, th.text)
    if th.number and rng.random() < 0.5:
        cv.text_right(doc.W - 30, doc.H - 16, str(rng.randint(8, 40)), doc.body.regular, 10, th.text)


def image_slide(doc: Doc) -> None:
    """A big picture with a caption or title overlay (product shots, site photos)."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    if rng.random() < 0.5:
        photo(doc, 0, 0, doc.W, doc.H)
        cv.rect(0, doc.H * 0.68, doc.W, doc.H * 0.88, fill=(0, 0, 0) if not doc.colour else random_colour(rng, val=(0.1, 0.3)))
        cv.text(50, doc.H * 0.8, slide_title(doc), doc.head.bold, rng.uniform(26, 36), WHITE)
    else:
        decorate(doc, rng.randint(2, 30))
        y = title(doc, slide_title(doc), y=30 if th.kind == "band" else 40)
        n = rng.choice([1, 2, 3])
        w = (doc.W - 100 - (n - 1) * 20) / n
        for k in range(n):
            (photo if rng.random() < 0.7 else image_placeholder)(doc, 50 + k * (w + 20), y + 10, w, doc.H - y - 80)
            cv.text(50 + k * (w + 20), doc.H - 50, doc.text.slide_title(), doc.body.regular, 11,
                    th.text)


PLACEHOLDER = {
    "en": ("Click to add title", "Click to add text", "Click to add subtitle"),
    "de": ("Titel durch Klicken hinzufügen", "Text durch Klicken hinzufügen", "Untertitel durch Klicken hinzufügen"),
    "fr": ("Cliquez pour ajouter un titre", "Cliquez pour ajouter du texte", "Cliquez pour ajouter un sous-titre"),
    "es": ("Haga clic para agregar título", "Haga clic para agregar texto", "Haga clic para agregar subtítulo"),
    "it": ("Fare clic per aggiungere un titolo", "Fare clic per aggiungere testo", "Fare clic per aggiungere un sottotitolo"),
    "nl": ("Klik om titel toe te voegen", "Klik om tekst toe te voegen", "Klik om subtitel toe te voegen"),
    "pt": ("Clique para adicionar um título", "Clique para adicionar texto", "Clique para adicionar um subtítulo"),
}


def dashed_rect(doc: Doc, x0: float, y0: float, x1: float, y1: float, colour: RGB, dash: float = 6) -> None:
    for x in range(int(x0), int(x1), int(dash * 2)):
        doc.cv.hline(x, min(x + dash, x1), y0, colour, 0.8)
        doc.cv.hline(x, min(x + dash, x1), y1, colour, 0.8)
    for y in range(int(y0), int(y1), int(dash * 2)):
        doc.cv.vline(x0, y, min(y + dash, y1), colour, 0.8)
        doc.cv.vline(x1, y, min(y + dash, y1), colour, 0.8)


def placeholder(doc: Doc) -> None:
    """An unfilled template slide: dashed boxes with 'Click to add title/text' prompts."""
    rng, th, cv = doc.rng, doc.theme, doc.cv
    texts = PLACEHOLDER.get(doc.lang.lang, PLACEHOLDER["en"])
    line = doc.grey(150, 190) if th.kind != "dark" else (150, 150, 150)
    ink = th.text if th.kind == "dark" else doc.grey(90, 130)
    decorate(doc, rng.randint(1, 20))
    if rng.random() < 0.5:  # title layout
        dashed_rect(doc, 60, doc.H * 0.25, doc.W - 60, doc.H * 0.5, line)
        cv.text_center(doc.W / 2, doc.H * 0.4, texts[0], doc.head.regular, rng.uniform(30, 40), ink)
        dashed_rect(doc, 110, doc.H * 0.55, doc.W - 110, doc.H * 0.7, line)
        cv.text_center(doc.W / 2, doc.H * 0.64, texts[2], doc.body.regular, 18, ink)
        return
    dashed_rect(doc, 40, 30, doc.W - 40, 110, line)
    cv.text(56, 82, texts[0], doc.head.regular, rng.uniform(28, 36), ink)
    cols = rng.choice([1, 1, 2])
    w = (doc.W - 80 - (cols - 1) * 20) / cols
    for c in range(cols):
        x = 40 + c * (w + 20)
        dashed_rect(doc, x, 130, x + w, doc.H - 40, line)
        bullet(doc, x + 20, 170, 22, "dot", ink, doc.body.regular)
        cv.text(x + 36, 170, texts[1], doc.body.regular, 22, ink)
        if rng.random() < 0.5:
            bullet(doc, x + 50, 205, 18, "dash", ink, doc.body.regular)
            cv.text(x + 66, 205, rng.choice(["Second level", "Zweite Ebene", "Deuxième niveau", "Segundo nivel"]),
                    doc.body.regular, 18, ink)


# --------------------------------------------------------------------------- beamer and reveal.js decks


def white_theme(doc: Doc, dark: bool = False) -> Theme:
    """Replace the deck theme with a plain white (or dark) one, for exported LaTeX and HTML decks."""
    bg = (24, 26, 30) if dark else WHITE
    ink = (235, 235, 235) if dark else doc.ink
    doc.cv.rect(0, 0, doc.W, doc.H, fill=bg)
    doc.theme = Theme("dark" if dark else "plain", bg, ink, ink, doc.accent if doc.colour else ink,
                      doc.rng.choice(["arrow", "dot", "dot", "square"]), False, False, 100)
    return doc.theme


def beamer(doc: Doc) -> None:
    """A LaTeX-beamer frame: title bar in the theme colour, optional navigation line, blocks with a coloured
    header, and a footer of three boxes (author, short title, date and 'n / N')."""
    rng, cv = doc.rng, doc.cv
    th = white_theme(doc)
    col = doc.accent if doc.colour else doc.grey(40, 90)
    author, short = doc.fake.name(), doc.text.title
    n_total = rng.randint(12, 40)
    n = rng.randint(1, n_total)
    top = 0.0
    if rng.random() < 0.45:  # navigation: section names and mini-frame dots on a dark strip
        strip = doc.H * 0.055
        cv.rect(0, 0, doc.W, strip, fill=doc.tint(col, 0.15) if doc.colour else (30, 30, 30))
        names = doc.text.titles(rng.randint(2, 4))
        seg = doc.W / max(1, len(names))
        for k, name in enumerate(names):
            cv.text(8 + k * seg, strip * 0.45, name, doc.body.regular, strip * 0.28, (235, 235, 235))
            for d in range(rng.randint(2, 5)):
                cx = 10 + k * seg + d * strip * 0.28
                cv.ellipse(cx, strip * 0.62, cx + strip * 0.18, strip * 0.8,
                           fill=(235, 235, 235) if k == 0 and d == 1 else None, outline=(235, 235, 235), width=0.5)
        top = strip
    bar_h = doc.H * rng.uniform(0.1, 0.14)
    cv.rect(0, top, doc.W, top + bar_h, fill=col)
    tsize = bar_h * rng.uniform(0.38, 0.5)
    title_text = doc.text.slide_title()
    cv.text(doc.W * 0.03, top + bar_h * 0.5 + tsize * 0.35, title_text, doc.head.regular if rng.random() < 0.5
            else doc.head.bold, tsize, WHITE)
    foot = doc.H * 0.045
    boxes = [(author + (f" ({doc.fake.city()})" if rng.random() < 0.3 else ""), doc.tint(col, 0.0) if doc.colour else (40, 40, 40), WHITE),
             (short, doc.tint(col, 0.35) if doc.colour else (90, 90, 90), WHITE),
             (f"{doc.lang.date(random_date(rng), 1)}    {n} / {n_total}", doc.tint(col, 0.7) if doc.colour else (200, 200, 200), doc.ink)]
    fs = foot * 0.5
    if rng.random() < 0.8:
        for k, (text, fill, ink) in enumerate(boxes):
            x0 = k * doc.W / 3
            cv.rect(x0, doc.H - foot, x0 + doc.W / 3, doc.H, fill=fill)
            face = doc.body.regular
            tw = min(cv.width(text, face, fs), doc.W / 3 - 8)
            cv.text(x0 + (doc.W / 3 - tw) / 2, doc.H - foot * 0.32, text, face, fs, ink)
    else:  # only the frame number, bottom right
        cv.text_right(doc.W - 8, doc.H - 6, f"{n} / {n_total}", doc.body.regular, fs, doc.grey(90, 140))
    y = top + bar_h + doc.H * 0.05
    x, w = doc.W * 0.06, doc.W * 0.88
    size = rng.uniform(15, 20)
    kind = rng.random()
    if kind < 0.45:  # one or two blocks
        for _ in range(rng.randint(1, 2)):
            if y > doc.H * 0.7:
                break
            head_h = size * 1.6
            label = doc.text.block() + (f" {rng.randint(1, 5)}" if rng.random() < 0.4 else "")
            body = doc.text.bullets(1)[0]
            lines = len(wrap(cv, body, doc.body.regular, size, w - 20))
            eq = rng.random() < 0.3 and doc.text.deck_kind in ("research", "teaching")
            h = head_h + lines * size * 1.3 + size * (3.2 if eq else 1.0)
            cv.rect(x, y, x + w, y + h, fill=doc.tint(col, 0.9) if doc.colour else (235, 235, 235), radius=rng.choice([0, 6]))
            cv.rect(x, y, x + w, y + head_h, fill=col, radius=0)
            cv.text(x + 10, y + head_h * 0.7, label, doc.head.bold, size * 0.95, WHITE)
            yy = paragraph(cv, x + 10, y + head_h + size * 0.3, w - 20, body, doc.body.regular, size, doc.ink, 1.3)
            if eq:
                equation(doc, x, yy + size * 1.8, doc.math_face(), size, width=w)
            y += h + size
        if y < doc.H * 0.75:
            bullets(doc, x, y, w, doc.H - foot - 10, n=rng.randint(1, 2), size=size)
    else:
        bullets(doc, x, y + size * 0.3, w, doc.H - foot - 10, n=rng.randint(2, 5), size=size)
    th.footer = False


def reveal(doc: Doc) -> None:
    """An HTML (reveal.js-like) slide: big centred or left title, at most a few short bullets, a slide
    number in the corner, sometimes a progress bar; white, or dark on a dark theme."""
    rng, cv = doc.rng, doc.cv
    th = white_theme(doc, dark=rng.random() < 0.25)
    title_only = rng.random() < 0.25
    size = rng.uniform(34, 48)
    centre = rng.random() < 0.6
    head = doc.text.title if title_only else doc.text.slide_title()
    face = doc.head.bold if rng.random() < 0.6 else doc.head.regular
    if title_only:
        y = paragraph(cv, 60, doc.H * 0.3, doc.W - 120, head, face, size * 1.1, th.title, 1.1, align="center")
        sub = rng.choice([doc.fake.name(), f"{doc.fake.name()} · {doc.lang.date(random_date(rng))}", doc.text.section()])
        cv.text_center(doc.W / 2, y + 40, sub, doc.body.regular, size * 0.45, th.text)
    else:
        y = paragraph(cv, 60, doc.H * rng.uniform(0.1, 0.2), doc.W - 120, head, face, size, th.title, 1.1,
                      align="center" if centre else "left")
        bw = doc.W * (0.6 if centre else 0.8)
        bullets(doc, (doc.W - bw) / 2 if centre else 70, y + size * 0.5, bw, doc.H - 50, n=3 if rng.random() < 0.6
                else rng.randint(1, 4), size=rng.uniform(20, 28))
    if rng.random() < 0.7:
        n = rng.randint(2, 30)
        cv.text_right(doc.W - 20, doc.H - 14, rng.choice([str(n), f"{n}/{n + rng.randint(0, 20)}"]),
                      doc.body.regular, 11, doc.grey(100, 150) if th.kind != "dark" else (180, 180, 180))
    if rng.random() < 0.5:
        frac = rng.random()
        cv.rect(0, doc.H - 4, doc.W * frac, doc.H, fill=th.accent if doc.colour else doc.grey(80, 130))


FAMILIES = (("title", title_slide), ("bullets", bullet_slide), ("chart", chart_slide), ("two_column", two_column),
            ("section", section), ("agenda", agenda), ("table", table_slide), ("diagram", diagram),
            ("statement", statement), ("image", image_slide), ("placeholder", placeholder), ("beamer", beamer),
            ("reveal", reveal))
WEIGHTS = (1.5, 3, 2, 1.5, 1, 1, 1, 1, 0.8, 0.8, 0.4, 2, 1.5)
