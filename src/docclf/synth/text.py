"""Text content: Faker per locale, localised labels, dates, money and domain phrases."""

from __future__ import annotations

import datetime as dt
import functools
import random

# (locale, weight): English dominates real collections, but a classifier must not read language.
LOCALES: tuple[tuple[str, float], ...] = (
    ("en_US", 24), ("en_GB", 10), ("de_DE", 12), ("de_AT", 2), ("fr_FR", 11), ("es_ES", 9),
    ("it_IT", 9), ("nl_NL", 5), ("pt_PT", 3), ("pt_BR", 3), ("pl_PL", 3), ("sv_SE", 2),
    ("da_DK", 2), ("cs_CZ", 2), ("fi_FI", 1),
)


@functools.lru_cache(maxsize=None)
def faker_for(locale: str):
    """One Faker per locale per process, its word lists in a fixed order; callers reseed it per page."""
    from faker import Faker

    fake = Faker(locale)
    for provider in fake.get_providers():
        # Some providers build lists from sets (it_IT cities), whose order follows the per-process
        # string hash seed: sort them so a page never depends on PYTHONHASHSEED.
        if isinstance(getattr(provider, "cities", None), list):
            provider.cities = sorted(provider.cities)
    return fake


def pick_locale(rng: random.Random) -> str:
    names, weights = zip(*LOCALES)
    return rng.choices(names, weights)[0]


# Characters a page in this language will contain: fonts without them are not used for it.
LOCALE_CHARS = {"de": "äöüßÄÖÜ", "fr": "éèêàçôœ", "es": "ñáéíóú¿", "it": "àèéìòù", "pt": "ãõçáéêó",
                "pl": "ąćęłńóśźż", "cs": "čďěňřšťůž", "sv": "åäö", "da": "æøå", "fi": "äö", "nl": "ëé"}


def lang_of(locale: str) -> str:
    """Language whose labels a page uses; languages without a table fall back to English."""
    lang = locale.split("_")[0]
    return lang if lang in LABELS else "en"


# --------------------------------------------------------------------------- labels

