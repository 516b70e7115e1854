"""Pages of no known class ("other"): forms, questionnaires, receipt photos, blank pages, calendars,
certificates, menus and photo pages; and look-alikes of real pages models mistook for a known class: tax and
government forms, legal filings, press releases, fax covers, directories, card sheets, covers and flyers; and
printouts of other kinds (code listings, spreadsheets, manual pages, sheet music: `printouts.py`).

A model taught only the five classes names every page one of them, confidently. Trained with these
as a class of their own, it learns what "none of these" looks and reads like, and answers null.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import replace as dataclass_replace
from typing import Any

from docclf.synth.canvas import paragraph, wrap
from docclf.synth.fonts import Family
from docclf.synth.layouts.common import Company, company, lines_block, split_address
from docclf.synth.layouts.printouts import code_listing, manual_page, sheet_music, spreadsheet
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import barcode, logo, photo, qr_code, random_table_style, signature, table
from docclf.synth.text import fill, for_lang, pick, random_date, vocab  # random_date: Faker's dates move with today

FORM_TITLES = ["Application Form", "Registration Form", "Change of Address Form", "Membership Application",
               "Patient Registration", "Enrollment Form", "Request Form", "Claim Form", "Consent Form",
               "Antragsformular", "Anmeldeformular", "Formulaire d'inscription", "Demande de remboursement",
               "Solicitud de inscripción", "Modulo di iscrizione", "Inschrijfformulier", "Ficha de inscrição",
               "Employee Information Form", "Vehicle Registration Application", "Permit Application"]
FORM_FIELDS = ["Surname", "First name(s)", "Date of birth", "Place of birth", "Nationality", "Street",
               "House number", "Postcode", "City", "Country", "Telephone", "Mobile", "E-mail", "Occupation",
               "Employer", "Marital status", "ID number", "Passport no.", "Tax ID", "Insurance number",
               "Name der Versicherung", "Geburtsdatum", "Vorname", "Nom", "Prénom", "Adresse", "Fecha",
               "Firma del solicitante", "Signature of applicant", "Date", "Place", "Reference no.",
               "Account holder", "Emergency contact", "Relationship", "Gender", "Height", "Previous address"]
CHOICES = [["Yes", "No"], ["Male", "Female", "Other"], ["Single", "Married", "Divorced", "Widowed"],
           ["Full-time", "Part-time", "Self-employed", "Unemployed"], ["Ja", "Nein"], ["Oui", "Non"],
           ["Mr", "Mrs", "Ms", "Dr"], ["Cash", "Card", "Bank transfer"], ["New", "Renewal", "Change"]]
QUESTIONS = ["How satisfied are you with our service overall?", "How likely are you to recommend us to a friend?",
             "The staff were friendly and helpful.", "The information I received was clear.",
             "How often do you use the product?", "Which features do you use most?",
             "The waiting time was acceptable.", "I would use this service again.",
             "How did you hear about us?", "Please rate the quality of the course materials.",
             "The instructor explained the topics well.", "Do you have any further comments?",
             "How many hours per week do you exercise?", "Have you experienced any of the following symptoms?",
             "Wie zufrieden sind Sie mit unserem Angebot?", "Êtes-vous satisfait de notre service ?",
             "¿Con qué frecuencia utiliza el servicio?", "What is your age group?"]
LIKERT = [["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
          ["Very poor", "Poor", "Fair", "Good", "Excellent"], ["Never", "Rarely", "Sometimes", "Often", "Always"],
          ["1", "2", "3", "4", "5"], ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]]
SURVEY_TITLES = ["Customer Satisfaction Survey", "Course Evaluation", "Feedback Form", "Questionnaire",
                 "Health Questionnaire", "Employee Engagement Survey", "Fragebogen", "Questionnaire de satisfaction",
                 "Encuesta de satisfacción", "Patient Questionnaire", "Event Feedback"]
SHOP_ITEMS = ["MILK 1L", "BREAD", "BANANAS", "COFFEE", "EGGS 10", "BUTTER", "APPLES KG", "WATER 6X1.5",
              "CHEESE", "YOGURT", "PASTA 500G", "TOMATOES", "CHICKEN", "RICE 1KG", "ORANGE JUICE", "CROISSANT",
              "CAPPUCCINO", "SANDWICH", "PETROL 95", "BATTERIES", "SHAMPOO", "TOOTHPASTE", "CHOCOLATE", "TEA"]
CERT_TITLES = ["Certificate of Achievement", "Certificate of Completion", "Certificate of Participation",
               "Certificate of Appreciation", "Award of Excellence", "Diploma", "Urkunde", "Attestation",
               "Certificado de participación"]
MENU_SECTIONS = ["Starters", "Soups", "Salads", "Main Courses", "From the Grill", "Pasta", "Desserts",
                 "Drinks", "Wines", "Vorspeisen", "Hauptgerichte", "Entrées", "Plats", "Desserts"]
DISHES = ["Tomato soup with basil", "Caesar salad", "Grilled salmon, lemon butter", "Beef burger with fries",
          "Mushroom risotto", "Chicken curry with rice", "Spaghetti carbonara", "Vegetable lasagne",
          "Chocolate fudge cake", "Crème brûlée", "Tiramisu", "Fish and chips", "Wiener Schnitzel",
          "Margherita pizza", "Lamb chops, rosemary jus", "Apple pie with cream", "Espresso", "House red wine"]


def make_doc(rng: random.Random, long_px: int) -> Doc:
    return new_doc(rng, "portrait", long_px, colour_p=0.4, body_kinds={"sans": 3, "serif": 2, "mono": 0.5},
                   head_kinds={"sans": 3, "serif": 1})


def _field(doc: Doc, x: float, y: float, w: float, label: str, size: float, boxed: bool) -> None:
    cv, f = doc.cv, doc.body
    lw = cv.text(x, y, label + (":" if doc.rng.random() < 0.5 else ""), f.regular, size, doc.ink)
    if boxed:
        cv.rect(x, y + 3, x + w, y + size * 1.9, outline=doc.grey(80, 160), width=0.6)
    elif doc.rng.random() < 0.3:  # comb field: one box per character
        n = doc.rng.randint(6, 14)
        cell = min(14.0, (w - lw - 8) / n)
        for i in range(n):
            cv.rect(x + lw + 6 + i * cell, y - size, x + lw + 6 + (i + 1) * cell, y + 3, outline=doc.grey(60, 140),
                    width=0.5)
    else:
        cv.hline(x + lw + 6, x + w, y + 2, fill=doc.grey(80, 160), width=0.5)


def _checkboxes(doc: Doc, x: float, y: float, options: list[str], size: float, round_: bool = False) -> float:
    cv = doc.cv
    for opt in options:
        b = size * 0.8
        if round_:
            cv.ellipse(x, y - b, x + b, y, outline=doc.ink, width=0.6)
        else:
            cv.rect(x, y - b, x + b, y, outline=doc.ink, width=0.6)
        if doc.rng.random() < 0.15:
            cv.line([(x + 1, y - b / 2), (x + b / 2, y - 1), (x + b + 2, y - b - 2)], fill=(20, 20, 120), width=1.2)
        x += b + 4 + cv.text(x + b + 4, y, opt, doc.body.regular, size, doc.ink) + size * 1.5
    return x


def form(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    m = rng.uniform(36, 60)
    y = m + 20
    cv.text(m, y, rng.choice(FORM_TITLES), doc.head.bold, rng.uniform(15, 22), doc.accent if doc.colour else doc.ink)
    y += 14
    if rng.random() < 0.6:
        y = paragraph(cv, m, y + 6, cv.w - 2 * m, "Please complete in BLOCK CAPITALS and return the form to the "
                      "address below. Fields marked * are mandatory.", doc.body.italic, 8.5, doc.ink, 1.3) + 4
    size = rng.uniform(8, 10)
    boxed = rng.random() < 0.4
    cols = rng.choice([1, 2, 2])
    while y < cv.h - m - 80:
        if rng.random() < 0.2:  # section bar
            y += 12
            cv.rect(m, y - size - 3, cv.w - m, y + 4, fill=doc.tint(doc.accent, 0.75))
            cv.text(m + 4, y, f"{rng.randint(1, 9)}. " + rng.choice(["Personal details", "Contact", "Address",
                    "Declaration", "Payment details", "Angaben zur Person", "Coordonnées", "Employment"]),
                    doc.head.bold, size + 1, doc.ink)
            y += size * 2
            continue
        if rng.random() < 0.2:
            _checkboxes(doc, m, y, rng.choice(CHOICES), size, round_=rng.random() < 0.3)
            y += size * (3.2 if boxed else 2.4)
            continue
        colw = (cv.w - 2 * m - 16 * (cols - 1)) / cols
        for c in range(cols):
            _field(doc, m + c * (colw + 16), y, colw, rng.choice(FORM_FIELDS) + ("*" if rng.random() < 0.2 else ""),
                   size, boxed)
        y += size * (3.2 if boxed else 2.4)
    cv.hline(m, m + 180, cv.h - m - 30, fill=doc.ink)
    cv.text(m, cv.h - m - 18, rng.choice(["Signature", "Date / Signature", "Unterschrift", "Signature du demandeur"]),
            doc.body.regular, 8, doc.ink)
    if rng.random() < 0.5:
        cv.rect(cv.w - m - 170, cv.h - m - 70, cv.w - m, cv.h - m, outline=doc.grey(), width=0.6)
        cv.text(cv.w - m - 165, cv.h - m - 58, "For office use only", doc.body.italic, 7.5, doc.grey())


def questionnaire(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    m = rng.uniform(40, 64)
    y = m + 20
    cv.text(m, y, rng.choice(SURVEY_TITLES), doc.head.bold, rng.uniform(15, 22), doc.ink)
    y = paragraph(cv, m, y + 18, cv.w - 2 * m, "Thank you for taking the time to answer these questions. "
                  "Please tick one box per question.", doc.body.regular, 9, doc.ink, 1.3) + 8
    size = rng.uniform(8.5, 10)
    scale = rng.choice(LIKERT)
    grid = rng.random() < 0.5
    if grid:  # a Likert grid: statements down the side, the scale across the top
        x0 = m + (cv.w - 2 * m) * 0.45
        step = (cv.w - m - x0) / len(scale)
        for i, s in enumerate(scale):
            cv.text_center(x0 + step * (i + 0.5), y, s, doc.body.regular, min(size, 7.5), doc.ink)
        y += size * 1.6
    q = 1
    while y < cv.h - m - 40:
        text = f"{q}. {rng.choice(QUESTIONS)}"
        if grid:
            cv.text(m, y, text[:60], doc.body.regular, size, doc.ink)
            for i in range(len(scale)):
                cx = x0 + step * (i + 0.5)
                cv.ellipse(cx - 4, y - 8, cx + 4, y, outline=doc.ink, width=0.6)
            if rng.random() < 0.3:
                cv.hline(m, cv.w - m, y + size * 0.8, fill=doc.grey(190, 230), width=0.4)
            y += size * 2.2
        else:
            y = paragraph(cv, m, y, cv.w - 2 * m, text, doc.body.bold, size, doc.ink, 1.25) + 4
            if rng.random() < 0.3:
                for _ in range(rng.randint(1, 3)):
                    cv.hline(m + 12, cv.w - m, y + size, fill=doc.grey(120, 190), width=0.5)
                    y += size * 1.8
            else:
                _checkboxes(doc, m + 12, y + size, rng.choice([scale, *CHOICES]), size - 0.5, round_=rng.random() < 0.5)
                y += size * 2.6
        q += 1


def receipt_photo(doc: Doc) -> None:
    """A till receipt photographed on a table: a narrow paper strip on a darker background."""
    cv, rng = doc.cv, doc.rng
    bg = doc.np.integers(40, 170, 3)
    cv.rect(0, 0, cv.w, cv.h, fill=tuple(int(v) for v in bg))
    if rng.random() < 0.5:
        photo(doc, 0, 0, cv.w, cv.h * rng.uniform(0.1, 0.3))
    pw = cv.w * rng.uniform(0.38, 0.6)
    x0 = (cv.w - pw) / 2 + rng.uniform(-30, 30)
    y0, y1 = cv.h * rng.uniform(0.02, 0.12), cv.h * rng.uniform(0.75, 0.98)
    cv.rect(x0, y0, x0 + pw, y1, fill=(246, 244, 238))
    mono = next((f for f in doc.fams if f.kind == "mono"), doc.body)
    size = pw / 34
    cx = x0 + pw / 2
    y = y0 + size * 3
    cv.text_center(cx, y, doc.fake.company().upper()[:26], mono.bold, size * 1.3, (30, 30, 30))
    for line in [doc.fake.street_address()[:30], doc.fake.city()[:30], f"TEL {doc.fake.phone_number()}"[:30]]:
        y += size * 1.5
        cv.text_center(cx, y, line, mono.regular, size, (40, 40, 40))
    y += size * 2
    cv.text(x0 + size, y, f"{random_date(rng):%d.%m.%Y}  {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}",
            mono.regular, size, (40, 40, 40))
    total = 0.0
    for _ in range(rng.randint(2, 14)):
        if y > y1 - size * 12:
            break
        y += size * 1.5
        price = round(rng.uniform(0.5, 25), 2)
        total += price
        cv.text(x0 + size, y, rng.choice(SHOP_ITEMS), mono.regular, size, (40, 40, 40))
        cv.text_right(x0 + pw - size, y, f"{price:.2f}", mono.regular, size, (40, 40, 40))
    y += size * 2
    for label, value in (("TOTAL", total), (rng.choice(["CASH", "CARD", "VISA"]), total + rng.choice([0, 5, 10])),
                         ("CHANGE", rng.choice([0.0, 1.2, 3.5]))):
        cv.text(x0 + size, y, label, mono.bold, size * 1.1, (30, 30, 30))
        cv.text_right(x0 + pw - size, y, f"{value:.2f}", mono.bold, size * 1.1, (30, 30, 30))
        y += size * 1.6
    y += size
    cv.text_center(cx, y, rng.choice(["THANK YOU", "THANK YOU FOR SHOPPING", "DANKE", "MERCI", "GRACIAS"]),
                   mono.regular, size, (40, 40, 40))
    if y + size * 5 < y1:
        barcode(doc, cx - pw * 0.3, y + size * 1.5, pw * 0.6, size * 3)


def blank(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    r = rng.random()
    if r < 0.3:
        return
    if r < 0.55:
        cv.text_center(cv.w / 2, cv.h / 2, rng.choice(["This page intentionally left blank",
                       "Diese Seite bleibt absichtlich leer", "Page laissée blanche intentionnellement",
                       "Intentionally blank", "Notes"]), doc.body.italic, rng.uniform(9, 12), doc.grey(90, 160))
    elif r < 0.75:
        cv.text_center(cv.w / 2, cv.h - 36, str(rng.randint(2, 300)), doc.body.regular, 9, doc.ink)
    elif r < 0.9:  # a ruled notes page
        for y in range(int(rng.uniform(80, 140)), int(cv.h - 50), rng.randint(18, 26)):
            cv.hline(50, cv.w - 50, y, fill=doc.grey(170, 220), width=0.4)
    else:
        cv.hline(50, cv.w - 50, 60, fill=doc.grey(), width=0.5)


def month_calendar(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    year, month = rng.randint(2015, 2030), rng.randint(1, 12)
    m = rng.uniform(30, 50)
    cv.text(m, m + 30, f"{calendar.month_name[month]} {year}", doc.head.bold, rng.uniform(22, 34), doc.accent)
    top = m + 60
    if rng.random() < 0.4:
        photo(doc, m, top, cv.w - 2 * m, cv.h * 0.3)
        top += cv.h * 0.3 + 10
    cw, weeks = (cv.w - 2 * m) / 7, calendar.monthcalendar(year, month)
    ch = (cv.h - m - top - 20) / len(weeks)
    for i, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]):
        cv.text_center(m + cw * (i + 0.5), top + 12, name, doc.body.bold, 9, doc.ink)
    for r, week in enumerate(weeks):
        for c, day in enumerate(week):
            x, y = m + c * cw, top + 20 + r * ch
            cv.rect(x, y, x + cw, y + ch, outline=doc.grey(120, 200), width=0.5)
            if day:
                cv.text(x + 4, y + 12, str(day), doc.body.regular, 9, doc.ink)


def certificate(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    for k, inset in enumerate((18, 26)):
        cv.rect(inset, inset, cv.w - inset, cv.h - inset, outline=doc.accent, width=2.5 - k * 1.5)
    cx = cv.w / 2
    y = cv.h * rng.uniform(0.22, 0.3)
    cv.text_center(cx, y, rng.choice(CERT_TITLES), doc.head.bold, rng.uniform(24, 34), doc.accent)
    y += 50
    cv.text_center(cx, y, rng.choice(["This is to certify that", "is hereby awarded to", "presented to"]),
                   doc.body.italic, 12, doc.ink)
    script = next((f for f in doc.fams if f.kind == "script"), doc.head)
    y += 50
    cv.text_center(cx, y, doc.fake.name(), script.regular, rng.uniform(24, 32), doc.ink)
    y += 40
    cv.text_center(cx, y, rng.choice(["for successfully completing the course", "in recognition of outstanding "
                   "performance", "for participation in the workshop"]), doc.body.regular, 11, doc.ink)
    for sx in (cv.w * 0.25, cv.w * 0.75):
        signature(doc, sx - 50, cv.h * 0.78 - 30, 100, 28)
        cv.hline(sx - 70, sx + 70, cv.h * 0.78, fill=doc.ink)
        cv.text_center(sx, cv.h * 0.78 + 14, rng.choice(["Director", "Date", "Instructor", "President"]),
                       doc.body.regular, 9, doc.ink)
    if rng.random() < 0.5:
        qr_code(doc, cv.w - 90, cv.h - 90, 50)


def menu(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    cx, m = cv.w / 2, rng.uniform(50, 80)
    y = m + 30
    cv.text_center(cx, y, doc.fake.last_name() + rng.choice([" Bistro", " Trattoria", "'s Kitchen", " Café"]),
                   doc.head.bold, rng.uniform(22, 32), doc.accent)
    y += 40
    while y < cv.h - m - 60:
        cv.text_center(cx, y, rng.choice(MENU_SECTIONS).upper(), doc.head.bold, 12, doc.ink)
        y += 22
        for _ in range(rng.randint(2, 5)):
            cv.text(m, y, rng.choice(DISHES), doc.body.regular, 10, doc.ink)
            cv.text_right(cv.w - m, y, f"{rng.randint(4, 32)}.{rng.choice(['00', '50', '90'])}", doc.body.regular, 10,
                          doc.ink)
            y += 18
        y += 14


def photo_page(doc: Doc) -> None:
    cv, rng = doc.cv, doc.rng
    if rng.random() < 0.5:
        photo(doc, 0, 0, cv.w, cv.h)
        return
    m = rng.uniform(30, 60)
    photo(doc, m, m, cv.w - 2 * m, cv.h * rng.uniform(0.4, 0.7))
    if rng.random() < 0.6:
        cv.text(m, cv.h * 0.75, doc.fake.sentence(nb_words=rng.randint(3, 8)), doc.body.italic, 10, doc.ink)


# --------------------------------------------------------------------------- look-alikes of real pages
# Real out-of-class pages the model read as a known class: dense tax forms and legal filings (read as papers),
# press releases and fax covers (read as letters), directories, card sheets, covers and flyers.

US_STATES = ["CALIFORNIA", "TEXAS", "FLORIDA", "NEW YORK", "OHIO", "ILLINOIS", "GEORGIA", "MICHIGAN", "OREGON",
             "VIRGINIA", "ARIZONA", "COLORADO", "MASSACHUSETTS", "WASHINGTON", "NEVADA", "KENTUCKY"]


def _words(doc: Doc, key: str) -> dict[str, Any]:
    """The page language's table of one section of the 'other' vocabulary (English when it has none)."""
    return for_lang(vocab("other")[key], doc.lang.lang)


