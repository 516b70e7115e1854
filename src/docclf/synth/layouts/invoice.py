"""Invoices: line-item tables, totals, numbers and dates, addresses, payment terms and bank details."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from docclf.synth.canvas import first_line, paragraph
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import (TableStyle, barcode, logo, qr_code, random_table_style, signature, stamp,
                                 table)
from docclf.synth.text import LOREM, fill, for_lang, random_date, vocab
from docclf.synth.layouts.common import (Company, company, fold_marks, footer_columns, kv_block, lines_block,
                                         page_number, person_block, split_address, tex_family)


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
    doc = new_doc(rng, "portrait", long_px, colour_p=0.55,
                  body_kinds={"sans": 5, "serif": 1.5, "mono": 0.6}, head_kinds={"sans": 3, "serif": 1})
    doc.lang.iso_money = rng.random() < 0.3
    return doc


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
    client = person_block(doc)
    if rng.random() < 0.2:  # shops and marketplaces print the customer's phone and e-mail, labelled
        client += customer_contact(doc)
    discount = round(sum(i.amount for i in items) * rng.choice([0.05, 0.1]), 2) if rng.random() < 0.15 else 0.0
    shipping = round(rng.uniform(4, 40), 2) if rng.random() < 0.2 else 0.0
    inv = Invoice(company(doc), client, ship, number, date, date + dt.timedelta(days=days), items,
                  discount, shipping, days)
    return as_template(doc, inv) if rng.random() < TEMPLATE_P else inv


# Unfilled templates are invoices too (UI kits, libraries' READMEs, office templates): "Company", "Street
# Address", "State, City", "Item 1". Only letters had such placeholders, so the text view read Tabler's
# template invoice as a letter (0.99).
TEMPLATE_P = 0.08


def as_template(doc: Doc, inv: Invoice) -> Invoice:
    """The invoice with placeholder parties and, half the time, placeholder items ('Item 3', 'Product name')."""
    rng = doc.rng
    t = for_lang(vocab("invoice")["template"], doc.lang.lang)
    co = dataclasses.replace(inv.co, name=rng.choice(t["seller"]), street=rng.choice(t["street"]),
                             city=rng.choice(t["city"]), phone=rng.choice(t["phone"]), email=rng.choice(t["email"]),
                             fax="")
    client = [rng.choice(t["client"]), rng.choice(t["street"]), rng.choice(t["city"])]
    if rng.random() < 0.5:
        client.append(rng.choice(t["email"]))
    items = inv.items
    if rng.random() < 0.5:
        pattern = rng.choice(t["items"])
        items = [dataclasses.replace(i, desc=pattern.format(n=k + 1)) for k, i in enumerate(items)]
    return dataclasses.replace(inv, co=co, client=client, ship=None, items=items)


# --------------------------------------------------------------------------- building blocks


def item_text(doc: Doc, date: dt.date) -> str:
    """A line item from the vocabulary of the page's language."""
    rng = doc.rng
    return fill(rng, rng.choice(for_lang(vocab("invoice")["services"], doc.lang.lang)), [],
                {"month": f"{doc.lang.months[date.month - 1]} {date.year}", "n": rng.randint(10, 150)})


def customer_contact(doc: Doc) -> list[str]:
    """The customer's labelled phone and sometimes e-mail ('Phone: ...', 'Tél. : ...')."""
    rng, f = doc.rng, doc.fake
    labels = for_lang(vocab("labels")["contacts"], doc.lang.lang)
    lines = [f"{rng.choice(labels['phone'])} {f.phone_number()}"]
    if rng.random() < 0.5:
        lines.append(f"{rng.choice(labels['email'])} {f.email()}")
    return lines


def phrase_slots(inv: Invoice, doc: Doc) -> dict[str, str]:
    """What an invoice sentence may name: {currency}, {email}, {company}."""
    return {"currency": doc.lang.currency, "email": inv.co.email, "company": inv.co.name}


def notes_text(doc: Doc, inv: Invoice, n: int) -> str:
    """`n` different notes under the totals, as one paragraph."""
    notes = for_lang(vocab("invoice")["notes"], doc.lang.lang)
    return " ".join(fill(doc.rng, t, [], phrase_slots(inv, doc)) for t in doc.rng.sample(notes, min(n, len(notes))))


def invoice_phrase(doc: Doc, inv: Invoice, kind: str) -> str:
    """An intro line in the page's language."""
    return fill(doc.rng, doc.rng.choice(for_lang(vocab("invoice")[kind], doc.lang.lang)), [], phrase_slots(inv, doc))


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
    # Real invoices carry sentences (payment instructions, reminders, complaints, legal notes): on the
    # dev set their share of function words was twice that of generated invoices (0.083 vs 0.048).
    if rng.random() < 0.6:
        y += size
        note = LOREM[:rng.randint(60, 220)] if rng.random() < 0.05 else notes_text(doc, inv, rng.randint(1, 4))
        y = paragraph(doc.cv, x, y, w, note, face, size * 0.9, doc.grey(80, 130), 1.3, bottom=bottom)
    if rng.random() < 0.4:
        y += size * 1.2
        thanks = rng.choice([L["thanks"], *for_lang(vocab("invoice")["tail"], L.lang)["thanks"]])
        doc.cv.text(x, y + size, thanks, bold if rng.random() < 0.5 else face, size * 1.1, doc.accent)
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
        pairs.append((L["period"], period_text(doc, inv.date - dt.timedelta(days=30), inv.date)))
    if rng.random() < 0.25:  # bills from utilities, telecoms and cloud providers name the customer's account
        pairs.append((rng.choice(for_lang(vocab("invoice")["account"], L.lang)), str(rng.randint(10 ** 8, 10 ** 12))))
    return pairs


def party_label(doc: Doc, key: str) -> str:
    """'Bill to' or one of the other names invoices give the customer's block ('Rechnungsadresse', 'Client'...)."""
    options = for_lang(vocab("invoice")["party_labels"], doc.lang.lang)[key]
    return doc.lang[key] if doc.rng.random() < 0.4 else doc.rng.choice(options)