LABELS: dict[str, dict[str, str]] = {
    "en": dict(
        abstract="Abstract", keywords="Keywords", figure="Figure", table="Table", bibliography="References",
        introduction="Introduction", acknowledgments="Acknowledgments",
        to="To:", from_="From:",
        paid="PAID",
        invoice="Invoice", tax_invoice="Tax Invoice", invoice_no="Invoice No.", date="Date",
        due="Due date", customer_no="Customer No.", order_no="Order No.", bill_to="Bill to",
        ship_to="Ship to", description="Description", qty="Qty", unit="Unit", unit_price="Unit price",
        amount="Amount", pos="Item", subtotal="Subtotal", vat="VAT", tax="Sales tax", total="Total",
        total_due="Total due", balance="Balance due", terms="Payment terms",
        terms_text="Payment due within {days} days of the invoice date without deduction.",
        bank="Bank details", vat_id="VAT ID", thanks="Thank you for your business!",
        page="Page", of="of", carried="Carried forward", discount="Discount", shipping="Shipping",
        hours="Hours", rate="Rate", delivery_date="Delivery date", period="Service period",
        subject="Subject", your_ref="Your ref.", our_ref="Our ref.", dear="Dear {name},",
        dear_generic="Dear Sir or Madam,", closing="Yours sincerely,", closing2="Kind regards,",
        closing3="Best regards,", enclosure="Enclosure", cc="cc", re="Re:",
        experience="Work Experience", education="Education", skills="Skills", languages="Languages",
        profile="Profile", contact="Contact", interests="Interests", certs="Certifications",
        projects="Projects", references="References", refs_avail="References available upon request",
        personal="Personal details", birth="Date of birth", nationality="Nationality",
        address="Address", phone="Phone", email="Email", cv="Curriculum Vitae", resume="Resume",
        present="Present", publications="Publications", awards="Awards",
        agenda="Agenda", thanks_slide="Thank you!", questions="Questions?", overview="Overview",
        results="Results", next_steps="Next steps", summary="Summary", contents="Contents",
        background="Background", goals="Objectives", timeline="Timeline", budget="Budget",
        team="Our team", approach="Approach", conclusion="Conclusion", market="Market overview",
    ),
    "de": dict(
        abstract="Zusammenfassung", keywords="Schlüsselwörter", figure="Abbildung", table="Tabelle", bibliography="Literatur",
        introduction="Einleitung", acknowledgments="Danksagung",
        to="An:", from_="Von:",
        paid="BEZAHLT",
        invoice="Rechnung", tax_invoice="Rechnung", invoice_no="Rechnungsnr.", date="Datum",
        due="Fällig am", customer_no="Kundennr.", order_no="Auftragsnr.", bill_to="Rechnungsadresse",
        ship_to="Lieferadresse", description="Bezeichnung", qty="Menge", unit="Einheit",
        unit_price="Einzelpreis", amount="Gesamt", pos="Pos.", subtotal="Zwischensumme", vat="MwSt.",
        tax="USt.", total="Gesamtbetrag", total_due="Rechnungsbetrag", balance="Offener Betrag",
        terms="Zahlungsbedingungen",
        terms_text="Zahlbar innerhalb von {days} Tagen ab Rechnungsdatum ohne Abzug.",
        bank="Bankverbindung", vat_id="USt-IdNr.", thanks="Vielen Dank für Ihren Auftrag!",
        page="Seite", of="von", carried="Übertrag", discount="Rabatt", shipping="Versand",
        hours="Stunden", rate="Satz", delivery_date="Lieferdatum", period="Leistungszeitraum",
        subject="Betreff", your_ref="Ihr Zeichen", our_ref="Unser Zeichen", dear="Sehr geehrte(r) {name},",
        dear_generic="Sehr geehrte Damen und Herren,", closing="Mit freundlichen Grüßen",
        closing2="Freundliche Grüße", closing3="Beste Grüße", enclosure="Anlage", cc="Kopie an",
        re="Betreff:",
        experience="Berufserfahrung", education="Ausbildung", skills="Kenntnisse", languages="Sprachen",
        profile="Profil", contact="Kontakt", interests="Interessen", certs="Zertifikate",
        projects="Projekte", references="Referenzen", refs_avail="Referenzen auf Anfrage",
        personal="Persönliche Daten", birth="Geburtsdatum", nationality="Staatsangehörigkeit",
        address="Anschrift", phone="Telefon", email="E-Mail", cv="Lebenslauf", resume="Lebenslauf",
        present="heute", publications="Veröffentlichungen", awards="Auszeichnungen",
        agenda="Agenda", thanks_slide="Vielen Dank!", questions="Fragen?", overview="Überblick",
        results="Ergebnisse", next_steps="Nächste Schritte", summary="Zusammenfassung",
        contents="Inhalt", background="Hintergrund", goals="Ziele", timeline="Zeitplan",
        budget="Budget", team="Unser Team", approach="Vorgehen", conclusion="Fazit",
        market="Marktüberblick",
    ),
    "fr": dict(
        abstract="Résumé", keywords="Mots-clés", figure="Figure", table="Tableau", bibliography="Références",
        introduction="Introduction", acknowledgments="Remerciements",
        to="À :", from_="De :",
        paid="PAYÉ",
        invoice="Facture", tax_invoice="Facture", invoice_no="Facture n°", date="Date",
        due="Échéance", customer_no="N° client", order_no="N° commande", bill_to="Facturé à",
        ship_to="Livré à", description="Désignation", qty="Qté", unit="Unité", unit_price="Prix unitaire HT",
        amount="Montant HT", pos="Réf.", subtotal="Total HT", vat="TVA", tax="TVA", total="Total TTC",
        total_due="Net à payer", balance="Reste à payer", terms="Conditions de paiement",
        terms_text="Paiement à {days} jours à réception de facture. Pas d'escompte pour paiement anticipé.",
        bank="Coordonnées bancaires", vat_id="N° TVA intracom.", thanks="Merci de votre confiance.",
        page="Page", of="sur", carried="Report", discount="Remise", shipping="Frais de port",
        hours="Heures", rate="Taux", delivery_date="Date de livraison", period="Période",
        subject="Objet", your_ref="V/Réf.", our_ref="N/Réf.", dear="Madame, Monsieur,",
        dear_generic="Madame, Monsieur,",
        closing="Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        closing2="Cordialement,", closing3="Bien à vous,", enclosure="P.J.", cc="Copie",
        re="Objet :",
        experience="Expérience professionnelle", education="Formation", skills="Compétences",
        languages="Langues", profile="Profil", contact="Contact", interests="Centres d'intérêt",
        certs="Certifications", projects="Projets", references="Références",
        refs_avail="Références sur demande", personal="Informations personnelles",
        birth="Date de naissance", nationality="Nationalité", address="Adresse", phone="Téléphone",
        email="E-mail", cv="Curriculum Vitae", resume="CV", present="aujourd'hui",
        publications="Publications", awards="Distinctions",
        agenda="Ordre du jour", thanks_slide="Merci !", questions="Questions ?", overview="Vue d'ensemble",
        results="Résultats", next_steps="Prochaines étapes", summary="Synthèse", contents="Sommaire",
        background="Contexte", goals="Objectifs", timeline="Calendrier", budget="Budget",
        team="Notre équipe", approach="Démarche", conclusion="Conclusion", market="Le marché",
    ),
    "es": dict(
        abstract="Resumen", keywords="Palabras clave", figure="Figura", table="Tabla", bibliography="Referencias",
        introduction="Introducción", acknowledgments="Agradecimientos",
        to="Para:", from_="De:",
        paid="PAGADO",
        invoice="Factura", tax_invoice="Factura", invoice_no="N.º factura", date="Fecha",
        due="Vencimiento", customer_no="N.º cliente", order_no="N.º pedido", bill_to="Facturar a",
        ship_to="Enviar a", description="Descripción", qty="Cant.", unit="Unidad", unit_price="Precio unit.",
        amount="Importe", pos="Ref.", subtotal="Base imponible", vat="IVA", tax="IVA", total="Total",
        total_due="Total a pagar", balance="Saldo pendiente", terms="Forma de pago",
        terms_text="Pago mediante transferencia bancaria en un plazo de {days} días.",
        bank="Datos bancarios", vat_id="NIF/CIF", thanks="¡Gracias por su confianza!",
        page="Página", of="de", carried="Suma y sigue", discount="Descuento", shipping="Envío",
        hours="Horas", rate="Tarifa", delivery_date="Fecha de entrega", period="Periodo",
        subject="Asunto", your_ref="Su ref.", our_ref="Nuestra ref.", dear="Estimado/a {name}:",
        dear_generic="Estimados señores:", closing="Atentamente,", closing2="Un cordial saludo,",
        closing3="Saludos cordiales,", enclosure="Anexo", cc="c.c.", re="Asunto:",
        experience="Experiencia profesional", education="Formación académica", skills="Habilidades",
        languages="Idiomas", profile="Perfil", contact="Contacto", interests="Intereses",
        certs="Certificaciones", projects="Proyectos", references="Referencias",
        refs_avail="Referencias disponibles a petición", personal="Datos personales",
        birth="Fecha de nacimiento", nationality="Nacionalidad", address="Dirección",
        phone="Teléfono", email="Correo", cv="Currículum Vitae", resume="Currículum",
        present="actualidad", publications="Publicaciones", awards="Premios",
        agenda="Agenda", thanks_slide="¡Gracias!", questions="¿Preguntas?", overview="Resumen",
        results="Resultados", next_steps="Próximos pasos", summary="Conclusiones", contents="Índice",
        background="Contexto", goals="Objetivos", timeline="Cronograma", budget="Presupuesto",
        team="Nuestro equipo", approach="Metodología", conclusion="Conclusión", market="El mercado",
    ),
    "it": dict(
        abstract="Sommario", keywords="Parole chiave", figure="Figura", table="Tabella", bibliography="Bibliografia",
        introduction="Introduzione", acknowledgments="Ringraziamenti",
        to="A:", from_="Da:",
        paid="PAGATO",
        invoice="Fattura", tax_invoice="Fattura", invoice_no="Fattura n.", date="Data",
        due="Scadenza", customer_no="Cod. cliente", order_no="Ordine n.", bill_to="Intestatario",
        ship_to="Destinazione", description="Descrizione", qty="Q.tà", unit="U.M.", unit_price="Prezzo unit.",
        amount="Importo", pos="Cod.", subtotal="Imponibile", vat="IVA", tax="IVA", total="Totale",
        total_due="Totale documento", balance="Da pagare", terms="Modalità di pagamento",
        terms_text="Bonifico bancario a {days} giorni data fattura.",
        bank="Coordinate bancarie", vat_id="P. IVA", thanks="Grazie per averci scelto.",
        page="Pagina", of="di", carried="A riportare", discount="Sconto", shipping="Spese di trasporto",
        hours="Ore", rate="Tariffa", delivery_date="Data consegna", period="Periodo",
        subject="Oggetto", your_ref="Vs. rif.", our_ref="Ns. rif.", dear="Gentile {name},",
        dear_generic="Spettabile Ditta,", closing="Distinti saluti,", closing2="Cordiali saluti,",
        closing3="Un caro saluto,", enclosure="Allegato", cc="p.c.", re="Oggetto:",
        experience="Esperienza lavorativa", education="Istruzione e formazione", skills="Competenze",
        languages="Lingue", profile="Profilo", contact="Contatti", interests="Interessi",
        certs="Certificazioni", projects="Progetti", references="Referenze",
        refs_avail="Referenze disponibili su richiesta", personal="Dati personali",
        birth="Data di nascita", nationality="Nazionalità", address="Indirizzo", phone="Telefono",
        email="E-mail", cv="Curriculum Vitae", resume="Curriculum", present="oggi",
        publications="Pubblicazioni", awards="Premi",
        agenda="Agenda", thanks_slide="Grazie!", questions="Domande?", overview="Panoramica",
        results="Risultati", next_steps="Prossimi passi", summary="Sintesi", contents="Indice",
        background="Contesto", goals="Obiettivi", timeline="Tempistiche", budget="Budget",
        team="Il team", approach="Approccio", conclusion="Conclusioni", market="Il mercato",
    ),
    "nl": dict(
        abstract="Samenvatting", keywords="Trefwoorden", figure="Figuur", table="Tabel", bibliography="Referenties",
        introduction="Inleiding", acknowledgments="Dankwoord",
        to="Aan:", from_="Van:",
        paid="BETAALD",
        invoice="Factuur", tax_invoice="Factuur", invoice_no="Factuurnummer", date="Datum",
        due="Vervaldatum", customer_no="Klantnummer", order_no="Ordernummer", bill_to="Factuuradres",
        ship_to="Afleveradres", description="Omschrijving", qty="Aantal", unit="Eenheid",
        unit_price="Prijs", amount="Bedrag", pos="Nr.", subtotal="Subtotaal", vat="BTW", tax="BTW",
        total="Totaal", total_due="Te betalen", balance="Openstaand", terms="Betalingsvoorwaarden",
        terms_text="Gelieve binnen {days} dagen te betalen onder vermelding van het factuurnummer.",
        bank="Bankgegevens", vat_id="BTW-nr.", thanks="Bedankt voor uw opdracht!",
        page="Pagina", of="van", carried="Transport", discount="Korting", shipping="Verzendkosten",
        hours="Uren", rate="Tarief", delivery_date="Leverdatum", period="Periode",
        subject="Betreft", your_ref="Uw kenmerk", our_ref="Ons kenmerk", dear="Beste {name},",
        dear_generic="Geachte heer/mevrouw,", closing="Met vriendelijke groet,",
        closing2="Hoogachtend,", closing3="Groeten,", enclosure="Bijlage", cc="cc", re="Betreft:",
        experience="Werkervaring", education="Opleiding", skills="Vaardigheden", languages="Talen",
        profile="Profiel", contact="Contact", interests="Interesses", certs="Certificaten",
        projects="Projecten", references="Referenties", refs_avail="Referenties op aanvraag",
        personal="Persoonlijke gegevens", birth="Geboortedatum", nationality="Nationaliteit",
        address="Adres", phone="Telefoon", email="E-mail", cv="Curriculum Vitae", resume="CV",
        present="heden", publications="Publicaties", awards="Prijzen",
        agenda="Agenda", thanks_slide="Bedankt!", questions="Vragen?", overview="Overzicht",
        results="Resultaten", next_steps="Volgende stappen", summary="Samenvatting", contents="Inhoud",
        background="Achtergrond", goals="Doelen", timeline="Planning", budget="Budget",
        team="Ons team", approach="Aanpak", conclusion="Conclusie", market="De markt",
    ),
    "pt": dict(
        abstract="Resumo", keywords="Palavras-chave", figure="Figura", table="Tabela", bibliography="Referências",
        introduction="Introdução", acknowledgments="Agradecimentos",
        to="Para:", from_="De:",
        paid="PAGO",
        invoice="Fatura", tax_invoice="Fatura-Recibo", invoice_no="Fatura n.º", date="Data",
        due="Vencimento", customer_no="N.º cliente", order_no="N.º encomenda", bill_to="Cliente",
        ship_to="Local de entrega", description="Descrição", qty="Qtd.", unit="Un.", unit_price="Preço unit.",
        amount="Valor", pos="Ref.", subtotal="Subtotal", vat="IVA", tax="Impostos", total="Total",
        total_due="Total a pagar", balance="Valor em dívida", terms="Condições de pagamento",
        terms_text="Pagamento a {days} dias por transferência bancária.",
        bank="Dados bancários", vat_id="NIF", thanks="Obrigado pela preferência!",
        page="Página", of="de", carried="Transporte", discount="Desconto", shipping="Portes",
        hours="Horas", rate="Taxa", delivery_date="Data de entrega", period="Período",
        subject="Assunto", your_ref="V/ ref.", our_ref="N/ ref.", dear="Caro(a) {name},",
        dear_generic="Exmos. Senhores,", closing="Com os melhores cumprimentos,",
        closing2="Atenciosamente,", closing3="Cumprimentos,", enclosure="Anexo", cc="c/c",
        re="Assunto:",
        experience="Experiência profissional", education="Formação", skills="Competências",
        languages="Idiomas", profile="Perfil", contact="Contacto", interests="Interesses",
        certs="Certificações", projects="Projetos", references="Referências",
        refs_avail="Referências disponíveis mediante pedido", personal="Dados pessoais",
        birth="Data de nascimento", nationality="Nacionalidade", address="Morada", phone="Telefone",
        email="E-mail", cv="Curriculum Vitae", resume="Currículo", present="atual",
        publications="Publicações", awards="Prémios",
        agenda="Agenda", thanks_slide="Obrigado!", questions="Perguntas?", overview="Visão geral",
        results="Resultados", next_steps="Próximos passos", summary="Resumo", contents="Índice",
        background="Contexto", goals="Objetivos", timeline="Cronograma", budget="Orçamento",
        team="A nossa equipa", approach="Abordagem", conclusion="Conclusão", market="O mercado",
    ),
}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}