def _fill(doc: Doc, template: str, **extra: Any) -> str:
    """Expand a vocabulary template with the slots every look-alike may use, plus `extra`."""
    rng, f = doc.rng, doc.fake
    slots = {"company": f.company, "company2": f.company, "name": f.name, "name2": f.name, "city": f.city,
             "court_city": lambda: f.city().upper(), "county": lambda: f.last_name().upper(),
             "state": lambda: rng.choice(US_STATES), "direction": lambda: rng.choice(["NORTHERN", "SOUTHERN",
             "EASTERN", "WESTERN", "CENTRAL"]), "ordinal": lambda: rng.choice(["FIRST", "SECOND", "FOURTH",
             "ELEVENTH", "SEVENTEENTH", "TWENTIETH"]), "year": lambda: rng.randint(1995, 2024),
             "year2": lambda: rng.randint(2025, 2032), "small": lambda: rng.randint(2, 9),
             "small2": lambda: rng.randint(0, 9), "pct": lambda: rng.randint(5, 60),
             "number": lambda: rng.choice([rng.randint(20, 400), rng.randint(500, 9000)]),
             "amount": lambda: f"{rng.randint(120, 4800):,}", "date": lambda: doc.lang.date(random_date(rng)),
             "date2": lambda: doc.lang.date(random_date(rng)), "product": lambda: rng.choice(vocab("other")["products"]),
             "address": lambda: " ".join(split_address(f.address())), "letter": lambda: rng.choice("ABCD"),
             "web": lambda: f"www.{f.last_name().lower()}.com", "form": lambda: rng.choice(["1040", "941", "W4"])}
    slots.update(extra)
    return fill(rng, template, [], {k: (lambda r, v=v: v() if callable(v) else v) for k, v in slots.items()})