def period_text(doc: Doc, start: dt.date, end: dt.date, style: int = 1) -> str:
    """A billing period, as a range ('01.03.2014 – 31.03.2014') or in words ('vom 01.03.2014 bis 31.03.2014')."""
    a, b = doc.lang.date(start, style), doc.lang.date(end, style)
    if doc.rng.random() < 0.5:
        return f"{a} – {b}"
    return for_lang(vocab("invoice")["period_words"], doc.lang.lang).format(start=a, end=b)


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
    y = lines_block(doc, m, y, [inv.co.street, inv.co.city, *inv.co.contact()], reg, size * 0.9,
                    doc.grey(50, 110))
    tsize = rng.uniform(20, 34)
    cv.text_right(doc.W - m, m + tsize, title_word(doc), hb, tsize, doc.accent if rng.random() < 0.6 else doc.ink)
    kv_block(doc, doc.W - m - 190, m + tsize + 14, meta_pairs(doc, inv), bold, reg, size, right_edge=doc.W - m)
    y = max(y, m + tsize + 90) + 18
    label = party_label(doc, "bill_to")
    cv.text(m, y + size, label.upper() if rng.random() < 0.5 else label, bold, size, doc.accent)
    yb = lines_block(doc, m, y + size * 1.5, inv.client, reg, size * 1.05)
    if inv.ship:
        cv.text(doc.W / 2, y + size, party_label(doc, "ship_to"), bold, size, doc.accent)
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
    cv.text(m, y + size, party_label(doc, "bill_to"), bold, size, col)
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
    cv.text(m, y + size, party_label(doc, "bill_to") + ":", bold, size, doc.ink)
    y = lines_block(doc, m, y + size * 1.4, inv.client, reg, size) + 16
    style = TableStyle(grid=rng.choice(["rules", "none"]), line=doc.grey(80, 160), pad=rng.uniform(0.3, 0.6),
                       line_w=0.4)
    bottom = doc.H - m
    y = items_table(doc, inv, m, y, doc.W - 2 * m, reg, bold, size, style=style, bottom=bottom - 100)
    y = totals(doc, inv, doc.W - m, y + 8, 170, reg, bold, size)
    terms_block(doc, inv, m, y + 14, doc.W - 2 * m, reg, bold, size, bottom)


def continuation(doc: Doc) -> None:
    """Page 2+ of a long invoice: small header, 'carried forward', a full table, totals or 'continued'.
    Half of them are the last page instead, mostly empty (see `last_page`)."""
    rng, cv = doc.rng, doc.cv
    if rng.random() < 0.5:
        last_page(doc)
        return
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


def last_page(doc: Doc) -> None:
    """The last page of a longer invoice, mostly blank: the reference and 'Page 2 / 2' repeated at the top, the
    last few items or an itemised usage detail (telecom and utility bills), the total, then a thank-you line,
    a QR code, notes or a signature. On the dev set such pages (free.fr's, pdfmake's) went to other classes;
    every generated continuation page was a full table."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    reg, bold, hb = fonts(doc)
    T = for_lang(vocab("invoice")["tail"], L.lang)
    inv = invoice_data(doc, rng.randint(1, 5))
    m = rng.uniform(40, 64)
    size = rng.uniform(7.5, 9.5)
    right = doc.W - m
    page = rng.randint(2, 3)
    ref = f"{title_word(doc)} {inv.number} · {L.date(inv.date, rng.randrange(2))}"
    cv.text_right(right, m + 8, ref, reg, 7.5, doc.ink)
    cv.text_right(right, m + 18, f"{L['page']} {page} / {page}", reg, 7.5, doc.ink)
    y = m + rng.uniform(45, 90)
    r = rng.random()
    if r < 0.75:
        if rng.random() < 0.6:  # the reference again, as the page's heading, sometimes with the section's name
            cv.text(m, y, ref, hb, rng.uniform(11, 14), doc.ink)
            if r < 0.3:
                cv.text_right(right, y, rng.choice(T["usage"]), hb, rng.uniform(10, 13), doc.ink)
            cv.hline(m, right, y + 4, doc.ink, rng.uniform(0.5, 1.2))
            y += 18
        y = usage_table(doc, inv, T, m, y, right - m, reg, bold, size) if r < 0.3 else \
            items_table(doc, inv, m, y, right - m, reg, bold, size)
        if rng.random() < 0.5:
            y = totals(doc, inv, right, y + 10, 180, reg, bold, size, boxed=rng.random() < 0.3)
        else:  # one bold total line across the page
            cv.hline(m, right, y + 6, doc.ink, 1.2)
            cv.text(m, y + 6 + size * 1.6, rng.choice(T["total_label"]), bold, size * 1.2, doc.ink)
            cv.text_right(right, y + 6 + size * 1.6, L.money(inv.subtotal * (1 + L.vat_rate / 100)), bold,
                          size * 1.2, doc.ink)
            y += 6 + size * 2.2
    if rng.random() < 0.5:
        y = paragraph(cv, m, y + size * 1.5, right - m, notes_text(doc, inv, rng.randint(1, 2)), reg, size * 0.9,
                      doc.grey(60, 120), 1.3, bottom=doc.H - m)
    if r >= 0.75 or rng.random() < 0.3:
        qr_code(doc, m, y + size * 2, rng.uniform(50, 80))
        y += size * 2 + 80
    italic = doc.body.italic if rng.random() < 0.5 else reg
    cv.text(m, y + size * 2.5, rng.choice(T["thanks"]), italic, size, doc.ink)
    if rng.random() < 0.3:
        signature(doc, right - 160, y + size * 5, 130, 40)


def usage_table(doc: Doc, inv: Invoice, T: dict, x: float, y: float, w: float, reg, bold, size: float) -> float:
    """Itemised calls, messages and data of a telecom bill: date, time, number, duration, amount."""
    rng, L = doc.rng, doc.lang
    rows = [[*T["cols"][:2], f"{T['cols'][2]} / {L['description']}", *T["cols"][3:]]]
    day = inv.date - dt.timedelta(days=30)
    for _ in range(rng.randint(4, 30)):
        day += dt.timedelta(days=rng.choice([0, 0, 1, 2]))
        kind = rng.choice(T["kinds"])
        rows.append([L.date(day, 1), f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}",
                     f"{doc.fake.phone_number()} {kind}", f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                     L.money(rng.uniform(0, 3))])
    widths = [w * r for r in (0.15, 0.1, 0.45, 0.12, 0.18)]
    return table(doc, x, y, widths, rows, reg, bold, size * 0.9, "lllrr", random_table_style(doc),
                 bottom=doc.H - 120)


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
        lines_block(doc, m * 0.5, m + 60, [inv.co.name, inv.co.street, inv.co.city, "", *inv.co.contact(),
                                           "", inv.co.vat_id], reg, 6.8, doc.ink)
    tsize = rng.uniform(18, 28)
    cv.text(x0, m + tsize, title_word(doc), hb, tsize, doc.accent)
    cv.text(x0, m + tsize + 18, f"{inv.number} · {L.date(inv.date)}", reg, size, doc.grey(60, 120))
    y = m + tsize + 40
    col2 = x0 + (doc.W - m - x0) / 2
    cv.text(x0, y + size, party_label(doc, "bill_to"), bold, size, doc.ink)
    lines_block(doc, x0, y + size * 1.4, inv.client, reg, size)
    if not side:
        cv.text(col2, y + size, inv.co.name, bold, size, doc.ink)
        lines_block(doc, col2, y + size * 1.4, [inv.co.street, inv.co.city, *inv.co.contact()], reg, size)
    y += size * 1.4 + 5 * size * 1.3 + 18
    proj = f"{L['period']}: {period_text(doc, inv.date - dt.timedelta(days=30), inv.date)}"
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
    boxes = [(m, y, mid - 4, y + 90, party_label(doc, "bill_to"), inv.client),
             (mid + 4, y, right, y + 90, inv.co.name, [inv.co.street, inv.co.city, *inv.co.contact()[:2]])]
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


# --------------------------------------------------------------------------- ERP printouts, statements, premiums


def erp_words(doc: Doc) -> dict[str, str]:
    """Labels of ERP printouts and statements in the page's language."""
    return for_lang(vocab("invoice")["words"], doc.lang.lang)


