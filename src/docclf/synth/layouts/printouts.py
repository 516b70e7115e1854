"""More pages of no known class ("other"), of kinds an office prints that are none of the five: source code
listings, spreadsheets, manual pages and sheet music.

Why: on the real dev set's out-of-class pages of kinds the generator never drew (a printed spreadsheet, a
program listing, a manual page, a score), the models answered a class for half of them, confidently: the image
view read a listing or a score as a paper, a manual page as a CV. A model learns "none of these" only as wide as
the pages it was shown.
"""

from __future__ import annotations

import datetime as dt
import random

from docclf.synth.canvas import paragraph
from docclf.synth.fonts import Family
from docclf.synth.page import Doc
from docclf.synth.text import random_date

VERBS = ["get", "load", "parse", "read", "write", "build", "update", "find", "check", "render", "handle", "create",
         "format", "send", "fetch", "close", "open", "merge", "split", "resolve", "encode", "decode", "apply", "init"]
NOUNS = ["config", "user", "file", "path", "item", "record", "data", "request", "response", "buffer", "token", "cache",
         "value", "node", "list", "table", "page", "entry", "header", "options", "result", "stream", "key", "index"]
COMMENTS = ["TODO: handle the empty case", "keep the order stable", "fall back to the defaults",
            "this is called once per request", "see the issue tracker for details", "avoid a second lookup",
            "the caller owns the buffer", "Copyright the contributors", "retry once before giving up",
            "strip the trailing newline", "values are cached for the session", "must stay backwards compatible",
            "Licensed under the Apache License, Version 2.0", "not thread-safe", "returns None when missing"]
PY_MODULES = ["os", "sys", "json", "re", "logging", "pathlib", "typing", "collections", "itertools", "functools",
              "datetime", "subprocess", "argparse", "numpy as np", "requests"]
C_HEADERS = ["stdio", "stdlib", "string", "errno", "unistd", "stdint", "assert", "math", "fcntl", "signal"]
JS_MODULES = ["fs", "path", "http", "events", "util", "express", "lodash", "crypto", "url", "stream"]


def _ident(rng: random.Random, style: str = "snake") -> str:
    verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
    return f"{verb}{noun.capitalize()}" if style == "camel" else f"{verb}_{noun}"


def _python_block(rng: random.Random) -> list[str]:
    fn, a, b = _ident(rng), rng.choice(NOUNS), rng.choice(NOUNS)
    out = [f"def {fn}({a}, {b}=None):", f'    """{rng.choice(VERBS).capitalize()} the {b} of a {a}."""']
    for _ in range(rng.randint(2, 7)):
        v = rng.choice(NOUNS)
        out += rng.choice([[f"    {v} = {_ident(rng)}({a})"], [f"    if {b} is None:", f"        {b} = {{}}"],
                           [f"    for {v} in {a}.{rng.choice(NOUNS)}s:", f"        {b}[{v}.key] = {v}"],
                           [f"    # {rng.choice(COMMENTS)}"], [f"    {a}.{rng.choice(NOUNS)} = {rng.randint(0, 512)}"],
                           ["    try:", f"        {v} = {a}[{rng.choice(NOUNS)!r}]", "    except KeyError:",
                            "        return None"]])
    return out + [f"    return {b}", ""]


def _c_block(rng: random.Random) -> list[str]:
    fn, v = _ident(rng), rng.choice(NOUNS)
    out = [f"static int {fn}(struct {rng.choice(NOUNS)} *{v}, size_t n)", "{", "    size_t i;", "    int rc = 0;", ""]
    for _ in range(rng.randint(2, 5)):
        out += rng.choice([[f"    if ({v} == NULL)", "        return -EINVAL;"],
                           ["    for (i = 0; i < n; i++) {", f"        rc += {v}[i].{rng.choice(NOUNS)};", "    }"],
                           [f"    /* {rng.choice(COMMENTS)} */"], [f"    rc = {_ident(rng)}({v}, n);"]])
    return out + ["    return rc;", "}", ""]