def _kind_family(doc: Doc, kind: str) -> Family:
    """A family of `kind` that covers the page's language, else the body family."""
    fams = [f for f in doc.fams if f.kind == kind and f.regular.covers(doc.chars)]
    return doc.rng.choice(fams) if fams else doc.body


def _dot_leader(doc: Doc, x0: float, x1: float, y: float) -> None:
    """Dot leaders drawn as marks, not text: OCR rarely reads them as words."""
    x = x0 + 3
    while x < x1 - 3:
        doc.cv.rect(x, y - 0.6, x + 0.7, y + 0.1, fill=doc.ink)
        x += 4


def _box(doc: Doc, x: float, y: float, w: float, h: float, line: tuple[int, int, int] | None = None) -> None:
    doc.cv.rect(x, y, x + w, y + h, outline=line or doc.ink, width=0.5)


def tax_form(doc: Doc) -> None:
    """A tax return or a government application: dense small print, ruled cells, numbered lines, amount columns."""
    if doc.rng.random() < 0.3:
        _agency_form(doc)
        return
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "tax")
    sans = _kind_family(doc, "sans")
    reg, bold = sans.regular, sans.bold
    ink = doc.ink
    m = rng.uniform(24, 38)
    x0, x1 = m, cv.w - m
    form_no, year = rng.choice(t["forms"]), rng.randint(2008, 2024)
    tint = doc.tint(doc.accent, rng.uniform(0.8, 0.9)) if doc.colour and rng.random() < 0.7 else None
    if tint:  # the coloured background of printed IRS-style forms, white cells left in it
        cv.rect(x0, m, x1, cv.h - m - 14, fill=tint)
    # header: form number, agency and title, year and OMB number
    y = m
    hh = rng.uniform(30, 38)
    cv.text(x0 + 2, y + 9, "Form" if doc.lang.lang == "en" else "", reg, 6, ink)
    nw = cv.text(x0 + 2, y + hh - 7, form_no, bold, rng.uniform(17, 24), ink)
    xa = x0 + max(nw, 40) + 8
    cv.vline(xa - 4, y, y + hh, ink, 0.6)
    cv.text(xa, y + 9, rng.choice(t["agency"]), reg, 6, ink)
    title_size = rng.uniform(9.5, 12)
    cv.text(xa, y + hh - 9, rng.choice(t["titles"]), bold, title_size, ink)
    yx = x1 - rng.uniform(110, 150)
    cv.vline(yx, y, y + hh, ink, 0.6)
    cv.text(yx + 4, y + hh * 0.6, str(year), bold, rng.uniform(13, 18), ink)
    lines_block(doc, yx + 52, y + 2, [rng.choice(t["omb"]), *wrap(cv, rng.choice(t["use_only"]), reg, 5.5, x1 - yx - 56)[:3]],
                reg, 5.5, ink, 1.25)
    y += hh
    cv.hline(x0, x1, y, ink, rng.uniform(1.2, 2))
    y += 8
    cv.text(x0 + 2, y, _fill(doc, t["year_label"], year=year), reg, 6, ink)
    cv.hline(yx - 120, yx - 20, y + 1, ink, 0.4)
    y += 3
    cv.hline(x0, x1, y, ink, 0.5)
    filled = rng.random() < 0.35
    hand = (20, 30, 110) if doc.colour else ink
    mono = _kind_family(doc, "mono")
    # name and address grid: cells with a tiny label at their top left
    fields = list(t["name_fields"])
    rng.shuffle(fields)
    for _ in range(rng.randint(3, 5)):
        rh = rng.uniform(17, 22)
        cuts = sorted(rng.sample([0.35, 0.5, 0.62, 0.75, 0.82], rng.randint(1, 3)))
        edges = [x0] + [x0 + (x1 - x0) * c for c in cuts] + [x1]
        for a, b in zip(edges, edges[1:]):
            if not fields:
                fields = list(t["name_fields"])
            label = fields.pop()
            if tint:
                cv.rect(a + 0.5, y + 0.5, b - 0.5, y + rh - 0.5, fill=(255, 255, 255))
            cv.text(a + 2, y + 6.5, label[:int((b - a) / 2.6)], reg, 5.8, ink)
            if filled and rng.random() < 0.7:
                cv.text(a + 4, y + rh - 3, doc.fake.last_name().upper() if rng.random() < 0.6 else
                        str(rng.randint(10 ** 5, 10 ** 9)), mono.regular, 8, hand)
            if a > x0:
                cv.vline(a, y, y + rh, ink, 0.4)
        y += rh
        cv.hline(x0, x1, y, ink, 0.4)
    # the numbered lines, section by section
    lw = rng.uniform(62, 86)  # left column: section names and notes
    num_w, amt_w = rng.uniform(14, 18), rng.uniform(62, 88)
    ax = x1 - amt_w
    nx = ax - num_w
    lh = rng.uniform(9.2, 11)
    size = rng.uniform(6.2, 7.2)
    n, sec = 1, 0
    sections = t["sections"]
    lines = list(t["lines"])
    bottom = cv.h - m - 30
    while y < bottom - 40:
        cv.hline(x0, x1, y, ink, 1)
        name = sections[sec % len(sections)] if rng.random() < 0.7 else rng.choice(sections)
        sec += 1
        k = rng.randint(2, 9)
        top = y
        cv.text(x0 + 2, y + 10, name, bold, rng.uniform(8, 10), ink)
        if rng.random() < 0.6:
            lines_block(doc, x0 + 2, y + 12, wrap(cv, rng.choice(t["notes"]), reg, 5.8, lw - 6)[:4], reg, 5.8, ink, 1.2)
        if rng.random() < 0.25:  # a block of check boxes (filing status and the like)
            opts = pick(rng, t["status"], rng.randint(3, 5))
            for j, opt in enumerate(opts):  # two columns of boxes
                base = y + lh * (j // 2 + 1) - 2
                cx = x0 + lw + (j % 2) * (nx - x0 - lw) / 2
                cv.text(cx, base, str(n), bold, size, ink)
                cv.rect(cx + 10, base - 6, cx + 16, base, outline=ink, width=0.5)
                cv.text(cx + 19, base, opt, reg, size, ink)
                n += 1
            y += lh * ((len(opts) + 1) // 2) + 3
        for j in range(k):
            if y + lh > bottom:
                break
            base = y + lh - 2.5
            sub = j > 0 and rng.random() < 0.3
            label = str(n - 1) + rng.choice("bc") if sub else str(n) + (rng.choice(["", "", "a"]))
            if not sub:
                n += 1
            if not lines:
                lines = list(t["lines"])
            text = lines.pop(rng.randrange(len(lines)))
            cv.text(x0 + lw, base, label, bold, size, ink)
            tw = cv.text(x0 + lw + 14, base, text[:int((nx - x0 - lw - 30) / (size * 0.48))], reg, size, ink)
            if rng.random() < 0.2 and x0 + lw + 14 + tw + 130 < nx:  # an inner amount box mid-line
                bx = nx - rng.uniform(70, 110)
                cv.text(bx - 12, base, label, bold, size, ink)
                cv.rect(bx, y + 1, bx + 60, y + lh, fill=(255, 255, 255) if tint else None, outline=ink, width=0.4)
                _dot_leader(doc, x0 + lw + 14 + tw, bx - 14, base)
            else:
                _dot_leader(doc, x0 + lw + 14 + tw, nx, base)
            shaded = rng.random() < 0.08
            cv.rect(nx, y, nx + num_w, y + lh, fill=doc.grey(170, 200) if shaded else (255, 255, 255) if tint else None,
                    outline=ink, width=0.4)
            if not shaded:
                cv.text_center(nx + num_w / 2, base, label, bold, size, ink)
            cv.rect(ax, y, x1, y + lh, fill=(255, 255, 255) if tint else None, outline=ink, width=0.4)
            cv.vline(x1 - 14, y, y + lh, ink, 0.3)  # the cents column
            if filled and rng.random() < 0.5:
                cv.text_right(x1 - 16, base, f"{rng.randint(0, 98000):,}", mono.regular, 7.5, hand)
                cv.text(x1 - 12, base, "00", mono.regular, 7.5, hand)
            y += lh
        cv.vline(x0 + lw - 4, top, y, ink, 0.3)
        y += 2
    cv.hline(x0, x1, y, ink, 1)
    if y < bottom - 10:  # what is left: the perjury statement and signature lines
        y = paragraph(cv, x0 + lw, y + 1, x1 - x0 - lw, t["perjury"], reg, 5.8, ink, 1.2, bottom=bottom)
        sig = t["sign"]
        cols = [x0 + lw, x0 + lw + (x1 - x0 - lw) * 0.45, x0 + lw + (x1 - x0 - lw) * 0.62]
        while y + 18 < bottom:
            for c, cx in enumerate(cols):
                cv.text(cx + 2, y + 6, rng.choice(sig), reg, 5.8, ink)
                if c:
                    cv.vline(cx, y, y + 18, ink, 0.4)
            y += 18
            cv.hline(x0 + lw, x1, y, ink, 0.4)
    # footer
    fy = cv.h - m - 4
    cv.text(x0, fy, _fill(doc, rng.choice(t["footer"]), form=form_no), bold, 6, ink)
    cv.text_right(x1, fy, f"{_fill(doc, t['cat'], number=str(rng.randint(10000, 99999)) + rng.choice('ABCDX'))}"
                  f"   {form_no} ({year})", reg, 6, ink)


def _agency_form(doc: Doc) -> None:
    """A government application printed from a fillable PDF: numbered boxed sections of empty input fields."""
    cv, rng = doc.cv, doc.rng
    t = vocab("other")["agency_form"]["en"]
    sans = _kind_family(doc, "sans")
    reg, bold, ink = sans.regular, sans.bold, doc.ink
    m = rng.uniform(30, 50)
    x0, x1 = m, cv.w - m
    cv.text_right(x1, m - 8, f"OMB Number: {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}", reg, 5.5, ink)
    if rng.random() < 0.4:
        cv.text_right(x1, m - 1, f"Expiration Date: {random_date(rng):%m/%d/%Y}", reg, 5.5, ink)
    y = m + 4
    top = y
    cv.text(x0 + 4, y + 10, rng.choice(t["titles"]), bold, rng.uniform(7, 9), ink)
    y += 15
    cv.hline(x0, x1, y, ink, 1)
    fields = list(t["fields"])
    rng.shuffle(fields)
    n = rng.randint(1, 12)
    field_line = (130, 130, 130)
    while y < cv.h - m - 90 and fields:
        y += 3
        for _ in range(rng.choice([1, 1, 2, 3])):
            label = ("* " if rng.random() < 0.3 else "") + f"{n}. " + fields.pop()
            cv.text(x0 + 4, y + 8, label, bold, 6.2, ink)
            y += 11
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                h = rng.choice([9, 9, 9, 26, 32])
                w = (x1 - x0) * rng.uniform(0.3, 0.9)
                if rng.random() < 0.15:  # a comb field for a coded number
                    for c in range(rng.randint(5, 9)):
                        _box(doc, x0 + 6 + c * 9, y, 9, 9, field_line)
                else:
                    _box(doc, x0 + 6, y, w, h, field_line)
                    if rng.random() < 0.2:
                        cv.text(x0 + 9, y + 7, doc.fake.company()[:50], reg, 6.5, ink)
                y += h + 4
                if rng.random() < 0.35 and fields:
                    cv.text(x0 + 6, y + 7, fields.pop()[:40] + ":", reg, 5.8, ink)
                    y += 9
            if not fields or y > cv.h - m - 90:
                break
        n += 1
        y += 3
        cv.hline(x0, x1, y, ink, 1)
    y += 3
    cv.text(x0 + 4, y + 8, rng.choice(t["notes"]), reg, 6, ink)
    y += 12
    bx = x0 + 4
    for label in rng.sample(t["buttons"], 3):
        w = cv.width(label, reg, 6) + 10
        cv.rect(bx, y, bx + w, y + 10, fill=(212, 208, 200), outline=(110, 110, 110), width=0.5)
        cv.text(bx + 5, y + 7.5, label, reg, 6, (20, 20, 20))
        bx += w + 2
    y += 14
    cv.rect(x0, top, x1, y, outline=ink, width=1)
    if rng.random() < 0.6:  # the agency seal
        s = rng.uniform(22, 34)
        cv.ellipse(x0, y + 12, x0 + s, y + 12 + s, outline=ink, width=0.6)
        cv.ellipse(x0 + 3, y + 15, x0 + s - 3, y + 9 + s, outline=ink, width=0.4)


def legal_filing(doc: Doc) -> None:
    """An affidavit or court filing (caption, numbered paragraphs, oath, notary block) or a fill-in legal form."""
    if doc.rng.random() < 0.3:
        _legal_form(doc)
        return
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "legal")
    en = doc.lang.lang == "en" or t is vocab("other")["legal"]["en"]
    serif = _kind_family(doc, "serif") if rng.random() < 0.8 else doc.body
    reg, bold, ink = serif.regular, serif.bold, doc.ink
    size = rng.uniform(10, 12)
    m = rng.uniform(54, 72)
    x0, x1 = m, cv.w - m
    pleading = en and rng.random() < 0.35
    lead = rng.choice([1.5, 1.8, 2.0]) if pleading else rng.uniform(1.25, 1.6)
    y = rng.uniform(40, 60)
    if pleading:  # pleading paper: numbered lines down the left margin, ruled margins
        step = size * lead
        for i in range(1, 29):
            yy = y + 60 + i * step
            if yy > cv.h - 50:
                break
            cv.text_right(x0 - 12, yy, str(i), reg, 8, doc.grey(60, 120))
        cv.vline(x0 - 6, 0, cv.h, ink, 0.5)
        cv.vline(x0 - 4, 0, cv.h, ink, 0.5)
        cv.vline(x1 + 6, 0, cv.h, ink, 0.5)
    if en and rng.random() < 0.3:  # the filing attorney's block
        co = company(doc)
        y = lines_block(doc, x0, y, [doc.fake.name() + f", Bar No. {rng.randint(10000, 399999)}", co.name,
                                     co.street, co.city, f"Telephone: {co.phone}",
                                     _fill(doc, "Attorney for {p}", p=rng.choice(t["parties"]))], reg, 9, ink, 1.2) + 14
    elif en and rng.random() < 0.3:
        cv.text_center(cv.w / 2, y + 10, _fill(doc, rng.choice(["Commonwealth of {state}", "State of {state}"])).title(),
                       reg, 10, ink)
        y += 18
    for line in _fill(doc, rng.choice(t["courts"])).split("\n"):
        y += size * 1.35
        cv.text_center(cv.w / 2, y, line, bold, size, ink)
    y += size * 1.8
    title = _fill(doc, rng.choice(t["titles"]), name_upper=doc.fake.name().upper())
    parties = rng.sample(t["parties"][:4], 2) if rng.random() < 0.5 else t["parties"][:2]
    if rng.random() < 0.65:  # the caption: parties left of a ')' column, case number and title right
        mid = x0 + (x1 - x0) * 0.5
        rows = [doc.fake.name().upper() + ",", "", f"{parties[0]},", "", "v." if en else "gegen" if doc.lang.lang == "de"
                else "contre", "", doc.fake.name().upper() + ",", "", f"{parties[1]}."]
        for i, text in enumerate(rows):
            base = y + size * 1.2 * (i + 1)
            cv.text(x0 + (size * 3 if i in (2, 8) else 0), base, text, reg, size, ink)  # party roles indented
            cv.text(mid, base, ")", reg, size, ink)
        right = [f"Case No.: {rng.randint(1, 9)}:{rng.randint(10, 24)}-{rng.choice(['cv', 'cr', 'fl', 'pr'])}-"
                 f"{rng.randint(10000, 99999)}" if en else f"Az.: {rng.randint(1, 99)} C {rng.randint(100, 9999)}/{rng.randint(10, 24)}"]
        right += wrap(cv, title, bold, size, x1 - mid - 20)
        if en and rng.random() < 0.5:
            right += ["", f"Judge: Hon. {doc.fake.last_name()}", f"Dept.: {rng.randint(1, 40)}"]
        for i, text in enumerate(right):
            cv.text(mid + 16, y + size * 1.2 * (i + 2), text, bold if 0 < i <= 2 else reg, size, ink)
        y += size * 1.2 * 10
        cv.hline(x0, mid, y - size * 0.6, ink, 0.5)
        y += size
    else:
        cv.text_center(cv.w / 2, y + size * 1.4, title, bold, size * rng.uniform(1.2, 1.6), ink)
        y += size * 3
        if rng.random() < 0.5:  # court and case number as blanks to fill
            cv.hline(x0, x0 + (x1 - x0) * 0.35, y + 10, ink, 0.5)
            cv.hline(x0 + (x1 - x0) * 0.42, x1, y + 10, ink, 0.5)
            cv.text_center(x0 + (x1 - x0) * 0.17, y + 20, "Court" if en else t["sig"][0], reg, size * 0.85, ink)
            cv.text_center(x0 + (x1 - x0) * 0.71, y + 20, "Case Name and Number" if en else "Az.", reg, size * 0.85, ink)
            y += 30
    if en and rng.random() < 0.5:  # venue
        st, co_ = _fill(doc, "{state}"), _fill(doc, "{county}")
        for i, text in enumerate([f"STATE OF {st}", "", f"COUNTY OF {co_}"]):
            cv.text(x0, y + size * 1.2 * (i + 1), text, reg, size, ink)
            cv.text(x0 + 170, y + size * 1.2 * (i + 1), ")" + (" ss." if i == 1 else ""), reg, size, ink)
        y += size * 4.5
    bottom = cv.h - rng.uniform(180, 230)
    y = paragraph(cv, x0, y, x1 - x0, _fill(doc, rng.choice(t["oath"])), reg, size, ink, lead, bottom=bottom) + size * 0.5
    if rng.random() < 0.25:  # options to tick instead of numbered paragraphs (fee waivers, service)
        for j, opt in enumerate(rng.sample(t["checks"], min(len(t["checks"]), rng.randint(3, 5)))):
            if y > bottom:
                break
            cv.rect(x0 + 4, y + size * 0.3, x0 + 4 + size * 0.8, y + size * 1.1, outline=ink, width=0.6)
            y = paragraph(cv, x0 + size * 2, y, x1 - x0 - size * 2, f"({'ABCDE'[j]}) " + _fill(doc, opt), reg, size,
                          ink, lead, bottom=bottom) + size * 0.4
    paras = rng.sample(t["paras"], len(t["paras"]))
    k = 1
    while y < bottom - size * 3 and paras:
        text = _fill(doc, paras.pop(), party=parties[0], party2=parties[1], filing=rng.choice(t["docs"]))
        y = paragraph(cv, x0, y, x1 - x0, f"{k}.\u2003{text}", reg, size, ink, lead, bottom=bottom,
                      indent=size * 2.5) + size * 0.4
        k += 1
    y = max(y, bottom - size * 2) + size * 0.5
    y = paragraph(cv, x0, y, x1 - x0, rng.choice(t["closing"]), bold if rng.random() < 0.5 else reg, size, ink, 1.3)
    # signature of the affiant, then the notary's jurat
    sx = x0 + (x1 - x0) * 0.55
    if rng.random() < 0.5:
        signature(doc, sx + 10, y + 4, 120, 26)
    y += 32
    cv.hline(sx, x1, y, ink, 0.6)
    cv.text(sx, y + size, rng.choice(t["sig"][:3]), reg, size * 0.85, ink)
    y += size * 2
    cv.text(x0, y + size, rng.choice(t["sig"][3:]) if len(t["sig"]) > 3 else t["sig"][0], reg, size * 0.85, ink)
    y = paragraph(cv, x0, y + size * 1.6, (x1 - x0) * 0.6, _fill(doc, rng.choice(t["notary"])), reg, size * 0.9,
                  ink, 1.3)
    y += 24
    cv.hline(x0, x0 + 180, y, ink, 0.6)
    notary = [_fill(doc, s) for s in t["notary_sig"]]
    lines_block(doc, x0, y + 2, notary[:2], reg, size * 0.85, ink, 1.3)
    if rng.random() < 0.6:  # the notary's seal
        r = rng.uniform(28, 38)
        cx, cy = x1 - r - 10, y - 10
        cv.ellipse(cx - r, cy - r, cx + r, cy + r, outline=doc.grey(60, 130), width=1.2)
        cv.ellipse(cx - r + 5, cy - r + 5, cx + r - 5, cy + r - 5, outline=doc.grey(60, 130), width=0.5)
        cv.text_center(cx, cy + 3, notary[-1].strip("()").upper()[:14], bold, 6.5, doc.grey(40, 110))
    if pleading or rng.random() < 0.3:
        cv.hline(x0, x1, cv.h - 36, ink, 0.5)
        cv.text_center(cv.w / 2, cv.h - 26, title[:70], reg, 7.5, ink)
        cv.text_center(cv.w / 2, cv.h - 16, f"{doc.lang['page']} 1 {doc.lang['of']} {rng.randint(2, 6)}", reg, 7.5, ink)


def _legal_form(doc: Doc) -> None:
    """A short fill-in legal form (transfer of ownership, bill of sale, power of attorney): blanks and signatures."""
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "legal")
    fam = doc.body if rng.random() < 0.5 else _kind_family(doc, "serif")
    reg, bold, ink = fam.regular, fam.bold, doc.ink
    m = rng.uniform(54, 80)
    x0, x1 = m, cv.w - m
    y = rng.uniform(36, 60)
    if rng.random() < 0.5:
        co = company(doc)
        logo(doc, x0 - 10, y, rng.uniform(20, 30), co.name.split()[0].strip(",").lower(), doc.head.bold,
             colour=doc.grey(60, 110) if rng.random() < 0.5 else None)
        y += 40
    size = rng.uniform(8.5, 11)
    cv.text_center(cv.w / 2, y + 16, rng.choice(t["deeds"]), bold, size * rng.uniform(1.3, 1.7), ink)
    y += 34
    for line in rng.sample(t["deed_lines"], rng.randint(2, min(6, len(t["deed_lines"])))):
        y = paragraph(cv, x0, y, x1 - x0, _fill(doc, line), reg, size, ink, rng.uniform(1.6, 2.0)) + size * 0.8
    y += size * rng.uniform(2, 6)
    roles = rng.sample(t["witness"], 2)
    for r, role in enumerate(roles if rng.random() < 0.6 else roles[:1]):
        if y > cv.h - 80:
            break
        cv.text(x0, y, role + ("," if rng.random() < 0.5 else ":"), reg, size, ink)
        y += size * 4
        cv.hline(x0, x0 + 200, y, ink, 0.5)
        cv.text(x0, y + size * 1.3, f"{t['sig'][0]}", reg, size * 0.85, ink)
        if rng.random() < 0.5:
            cv.hline(x0 + 250, x1, y, ink, 0.5)
            cv.text(x0 + 250, y + size * 1.3, t["sig"][-1] if len(t["sig"]) > 1 else "", reg, size * 0.85, ink)
        y += size * 3.5