def gln(rng: random.Random) -> str:
    return f"{rng.randint(4, 9)}{rng.randint(10 ** 11, 10 ** 12 - 1)}"


def vat_rates(doc: Doc) -> list[int]:
    """The standard rate and, often, a reduced one: ERP invoices list goods under both."""
    std = doc.lang.vat_rate
    return [std] if doc.rng.random() < 0.4 else [std, doc.rng.choice([5, 7, 9, 10])]


def party_box(doc: Doc, x0: float, y: float, x1: float, label: str, lines: list[str], face, bold, size: float,
              boxed: bool) -> float:
    """A labelled party block of an ERP printout (seller, buyer, ...); returns the y below it."""
    cv = doc.cv
    top = y
    cv.text(x0 + 3, y + size, label, bold, size, doc.ink)
    y = lines_block(doc, x0 + 3, y + size * 1.5, lines, face, size, leading=1.2) + size * 0.5
    if boxed:
        cv.rect(x0, top - size * 0.3, x1 - size, y, outline=doc.grey(40, 110), width=0.5)
    return y


def erp(doc: Doc) -> None:
    """A dense ERP printout (ZUGFeRD-style): small monospaced type, party blocks in three columns,
    a ruled table of many narrow columns with sub-rows, and a VAT breakdown at the bottom."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    fam = doc.family({"mono": 4, "sans": 1})
    reg, bold = fam.regular, fam.bold
    words = erp_words(doc)
    parties = for_lang(vocab("invoice")["parties"], L.lang)
    inv = invoice_data(doc, rng.randint(6, 22))
    m = rng.uniform(28, 44)
    right = doc.W - m
    size = rng.uniform(6.0, 7.4)
    rule = doc.grey(30, 90)
    if rng.random() < 0.5:
        logo(doc, right, m - 12, 20, inv.co.name, bold, right=True)
    y = m + 18
    col = (right - m) / 3
    boxed = rng.random() < 0.5
    f = doc.fake
    seller = [f"GLN {gln(rng)}", inv.co.name.upper(), inv.co.street, inv.co.city, "",
              f"{L['vat_id']}: {inv.co.vat_id}"]
    buyer = [f"GLN {gln(rng)}", *[ln.upper() if k == 0 else ln for k, ln in enumerate(inv.client)]]
    ya = party_box(doc, m, y, m + col, parties[0], seller, reg, bold, size, boxed)
    yb = party_box(doc, m + col, y, m + 2 * col, parties[1], buyer, reg, bold, size, boxed)
    title = title_word(doc).upper()
    if rng.random() < 0.5:
        title = " ".join(title)
    x3 = m + 2 * col
    cv.text(x3, y + size * 1.2, title, bold, size * 1.15, doc.ink)
    cv.text_right(right, y + size * 1.2, f"{L['page']} 1", reg, size, doc.ink)
    d = inv.date
    pairs = [(L["invoice_no"], inv.number), (L["date"], L.date(d, 1)),
             (words["delivery"], L.date(d - dt.timedelta(days=rng.randint(0, 9)), 1)),
             (L["order_no"], str(rng.randint(10 ** 8, 10 ** 9))), (L["customer_no"], str(rng.randint(1000, 999999))),
             (L["due"], L.date(inv.due, 1))]
    yc = kv_block(doc, x3, y + size * 2.2, pairs[:rng.randint(4, 6)], reg, reg, size)
    if rng.random() < 0.7:
        yc = lines_block(doc, x3, yc + size * 0.6, [f"{words['contact']}: {f.name()}", *inv.co.contact()], reg,
                         size * 0.95, leading=1.2)
    y = max(ya, yb, yc) + size
    if rng.random() < 0.75:  # invoicee and consignee under the seller and buyer
        ship = inv.ship or person_block(doc)
        ya = party_box(doc, m, y, m + col, parties[2], [f"GLN {gln(rng)}", *inv.client], reg, bold, size, boxed)
        yb = party_box(doc, m + col, y, m + 2 * col, parties[3], [f"GLN {gln(rng)}", *ship], reg, bold, size, boxed)
        y = max(ya, yb) + size
    y = erp_items(doc, inv, m, y + size, right, reg, bold, size, vat_rates(doc))
    footer_columns(doc, inv.co, m, right, doc.H - m - size * 3, reg, size * 0.9)


def erp_items(doc: Doc, inv: Invoice, x0: float, y: float, x1: float, reg, bold, size: float,
              rates: list[int]) -> float:
    """The item table with indented sub-rows, allowances, then the VAT breakdown; returns the y below."""
    rng, cv, L, m = doc.rng, doc.cv, doc.lang, doc.lang.money
    words = erp_words(doc)
    w = x1 - x0
    rel = [0.16, 0.30, 0.12, 0.08, 0.11, 0.08, 0.15]
    xs = [x0 + sum(rel[:k]) * w for k in range(len(rel) + 1)]
    heads = [words["item_no"], L["description"], L["qty"], L["unit"], L["unit_price"], words["rate"], words["net"]]
    aligns = "llrlrrr"
    pad = size * 0.35

    def row(cells: list[str], face, base: float) -> None:
        for k, (c, al) in enumerate(zip(cells, aligns)):
            if al == "r":
                cv.text_right(xs[k + 1] - pad, base, c, face, size, doc.ink)
            else:
                cv.text(xs[k] + pad, base, c, face, size, doc.ink)

    cv.hline(x0, x1, y, doc.ink, 0.7)
    row(heads, bold, y + size * 1.3)
    y += size * 1.9
    cv.hline(x0, x1, y, doc.ink, 0.5)
    y += size * 0.5
    if rng.random() < 0.6:
        note = notes_text(doc, inv, rng.randint(1, 3))
        y = paragraph(cv, x0 + pad, y, w, f"{words['important']} {note}", reg, size, doc.ink, 1.2) + size * 0.4
    bottom = doc.H - 230
    net_by_rate = {r: 0.0 for r in rates}
    for it in inv.items:
        if y > bottom:
            break
        rate = rng.choice(rates)
        net_by_rate[rate] += it.amount
        code = gln(rng) if rng.random() < 0.6 else it.code
        row([code, first_line(doc.cv, it.desc, reg, size, xs[2] - xs[1] - 2 * pad),
             L.number(it.qty, 0 if float(it.qty).is_integer() else 1), it.unit, L.number(it.price, 4),
             f"{rate},0" if L.lang != "en" else f"{rate}.0", m(it.amount, False)], reg, y + size)
        y += size * 1.25
        subs = [f"{words['item_no']}: {it.code}", f"{words['gross']}: {m(it.price * 1.02, True)}",
                f"{words['allowance']} {rng.choice([1, 2, 3, 5])}%: {m(-it.price * 0.02, True)}",
                f"{L['delivery_date']}: {L.date(it.day, 1)}"]
        for sub in rng.sample(subs, rng.choice([0, 1, 1, 2, 3])):
            cv.text(xs[1] + pad + size, y + size, sub, reg, size * 0.95, doc.grey(30, 90))
            y += size * 1.15
        y += size * 0.5
    cv.hline(x0, x1, y, doc.ink, 0.5)
    y += size * 0.8
    if rng.random() < 0.5:  # invoice-level allowances and surcharges
        for r in rates:
            base = net_by_rate[r]
            y = kv_block(doc, x0 + pad, y, [(f"{words['allowance']} {r}%",
                                             f"{words['base']} {m(base, False)}   -{m(base * 0.02, False)}")],
                         reg, reg, size, label_w=w * 0.25)
        y += size * 0.4
    if rng.random() < 0.6:
        y = paragraph(cv, x0 + pad, y, w * 0.8, L["terms_text"].format(days=inv.days), reg, size, doc.ink, 1.2) + size
    # the VAT breakdown: one row per rate and a totals row
    y = max(y, doc.H - 200 - len(rates) * size * 1.8) if rng.random() < 0.6 else y + size
    heads = [words["net"], words["rate"], words["base"], words["vat_amount"], words["gross"]]
    rows = [heads]
    tot = [0.0, 0.0, 0.0]
    for r in rates:
        base = round(net_by_rate[r], 2)
        vat = round(base * r / 100, 2)
        tot = [tot[0] + base, tot[1] + vat, tot[2] + base + vat]
        rows.append([m(base, False), f"{r} %", m(base, False), m(vat, False), m(base + vat, False)])
    rows.append([m(tot[0], False), "", m(tot[0], False), m(tot[1], False), m(tot[2], True)])
    style = TableStyle(grid=rng.choice(["full", "rules", "box"]), line=doc.ink, pad=0.35, line_w=0.5,
                       header_fill=doc.tint(doc.accent, 0.88) if rng.random() < 0.3 else None)
    return table(doc, x0, y, [w / 5] * 5, rows, reg, bold, size, "rrrrr", style)


def statement(doc: Doc) -> None:
    """A utility / telecom / cloud statement: logo and account number, an 'Invoice Summary' box, coloured
    summary and detail tables of services with sub-rows, small-print footnotes. Sometimes a later page."""
    rng, cv, L, m = doc.rng, doc.cv, doc.lang, doc.lang.money
    reg, bold, hb = fonts(doc)
    words = erp_words(doc)
    inv = invoice_data(doc, rng.randint(3, 9))
    mg = rng.uniform(30, 48)
    right = doc.W - mg
    w = right - mg
    size = rng.uniform(6.8, 8.2)
    col = doc.accent
    tint = doc.tint(col, rng.uniform(0.78, 0.9))
    account = rng.choice(for_lang(vocab("invoice")["account"], L.lang))
    later = rng.random() < 0.3
    if later:  # a continuation page: running header, then the detail table to the bottom
        logo(doc, mg, mg, 18, inv.co.name, hb)
        cv.text_right(right, mg + 8, f"{account}: {rng.randint(10 ** 9, 10 ** 11)}", reg, size, doc.ink)
        cv.text_right(right, mg + 8 + size * 1.4, f"{L['invoice_no']} {inv.number}", reg, size, doc.ink)
        y = mg + 40
    else:
        logo(doc, mg, mg, rng.uniform(26, 40), inv.co.name, hb)
        cv.text(mg, mg + 58, account, reg, size, doc.grey(60, 110))
        cv.text(mg, mg + 58 + size * 2.1, str(rng.randint(10 ** 9, 10 ** 12)), hb, size * 2, doc.ink)
        bx = doc.W * rng.uniform(0.5, 0.58)
        cv.text(bx, mg + 14, f"{inv.co.name} {L['invoice']}", hb, size * 1.8, doc.ink)
        cv.text(bx, mg + 14 + size * 1.5, inv.co.email + " · " + inv.co.web, reg, size * 0.85, doc.grey(60, 110))
        yb = mg + 14 + size * 3
        cv.text(bx, yb + size, words["summary"], bold, size * 1.2, doc.ink)
        yb += size * 1.8
        pairs = [(L["invoice_no"], inv.number), (L["date"], L.date(inv.date)),
                 (L["period"], period_text(doc, inv.date - dt.timedelta(days=30), inv.date))]
        for a, b in pairs:
            cv.hline(bx, right, yb, doc.grey(170, 210), 0.4)
            cv.text(bx, yb + size * 1.2, a, reg, size, doc.ink)
            cv.text_right(right, yb + size * 1.2, b, reg, size, doc.ink)
            yb += size * 1.7
        cv.hline(bx, right, yb, doc.grey(170, 210), 0.4)
        total = inv.subtotal * (1 + L.vat_rate / 100)
        due = words["due_on"].format(date=L.date(inv.due))
        cv.text(bx, yb + size * 1.5, due.upper() if rng.random() < 0.5 else due, bold, size * 1.05, doc.ink)
        cv.text_right(right, yb + size * 1.5, m(total), bold, size * 1.05, doc.ink)
        y = lines_block(doc, mg, mg + 58 + size * 4, [f"{party_label(doc, 'bill_to')}:", *inv.client], reg, size * 1.05) + size * 2
        y = max(y, yb + size * 3)
        cv.text(mg, y + size * 1.3, f"{L['period']}: {period_text(doc, inv.date - dt.timedelta(days=30), inv.date, 0)}",
                bold, size * 1.3, doc.ink)
        intro = invoice_phrase(doc, inv, "intro")
        y = paragraph(cv, mg, y + size * 2, w, intro[:1].upper() + intro[1:], reg, size, doc.ink, 1.3) + size
        y = statement_group(doc, mg, y, w, words["account_summary"] if rng.random() < 0.3 else words["summary"],
                            [(words["previous"], m(rng.uniform(10, 400))), (words["received"], m(-rng.uniform(10, 400))),
                             (words["new_charges"], m(inv.subtotal)), (f"{L['tax']} *", m(inv.subtotal * L.vat_rate / 100))],
                            reg, bold, size, tint, total=(L["total"], m(total)))
    bottom = doc.H - mg - (size * 9 if not later else size * 4)
    y = statement_detail(doc, inv, mg, y + size, w, reg, bold, size, tint, bottom)
    notes = for_lang(vocab("invoice")["footnotes"], L.lang)
    yf = doc.H - mg - size * 7.5 if not later else doc.H - mg - size * 3
    lines_block(doc, mg, max(yf, y + size), rng.sample(notes, rng.randint(2, 4) if not later else 1), reg,
                size * 0.8, doc.grey(60, 120), 1.25)
    if not later and rng.random() < 0.7:
        lines_block(doc, right, max(yf, y + size), [inv.co.name, inv.co.street, inv.co.city], reg, size * 0.8,
                    doc.grey(50, 110), 1.25, right=True)
    page_number(doc, 2 if later else 1, rng.choice([2, 3, None]), reg, size * 0.9, doc.H - mg / 2)


def statement_group(doc: Doc, x: float, y: float, w: float, title: str, rows: list[tuple[str, str]], reg, bold,
                    size: float, tint, total: tuple[str, str] | None = None, title_amount: str = "") -> float:
    """A tinted title bar, hairline-separated rows and an optional tinted total row; returns the y below."""
    cv = doc.cv
    h = size * 1.8
    cv.rect(x, y, x + w, y + h, fill=tint)
    cv.text(x + size * 0.5, y + h * 0.68, title, bold, size * 1.1, doc.ink)
    if title_amount:
        cv.text_right(x + w - size * 0.5, y + h * 0.68, title_amount, bold, size, doc.ink)
    y += h
    for a, b in rows:
        cv.text(x + size * 2, y + h * 0.68, a, reg, size, doc.ink)
        cv.text_right(x + w - size * 0.5, y + h * 0.68, b, reg, size, doc.ink)
        y += h
        cv.hline(x, x + w, y, doc.grey(190, 220), 0.4)
    if total:
        cv.rect(x, y, x + w, y + h, fill=tint)
        cv.text(x + size * 0.5, y + h * 0.68, total[0], bold, size, doc.ink)
        cv.text_right(x + w - size * 0.5, y + h * 0.68, total[1], bold, size, doc.ink)
        y += h
    return y + size


def statement_detail(doc: Doc, inv: Invoice, x: float, y: float, w: float, reg, bold, size: float, tint,
                     bottom: float) -> float:
    """'Detail': one coloured service line per item with its amount, then charges / usage / VAT sub-rows."""
    rng, cv, L, m = doc.rng, doc.cv, doc.lang, doc.lang.money
    words = erp_words(doc)
    h = size * 1.7
    cv.rect(x, y, x + w, y + h * 1.1, fill=tint)
    cv.text(x + size * 0.5, y + h * 0.75, words["detail"], bold, size * 1.1, doc.ink)
    y += h * 1.1
    name_ink = doc.accent if doc.colour and sum(doc.accent) < 500 else doc.ink
    k = 0
    while y + h * 3 < bottom:
        it = inv.items[k % len(inv.items)] if k < len(inv.items) else Item(item_text(doc, inv.date), 1, "", round(
            rng.uniform(0.5, 90), 2), "", inv.date)
        k += 1
        cv.text(x + size * 0.5, y + h * 0.7, it.desc, reg, size * 1.05, name_ink)
        cv.text_right(x + w - size * 0.5, y + h * 0.7, m(it.amount), reg, size, doc.ink)
        y += h
        subs = [(words["charges"], m(it.amount * 0.8)), (f"{L['vat']} **", m(it.amount * 0.2))]
        if rng.random() < 0.4:
            subs.insert(0, (f"{words['usage']}: {L.number(rng.uniform(1, 900), 2)} {it.unit or 'GB'}",
                            m(it.amount * 0.8)))
        for a, b in subs[:rng.randint(1, len(subs))]:
            if y + h > bottom:
                break
            cv.hline(x, x + w, y, doc.grey(205, 230), 0.3)
            cv.text(x + size * 2.5, y + h * 0.7, a, reg, size * 0.95, doc.ink)
            cv.text_right(x + w - size * 0.5, y + h * 0.7, b, reg, size * 0.95, doc.ink)
            y += h
        cv.hline(x, x + w, y, doc.grey(150, 200), 0.4)
    return y


def premium(doc: Doc) -> None:
    """A letter-style invoice (insurance premium, subscription): DIN window address, contact info block,
    a bold title with the period, body text, a short list of amounts with a bold total, 'Kind regards'."""
    rng, cv, L, mo = doc.rng, doc.cv, doc.lang, doc.lang.money
    reg, bold, hb = fonts(doc)
    prem = for_lang(vocab("invoice")["premium"], L.lang)
    inv = invoice_data(doc, rng.randint(2, 6))
    left, right = rng.uniform(56, 72), doc.W - rng.uniform(40, 60)
    size = rng.uniform(8, 9.5)
    w = right - left
    if rng.random() < 0.7:
        logo(doc, right, 34, rng.uniform(24, 34), inv.co.name, hb, right=True)
    if rng.random() < 0.5:
        fold_marks(doc)
    ya = doc.H * rng.uniform(0.09, 0.12)
    y = lines_block(doc, left, ya, [inv.co.name] + ([] if rng.random() < 0.5 else [inv.co.street]), reg, size)
    y = lines_block(doc, left, y + size, inv.client, reg, size)
    info = [inv.co.name, doc.fake.name(), inv.co.street, inv.co.city, *inv.co.contact()]
    if rng.random() < 0.6:
        lines_block(doc, doc.W * rng.uniform(0.58, 0.64), ya + size * 4, info, reg, size * 0.95, leading=1.25)
    y = max(y, ya + size * 13) + size * 2
    d = inv.date
    number = f"{rng.randint(100, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}"
    contract = rng.choice(for_lang(vocab("invoice")["account"], L.lang))
    title = f"{rng.choice(prem['title'])} – {contract} {number}"
    cv.text(left, y + size, title, bold, size * 1.1, doc.ink)
    cv.text_right(right, y + size, L.date(d), reg, size, doc.ink)
    start = d.replace(day=1)
    period = period_text(doc, start, start + dt.timedelta(days=rng.choice([29, 90, 181, 364])))
    y = kv_block(doc, left, y + size * 1.3, [(f"{L['period']}:", period), (f"{L['due']}:", L.date(inv.due, 1))],
                 bold, reg, size)
    y += size * 1.2
    fill_in = {"date": L.date(inv.due, 1), "days": inv.days, "iban": inv.co.iban}
    # the first two sentences open the letter (lower case after a German salutation), the rest follow in any order
    opening = rng.choice(prem["body"][:2])
    opening = opening if L.lang == "de" else opening[:1].upper() + opening[1:]
    body = [opening] + [t.format(**fill_in) for t in rng.sample(prem["body"][2:], len(prem["body"]) - 2)]
    cv.text(left, y + size, L["dear_generic"], reg, size, doc.ink)
    y = paragraph(cv, left, y + size * 1.8, w, " ".join(body[:2]), reg, size, doc.ink, 1.3) + size
    rows = [(it.desc, mo(it.amount)) for it in inv.items]
    if rng.random() < 0.6:
        rows.append((f"{L['tax']} {L.vat_rate} %", mo(inv.subtotal * L.vat_rate / 100)))
    aw = w * rng.uniform(0.7, 0.9)
    for a, b in rows:
        cv.text(left, y + size, first_line(doc.cv, a, reg, size, aw - size * 8), reg, size, doc.ink)
        cv.text_right(left + aw, y + size, b, reg, size, doc.ink)
        y += size * 1.3
    total = inv.subtotal * (1 + (L.vat_rate / 100 if len(rows) > len(inv.items) else 0))
    cv.text(left, y + size * 1.1, L["total_due"], bold, size, doc.ink)
    cv.text_right(left + aw, y + size * 1.1, mo(total), bold, size, doc.ink)
    y += size * 2.6
    bottom = doc.H - 90
    for k in range(2, len(body), 2):
        if y > bottom - size * 6:
            break
        y = paragraph(cv, left, y, w, " ".join(body[k:k + 2]), reg, size, doc.ink, 1.3, bottom=bottom) + size * 0.7
    cv.text(left, y + size * 1.5, L["closing"], reg, size, doc.ink)
    if rng.random() < 0.4:
        cv.text(left, y + size * 3, inv.co.name, reg, size, doc.ink)
    if rng.random() < 0.5:
        footer_columns(doc, inv.co, left, right, doc.H - 50, reg, 6.2)


def retail(doc: Doc) -> None:
    """A shop, marketplace or hotel invoice: 'Sold by' and the seller's tax number, order or booking numbers,
    the customer as labelled fields (Name:, Address:, Phone:) or billing and shipping addresses, goods (or room
    nights) with a tax column, a grand total, the payment mode and small print. Real ones of these read as forms
    and receipts to a model that had only seen service invoices."""
    rng, cv, L, mo = doc.rng, doc.cv, doc.lang, doc.lang.money
    R = for_lang(vocab("invoice")["retail"], L.lang)
    reg, bold, hb = fonts(doc)
    hotel = rng.random() < 0.25
    inv = invoice_data(doc, rng.randint(1, 3) if hotel else rng.choice([rng.randint(1, 3), rng.randint(2, 8)]))
    m, size = rng.uniform(28, 50), rng.uniform(7, 9)
    web = rng.random() < 0.3
    m, y0 = web_card(doc, R, m, size, reg) if web else (m, m)
    right = doc.W - m
    title = rng.choice(R["titles_hotel" if hotel else "titles"])
    tsize = rng.uniform(12, 22)
    if rng.random() < 0.6:
        logo(doc, m, y0, rng.uniform(20, 32), inv.co.name, hb)
        cv.text_right(right, y0 + tsize, title, hb, tsize, doc.accent if rng.random() < 0.4 else doc.ink)
    else:
        cv.text_center(doc.W / 2, y0 + tsize, title, hb, tsize, doc.ink)
    y = y0 + max(tsize, 32) + size * 2
    sold_by = f"{R['sold_by']}: {inv.co.name}" if rng.random() < 0.6 else inv.co.name
    tax_label = rng.choice(R["seller_tax"]) if not inv.co.vat_id.startswith("EIN") else "Tax ID"
    seller = [sold_by, inv.co.street, inv.co.city, f"{tax_label}: {inv.co.vat_id}",
              *inv.co.contact()[:rng.randint(0, 2)]]
    ya = lines_block(doc, m, y, seller, reg, size, bold_first=bold)
    pairs, nights = retail_meta(doc, R, inv, hotel)
    yb = kv_block(doc, doc.W * rng.uniform(0.52, 0.6), y, pairs, bold, reg, size,
                  right_edge=right if rng.random() < 0.4 else None)
    y = retail_customer(doc, R, inv, hotel, m, max(ya, yb) + size * 1.5, right - m, reg, bold, size)
    rows, aligns, rel, grand = retail_rows(doc, R, inv, nights if hotel else None)
    y = table(doc, m, y + size, [r * (right - m) for r in rel], rows, reg, bold, size, aligns,
              random_table_style(doc), bottom=doc.H - m - 160, wrap_col=len(aligns) - 5 if len(aligns) > 5 else 0)
    sums = []
    if not hotel and rng.random() < 0.4:
        ship = rng.choice([0.0, 4.99, 40.0])
        grand += ship
        sums.append((R["shipping_charges"], mo(ship)))
    sums.append((R["grand_total"], mo(grand)))
    if rng.random() < 0.5:
        sums += [(R["paid"], sums[-1][1]), (R["balance"], mo(0.0))]
    y = kv_block(doc, doc.W * 0.6, y + size, sums, bold, reg, size * 1.05, right_edge=right) + size
    if not hotel:
        cv.text(m, y + size, f"{R['payment_mode']}: {rng.choice(R['modes'])}", reg, size, doc.ink)
        y += size * 1.8
    if web and rng.random() < 0.6:
        y = card_badges(doc, m, y, bold, size)
    retail_footer(doc, R, inv, hotel, m, y, right, reg, size)


def web_card(doc: Doc, R: dict, m: float, size: float, reg) -> tuple[float, float]:
    """A page printed from a web shop or admin panel: a white card on a light grey page, perhaps a note above it.
    Returns the content's left margin and top."""
    rng, cv = doc.rng, doc.cv
    g = m * rng.uniform(0.25, 0.5)
    cv.rect(0, 0, doc.W, doc.H, fill=doc.grey(238, 247))
    top = g
    if rng.random() < 0.5:
        cv.rect(g, g, doc.W - g, g + size * 6, fill=(255, 255, 255))
        cv.rect(g, g, g + 3, g + size * 6, fill=doc.accent)
        cv.text(m, g + size * 2.2, R["web_note"][0], reg, size * 1.3, doc.ink)
        cv.text(m, g + size * 4.2, rng.choice(R["web_note"][1:]), reg, size * 1.05, doc.ink)
        top = g + size * 7
    cv.rect(g, top, doc.W - g, doc.H - g, fill=(255, 255, 255))
    return g + rng.uniform(14, 26), top + rng.uniform(14, 26)


