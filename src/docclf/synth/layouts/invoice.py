"""Invoices: line-item tables, totals, numbers and dates, addresses, payment terms and bank details."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from docclf.synth.canvas import paragraph
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import (TableStyle, barcode, logo, qr_code, random_table_style, signature, stamp,
                                 table)
from docclf.synth.text import LOREM, MONEY, fill, for_lang, random_date, vocab
from docclf.synth.layouts.common import (Company, company, fold_marks, footer_columns, kv_block, lines_block,
                                         page_number, person_block)


@dataclass
class Item:
    desc: str
    qty: float
    unit: str
    price: float
    code: str
    day: dt.date

    @property
    def amount(self) -> float:
        return round(self.qty * self.price, 2)


@dataclass
class Invoice:
    co: Company
    client: list[str]
    ship: list[str] | None
    number: str
    date: dt.date
    due: dt.date
    items: list[Item]
    discount: float
    shipping: float
    days: int

    @property
    def subtotal(self) -> float:
        return round(sum(i.amount for i in self.items) - self.discount + self.shipping, 2)


def make_doc(rng: random.Random, long_px: int) -> Doc:
    return new_doc(rng, "portrait", long_px, colour_p=0.55,
                   body_kinds={"sans": 5, "serif": 1.5, "mono": 0.6}, head_kinds={"sans": 3, "serif": 1})


def n_items(rng: random.Random) -> int:
    """Line items per invoice: 1 to 30, most often a handful."""
    r = rng.random()
    return rng.randint(1, 3) if r < 0.25 else rng.randint(4, 10) if r < 0.7 else rng.randint(11, 30)


def invoice_data(doc: Doc, n: int | None = None) -> Invoice:
    rng, f = doc.rng, doc.fake
    date = random_date(rng)
    days = rng.choice([7, 10, 14, 14, 30, 30, 45, 60])
    items = []
    unit_kinds = for_lang(vocab("invoice")["units"], doc.lang.lang)
    scale = rng.uniform(0.5, 2.5)  # cheap supplies up to expensive services: decades of price per invoice
    for k in range(n if n is not None else n_items(rng)):
        desc = item_text(doc, date)
        if rng.random() < 0.25:
            desc += rng.choice([f" {rng.randint(1, 12):02d}/{date.year}", f" (#{rng.randint(100, 9999)})",
                                f" – {doc.lang.date(date - dt.timedelta(days=rng.randint(1, 30)), 1)}",
                                f", {f.city()}"])
        unit = rng.choice(unit_kinds)
        qty = rng.choice([1, 1, 2, 3, 5, 10, rng.randint(1, 40), round(rng.uniform(0.5, 40), 1)])
        price = round(10 ** (scale + rng.uniform(-0.7, 0.7)), 2)
        items.append(Item(desc, qty, unit, price, f"{rng.choice('ABCDKPRX')}{rng.randint(100, 99999)}",
                          date - dt.timedelta(days=rng.randint(0, 40))))
    number = rng.choice([f"INV-{date.year}-{rng.randint(1, 9999):04d}", f"{date.year}/{rng.randint(1, 999):03d}",
                         f"RE-{rng.randint(10000, 99999)}", f"F{date.year}-{rng.randint(1, 999)}",
                         f"#{rng.randint(1000, 99999)}", f"{rng.randint(100000, 999999)}"])
    ship = person_block(doc) if rng.random() < 0.3 else None
    discount = round(sum(i.amount for i in items) * rng.choice([0.05, 0.1]), 2) if rng.random() < 0.15 else 0.0
    shipping = round(rng.uniform(4, 40), 2) if rng.random() < 0.2 else 0.0
    return Invoice(company(doc), person_block(doc), ship, number, date, date + dt.timedelta(days=days), items,
                   discount, shipping, days)


# --------------------------------------------------------------------------- building blocks


def item_text(doc: Doc, date: dt.date) -> str:
    """A line item from the vocabulary of the page's language."""
    rng = doc.rng
    return fill(rng, rng.choice(for_lang(vocab("invoice")["services"], doc.lang.lang)), [],
                {"month": f"{doc.lang.months[date.month - 1]} {date.year}", "n": rng.randint(10, 150)})