# (symbol, before?, thousands sep, decimal sep, VAT rate %)
MONEY = {
    "en_US": ("$", True, ",", ".", 8), "en_GB": ("£", True, ",", ".", 20), "de_DE": ("€", False, ".", ",", 19),
    "de_AT": ("€", False, ".", ",", 20), "fr_FR": ("€", False, "\u202f", ",", 20),
    "es_ES": ("€", False, ".", ",", 21), "it_IT": ("€", True, ".", ",", 22), "nl_NL": ("€", True, ".", ",", 21),
    "pt_PT": ("€", False, ".", ",", 23), "pt_BR": ("R$", True, ".", ",", 17), "pl_PL": ("zł", False, " ", ",", 23),
    "sv_SE": ("kr", False, " ", ",", 25), "da_DK": ("kr.", True, ".", ",", 25), "cs_CZ": ("Kč", False, " ", ",", 21),
    "fi_FI": ("€", False, " ", ",", 24),
}

COUNTRY = {"DE": "Deutschland", "AT": "Österreich", "FR": "France", "ES": "España", "IT": "Italia",
           "NL": "Nederland", "PT": "Portugal", "BR": "Brasil", "GB": "United Kingdom", "US": "USA",
           "PL": "Polska", "SE": "Sverige", "DK": "Danmark", "CZ": "Česká republika", "FI": "Suomi"}