def retail_meta(doc: Doc, R: dict, inv: Invoice, hotel: bool) -> tuple[list[tuple[str, str]], int]:
    """The booking (hotel) or order and invoice numbers and dates; returns them and the nights stayed (0)."""
    rng, L, d = doc.rng, doc.lang, inv.date
    if hotel:
        nights = rng.randint(1, 5)
        return [(R["booking_id"], f"{rng.choice('ABCDKX')}{rng.randint(10 ** 6, 10 ** 8)}"),
                (R["guest"], doc.fake.name()), (R["check_in"], L.date(d, 1)),
                (R["check_out"], L.date(d + dt.timedelta(days=nights), 1)), (R["rooms"], str(rng.choice([1, 1, 1, 2]))),
                (R["payment_mode"], rng.choice(R["modes"]))], nights
    order = rng.choice([f"OD{rng.randint(10 ** 16, 10 ** 18)}",
                        f"{rng.randint(100, 999)}-{rng.randint(10 ** 6, 10 ** 7 - 1)}"
                        f"-{rng.randint(10 ** 6, 10 ** 7 - 1)}",
                        f"#{rng.randint(10 ** 5, 10 ** 8)}"])
    pairs = [(R["order_id"], order), (R["order_date"], L.date(d - dt.timedelta(days=rng.randint(0, 6)), 1)),
             (R["invoice_date"], L.date(d, 1)), (L["invoice_no"], inv.number)]
    rng.shuffle(pairs)
    return pairs, 0