def invoice_phrase(doc: Doc, inv: Invoice, kind: str) -> str:
    """An intro line or a note under the totals, in the page's language."""
    rng = doc.rng
    sym = MONEY.get(doc.lang.locale, MONEY["en_US"])[0]
    return fill(rng, rng.choice(for_lang(vocab("invoice")[kind], doc.lang.lang)), [],
                {"currency": sym, "email": inv.co.email, "company": inv.co.name})


def item_rows(doc: Doc, inv: Invoice, kind: int, items: list[Item] | None = None) -> tuple[list[list[str]], str, list[float]]:
    """Header + rows for one of several column sets; returns rows, alignments and relative widths."""
    L, m = doc.lang, doc.lang.money
    items = inv.items if items is None else items
    show_sym = doc.rng.random() < 0.4
    if kind == 0:
        head = [L["description"], L["qty"], L["unit_price"], L["amount"]]
        rows = [[i.desc, L.number(i.qty, 0 if float(i.qty).is_integer() else 1), m(i.price, show_sym),
                 m(i.amount, show_sym)] for i in items]
        return [head] + rows, "lrrr", [0.52, 0.12, 0.18, 0.18]
    if kind == 1:
        head = [L["pos"], L["description"], L["qty"], L["unit"], L["unit_price"], L["amount"]]
        rows = [[str(k + 1), i.desc, L.number(i.qty, 0 if float(i.qty).is_integer() else 1), i.unit,
                 m(i.price, show_sym), m(i.amount, show_sym)] for k, i in enumerate(items)]
        return [head] + rows, "llrlrr", [0.07, 0.43, 0.1, 0.1, 0.15, 0.15]
    if kind == 2:
        head = ["#", L["description"], L["qty"], L["unit_price"], L["vat"], L["amount"]]
        rows = [[i.code, i.desc, L.number(i.qty, 0 if float(i.qty).is_integer() else 1), m(i.price, False),
                 f"{L.vat_rate} %", m(i.amount, show_sym)] for i in items]
        return [head] + rows, "llrrrr", [0.12, 0.4, 0.09, 0.14, 0.1, 0.15]
    head = [L["date"], L["description"], L["hours"], L["rate"], L["amount"]]
    rows = [[L.date(i.day, 1), i.desc, L.number(i.qty, 1), m(i.price, False), m(i.amount, show_sym)]
            for i in items]
    return [head] + rows, "llrrr", [0.16, 0.44, 0.1, 0.13, 0.17]


def items_table(doc: Doc, inv: Invoice, x: float, y: float, w: float, face, bold, size: float,
                style: TableStyle | None = None, kind: int | None = None, bottom: float | None = None,
                items: list[Item] | None = None) -> float:
    kind = doc.rng.choice([0, 0, 1, 1, 2, 3]) if kind is None else kind
    rows, aligns, rel = item_rows(doc, inv, kind, items)
    return table(doc, x, y, [r * w for r in rel], rows, face, bold, size, aligns,
                 style or random_table_style(doc), bottom=bottom, wrap_col=1 if kind else 0)


def totals(doc: Doc, inv: Invoice, x_right: float, y: float, w: float, face, bold, size: float,
           boxed: bool = False) -> float:
    """Subtotal, discount/shipping, VAT and a bold total, right-aligned; returns the y below."""
    L, m = doc.lang, doc.lang.money
    rate = L.vat_rate
    vat = round(inv.subtotal * rate / 100, 2)
    rows = [(L["subtotal"], m(inv.subtotal))]
    if inv.discount:
        rows.insert(0, (L["discount"], m(-inv.discount)))
    if inv.shipping:
        rows.insert(0, (L["shipping"], m(inv.shipping)))
    rows.append((f"{L['vat'] if L.locale != 'en_US' else L['tax']} {rate}%", m(vat)))
    total = (L["total_due"] if doc.rng.random() < 0.4 else L["total"], m(inv.subtotal + vat))
    step = size * 1.5
    for k, (a, b) in enumerate(rows):
        base = y + size + k * step
        doc.cv.text(x_right - w, base, a, face, size, doc.ink)
        doc.cv.text_right(x_right, base, b, face, size, doc.ink)
    y += len(rows) * step + size * 0.3
    big = size * doc.rng.uniform(1.05, 1.35)
    if boxed:
        fill = doc.accent if doc.rng.random() < 0.5 else doc.tint(doc.accent, 0.82)
        ink = (255, 255, 255) if fill == doc.accent else doc.ink
        doc.cv.rect(x_right - w - size * 0.4, y, x_right + size * 0.4, y + big * 2, fill=fill)
        doc.cv.text(x_right - w, y + big * 1.4, total[0], bold, big, ink)
        doc.cv.text_right(x_right, y + big * 1.4, total[1], bold, big, ink)
        return y + big * 2.4
    doc.cv.hline(x_right - w, x_right, y, doc.ink, 0.6)
    doc.cv.text(x_right - w, y + big * 1.4, total[0], bold, big, doc.ink)
    doc.cv.text_right(x_right, y + big * 1.4, total[1], bold, big, doc.ink)
    if doc.rng.random() < 0.5:
        doc.cv.hline(x_right - w, x_right, y + big * 1.9, doc.ink, 0.6)
        doc.cv.hline(x_right - w, x_right, y + big * 2.05, doc.ink, 0.6)
    return y + big * 2.3