# Office suites ship a template for every kind of page, and people send them unfilled: merge fields and
# "type here" instructions are no sign of a letter (letter/template_stub has them too).
TEMPLATE_P = 0.3
PLACEHOLDER_STYLES = ("<{}>", "«{}»", "[{}]", "{{{{{}}}}}")
PLACEHOLDER_NAMES = {"name": ("FirstName LastName", "Name", "Your Name", "Contact Name"), "company": ("Company",
                     "Company Name", "COMPANY NAME", "Organization"), "street": ("Street", "Street Address",
                     "Address Line 1", "Address"), "city": ("City, ST ZIP", "ZIP City", "Address Line 2", "City"),
                     "phone": ("Phone", "Phone Number", "Telephone"), "fax": ("Fax", "Fax Number"),
                     "email": ("Email", "E-mail Address"), "web": ("Website", "Web Address", "URL"),
                     "date": ("Date", "Click to select date"), "subject": ("Subject", "Re", "Title"),
                     "headline": ("Headline", "Title of your release", "Main Headline"),
                     "pages": ("Pages", "#")}
INSTRUCTIONS = ("Replace this text with your own.", "Click here to enter text.", "Insert your text here.",
                "Delete this paragraph and write your announcement.", "Add a short summary of the news here.",
                "Describe who, what, when, where and why in the first paragraph.",
                "Use this space for a quote from a spokesperson.", "Enter the body of the document here.")