def retail_customer(doc: Doc, R: dict, inv: Invoice, hotel: bool, x: float, y: float, w: float, reg, bold,
                    size: float) -> float:
    """The customer as labelled fields, or billing and shipping addresses each with a phone; returns the y below."""
    rng, cv, f = doc.rng, doc.cv, doc.fake
    street, city = split_address(f.address())
    name = inv.client[0] if hotel else f.name()
    if hotel or rng.random() < 0.5:
        fields = [(R["name"], name), (R["address"], f"{street}, {city}"),
                  (R["phone"] if rng.random() < 0.6 else R["mobile"], f.phone_number()), (R["email"], f.email())]
        cv.text(x, y + size, R["customer"], bold, size * 1.05, doc.ink)
        return kv_block(doc, x, y + size * 1.5, fields[:rng.randint(2, 4)], bold, reg, size) + size
    phone = f"{R['phone']}: {f.phone_number()}"
    cols = [(R["billing"], [name, street, city, phone])]
    if rng.random() < 0.7:
        cols.append((R["shipping"], [name, street, city, phone] if rng.random() < 0.6 else (inv.ship or inv.client)))
    yc = y
    for k, (label, lines) in enumerate(cols):
        cv.text(x + k * w / 2, y + size, label, bold, size, doc.ink)
        yc = max(yc, lines_block(doc, x + k * w / 2, y + size * 1.4, lines, reg, size))
    return yc + size