def _js_block(rng: random.Random) -> list[str]:
    fn, a = _ident(rng, "camel"), rng.choice(NOUNS)
    out = [f"{'async ' if rng.random() < 0.4 else ''}function {fn}({a}, options = {{}}) {{"]
    for _ in range(rng.randint(2, 6)):
        v = rng.choice(NOUNS)
        out += rng.choice([[f"  const {v} = {_ident(rng, 'camel')}({a});"],
                           [f"  if (!{a}) {{", "    return null;", "  }"],
                           [f"  // {rng.choice(COMMENTS)}"], [f"  {a}.{v} = options.{v} || {rng.randint(0, 100)};"],
                           [f"  for (const {v} of {a}.{rng.choice(NOUNS)}s) {{", f"    {v}.done = true;", "  }"]])
    return out + [f"  return {a};", "}", ""]


def code_lines(rng: random.Random, n: int) -> tuple[list[str], str]:
    """About n lines of one program (Python, C or JavaScript) and its file name."""
    lang = rng.choice(["py", "c", "js"])
    name = f"{rng.choice(NOUNS)}{rng.choice(['', '_utils', '_io', 's'])}.{lang}"
    lines: list[str] = []
    if rng.random() < 0.4:  # a licence header
        c = {"py": "#", "js": "//", "c": " *"}[lang]
        year, owner = rng.randint(2005, 2024), rng.choice(NOUNS).capitalize()
        licence = rng.choice(["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-2.0"])
        lines += (["/*"] if lang == "c" else []) + [f"{c} Copyright (c) {year} {owner} contributors",
                                                    f"{c} SPDX-License-Identifier: {licence}"]
        lines += [" */"] if lang == "c" else []
        lines.append("")
    if lang == "py":
        lines += [f"import {m}" for m in rng.sample(PY_MODULES, rng.randint(2, 5))] + ["", ""]
        block = _python_block
    elif lang == "c":
        lines += [f"#include <{h}.h>" for h in rng.sample(C_HEADERS, rng.randint(2, 6))] + [""]
        block = _c_block
    else:
        lines += [f"const {m} = require('{m}');" for m in rng.sample(JS_MODULES, rng.randint(2, 4))] + [""]
        block = _js_block
    while len(lines) < n:
        lines += block(rng)
    return lines[:n], name


def code_listing(doc: Doc) -> None:
    """A printed program: monospaced lines, maybe line numbers, maybe a printer's header bar (file, date, page)."""
    cv, rng = doc.cv, doc.rng
    mono = _mono(doc)
    size = rng.uniform(7, 10)
    lead = size * rng.uniform(1.15, 1.35)
    m = rng.uniform(40, 70)
    y = rng.uniform(45, 70)
    lines, name = code_lines(rng, int((cv.h - y - 50) / lead))
    style = rng.random()
    if style < 0.4:  # enscript / a2ps: a grey bar with the file name, the date and the page
        cv.rect(m, y - size * 1.6, cv.w - m, y + size * 0.5, fill=doc.grey(200, 235))
        cv.text(m + 4, y - size * 0.2, f"{random_date(rng):%b %d, %y %H:%M}", mono.regular, size, doc.ink)
        cv.text_center(cv.w / 2, y - size * 0.2, name, mono.bold, size * 1.2, doc.ink)
        cv.text_right(cv.w - m - 4, y - size * 0.2, f"Page {rng.randint(1, 9)}/{rng.randint(9, 20)}", mono.regular,
                      size, doc.ink)
        y += size * 2.5
    elif style < 0.6:  # a browser or an editor printing the file: its path at the top
        folder = rng.choice(["src", "lib", "app", "tools"])
        cv.text(m, y, f"{folder}/{name}", mono.regular, size * 0.9, doc.grey(60, 120))
        y += size * 2.5
    numbers = rng.random() < 0.45
    first = rng.randint(1, 300)
    for i, line in enumerate(lines):
        yy = y + i * lead
        if numbers:
            cv.text_right(m + size * 2.4, yy, str(first + i), mono.regular, size, doc.grey(100, 150))
        indent = len(line) - len(line.lstrip())
        x = m + (size * 3.2 if numbers else 0) + indent * size * 0.6
        colour = doc.grey(70, 110) if line.lstrip()[:2] in ("# ", "//", "/*", " *") else doc.ink
        cv.text(x, yy, line.strip(), mono.regular, size, colour)