def placeholder(doc: Doc, key: str, style: int) -> str:
    """A merge field or placeholder for `key` in one of the styles office suites use."""
    name = doc.rng.choice(PLACEHOLDER_NAMES[key])
    if style == 1:  # guillemets join words
        name = name.replace(" ", "")
    return PLACEHOLDER_STYLES[style].format(name)


def template_company(doc: Doc, co: Company, style: int) -> Company:
    """The company block of an unfilled template: every detail a placeholder."""
    fields = {"name": "company", "street": "street", "city": "city", "phone": "phone", "email": "email", "web": "web",
              "fax": "fax"}
    return dataclass_replace(co, **{f: placeholder(doc, key, style) for f, key in fields.items()})


def press_release(doc: Doc) -> None:
    """A press release: logo, release line, headline, dateline, quotes, 'About <Company>', ###, media contact."""
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "press")
    co = company(doc)
    template = rng.random() < TEMPLATE_P
    style = rng.randrange(len(PLACEHOLDER_STYLES))
    if template:
        co = template_company(doc, co, style)
    reg, bold, ink = doc.body.regular, doc.body.bold, doc.ink
    m = rng.uniform(50, 72)
    x0, x1 = m, cv.w - m
    y = rng.uniform(36, 56)
    extra = {"company": co.name, "web": co.web, "role": lambda: rng.choice(t["roles"]),
             "quarter": lambda: rng.choice(t["quarter"]), "field": lambda: rng.choice(t["fields"])}
    if rng.random() < 0.2:  # the office-suite template: a boxed company block
        cv.rect(x0, y, x1, y + 70, outline=ink, width=0.8)
        cv.text_center(cv.w / 2, y + 20, co.name.upper(), doc.head.regular, 16, ink)
        lines_block(doc, cv.w / 2 - 50, y + 24, [co.street, co.city, co.phone], reg, 8, ink, 1.2)
        y += 84
    else:
        right = rng.random() < 0.3
        logo(doc, x1 if right else x0, y, rng.uniform(20, 34), co.name, doc.head.bold, right=right)
        y += 50
    release = _fill(doc, rng.choice(t["release"]))
    if rng.random() < 0.5:
        cv.text(x0, y, release, bold, rng.uniform(9, 12), doc.accent if doc.colour else ink)
    else:
        cv.text_right(x1, y, release, bold, rng.uniform(9, 12), ink)
    if rng.random() < 0.4:  # the contact at the top, as agencies write it
        lines_block(doc, x0, y + 4, [f"{rng.choice(t['contact'])}: {doc.fake.name()}", co.phone, co.email],
                    reg, 8, ink, 1.25)
        y += 36
    y += 14
    headline = placeholder(doc, "headline", style) if template else _fill(doc, rng.choice(t["headlines"]), **extra)
    hsize = rng.uniform(15, 21)
    align = "center" if rng.random() < 0.5 else "left"
    y = paragraph(cv, x0, y, x1 - x0, headline, doc.head.bold, hsize, ink, 1.15, align=align)
    if rng.random() < 0.7:
        y = paragraph(cv, x0, y + 2, x1 - x0, _fill(doc, rng.choice(t["sub"]), **extra), doc.body.italic,
                      rng.uniform(10.5, 12.5), ink, 1.2, align=align)
    y += 10
    size = rng.uniform(9.5, 11)
    lead = rng.uniform(1.35, 1.6)
    just = "justify" if rng.random() < 0.3 else "left"
    dateline = f"{doc.fake.city().upper()}, {doc.lang.date(random_date(rng))} — "
    body = rng.sample(t["body"], len(t["body"]))
    quotes = rng.sample(t["quotes"], len(t["quotes"]))
    if template:  # instructions where the news goes, a paragraph or two of them
        dateline = f"{placeholder(doc, 'city', style)}, {placeholder(doc, 'date', style)} — "
        body = rng.sample(INSTRUCTIONS, rng.randint(2, 5))
        quotes = []
    bottom = cv.h - rng.uniform(150, 200)
    first = True
    while y < bottom and (body or quotes):
        n = rng.randint(1, 3)
        src = quotes if (quotes and not first and rng.random() < 0.35) else body or quotes
        text = " ".join(_fill(doc, src.pop(), **extra) for _ in range(min(n if src is body else 1, len(src))))
        y = paragraph(cv, x0, y, x1 - x0, (dateline if first else "") + text, reg, size, ink, lead, align=just,
                      bottom=bottom) + size * 0.7
        first = False
    y += 4
    cv.text(x0, y + size, _fill(doc, t["about"], **extra), bold, size, ink)
    y = paragraph(cv, x0, y + size * 1.4, x1 - x0, _fill(doc, rng.choice(t["about_body"]), **extra), reg, size,
                  ink, lead, align=just, bottom=cv.h - 60) + size
    cv.text_center(cv.w / 2, y + size, rng.choice(t["end"]), bold, size, ink)
    y += size * 2.5
    if y < cv.h - 70:
        contact = placeholder(doc, "name", style) if template else doc.fake.name()
        y = lines_block(doc, x0, y, [rng.choice(t["contact"]) + ":", contact, co.name, co.phone, co.email],
                        reg, size * 0.9, ink, 1.25, bold_first=bold)
    if y < cv.h - 50 and rng.random() < 0.4:
        paragraph(cv, x0, y + 8, x1 - x0, rng.choice(t["forward"]), doc.body.italic, 7, doc.grey(60, 110), 1.25)