def retail_rows(doc: Doc, R: dict, inv: Invoice, nights: int | None) -> tuple[list[list[str]], str, list[float], float]:
    """Room nights and extras (a hotel: `nights` given) or goods with a tax column; returns the table's rows,
    alignments, relative widths and the grand total."""
    rng, L, mo = doc.rng, doc.lang, doc.lang.money
    if nights is not None:
        rate = round(rng.uniform(40, 260), 2)
        rows = [[R["title"], R["price"], R["nights"], R["total"]],
                [R["hotel_items"][0], mo(rate), str(nights), mo(rate * nights)]]
        extras = [(it, round(rng.uniform(3, 40), 2)) for it in rng.sample(R["hotel_items"][1:], rng.randint(0, 3))]
        rows += [[it, mo(p), "1", mo(p)] for it, p in extras]
        return rows, "lrrr", [0.5, 0.17, 0.13, 0.2], rate * nights + sum(p for _, p in extras)
    vat = L.vat_rate
    rows, grand = [[R["product"], L["qty"], R["price"], f"{R['tax']} {vat}%", R["total"]]], 0.0
    for _ in inv.items:
        price = round(10 ** rng.uniform(0.5, 2.6), 2)
        qty = rng.choice([1, 1, 1, 2, 3])
        grand += price * qty * (1 + vat / 100)
        rows.append([rng.choice(R["goods"]), str(qty), mo(price, False), mo(price * qty * vat / 100, False),
                     mo(price * qty * (1 + vat / 100), False)])
    aligns, rel = "lrrrr", [0.46, 0.08, 0.15, 0.14, 0.17]
    if rng.random() < 0.4:  # an HSN / article-number column first
        rows = [[R["hsn"] if k == 0 else str(rng.randint(1000, 99999999))] + r for k, r in enumerate(rows)]
        aligns, rel = "l" + aligns, [0.12] + [r * 0.88 for r in rel]
    return rows, aligns, rel, grand