SHEET_COLUMNS = {
    "date": ["date", "month", "day", "week", "Datum", "period"],
    "int": ["count", "units", "visitors", "orders", "population", "id", "year", "rank", "n", "total_jobs", "stock"],
    "float": ["temp_max", "temp_min", "precipitation", "wind", "price", "rate", "score", "weight", "value", "mean",
              "sd", "ratio", "open", "close", "volume_m", "share"],
    "word": ["weather", "region", "category", "status", "city", "country", "name", "team", "species", "symbol",
             "department", "product_code", "sensor", "station"],
}
SHEET_WORDS = ["sun", "rain", "fog", "snow", "drizzle", "North", "South", "East", "West", "Central", "active",
               "closed", "pending", "A", "B", "C", "setosa", "virginica", "MSFT", "AAPL", "IBM", "Berlin", "Lyon",
               "Madrid", "Oslo", "sales", "support", "ops", "S-104", "S-221", "T3", "T7"]


def _cell(rng: random.Random, kind: str, i: int, start: dt.date, scale: float) -> str:
    if kind == "date":
        return f"{start + dt.timedelta(days=i):%Y-%m-%d}" if scale > 0.5 else f"{start + dt.timedelta(days=i):%d/%m/%Y}"
    if kind == "int":
        return str(int(rng.uniform(0.5, 1.5) * scale * 1000))
    if kind == "float":
        return f"{rng.gauss(scale * 20, scale * 8):.{rng.choice([1, 2])}f}"
    return rng.choice(SHEET_WORDS)


def spreadsheet(doc: Doc) -> None:
    """A printed spreadsheet: a header row and rows of dates, numbers and codes down the page, maybe a grid,
    maybe the A-B-C / 1-2-3 frame, the sheet's name above and "Page 1" below as office suites print it."""
    cv, rng = doc.cv, doc.rng
    reg, bold = doc.body.regular, doc.body.bold
    kinds = ["date"] + rng.choices(["int", "float", "word"], [2, 4, 1.5], k=rng.randint(2, 8))
    rng.shuffle(kinds)
    names = [rng.choice(SHEET_COLUMNS[k]) for k in kinds]
    scales = [rng.uniform(0.05, 3) for _ in kinds]
    size = rng.uniform(6.5, 9)
    row_h = size * rng.uniform(1.35, 1.7)
    m = rng.uniform(30, 60)
    frame = rng.random() < 0.3
    grid = frame or rng.random() < 0.4
    left = m + (size * 3 if frame else 0)
    y = rng.uniform(40, 60)
    sheet = rng.choice(["Sheet1", "Tabelle1", "Feuil1", "data", names[-1], "Hoja1", "export"])
    cv.text_center(cv.w / 2, y, sheet, reg, size, doc.ink)
    y += size * 2
    if rng.random() < 0.25:  # a title row typed into the sheet
        cv.text(left + 2, y, rng.choice(["Monthly figures", "Raw data", "Measurements", "Summary by region",
                                         "Export", "Observations"]) + f" {rng.randint(2008, 2024)}", bold, size * 1.3,
                doc.ink)
        y += row_h * 1.5
    start = random_date(rng)
    n_rows = int((cv.h - y - 60) / row_h)
    cells = [names] + [[_cell(rng, k, i, start, sc) for k, sc in zip(kinds, scales)] for i in range(1, n_rows)]
    # each column as wide as its widest cell, as an office suite's optimal width sets it
    widths = [max(cv.width(row[j], bold, size) for row in cells) + size * 1.2 for j in range(len(kinds))]
    if left + sum(widths) > cv.w - m:  # too many columns for the page: the rest go to the next page
        while len(widths) > 2 and left + sum(widths) > cv.w - m:
            widths.pop()
    if frame:  # the column letters and row numbers an office suite can print
        x = left
        for j, w in enumerate(widths):
            cv.rect(x, y - row_h + 2, x + w, y + 2, fill=(225, 225, 225), outline=(150, 150, 150), width=0.4)
            cv.text_center(x + w / 2, y - 1, "ABCDEFGHIJ"[j], reg, size * 0.9, doc.ink)
            x += w
        y += row_h
    for i in range(n_rows):
        yy = y + i * row_h
        if frame:
            cv.text_right(left - 3, yy, str(i + 1), reg, size * 0.9, doc.grey(60, 100))
        x = left
        for j, (kind, w) in enumerate(zip(kinds, widths)):
            text = cells[i][j]
            face = bold if i == 0 and rng.random() < 0.5 else reg
            if kind in ("int", "float") and i:
                cv.text_right(x + w - 2, yy, text, face, size, doc.ink)
            else:
                cv.text(x + 2, yy, text, face, size, doc.ink)
            if grid:
                cv.rect(x, yy - row_h + 2, x + w, yy + 2, outline=(170, 170, 170), width=0.3)
            x += w
    cv.text_center(cv.w / 2, cv.h - 30, rng.choice(["Page 1", "Page 1 of 3", "Seite 1", "1"]), reg, size, doc.ink)