def fax_cover(doc: Doc) -> None:
    """A fax cover sheet: big FAX, To/From/Fax/Phone/Pages/Date/Re fields, tick boxes, comments, a notice."""
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "fax")
    co = company(doc)
    template = rng.random() < TEMPLATE_P
    style = rng.randrange(len(PLACEHOLDER_STYLES))
    if template:
        co = template_company(doc, co, style)
    reg, bold, ink = doc.body.regular, doc.body.bold, doc.ink
    m = rng.uniform(40, 70)
    x0, x1 = m, cv.w - m
    y = rng.uniform(36, 60)
    style = rng.randrange(3)
    if style == 0:  # black band with the company name
        band = ink if rng.random() < 0.6 else doc.accent
        cv.rect(x0, y, x0 + (x1 - x0) * rng.uniform(0.6, 1), y + 22, fill=band)
        cv.text(x0 + (x1 - x0) * 0.3, y + 17, co.name, doc.head.regular, 15, (255, 255, 255))
        y = lines_block(doc, x0, y + 22, [co.street, co.city, co.phone], reg, 8.5, ink, 1.2) + 10
    elif style == 1:
        logo(doc, x0, y, rng.uniform(20, 30), co.name, doc.head.bold)
        lines_block(doc, x1, y, [co.street, co.city, f"{t['phone']} {co.phone}", f"{t['fax']} {doc.fake.phone_number()}"],
                    reg, 7.5, ink, 1.25, right=True)
        y += 52
    title = rng.choice(t["title"])
    big = len(title) <= 8
    tsize = rng.uniform(44, 70) if big else rng.uniform(20, 28)
    cv.text(x0, y + tsize * 0.85, title, doc.head.regular if rng.random() < 0.5 else doc.head.bold, tsize, ink)
    y += tsize + 16
    filled = rng.random() < 0.6
    pairs = [(t["to"], doc.fake.name()), (t["from"], doc.fake.name()), (t["fax"], doc.fake.phone_number()),
             (t["pages"], str(rng.randint(1, 12))), (t["phone"], doc.fake.phone_number()),
             (t["date"], doc.lang.date(random_date(rng), rng.randrange(2))),
             (t["re"], doc.fake.sentence(nb_words=rng.randint(2, 5)).rstrip(".")), (t["cc"], doc.fake.name() if rng.random() < 0.3 else "")]
    if rng.random() < 0.4:
        pairs.insert(2, (t["company"], doc.fake.company()))
        pairs.insert(3, (t["company"], co.name))
    if template:  # merge fields in every value
        keys = {t["to"]: "name", t["from"]: "name", t["fax"]: "fax", t["pages"]: "pages", t["phone"]: "phone",
                t["date"]: "date", t["re"]: "subject", t["cc"]: "name", t["company"]: "company"}
        pairs = [(k, placeholder(doc, keys.get(k, "name"), style)) for k, _ in pairs]
        filled = True
    size = rng.uniform(9, 11)
    rh = size * rng.uniform(2, 2.6)
    two = rng.random() < 0.7
    colw = (x1 - x0) / (2 if two else 1)
    lab_w = max(cv.width(k + ":", bold, size) for k, _ in pairs) + 8
    for i in range(0, len(pairs), 2 if two else 1):
        for c, (k, v) in enumerate(pairs[i:i + (2 if two else 1)]):
            cx = x0 + c * colw
            cv.text(cx, y + rh - size * 0.6, k + ":", bold, size, ink)
            if filled and v:
                cv.text(cx + lab_w, y + rh - size * 0.6, v[:int((colw - lab_w) / (size * 0.5))], reg, size, ink)
        y += rh
        cv.hline(x0, x1, y, ink, 0.6)
    y += size * 2
    opts = t["checks"]
    step = (x1 - x0) / len(opts)
    for j, opt in enumerate(opts):
        cx = x0 + j * step
        if rng.random() < 0.7:
            cv.rect(cx, y - size * 0.8, cx + size * 0.8, y, outline=ink, width=0.6)
            if filled and rng.random() < 0.25:
                cv.text(cx + 1, y - 1, "X", bold, size * 0.8, ink)
            cx += size * 1.2
        cv.text(cx, y, opt[:int((step - size) / (size * 0.45))], bold, size * 0.85, ink)
    y += size * 0.8
    cv.hline(x0, x1, y, ink, 0.6)
    y += size * 3
    cv.text_center(cv.w / 2, y, t["comments"], bold, size * 1.2, ink) if rng.random() < 0.5 else \
        cv.text(x0, y, t["comments"] + ":", bold, size * 1.1, ink)
    y += size
    if filled:
        lines = rng.sample(INSTRUCTIONS, 1) if template else rng.sample(t["lines"], min(2, len(t["lines"])))
        y = paragraph(cv, x0, y, x1 - x0, " ".join(lines), reg, size, ink, 1.4) + size
        if rng.random() < 0.5:
            signature(doc, x0, y + 6, 110, 26)
    else:
        for _ in range(rng.randint(0, 8)):
            y += size * 2
            cv.hline(x0, x1, y, doc.grey(120, 180), 0.4)
    if rng.random() < 0.65:
        paragraph(cv, x0, cv.h - m - 50, x1 - x0, t["notice"], reg, 7, ink, 1.25)