def card_badges(doc: Doc, x: float, y: float, bold, size: float) -> float:
    """Card-brand badges under a web invoice's payment line; returns the y below."""
    rng, cv = doc.rng, doc.cv
    for brand in rng.sample(["VISA", "Mastercard", "AMEX", "PayPal", "Maestro", "Apple Pay"], rng.randint(2, 4)):
        bw = cv.width(brand, bold, size * 0.8) + size * 1.2
        colour = rng.choice([(26, 31, 113), (235, 0, 27), (0, 111, 207), (0, 48, 135), (60, 60, 60)])
        cv.rect(x, y, x + bw, y + size * 2.2, fill=colour)
        cv.text(x + size * 0.6, y + size * 1.5, brand, bold, size * 0.8, (255, 255, 255))
        x += bw + size * 0.5
    return y + size * 3


def retail_footer(doc: Doc, R: dict, inv: Invoice, hotel: bool, m: float, y: float, right: float, reg,
                  size: float) -> None:
    """Small print (a hotel's without goods or returns), sometimes a signatory, a code and a page number."""
    rng, cv = doc.rng, doc.cv
    pool = R["notes"] if not hotel else [R["notes"][1]] + [t for t in R["notes"] if "{phone}" in t]
    notes = [fill(rng, t, [], {"phone": inv.co.phone, "email": inv.co.email})
             for t in rng.sample(pool, rng.randint(1, min(3, len(pool))))]
    y = lines_block(doc, m, y + size, notes, reg, size * 0.85, doc.grey(40, 110), 1.3)
    if rng.random() < 0.5:
        cv.text_right(right, y + size * 4, R["signatory"], reg, size * 0.9, doc.ink)
        if rng.random() < 0.5:
            signature(doc, right - 110, y + size, 100, 24)
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            qr_code(doc, m, doc.H - m - 60, 60)
        else:
            barcode(doc, m, doc.H - m - 30, 140, 28)
    if rng.random() < 0.4:
        page_number(doc, 1, rng.choice([1, None]), reg, 7)