def terms_block(doc: Doc, inv: Invoice, x: float, y: float, w: float, face, bold, size: float,
                bottom: float) -> float:
    """Payment terms, bank details and sometimes a thank-you line or placeholder note."""
    L, rng = doc.lang, doc.rng
    if rng.random() < 0.8 and y + size * 4 < bottom:
        doc.cv.text(x, y + size, L["terms"], bold, size, doc.ink)
        y = paragraph(doc.cv, x, y + size * 1.3, w, L["terms_text"].format(days=inv.days), face, size, doc.ink,
                      1.3, bottom=bottom)
    if rng.random() < 0.6:
        y += size * 0.8
        lines = [f"{L['bank']}: {inv.co.bank}", f"IBAN: {inv.co.iban}", f"BIC/SWIFT: {inv.co.bic}"]
        y = lines_block(doc, x, y, lines, face, size * 0.95, leading=1.3)
    if rng.random() < 0.3:
        y += size
        note = LOREM[:rng.randint(60, 220)] if rng.random() < 0.1 else " ".join(
            invoice_phrase(doc, inv, "notes") for _ in range(rng.randint(1, 2)))
        y = paragraph(doc.cv, x, y, w, note, face, size * 0.9, doc.grey(80, 130), 1.3, bottom=bottom)
    if rng.random() < 0.4:
        y += size * 1.2
        doc.cv.text(x, y + size, L["thanks"], bold if rng.random() < 0.5 else face, size * 1.1, doc.accent)
        y += size * 1.6
    return y


def meta_pairs(doc: Doc, inv: Invoice) -> list[tuple[str, str]]:
    L, rng = doc.lang, doc.rng
    style = rng.randrange(2)
    pairs = [(L["invoice_no"], inv.number), (L["date"], L.date(inv.date, style))]
    if rng.random() < 0.7:
        pairs.append((L["due"], L.date(inv.due, style)))
    if rng.random() < 0.4:
        pairs.append((L["customer_no"], str(rng.randint(10000, 99999))))
    if rng.random() < 0.25:
        pairs.append((L["order_no"], f"PO-{rng.randint(1000, 99999)}"))
    if rng.random() < 0.2:
        pairs.append((L["period"], f"{L.date(inv.date - dt.timedelta(days=30), 1)} – {L.date(inv.date, 1)}"))
    if rng.random() < 0.25:  # bills from utilities, telecoms and cloud providers name the customer's account
        pairs.append((rng.choice(for_lang(vocab("invoice")["account"], L.lang)), str(rng.randint(10 ** 8, 10 ** 12))))
    return pairs


def title_word(doc: Doc) -> str:
    t = doc.lang["tax_invoice"] if doc.rng.random() < 0.2 else doc.lang["invoice"]
    return t.upper() if doc.rng.random() < 0.5 else t


def fonts(doc: Doc) -> tuple:
    """(regular, bold, heading bold) faces for the page."""
    return doc.body.regular, doc.body.bold, doc.head.bold


# --------------------------------------------------------------------------- families