def directory(doc: Doc) -> None:
    """An employee or phone directory: a heading and a dense table of names, titles, departments and numbers."""
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "directory")
    co = company(doc)
    m = rng.uniform(36, 60)
    x0, x1 = m, cv.w - m
    y = rng.uniform(36, 56)
    cv.text(x0, y + 14, co.name, doc.head.regular, rng.uniform(12, 16), ink := doc.ink)
    y += 18
    cv.text(x0, y + 22, rng.choice(t["titles"]), doc.head.bold if rng.random() < 0.5 else doc.head.regular,
            rng.uniform(18, 26), doc.accent if doc.colour else ink)
    y += 30
    cv.hline(x0, cv.w if rng.random() < 0.3 else x1, y, ink, rng.uniform(0.5, 1.5))
    cv.text_right(x1, y + 12, f"{t['updated']}: {doc.lang.date(random_date(rng), 1)}", doc.body.regular, 8, ink)
    y += 22
    ncol = rng.randint(4, 6)
    cols = [0] + sorted(rng.sample(range(1, len(t["cols"])), ncol - 1))
    head = [t["cols"][c] for c in cols]
    share = {0: 1.6, 1: 1.5, 2: 1.3, 3: 0.6, 4: 1.1, 5: 1.9, 6: 0.7, 7: 1.1, 8: 1.0}
    tot = sum(share[c] for c in cols)
    widths = [(x1 - x0) * share[c] / tot for c in cols]
    size = rng.uniform(7, 8.8)
    style = random_table_style(doc)
    grouped = rng.random() < 0.4
    depts = rng.sample(t["depts"], len(t["depts"]))

    def person(dept: str) -> list[str]:
        first, last = doc.fake.first_name(), doc.fake.last_name()
        cells = {0: f"{last}, {first}" if rng.random() < 0.5 else f"{first} {last}",
                 1: rng.choice(t["jobs"]), 2: dept, 3: str(rng.randint(100, 899)), 4: doc.fake.phone_number(),
                 5: f"{first[0].lower()}{last.lower()}@{co.web.removeprefix('www.')}", 6: f"{rng.choice('ABC')}-{rng.randint(100, 420)}",
                 7: doc.fake.phone_number(), 8: doc.fake.city()}
        return [cells[c] for c in cols]

    bottom = cv.h - 50
    if grouped:
        while y < bottom - 40 and depts:
            dept = depts.pop()
            cv.text(x0, y + size * 1.6, dept, doc.body.bold, size * 1.3, doc.accent if doc.colour else ink)
            y += size * 2.2
            rows = [head] + [person(dept) for _ in range(rng.randint(2, 7))]
            y = table(doc, x0, y, widths, rows if rng.random() < 0.5 else rows[1:], doc.body.regular, doc.body.bold,
                      size, "l" * ncol, style, header=rows[0] == head, bottom=bottom) + size
    else:
        rows = [head] + [person(rng.choice(depts)) for _ in range(60)]
        rows[1:] = sorted(rows[1:])
        table(doc, x0, y, widths, rows, doc.body.regular, doc.body.bold, size, "l" * ncol, style, bottom=bottom)
    cv.text(x0, cv.h - 30, rng.choice(t["note"]), doc.body.italic, 7.5, doc.grey(60, 120))


def card_sheet(doc: Doc) -> None:
    """A print sheet of business cards, address labels or product labels in a grid."""
    cv, rng = doc.cv, doc.rng
    kind = rng.choices(["cards", "address", "product"], [5, 2.5, 2.5])[0]
    cols, rows = {"cards": (2, rng.choice([4, 5])), "address": (3, 10), "product": (2, rng.choice([3, 4]))}[kind]
    mx, my = rng.uniform(30, 54), rng.uniform(30, 50)
    gap = 0 if kind == "address" else rng.choice([0, 8, 14])
    w = (cv.w - 2 * mx - gap * (cols - 1)) / cols
    h = (cv.h - 2 * my - gap * (rows - 1)) / rows
    same = rng.random() < 0.6  # a sheet of one card repeated, as printed for cutting
    logo_seed = rng.getrandbits(32)  # ... so its logo is drawn from the same numbers on every card
    co, name, job = company(doc), doc.fake.name(), doc.fake.job()
    line = doc.grey(150, 210)
    lab = _words(doc, "cards")
    for r in range(rows):
        for c in range(cols):
            x, y = mx + c * (w + gap), my + r * (h + gap)
            if kind == "address":
                lines = [doc.fake.name(), *split_address(doc.fake.address())]
                lines_block(doc, x + 10, y + h / 2 - 16, [s for s in lines if s], doc.body.regular, 8, doc.ink, 1.25)
                continue
            if kind == "product":
                cv.rect(x + 3, y + 3, x + w - 3, y + h - 3, outline=doc.accent, width=1.2, radius=8)
                cx = x + w / 2
                cv.text_center(cx, y + h * 0.3, rng.choice(lab["product"]), doc.head.bold, 14, doc.accent)
                cv.text_center(cx, y + h * 0.3 + 16, _fill(doc, rng.choice(lab["net"]), n=rng.choice([100, 250, 500, 12, 16])),
                               doc.body.regular, 8, doc.ink)
                parts = rng.sample(lab["parts"], 3)
                paragraph(cv, x + 14, y + h * 0.3 + 22, w - 28, _fill(doc, rng.choice(lab["ingr"]), a=parts[0],
                          b=parts[1], c=parts[2]), doc.body.regular, 6.5, doc.ink, 1.25, align="center")
                cv.text(x + 14, y + h - 16, f"{lab['best'][0]} {random_date(rng):%m/%Y}", doc.body.regular, 6.5, doc.ink)
                if rng.random() < 0.6:
                    barcode(doc, x + w - 70, y + h - 32, 52, 18)
                continue
            if gap == 0 or rng.random() < 0.5:
                cv.rect(x, y, x + w, y + h, outline=line, width=0.4)
            if not same:
                co, name, job = company(doc), doc.fake.name(), doc.fake.job()
            pad = w * 0.07
            doc.rng = random.Random(logo_seed) if same else rng
            logo(doc, x + pad, y + pad, h * 0.18, co.name, doc.head.bold)
            doc.rng = rng
            cv.text(x + pad, y + h * 0.55, name, doc.head.bold, 10, doc.ink)
            cv.text(x + pad, y + h * 0.55 + 10, job[:40], doc.body.italic, 7, doc.ink)
            lines_block(doc, x + w - pad, y + h * 0.62, [co.phone, co.email, co.web, co.street], doc.body.regular,
                        6.5, doc.ink, 1.25, right=True)
    if kind == "cards" and rng.random() < 0.4:
        cv.text(mx, my - 10, doc.fake.sentence(nb_words=4), doc.body.italic, 6, doc.grey(90, 140))


def cover_page(doc: Doc) -> None:
    """A report, guideline or manual cover: logo, big title, edition and date, organisation, much white."""
    cv, rng = doc.cv, doc.rng
    t = _words(doc, "cover")
    co = company(doc)
    cx = cv.w / 2
    centred = rng.random() < 0.65
    m = rng.uniform(50, 80)
    y = rng.uniform(40, 90)
    colour = doc.accent if doc.colour else doc.ink
    if rng.random() < 0.35:  # a coloured band with the organisation's name
        bh = rng.uniform(90, 190)
        cv.rect(0, 0, cv.w, bh, fill=doc.accent)
        if rng.random() < 0.3:
            cv.hline(0, cv.w, bh + 3, doc.accent2, 3)
        logo(doc, m, bh / 2 - 22, 44, co.name, doc.head.regular, colour=(255, 255, 255))
        y = bh + 60
    elif centred:
        s = rng.uniform(22, 40)
        logo(doc, cx - s * 2, y, s, co.name, doc.head.bold)
        y += s + 60
    else:
        logo(doc, m, y, rng.uniform(22, 36), co.name, doc.head.bold)
        y += 100
    y += rng.uniform(0, 80)
    if rng.random() < 0.4:
        y = paragraph(cv, m, y, cv.w - 2 * m, co.name, doc.head.bold, rng.uniform(11, 14), colour, 1.2,
                      align="center" if centred else "left") + 12
    title = _fill(doc, rng.choice(t["titles"]))
    if rng.random() < 0.3:
        title = f"{title}: {doc.fake.catch_phrase() if doc.lang.lang == 'en' else doc.fake.city()}"
    y = paragraph(cv, m, y, cv.w - 2 * m, title, doc.head.bold, rng.uniform(22, 36), colour, 1.1,
                  align="center" if centred else "left") + 16
    for _ in range(rng.randint(1, 3)):
        y = paragraph(cv, m, y, cv.w - 2 * m, _fill(doc, rng.choice(t["subs"]), company=co.name), doc.body.regular,
                      rng.uniform(11, 15), doc.ink, 1.2, align="center" if centred else "left") + rng.uniform(10, 30)
    if rng.random() < 0.4:
        photo(doc, m, y + 10, cv.w - 2 * m, cv.h * rng.uniform(0.15, 0.25))
    if rng.random() < 0.25:
        label = rng.choice(t["button"])
        w = cv.width(label, doc.body.bold, 10) + 40
        cv.rect(cx - w / 2, cv.h * 0.78, cx + w / 2, cv.h * 0.78 + 20, fill=doc.accent)
        cv.text_center(cx, cv.h * 0.78 + 14, label, doc.body.bold, 10, (255, 255, 255))
    if rng.random() < 0.6:  # the publisher's contact block
        lines = [co.name, co.street, co.city, co.phone, co.web]
        face = doc.body.regular
        if centred:
            for i, line in enumerate(lines):
                cv.text_center(cx, cv.h * 0.68 + i * 10, line, doc.body.bold if i == 0 else face, 8, doc.ink)
        else:
            lines_block(doc, m, cv.h * 0.7, lines, face, 8, doc.ink, 1.3, bold_first=doc.body.bold)
    if rng.random() < 0.5:
        paragraph(cv, m, cv.h - 40, cv.w - 2 * m, f"© {rng.randint(2000, 2024)} {co.name}. {rng.choice(t['small'])}",
                  doc.body.regular, 5.5, doc.grey(60, 110), 1.2, align="center")