def latex_invoice(doc: Doc) -> None:
    """An invoice typeset with LaTeX (a letter-class invoice or an invoice package): Computer Modern where it covers
    the language, wide margins, the sender flush right or centred over a rule, the customer like a letter's
    address, a plain title, a tabular with horizontal rules, totals, terms and bank details as plain lines."""
    rng, cv, L = doc.rng, doc.cv, doc.lang
    doc.body = doc.head = tex_family(doc, "serif" if rng.random() < 0.8 else "sans")
    reg, bold = doc.body.regular, doc.body.bold
    inv = invoice_data(doc)
    m, size = rng.uniform(75, 110), rng.uniform(9, 11)
    right = doc.W - m
    w = right - m
    sender = [inv.co.name, inv.co.street, inv.co.city, *inv.co.contact()[:rng.randint(1, 3)]]
    if rng.random() < 0.5:
        y = lines_block(doc, right, m, sender, reg, size, leading=1.22, right=True) + size * 2
    else:
        cv.text_center(doc.W / 2, m + size * 1.5, inv.co.name, bold, size * 1.5, doc.ink)
        cv.text_center(doc.W / 2, m + size * 3, " · ".join(sender[1:]), reg, size * 0.85, doc.ink)
        cv.hline(m, right, m + size * 3.8, doc.ink, 0.5)
        y = m + size * 6
    y = lines_block(doc, m, y, inv.client, reg, size, leading=1.22) + size * 2
    title = title_word(doc)
    tsize = size * rng.uniform(1.4, 2.0)
    if rng.random() < 0.5:
        cv.text_center(doc.W / 2, y + tsize, title, bold, tsize, doc.ink)
    else:
        cv.text(m, y + tsize, title, bold, tsize, doc.ink)
    y = kv_block(doc, m, y + tsize * 1.8, meta_pairs(doc, inv)[:rng.randint(2, 4)], reg, reg, size) + size
    if rng.random() < 0.3:
        intro = invoice_phrase(doc, inv, "intro")
        y = paragraph(cv, m, y, w, intro[:1].upper() + intro[1:], reg, size, doc.ink, 1.3, "justify") + size * 0.5
    style = TableStyle(grid=rng.choice(["rules", "full", "none"]), line=doc.ink, pad=rng.uniform(0.3, 0.5),
                       line_w=0.5)
    y = items_table(doc, inv, m, y, w, reg, bold, size, style=style, kind=rng.choice([0, 0, 1, 3]),
                    bottom=doc.H - m - 170)
    y = totals(doc, inv, right, y + size * 0.5, w * rng.uniform(0.35, 0.45), reg, bold, size)
    terms_block(doc, inv, m, y + size, w, reg, bold, size, doc.H - m - 20)
    if rng.random() < 0.5:
        page_number(doc, 1, None, reg, size * 0.9, doc.H - m * 0.6)


FAMILIES = (("classic", classic), ("band", band), ("din", din), ("minimal", minimal),
            ("continuation", continuation), ("timesheet", timesheet), ("form", form), ("erp", erp),
            ("statement", statement), ("premium", premium), ("retail", retail), ("latex_invoice", latex_invoice))
WEIGHTS = (1, 1, 1, 1, 1, 1, 1, 1.4, 1.3, 1.2, 1.3, 1.1)  # the last five: about 10, 10, 9, 10 and 9 % of invoices