COMMANDS = ["sortx", "fsync-tool", "logrotate2", "mkarchive", "netprobe", "pgmover", "imgconv", "tzsel", "dupfind",
            "backupctl", "wcount", "csvcut2", "lsblk2", "mailq2", "cronedit"]
MAN_SECTIONS = ["DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "NOTES", "BUGS",
                "SEE ALSO", "AUTHOR"]
MAN_SENTENCES = ["{cmd} reads each FILE in turn and writes the result to standard output.",
                 "With no FILE, or when FILE is -, read standard input.",
                 "Mandatory arguments to long options are mandatory for short options too.",
                 "The exit status is 0 if the {noun} was processed, 1 if no {noun} was found and 2 if an error "
                 "occurred.",
                 "If the {noun} does not exist, {cmd} creates it unless --no-create is given.",
                 "This option is ignored when standard output is not a terminal.",
                 "Report bugs to the project's issue tracker.", "Values are read from the environment first.",
                 "Lines are compared using the rules of the current locale.", "The default is {n} seconds.",
                 "Print a diagnostic for every {noun} processed.", "Do not follow symbolic links.",
                 "Use SIZE bytes for the main {noun} buffer.", "Suppress most error messages."]
MAN_OPTIONS = ["-a, --all", "-b, --brief", "-c, --count", "-d, --dry-run", "-f, --force", "-h, --help",
               "-i, --ignore-case", "-n, --lines=NUM", "-o, --output=FILE", "-q, --quiet", "-r, --recursive",
               "-s, --size=SIZE", "-t, --timeout=SEC",
               "-v, --verbose", "-V, --version", "-x, --exclude=PATTERN", "--color[=WHEN]", "--null", "-z, --zero"]


def manual_page(doc: Doc) -> None:
    """A Unix manual page as groff or a terminal prints it: NAME, SYNOPSIS, DESCRIPTION, indented options."""
    cv, rng = doc.cv, doc.rng
    fam = _mono(doc) if rng.random() < 0.3 else _serif(doc)
    reg, bold = fam.regular, fam.bold
    cmd, sec = rng.choice(COMMANDS), rng.choice([1, 1, 1, 5, 8])
    size = rng.uniform(8.5, 10.5)
    m = rng.uniform(50, 75)
    ind = m + size * rng.uniform(3.5, 5)
    y = rng.uniform(40, 60)
    head = f"{cmd.upper()}({sec})"
    cv.text(m, y, head, reg, size, doc.ink)
    cv.text_center(cv.w / 2, y, rng.choice(["User Commands", "System Manager's Manual", "File Formats Manual",
                                            "General Commands Manual"]), reg, size, doc.ink)
    cv.text_right(cv.w - m, y, head, reg, size, doc.ink)
    y += size * 3

    def fill(template: str) -> str:
        return template.format(cmd=cmd, noun=rng.choice(NOUNS), n=rng.choice([5, 10, 30, 60]))

    def para(text: str, x: float) -> float:
        return paragraph(cv, x, y, cv.w - m - x, text, reg, size, doc.ink, 1.2, bottom=cv.h - 60)

    sections = ["NAME", "SYNOPSIS"] + ["DESCRIPTION"] + rng.sample(MAN_SECTIONS[1:], rng.randint(3, 6))
    if rng.random() < 0.3:  # a later page starts inside the options
        sections = ["OPTIONS"] + rng.sample(MAN_SECTIONS[2:], 3)
    for name in sections:
        if y > cv.h - 90:
            break
        cv.text(m, y, name, bold, size, doc.ink)
        if name == "NAME":
            y = para(f"{cmd} - {rng.choice(VERBS)} {rng.choice(NOUNS)}s and "
                     f"{rng.choice(VERBS)} their {rng.choice(NOUNS)}s",
                     ind) + size * 0.6
        elif name == "SYNOPSIS":
            for form in range(rng.randint(1, 3)):
                y += size * 1.3
                w = cv.text(ind, y, cmd, bold, size, doc.ink)
                cv.text(ind + w + size * 0.4, y, rng.choice(["[OPTION]... [FILE]...", "[-abcv] [-o FILE] PATTERN",
                                                            "--help", "[OPTIONS] SOURCE DEST"]), reg, size, doc.ink)
            y += size * 1.5
        elif name == "OPTIONS":
            y += size * 0.3
            for opt in rng.sample(MAN_OPTIONS, rng.randint(4, 9)):
                if y > cv.h - 90:
                    break
                cv.text(ind, y + size, opt, bold, size, doc.ink)
                y += size * 1.25
                y = para(" ".join(fill(s) for s in rng.sample(MAN_SENTENCES, rng.randint(1, 2))),
                         ind + size * 3.5) + size * 0.5
        else:
            y = para(" ".join(fill(s) for s in rng.sample(MAN_SENTENCES, rng.randint(2, 5))), ind) + size * 0.8
        y += size * 0.8
    footer = f"{cmd} {rng.randint(1, 9)}.{rng.randint(0, 30)}"
    cv.text(m, cv.h - 36, footer, reg, size, doc.ink)
    cv.text_center(cv.w / 2, cv.h - 36, f"{random_date(rng):%Y-%m-%d}", reg, size, doc.ink)
    cv.text_right(cv.w - m, cv.h - 36, str(rng.randint(1, 6)), reg, size, doc.ink)