def classic(doc: Doc) -> None:
    """Logo and sender top left, big title right, bill-to, ruled table, totals, terms, bank footer."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc)
    m = rng.uniform(36, 64)
    size = rng.uniform(7.5, 10)
    y = m
    if rng.random() < 0.8:
        logo(doc, m, y, rng.uniform(22, 42), inv.co.name, hb)
        y += 50
    else:
        cv.text(m, y + 16, inv.co.name, hb, 16, doc.accent)
        y += 24
    y = lines_block(doc, m, y, [inv.co.street, inv.co.city, inv.co.phone, inv.co.email], reg, size * 0.9,
                    doc.grey(50, 110))
    tsize = rng.uniform(20, 34)
    cv.text_right(doc.W - m, m + tsize, title_word(doc), hb, tsize, doc.accent if rng.random() < 0.6 else doc.ink)
    kv_block(doc, doc.W - m - 190, m + tsize + 14, meta_pairs(doc, inv), bold, reg, size, right_edge=doc.W - m)
    y = max(y, m + tsize + 90) + 18
    cv.text(m, y + size, doc.lang["bill_to"].upper() if rng.random() < 0.5 else doc.lang["bill_to"], bold,
            size, doc.accent)
    yb = lines_block(doc, m, y + size * 1.5, inv.client, reg, size * 1.05)
    if inv.ship:
        cv.text(doc.W / 2, y + size, doc.lang["ship_to"], bold, size, doc.accent)
        yb = max(yb, lines_block(doc, doc.W / 2, y + size * 1.5, inv.ship, reg, size * 1.05))
    y = yb + 24
    if rng.random() < 0.2:  # a line to the customer above the items
        intro = invoice_phrase(doc, inv, "intro")  # no salutation before it: German starts upper case here
        y = paragraph(cv, m, y, doc.W - 2 * m, intro[:1].upper() + intro[1:], reg, size, doc.ink, 1.3) + size
    bottom = doc.H - m - 70
    y = items_table(doc, inv, m, y, doc.W - 2 * m, reg, bold, size, bottom=bottom - 90)
    y = totals(doc, inv, doc.W - m, y + 12, rng.uniform(150, 210), reg, bold, size, boxed=rng.random() < 0.3)
    terms_block(doc, inv, m, y + 16, doc.W * 0.55, reg, bold, size * 0.95, bottom)
    if rng.random() < 0.6:
        footer_columns(doc, inv.co, m, doc.W - m, doc.H - m - 10, reg, 6.5)
    if rng.random() < 0.3:
        page_number(doc, 1, rng.choice([1, 2, None]), reg, 7)


def band(doc: Doc) -> None:
    """A coloured (or dark) header band with the title, meta boxes in a row, filled table header."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc)
    m = rng.uniform(32, 56)
    size = rng.uniform(7.5, 9.5)
    bh = rng.uniform(70, 130)
    col = doc.accent
    cv.rect(0, 0, doc.W, bh, fill=col)
    white = (255, 255, 255)
    tsize = rng.uniform(22, 36)
    if rng.random() < 0.5:
        cv.text(m, bh / 2 + tsize * 0.35, title_word(doc), hb, tsize, white)
        cv.text_right(doc.W - m, bh / 2, inv.co.name, hb, 13, white)
        cv.text_right(doc.W - m, bh / 2 + 14, inv.co.web, reg, 8, white)
    else:
        logo(doc, m, bh / 2 - 15, 30, inv.co.name, hb, colour=doc.tint(col, 0.7))
        cv.text_right(doc.W - m, bh / 2 + tsize * 0.35, title_word(doc), hb, tsize, white)
    y = bh + 24
    pairs = meta_pairs(doc, inv)[:4]
    bw = (doc.W - 2 * m) / len(pairs)
    for k, (a, b) in enumerate(pairs):
        x = m + k * bw
        if rng.random() < 0.5:
            cv.rect(x + 2, y, x + bw - 4, y + size * 3.6, fill=doc.tint(col, 0.9))
        cv.text(x + 8, y + size * 1.4, a.upper(), reg, size * 0.8, doc.grey(80, 130))
        cv.text(x + 8, y + size * 2.9, b, bold, size, doc.ink)
    y += size * 3.6 + 22
    cv.text(m, y + size, doc.lang["bill_to"], bold, size, col)
    lines_block(doc, m, y + size * 1.5, inv.client, reg, size)
    lines_block(doc, doc.W - m, y + size * 1.5, [inv.co.name, inv.co.street, inv.co.city,
                                                 f"{doc.lang['vat_id']}: {inv.co.vat_id}"],
                reg, size * 0.9, doc.grey(60, 120), right=True)
    y += size * 1.5 + len(inv.client) * size * 1.3 + 28
    style = random_table_style(doc)
    style.header_fill, style.header_ink = col, white
    bottom = doc.H - m - 60
    y = items_table(doc, inv, m, y, doc.W - 2 * m, reg, bold, size, style=style, bottom=bottom - 90)
    y = totals(doc, inv, doc.W - m, y + 14, rng.uniform(160, 220), reg, bold, size, boxed=rng.random() < 0.6)
    terms_block(doc, inv, m, y + 10, doc.W * 0.5, reg, bold, size * 0.95, bottom)
    if rng.random() < 0.5:
        cv.rect(0, doc.H - rng.uniform(8, 24), doc.W, doc.H, fill=col)
    if rng.random() < 0.5:
        cv.text_center(doc.W / 2, doc.H - 32, f"{inv.co.name} · {inv.co.street} · {inv.co.city} · {inv.co.email}",
                       reg, 6.5, doc.grey(70, 130))