class Lang:
    """Labels, dates and money for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.lang = lang_of(locale)
        self.labels = LABELS[self.lang]
        self.months = MONTHS[self.lang].split()

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def date(self, d: dt.date, style: int = 0) -> str:
        """A date as people in this locale write it; style 0 is long-form, 1 numeric."""
        if style == 1:
            if self.locale == "en_US":
                return f"{d.month:02d}/{d.day:02d}/{d.year}"
            sep = "." if self.lang in ("de", "pl", "cs", "fi") or self.locale in ("de_AT",) else "/"
            if self.lang == "nl":
                sep = "-"
            return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"
        m = self.months[d.month - 1]
        if self.locale == "en_US":
            return f"{m} {d.day}, {d.year}"
        if self.lang == "de":
            return f"{d.day}. {m} {d.year}"
        if self.lang in ("es", "pt"):
            return f"{d.day} de {m} de {d.year}"
        return f"{d.day} {m} {d.year}"

    def money(self, value: float, symbol: bool = True) -> str:
        sym, before, thou, dec, _ = MONEY.get(self.locale, MONEY["en_US"])
        whole, frac = f"{abs(value):,.2f}".split(".")
        num = ("-" if value < 0 else "") + whole.replace(",", thou) + dec + frac
        if not symbol:
            return num
        return f"{sym}{'' if len(sym) == 1 else ' '}{num}" if before else f"{num} {sym}"

    def number(self, value: float, decimals: int = 2) -> str:
        _, _, thou, dec, _ = MONEY.get(self.locale, MONEY["en_US"])
        whole, _, frac = f"{value:,.{decimals}f}".partition(".")
        return whole.replace(",", thou) + (dec + frac if frac else "")

    @property
    def vat_rate(self) -> int:
        return MONEY.get(self.locale, MONEY["en_US"])[4]

    @property
    def country(self) -> str:
        return self.locale.split("_")[1]


def random_date(rng: random.Random, start: int = 2008, end: int = 2026) -> dt.date:
    """A date from our own RNG (Faker's date helpers read today's date, which breaks determinism)."""
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((end - start) * 365))


# --------------------------------------------------------------------------- domain phrases

SERVICES = {
    "en": ["Consulting services", "Software development", "Website maintenance", "Graphic design",
           "Project management", "On-site support", "Cloud hosting (monthly)", "Training workshop",
           "Licence renewal", "Data migration", "Translation services", "Photography", "Copywriting",
           "Office supplies", "Printer toner", "Laptop stand", "USB-C cable 2 m", "Delivery",
           "Installation", "Annual support contract", "Cleaning services", "Catering", "Travel expenses",
           "SEO audit", "Hardware repair", "Logo redesign", "Security audit", "Network cabling"],
    "de": ["Beratungsleistung", "Softwareentwicklung", "Wartung Webseite", "Grafikdesign",
           "Projektmanagement", "Vor-Ort-Service", "Hosting (monatlich)", "Schulung", "Lizenzverlängerung",
           "Datenmigration", "Übersetzung", "Fotografie", "Büromaterial", "Druckerpatrone schwarz",
           "Montage", "Anfahrtspauschale", "Reparatur", "Reinigung Büroräume", "Wartungsvertrag",
           "Kabel HDMI 3 m", "Arbeitszeit Geselle", "Material lt. Aufstellung", "Entsorgung"],
    "fr": ["Prestation de conseil", "Développement logiciel", "Maintenance du site web", "Conception graphique",
           "Gestion de projet", "Intervention sur site", "Hébergement (mensuel)", "Formation",
           "Renouvellement de licence", "Migration de données", "Traduction", "Fournitures de bureau",
           "Cartouche d'encre", "Installation", "Frais de déplacement", "Main d'œuvre", "Nettoyage des locaux",
           "Contrat de maintenance annuel", "Câble réseau 5 m", "Livraison"],
    "es": ["Servicios de consultoría", "Desarrollo de software", "Mantenimiento web", "Diseño gráfico",
           "Gestión de proyectos", "Soporte in situ", "Alojamiento web (mensual)", "Formación",
           "Renovación de licencia", "Migración de datos", "Traducción", "Material de oficina",
           "Cartucho de tóner", "Instalación", "Gastos de desplazamiento", "Mano de obra",
           "Limpieza de oficinas", "Contrato de mantenimiento", "Transporte"],
    "it": ["Consulenza", "Sviluppo software", "Manutenzione sito web", "Progettazione grafica",
           "Gestione progetto", "Assistenza in sede", "Hosting (mensile)", "Corso di formazione",
           "Rinnovo licenza", "Migrazione dati", "Traduzione", "Cancelleria", "Toner stampante",
           "Installazione", "Spese di trasferta", "Manodopera", "Pulizia uffici", "Canone assistenza",
           "Trasporto"],
    "nl": ["Advieswerkzaamheden", "Softwareontwikkeling", "Onderhoud website", "Grafisch ontwerp",
           "Projectmanagement", "Ondersteuning op locatie", "Hosting (maandelijks)", "Training",
           "Licentieverlenging", "Kantoorartikelen", "Installatie", "Reiskosten", "Arbeidsloon",
           "Schoonmaak kantoor", "Onderhoudscontract", "Bezorging"],
    "pt": ["Serviços de consultoria", "Desenvolvimento de software", "Manutenção do website",
           "Design gráfico", "Gestão de projeto", "Assistência técnica", "Alojamento (mensal)", "Formação",
           "Renovação de licença", "Material de escritório", "Instalação", "Deslocação", "Mão de obra",
           "Limpeza", "Contrato de manutenção", "Transporte"],
}

SCI_TOPICS = ["Graph Neural Networks", "Protein Folding", "Dark Matter Halos", "Sparse Transformers",
              "Soil Microbiomes", "Quantum Error Correction", "Urban Heat Islands", "Federated Learning",
              "Battery Degradation", "Gene Regulatory Networks", "Speech Recognition", "Ocean Acidification",
              "Reinforcement Learning", "Galaxy Clustering", "Image Segmentation", "Drug Repurposing",
              "Topological Insulators", "Crop Yield Prediction", "Seismic Inversion", "Language Models",
              "Perovskite Solar Cells", "Causal Inference", "Epidemic Forecasting", "Robot Grasping"]
SCI_METHODS = ["Contrastive Pretraining", "Bayesian Optimization", "Variational Inference",
               "Monte Carlo Sampling", "Attention Mechanisms", "Convex Relaxation", "Diffusion Models",
               "Spectral Analysis", "Finite Element Simulation", "Mixed-Effects Models", "Self-Supervision",
               "Meta-Learning", "Knowledge Distillation", "Density Functional Theory", "Kalman Filtering"]
SCI_ADJ = ["Scalable", "Robust", "Efficient", "Interpretable", "Adaptive", "Unsupervised", "Probabilistic",
           "Multi-Scale", "Data-Driven", "Hierarchical", "Physics-Informed", "Low-Rank", "Uncertainty-Aware"]
SCI_SECTIONS = ["Introduction", "Related Work", "Background", "Method", "Methodology", "Model",
                "Experimental Setup", "Experiments", "Results", "Discussion", "Ablation Study", "Limitations",
                "Conclusion", "Data and Methods", "Theoretical Analysis", "Evaluation"]
SCI_WORDS = ("model data results method approach performance baseline dataset training parameters "
             "distribution accuracy error analysis experiment sample estimate variance framework signal "
             "algorithm optimization convergence network feature representation loss inference "
             "significant observed proposed respectively corresponding measured simulation theorem "
             "hypothesis regression correlation spectrum temperature concentration protein cells").split()
SCI_OPENERS = ["We propose", "In this paper, we study", "Recent work has shown that", "To address this,",
               "As shown in Table {t},", "Figure {f} illustrates", "Following prior work [{c}],",
               "We observe that", "In contrast to [{c}],", "Our experiments show that", "It follows that",
               "Without loss of generality,", "In particular,", "Moreover,", "However,", "Note that",
               "We evaluate", "Consistent with [{c}, {c2}],", "As discussed in Section {s},"]
JOURNALS = ["Journal of Machine Learning Research", "Physical Review Letters", "Nature Communications",
            "IEEE Transactions on Pattern Analysis and Machine Intelligence", "PLOS ONE",
            "Bioinformatics", "The Astrophysical Journal", "Proceedings of the National Academy of Sciences",
            "Journal of Applied Physics", "Neural Computation", "Environmental Science & Technology",
            "Computer Vision and Image Understanding", "Applied Energy", "Scientific Reports",
            "Journal of Chemical Physics", "Medical Image Analysis"]
CONFERENCES = ["NeurIPS", "ICML", "CVPR", "ICLR", "ACL", "EMNLP", "KDD", "AAAI", "ICRA", "SIGGRAPH",
               "ECCV", "MICCAI", "Interspeech", "WWW", "CHI", "ISIT"]
SKILLS = ["Python", "SQL", "Excel", "Project management", "Java", "Customer service", "Negotiation",
          "Photoshop", "SAP", "Public speaking", "Data analysis", "Team leadership", "Agile / Scrum",
          "Accounting", "Marketing", "C++", "Machine learning", "Salesforce", "AutoCAD", "Figma",
          "Copywriting", "Budgeting", "Docker", "React", "Tableau", "Linux", "Research", "Sales",
          "Logistics", "Quality assurance", "Social media", "Recruiting", "Illustrator", "R", "Go"]
LANGUAGE_NAMES = ["English", "German", "French", "Spanish", "Italian", "Dutch", "Portuguese", "Polish",
                  "Chinese", "Arabic", "Swedish", "Russian", "Japanese"]
DEGREES = ["B.Sc. {f}", "M.Sc. {f}", "B.A. {f}", "M.A. {f}", "Ph.D. in {f}", "MBA", "Bachelor of {f}",
           "Master of {f}", "Diploma in {f}", "High School Diploma"]
FIELDS = ["Computer Science", "Economics", "Mechanical Engineering", "Business Administration",
          "Psychology", "Biology", "Marketing", "Physics", "Law", "Architecture", "Nursing", "Mathematics",
          "Communication", "Chemistry", "Finance", "Graphic Design", "History"]
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
         "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
         "laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in "
         "voluptate velit esse cillum dolore eu fugiat nulla pariatur.")


def sci_title(rng: random.Random) -> str:
    t = rng.choice(SCI_TOPICS)
    m = rng.choice(SCI_METHODS)
    forms = [f"{rng.choice(SCI_ADJ)} {m} for {t}", f"{t} via {rng.choice(SCI_ADJ)} {m}",
             f"On the Convergence of {m} in {t}", f"Towards {rng.choice(SCI_ADJ)} {t}: A {m} Approach",
             f"{rng.choice(SCI_ADJ)} {t} with {m}", f"Learning {t} from Noisy Observations",
             f"A Study of {t} Using {m}", f"Revisiting {m} for {rng.choice(SCI_ADJ)} {t}"]
    return rng.choice(forms)


def sci_sentence(rng: random.Random, fake) -> str:
    """An English-looking academic sentence with citations and references to figures and tables."""
    words = [rng.choice(SCI_WORDS) if rng.random() < 0.45 else fake.word() for _ in range(rng.randint(6, 18))]
    opener = rng.choice(SCI_OPENERS).format(t=rng.randint(1, 5), f=rng.randint(1, 7), c=rng.randint(1, 40),
                                            c2=rng.randint(1, 40), s=rng.randint(2, 6))
    tail = ""
    r = rng.random()
    if r < 0.15:
        tail = f" [{rng.randint(1, 45)}]"
    elif r < 0.22:
        tail = f" ({fake.last_name()} et al., {rng.randint(1998, 2025)})"
    elif r < 0.3:
        tail = f" (p < 0.0{rng.randint(1, 5)})"
    elif r < 0.36:
        tail = f" with {rng.choice('αβγλμσ')} = {rng.choice(['0.1', '0.5', '1e-3', '2.0', '10'])}"
    return f"{opener} {' '.join(words)}{tail}."


def sci_paragraph(rng: random.Random, fake, n: int | None = None) -> str:
    return " ".join(sci_sentence(rng, fake) for _ in range(n or rng.randint(3, 8)))


def paragraph(rng: random.Random, fake, lo: int = 2, hi: int = 6) -> str:
    """A paragraph in the page's language (Faker's localised word lists)."""
    return " ".join(fake.sentence(nb_words=rng.randint(6, 16)) for _ in range(rng.randint(lo, hi)))


def phrase(rng: random.Random, fake, lo: int = 2, hi: int = 7, title: bool = False) -> str:
    """A few words without a final full stop (bullets, headings, item names)."""
    s = fake.sentence(nb_words=rng.randint(lo, hi)).rstrip(".")
    return s.title() if title else s


def service(rng: random.Random, lang: str) -> str:
    return rng.choice(SERVICES.get(lang, SERVICES["en"]))

LETTER_OPENERS = {
    "en": ["Thank you for your letter of {date}.", "We are pleased to confirm our agreement of {date}.",
           "Further to our telephone conversation, I am writing to you regarding {topic}.",
           "Please find enclosed the documents you requested.", "I am writing to apply for the position of {job}.",
           "We regret to inform you that {topic} has been postponed.", "With reference to your enquiry,"],
    "de": ["vielen Dank für Ihr Schreiben vom {date}.", "wir bestätigen hiermit den Eingang Ihrer Unterlagen.",
           "bezugnehmend auf unser Telefonat möchten wir Ihnen mitteilen, dass {topic} verschoben wird.",
           "anbei erhalten Sie die gewünschten Unterlagen.", "hiermit bewerbe ich mich um die Stelle als {job}."],
    "fr": ["Nous accusons réception de votre courrier du {date}.",
           "Suite à notre entretien téléphonique, je me permets de vous écrire au sujet de {topic}.",
           "Veuillez trouver ci-joint les documents demandés.",
           "Je vous adresse ma candidature au poste de {job}."],
    "es": ["Le agradecemos su carta del {date}.", "Por medio de la presente le comunicamos que {topic}.",
           "Adjunto le remitimos la documentación solicitada.", "Me dirijo a ustedes para solicitar el puesto de {job}."],
    "it": ["La ringraziamo per la Sua lettera del {date}.", "Con la presente Le comunichiamo che {topic}.",
           "In allegato Le inviamo la documentazione richiesta.", "Con la presente mi candido per la posizione di {job}."],
    "nl": ["Hartelijk dank voor uw brief van {date}.", "Hierbij bevestigen wij de ontvangst van uw documenten.",
           "Bijgaand ontvangt u de gevraagde stukken."],
    "pt": ["Agradecemos a sua carta de {date}.", "Vimos por este meio informar que {topic}.",
           "Junto enviamos a documentação solicitada."],
}


def letter_opener(rng: random.Random, fake, lang: Lang) -> str:
    topic = fake.sentence(nb_words=rng.randint(2, 4)).rstrip(".").lower()
    return rng.choice(LETTER_OPENERS.get(lang.lang, LETTER_OPENERS["en"])).format(
        date=lang.date(random_date(rng)), topic=topic, job=fake.job())