def flyer(doc: Doc) -> None:
    """A restaurant order form (radio buttons, tick lists, price fields) or a promotional flyer with a coupon."""
    cv, rng = doc.cv, doc.rng
    t = vocab("other")["flyer"]["en"]
    lab = t["labels"]
    name = rng.choice(t["names"])
    serif = _kind_family(doc, "serif")
    reg, ink = doc.body.regular, doc.ink
    m = rng.uniform(40, 70)
    x0, x1 = m, cv.w - m
    if rng.random() < 0.55:  # the order form on a tinted panel
        panel = (238, 238, 214) if rng.random() < 0.6 else doc.tint(doc.accent, 0.85)
        cv.rect(x0, m, x1, cv.h - m, fill=panel)
        y = m + 40
        cv.text_center(cv.w / 2, y, name, serif.regular, rng.uniform(22, 30), ink)
        y += 30
        lx, fx = x0 + 14, x0 + (x1 - x0) * 0.2
        size = rng.uniform(8, 9.5)
        cv.text(lx, y, rng.choice(t["questions"]), serif.regular, size * 1.1, ink)
        qx = fx + 90
        for a in t["ages"]:
            cv.ellipse(qx, y - 6, qx + 6, y, outline=ink, width=0.5)
            qx += 10 + cv.text(qx + 9, y, a, reg, size * 0.8, ink) + 10
        y += 34

        def tick_list(x: float, y: float, items: list[str], round_: bool, prices: bool) -> float:
            for it in items:
                label = f"{it} (${rng.randint(0, 9)}.{rng.choice(['00', '50'])})" if prices else it
                if round_:
                    cv.ellipse(x, y - 6, x + 6, y, outline=ink, width=0.5)
                else:
                    cv.rect(x, y - 6, x + 6, y, outline=ink, width=0.5)
                cv.text(x + 9, y, label, reg, size * 0.75, ink)
                y += size * 1.3
            return y

        cv.text(lx, y, f"{lab['type']}:", serif.regular, size * 1.1, ink)
        yt = tick_list(fx, y, rng.sample(t["types"], 4), True, True)
        dx = x0 + (x1 - x0) * 0.55
        cv.text(dx, y, f"{lab['drink']}:", serif.regular, size * 1.1, ink)
        drinks = rng.sample(t["drinks"], 6)
        cv.rect(dx + 60, y - 8, dx + 140, y + len(drinks) * size * 1.2, fill=(255, 255, 255), outline=(120, 120, 120), width=0.5)
        lines_block(doc, dx + 63, y - 9, [f"{d} (${rng.randint(0, 4)}.{rng.choice(['00', '50'])})" for d in drinks],
                    reg, size * 0.72, ink, 1.6)
        y = max(yt, y + len(drinks) * size * 1.2) + 30
        cv.text(lx, y, f"{lab['toppings']}:", serif.regular, size * 1.1, ink)
        cv.text(lx, y + 14, f"$0.{rng.choice(['10', '25', '50'])} {lab['each']}", serif.regular, size * 0.8, ink)
        cv.rect(fx - 2, y - 10, fx + 80, y + 6 * size * 1.3 - 6, fill=(255, 255, 255))
        tick_list(fx, y, rng.sample(t["toppings"], 6), False, False)
        cv.text(dx, y, f"{lab['sauce']}:", serif.regular, size * 1.1, ink)
        cv.rect(dx + 58, y - 10, dx + 140, y + 4 * size * 1.3 - 6, fill=(255, 255, 255))
        tick_list(dx + 60, y, rng.sample(t["sauces"], 4), False, False)
        y += 6 * size * 1.3 + 30
        cv.text(lx, y, f"{lab['choice']}:", serif.regular, size * 1.1, ink)
        cv.rect(fx, y - 12, x1 - 60, y + 26, fill=(255, 255, 255), outline=(90, 90, 90), width=0.6)
        if rng.random() < 0.6:
            cv.text(fx + 4, y - 2, f"A {rng.choice(t['types'])}-Burger with {rng.choice(t['toppings'])}", reg, size * 0.85, ink)
        y += 60
        for label, value in ((lab["price"], f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"), (lab["total"], "")):
            cv.text(lx, y, f"{label}:", serif.regular, size * 1.1, ink)
            cv.rect(fx, y - 11, fx + 60, y + 4, fill=(255, 255, 255), outline=(90, 90, 90), width=0.6)
            cv.text(fx + 4, y, value, reg, size, ink)
            y += 36
        cv.text(dx, y - 72, f"{lab['number']}:", serif.regular, size * 1.1, ink)
        cv.rect(dx + 60, y - 83, dx + 85, y - 68, fill=(255, 255, 255), outline=(90, 90, 90), width=0.6)
        cv.text(dx + 64, y - 72, str(rng.randint(1, 4)), reg, size, ink)
        cv.rect(dx, y - 47, dx + 70, y - 33, fill=(200, 200, 200))
        cv.text(dx + 6, y - 37, lab["order"], reg, size * 0.85, ink)
        return
    # the promotional flyer
    y = m + 40
    cv.text_center(cv.w / 2, y, name.upper() if rng.random() < 0.5 else name, doc.head.bold, rng.uniform(30, 44),
                   doc.accent if doc.colour else ink)
    y += 20
    if rng.random() < 0.7:
        ph = cv.h * rng.uniform(0.22, 0.32)
        photo(doc, x0, y, x1 - x0, ph)
        y += ph + 16
    for promo in rng.sample(t["promo"], rng.randint(1, 3)):
        y += 28
        cv.text_center(cv.w / 2, y, promo, doc.head.bold, rng.uniform(16, 24), ink)
    y += 20
    for _ in range(rng.randint(2, 5)):
        y += 18
        cv.text(x0 + 30, y, f"{rng.choice(t['types'])} Burger", reg, 11, ink)
        cv.text_right(x1 - 30, y, f"${rng.randint(4, 14)}.{rng.choice(['49', '99', '00'])}", doc.body.bold, 11, ink)
    y += 24
    cv.text_center(cv.w / 2, y, rng.choice(t["hours"]), doc.body.italic, 10, ink)
    cv.text_center(cv.w / 2, y + 14, " ".join(split_address(doc.fake.address())) + "  ·  " + doc.fake.phone_number(),
                   reg, 9, ink)
    if y + 100 < cv.h - m:  # a coupon to cut out
        cy = cv.h - m - 90
        for xx in range(int(x0 + 20), int(x1 - 20), 8):
            cv.hline(xx, xx + 4, cy, ink, 0.6)
            cv.hline(xx, xx + 4, cy + 80, ink, 0.6)
        cv.text_center(cv.w / 2, cy + 26, t["coupon"][0], doc.head.bold, 16, ink)
        cv.text_center(cv.w / 2, cy + 46, rng.choice(t["coupon"][1:4]), doc.body.bold, 12, ink)
        cv.text_center(cv.w / 2, cy + 64, t["coupon"][4], reg, 7, ink)


FAMILIES = (("form", form), ("questionnaire", questionnaire), ("receipt photo", receipt_photo), ("blank", blank),
            ("calendar", month_calendar), ("certificate", certificate), ("menu", menu), ("photo", photo_page),
            ("tax_form", tax_form), ("legal_filing", legal_filing), ("press_release", press_release),
            ("fax_cover", fax_cover), ("directory", directory), ("card_sheet", card_sheet),
            ("cover_page", cover_page), ("flyer", flyer), ("code_listing", code_listing),
            ("spreadsheet", spreadsheet), ("manual_page", manual_page), ("sheet_music", sheet_music))
# Shares of the class (total 37.4): form 10.7%, tax_form 9.4%, questionnaire and legal_filing 8.0% each, the rest
# 2.7-6.7%: the look-alikes of real pages models mistook for a class take 40% of it without any one dominating;
# the printouts (code, spreadsheets, manual pages, scores) 16%.
WEIGHTS = (4, 3, 2.5, 2, 1, 1, 1, 1, 3.5, 3, 2.2, 2, 1.2, 1.2, 1.8, 1, 1.5, 1.5, 1.5, 1.5)