def din(doc: Doc) -> None:
    """German business-letter form (DIN 5008): window address, info block, subject line, table, footer."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc)
    L = doc.lang
    left, right = rng.uniform(56, 72), doc.W - rng.uniform(40, 60)
    size = rng.uniform(8, 10)
    if rng.random() < 0.7:
        logo(doc, right, 34, 30, inv.co.name, hb, right=True)
    else:
        cv.text(left, 60, inv.co.name, hb, 15, doc.accent)
    if rng.random() < 0.6:
        fold_marks(doc)
    ya = doc.H * 0.17
    cv.text(left, ya, f"{inv.co.name} · {inv.co.street} · {inv.co.city}", reg, 6, doc.grey(60, 120))
    if rng.random() < 0.5:
        cv.hline(left, left + 220, ya + 2, doc.grey(120, 170), 0.3)
    lines_block(doc, left, ya + 8, inv.client, reg, size + 0.5)
    info_x = doc.W * 0.64
    kv_block(doc, info_x, ya - 10, meta_pairs(doc, inv)[:5], reg, reg, size * 0.85, right_edge=right)
    y = doc.H * 0.35
    cv.text(left, y, f"{L['invoice']} {inv.number}", bold, size * 1.35, doc.ink)
    y += 16
    if rng.random() < 0.7:
        dear = L["dear_generic"]
        cv.text(left, y + size, dear, reg, size, doc.ink)
        y = paragraph(cv, left, y + size * 2, right - left, invoice_phrase(doc, inv, "intro"), reg, size, doc.ink,
                      1.3) + 10
    bottom = doc.H - 95
    y = items_table(doc, inv, left, y, right - left, reg, bold, size * 0.95, bottom=bottom - 80)
    y = totals(doc, inv, right, y + 8, rng.uniform(150, 200), reg, bold, size * 0.95)
    y = paragraph(cv, left, y + 10, right - left, L["terms_text"].format(days=inv.days), reg, size, doc.ink,
                  1.3, bottom=bottom)
    if rng.random() < 0.6 and y < bottom - 30:
        cv.text(left, y + 20, L["closing"], reg, size, doc.ink)
        if rng.random() < 0.5:
            signature(doc, left, y + 26, 90, 26)
    footer_columns(doc, inv.co, left, right, doc.H - 58, reg, 6.3)


def minimal(doc: Doc) -> None:
    """Plain text invoice: no colour blocks, key: value lines, hairline table, often a monospace font."""
    rng, cv = doc.rng, doc.cv
    fam = doc.family({"mono": 1, "sans": 1, "serif": 1})
    reg, bold = fam.regular, fam.bold
    inv = invoice_data(doc)
    m = rng.uniform(40, 80)
    size = rng.uniform(8, 10.5)
    y = m
    cv.text(m, y + 14, inv.co.name, bold, 13, doc.ink)
    y = lines_block(doc, m, y + 20, [inv.co.street, inv.co.city, inv.co.email], reg, size)
    cv.text_right(doc.W - m, m + 14, title_word(doc), bold, rng.uniform(13, 20), doc.ink)
    y += 20
    y = kv_block(doc, m, y, meta_pairs(doc, inv), reg, reg, size) + 14
    cv.text(m, y + size, doc.lang["bill_to"] + ":", bold, size, doc.ink)
    y = lines_block(doc, m, y + size * 1.4, inv.client, reg, size) + 16
    style = TableStyle(grid=rng.choice(["rules", "none"]), line=doc.grey(80, 160), pad=rng.uniform(0.3, 0.6),
                       line_w=0.4)
    bottom = doc.H - m
    y = items_table(doc, inv, m, y, doc.W - 2 * m, reg, bold, size, style=style, bottom=bottom - 100)
    y = totals(doc, inv, doc.W - m, y + 8, 170, reg, bold, size)
    terms_block(doc, inv, m, y + 14, doc.W - 2 * m, reg, bold, size, bottom)


def continuation(doc: Doc) -> None:
    """Page 2+ of a long invoice: small header, 'carried forward', a full table, totals or 'continued'."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc, rng.randint(18, 45))
    L = doc.lang
    m = rng.uniform(36, 60)
    size = rng.uniform(7.5, 9.5)
    page, total_pages = rng.randint(2, 4), None
    if rng.random() < 0.6:
        total_pages = page + rng.randint(0, 2)
    cv.text(m, m + 10, inv.co.name, hb, 11, doc.accent)
    hdr = f"{L['invoice_no']} {inv.number} · {L.date(inv.date, 1)}"
    cv.text_right(doc.W - m, m + 10, hdr, reg, size, doc.ink)
    cv.hline(m, doc.W - m, m + 18, doc.grey(80, 150), 0.5)
    y = m + 34
    sub = sum(i.amount for i in inv.items[:5])
    cv.text(m, y + size, L["carried"], bold, size, doc.ink)
    cv.text_right(doc.W - m, y + size, L.money(sub * rng.uniform(2, 6)), bold, size, doc.ink)
    y += size * 2.2
    last = total_pages == page or rng.random() < 0.4
    bottom = doc.H - m - (150 if last else 40)
    y = items_table(doc, inv, m, y, doc.W - 2 * m, reg, bold, size, bottom=bottom, items=inv.items)
    if last:
        y = totals(doc, inv, doc.W - m, y + 10, 180, reg, bold, size, boxed=rng.random() < 0.4)
        if rng.random() < 0.5:
            terms_block(doc, inv, m, y + 6, doc.W * 0.6, reg, bold, size, doc.H - m)
    else:
        cv.text_right(doc.W - m, y + size * 1.6, f"{L['carried']} …", bold, size, doc.ink)
    page_number(doc, page, total_pages, reg, 7.5, doc.H - m / 2)