TUNE_TITLES = ["Andante", "Scarborough Fair", "The Water Is Wide", "Greensleeves", "Jig in D", "Reel No. 4",
               "Sonatina", "Menuet", "Valse", "Air", "Morning Song", "Etude", "Ländler", "Bourrée", "Gavotte",
               "Polska", "Hornpipe", "Berceuse", "Chanson", "Canon"]
CHORDS = ["C", "G", "D", "A", "E", "F", "Am", "Em", "Dm", "G7", "D7", "Bm", "F#m", "C/E"]


def sheet_music(doc: Doc) -> None:
    """A page of a score: a title and composer, systems of five-line staves with clefs, notes, stems, beams, bar
    lines; maybe chord names above and lyrics below."""
    cv, rng = doc.cv, doc.rng
    serif = _serif(doc)
    m = rng.uniform(40, 65)
    y = rng.uniform(55, 85)
    ink = (15, 15, 15)
    if rng.random() < 0.8:
        cv.text_center(cv.w / 2, y, rng.choice(TUNE_TITLES), serif.regular, rng.uniform(15, 22), ink)
        if rng.random() < 0.5:
            y += 18
            cv.text_center(cv.w / 2, y, rng.choice(["for piano", "Second movement", "Op. 12 No. 3",
                                                    "arr. for two voices",
                                                    "from the collection"]), serif.regular, 11, ink)
        who = ["trad.", doc.fake.name(), "Anon.", f"{doc.fake.last_name()} (1789)"]
        cv.text_right(cv.w - m, y + 16, rng.choice(who), serif.italic, 9.5, ink)
        y += 34
    sp = rng.uniform(4.5, 6.5)  # the gap between two staff lines
    grand = rng.random() < 0.35
    chords, lyrics = rng.random() < 0.4, not grand and rng.random() < 0.35
    system_h = sp * 4 * (2 if grand else 1) + sp * (9 if grand else 5) + (12 if chords else 0) + (14 if lyrics else 0)
    first = True
    while y + system_h < cv.h - 50:
        staves = [y + (12 if chords else 0)]
        if grand:
            staves.append(staves[0] + sp * 9)
        for top in staves:
            _staff(doc, m, cv.w - m, top, sp, first, ink)
        if grand:
            cv.vline(m, staves[0], staves[1] + sp * 4, ink, 1.2)
        if first and rng.random() < 0.6:
            cv.text(m + sp * 2, staves[0] - sp * 2.5, rng.choice(["Allegro", "Andante", "Moderato", "Lento", "Adagio"]),
                    serif.bold, 9, ink)
        bars = rng.randint(3, 5)
        x0 = m + sp * (9 if first else 5)
        bar_w = (cv.w - m - x0) / bars
        for b in range(bars):
            for top in staves:
                notes = _bar(doc, x0 + b * bar_w, bar_w, top, sp, ink)
            if chords and rng.random() < 0.8:
                cv.text(x0 + b * bar_w + sp, staves[0] - sp * 2, rng.choice(CHORDS), serif.regular, 9, ink)
            if lyrics:
                for i, nx in enumerate(notes[: rng.randint(1, 4)]):
                    syllable = doc.fake.word()[: rng.randint(2, 5)] + ("-" if i % 2 == 0 else "")
                    cv.text(nx - sp, staves[-1] + sp * 7, syllable, serif.regular, 8.5, ink)
            for top in staves:
                cv.vline(x0 + (b + 1) * bar_w, top, top + sp * 4, ink, 0.8)
        y += system_h + rng.uniform(8, 20)
        first = False
    if rng.random() < 0.6:
        cv.text_center(cv.w / 2, cv.h - 30, str(rng.randint(1, 12)), serif.regular, 9, ink)


