"""Pages of no known class ("other"): forms, questionnaires, receipt photos, blank pages, calendars,
certificates, menus and photo pages.

A model taught only the five classes names every page one of them, confidently. Trained with these
as a class of their own, it learns what "none of these" looks and reads like, and answers null.
"""

from __future__ import annotations

import calendar
import random

from docclf.synth.canvas import paragraph
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import barcode, photo, qr_code, signature
from docclf.synth.text import random_date  # Faker's dates move with today's date

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


FAMILIES = (("form", form), ("questionnaire", questionnaire), ("receipt photo", receipt_photo), ("blank", blank),
            ("calendar", month_calendar), ("certificate", certificate), ("menu", menu), ("photo", photo_page))
WEIGHTS = (4, 3, 2.5, 2, 1, 1, 1, 1)