def timesheet(doc: Doc) -> None:
    """A service invoice: project header, dated hours x rate rows, short note, sometimes sparse."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc, rng.choice([rng.randint(1, 4), rng.randint(5, 22)]))
    L = doc.lang
    m = rng.uniform(40, 64)
    size = rng.uniform(8, 10)
    side = rng.random() < 0.4
    x0 = m + (110 if side else 0)
    if side:  # a tinted left column with the sender details
        cv.rect(0, 0, m + 90, doc.H, fill=doc.tint(doc.accent, rng.uniform(0.75, 0.95)))
        lines_block(doc, m * 0.5, m + 60, [inv.co.name, inv.co.street, inv.co.city, "", inv.co.phone,
                                           inv.co.email, "", inv.co.vat_id], reg, 6.8, doc.ink)
    tsize = rng.uniform(18, 28)
    cv.text(x0, m + tsize, title_word(doc), hb, tsize, doc.accent)
    cv.text(x0, m + tsize + 18, f"{inv.number} · {L.date(inv.date)}", reg, size, doc.grey(60, 120))
    y = m + tsize + 40
    col2 = x0 + (doc.W - m - x0) / 2
    cv.text(x0, y + size, L["bill_to"], bold, size, doc.ink)
    lines_block(doc, x0, y + size * 1.4, inv.client, reg, size)
    if not side:
        cv.text(col2, y + size, inv.co.name, bold, size, doc.ink)
        lines_block(doc, col2, y + size * 1.4, [inv.co.street, inv.co.city, inv.co.email], reg, size)
    y += size * 1.4 + 5 * size * 1.3 + 18
    proj = f"{L['period']}: {L.date(inv.date - dt.timedelta(days=30), 1)} – {L.date(inv.date, 1)}"
    cv.text(x0, y + size, proj, reg, size, doc.ink)
    y += size * 2.5
    y = items_table(doc, inv, x0, y, doc.W - m - x0, reg, bold, size, kind=3, bottom=doc.H - m - 120)
    y = totals(doc, inv, doc.W - m, y + 10, 170, reg, bold, size, boxed=rng.random() < 0.5)
    terms_block(doc, inv, x0, y + 12, doc.W - m - x0, reg, bold, size * 0.95, doc.H - m)


def form(doc: Doc) -> None:
    """A boxed invoice form: outlined panels with labels, some left empty, a few items, signature line."""
    rng, cv = doc.rng, doc.cv
    reg, bold, hb = fonts(doc)
    inv = invoice_data(doc, rng.randint(1, 6))
    L = doc.lang
    m = rng.uniform(30, 50)
    size = rng.uniform(7.5, 9.5)
    line = doc.accent if rng.random() < 0.4 else doc.grey(40, 110)
    right = doc.W - m
    cv.text(m, m + 20, title_word(doc), hb, rng.uniform(20, 30), line)
    barcode(doc, right - 120, m, 120, 24) if rng.random() < 0.4 else None
    y = m + 40
    mid = doc.W / 2
    boxes = [(m, y, mid - 4, y + 90, L["bill_to"], inv.client),
             (mid + 4, y, right, y + 90, inv.co.name, [inv.co.street, inv.co.city, inv.co.phone])]
    for x0, y0, x1, y1, label, lines in boxes:
        cv.rect(x0, y0, x1, y1, outline=line, width=0.8)
        cv.rect(x0, y0, x1, y0 + size * 1.8, fill=doc.tint(line, 0.85))
        cv.text(x0 + 6, y0 + size * 1.3, label, bold, size, doc.ink)
        if rng.random() < 0.85:
            lines_block(doc, x0 + 6, y0 + size * 2.3, lines, reg, size)
    y += 100
    pairs = meta_pairs(doc, inv)[:4]
    bw = (right - m) / len(pairs)
    for k, (a, b) in enumerate(pairs):
        cv.rect(m + k * bw, y, m + (k + 1) * bw, y + size * 3.4, outline=line, width=0.6)
        cv.text(m + k * bw + 5, y + size * 1.2, a, reg, size * 0.8, doc.grey(70, 130))
        if rng.random() < 0.9:
            cv.text(m + k * bw + 5, y + size * 2.7, b, bold, size, doc.ink)
    y += size * 3.4 + 10
    style = TableStyle(grid="full", header_fill=doc.tint(line, 0.85), line=line, pad=0.5, line_w=0.6)
    end = items_table(doc, inv, m, y, right - m, reg, bold, size, style=style, kind=1)
    box_bottom = max(end, y + rng.uniform(200, 380))
    if box_bottom > end:  # the empty rest of the item grid, as on a printed form
        cv.rect(m, end, right, min(box_bottom, doc.H - 200), outline=line, width=0.6)
        end = min(box_bottom, doc.H - 200)
    y = totals(doc, inv, right, end + 8, 170, reg, bold, size)
    cv.hline(m, m + 170, y + 40, doc.ink, 0.5)
    cv.text(m, y + 50, rng.choice(["Authorized signature", L["date"] + " / Signature", L["closing2"]]), reg,
            size * 0.85, doc.grey(70, 130))
    if rng.random() < 0.4:
        signature(doc, m + 10, y + 10, 110, 28)
    if rng.random() < 0.25:
        stamp(doc, doc.W * rng.uniform(0.4, 0.6), y - 10, L["paid"] if rng.random() < 0.8 else "COPY", hb, 20)
    if rng.random() < 0.3:
        qr_code(doc, right - 60, doc.H - m - 60, 60)


FAMILIES = (("classic", classic), ("band", band), ("din", din), ("minimal", minimal),
            ("continuation", continuation), ("timesheet", timesheet), ("form", form))