def _staff(doc: Doc, x0: float, x1: float, top: float, sp: float, clef: bool, ink) -> None:
    cv, rng = doc.cv, doc.rng
    for i in range(5):
        cv.hline(x0, x1, top + i * sp, ink, 0.45)
    cv.vline(x0, top, top + sp * 4, ink, 0.6)
    # a clef, drawn: a spiral round the second line and a stroke through the staff (no music font needed)
    cx = x0 + sp * 1.5
    pts = [(cx + sp * 0.6, top - sp * 1.2), (cx - sp * 0.4, top + sp * 1.0), (cx + sp * 0.8, top + sp * 2.6),
           (cx + sp * 0.2, top + sp * 3.6), (cx - sp * 0.6, top + sp * 2.8), (cx + sp * 0.2, top + sp * 2.2),
           (cx + sp * 0.4, top + sp * 5.0), (cx - sp * 0.2, top + sp * 5.3)]
    cv.line(pts, ink, sp * 0.28, curve=True)
    if clef:  # the time signature, on the first system only
        face = _serif(doc).bold
        beats = rng.choice(["4", "3", "2", "6"])
        cv.text_center(x0 + sp * 4.2, top + sp * 1.9, beats, face, sp * 2.6, ink)
        cv.text_center(x0 + sp * 4.2, top + sp * 3.9, "8" if beats == "6" else "4", face, sp * 2.6, ink)


def _bar(doc: Doc, x: float, w: float, top: float, sp: float, ink) -> list[float]:
    """One bar's notes: heads on lines and spaces, stems, pairs beamed; returns the notes' x positions."""
    cv, rng = doc.cv, doc.rng
    n = rng.choice([1, 2, 3, 4, 4, 6, 8])
    xs = [x + w * (i + 0.6) / (n + 0.4) for i in range(n)]
    steps = [rng.randint(-2, 10) for _ in xs]  # 0 = the top line, counting half-gaps down
    beamed = n >= 4  # quavers in pairs, their stems meeting a beam at a common height
    for i, (nx, st) in enumerate(zip(xs, steps)):
        ny = top + st * sp / 2
        hollow = n <= 2 and rng.random() < 0.6
        cv.ellipse(nx - sp * 0.65, ny - sp * 0.45, nx + sp * 0.65, ny + sp * 0.45,
                   fill=None if hollow else ink, outline=ink, width=0.8)
        for ledger in range(-2, st - 1, -2) if st < -1 else range(10, st + 1, 2) if st > 9 else []:
            cv.hline(nx - sp, nx + sp, top + ledger * sp / 2, ink, 0.5)
        if beamed:
            j = i - i % 2
            pair = steps[j:j + 2]
            up = sum(pair) / len(pair) > 4
            end = top + (min(pair) * sp / 2 - sp * 3.5 if up else max(pair) * sp / 2 + sp * 3.5)
        else:
            up = st > 4
            end = ny - sp * 3.5 if up else ny + sp * 3.5
        if beamed or n != 1 or rng.random() < 0.5:  # a whole note has no stem
            sx = nx + sp * 0.6 if up else nx - sp * 0.6
            cv.vline(sx, min(ny, end), max(ny, end), ink, 0.7)
            if beamed and i % 2 == 1:
                px = xs[i - 1] + (sp * 0.6 if up else -sp * 0.6)
                cv.line([(px, end), (sx, end)], ink, sp * 0.5)
    return xs


def _kind(doc: Doc, kind: str) -> Family:
    """A family of `kind` that covers the page's language, else the body family."""
    fams = [f for f in doc.fams if f.kind == kind and f.regular.covers(doc.chars)]
    return doc.rng.choice(fams) if fams else doc.body


def _mono(doc: Doc) -> Family:
    return _kind(doc, "mono")


def _serif(doc: Doc) -> Family:
    return _kind(doc, "serif")
