"""Scientific papers: title block, abstract, one or two justified columns, equations, figures, tables, references."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from docclf.synth.canvas import paragraph, wrap
from docclf.synth.page import Doc, new_doc
from docclf.synth.render import (TableStyle, chart, equation, heatmap, image_placeholder, photo, table)
from docclf.synth.phrases import PaperText
from docclf.synth.text import labels, random_date, vocab

UNI = ["University of {c}", "{c} Institute of Technology", "Universität {c}", "Université de {c}",
       "Max Planck Institute, {c}", "National Laboratory, {c}", "{c} University", "Universidad de {c}",
       "Università di {c}", "{c} Research Centre"]
DEPARTMENTS = {"ml": ["Department of Computer Science", "School of Informatics", "Machine Learning Group"],
               "bio": ["Department of Molecular Biology", "Institute of Genetics", "Department of Biochemistry"],
               "physics": ["Department of Physics", "Institute for Theoretical Physics", "Department of Astronomy"],
               "econ": ["Department of Economics", "School of Business and Economics", "Institute for Economic Research"],
               "stats": ["Department of Statistics", "Department of Biostatistics", "Department of Mathematics"]}


def make_doc(rng: random.Random, long_px: int) -> Doc:
    doc = new_doc(rng, "portrait", long_px, colour_p=0.5,
                  body_kinds={"serif": 6, "sans": 1.5}, head_kinds={"serif": 2, "sans": 1.5})
    # Most papers are in English whatever the authors' country; some are in the local language.
    doc.english = doc.lang.lang == "en" or rng.random() < 0.75
    doc.text = PaperText(rng, doc.fake, doc.lang.lang, doc.english)
    return doc


def label(doc: Doc, key: str) -> str:
    return labels()["en"][key] if doc.english else doc.lang[key]


def para_text(doc: Doc, n: int | None = None, kind: str | None = None) -> str:
    return doc.text.paragraph(kind, n)


# --------------------------------------------------------------------------- column flow


@dataclass
class Flow:
    """Fills columns top to bottom with lines and blocks, moving to the next column when one is full."""

    doc: Doc
    cols: list[tuple[float, float, float]]  # (x, width, top)
    bottom: float
    face: object
    size: float
    leading: float = 1.22
    align: str = "justify"
    i: int = 0
    y: float = 0.0
    sec: int = 0
    fig: int = 0
    tab: int = 0
    eq: int = 0
    alg: int = 0
    heading_style: int = 0
    kind: str = "intro"  # the kind of sentences the current section holds
    numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.y = self.cols[0][2]

    @property
    def full(self) -> bool:
        return self.i >= len(self.cols)

    @property
    def x(self) -> float:
        return self.cols[self.i][0]

    @property
    def w(self) -> float:
        return self.cols[self.i][1]

    def next_col(self) -> bool:
        self.i += 1
        if self.full:
            return False
        self.y = self.cols[self.i][2]
        return True

    def fits(self, h: float) -> bool:
        return self.y + h <= self.bottom

    def text(self, text: str, indent: bool = True, face=None, size: float | None = None) -> None:
        """A paragraph that may continue in the next column."""
        if self.full:
            return
        face, size = face or self.face, size or self.size
        step = size * self.leading
        ind = size * 1.2 if indent else 0.0
        lines = wrap(self.doc.cv, text, face, size, self.w - ind)
        first = True
        while lines and not self.full:
            if not self.fits(step):
                if not self.next_col():
                    return
                continue
            line = lines.pop(0)
            last = not lines
            x = self.x + (ind if first else 0)
            base = self.y + size
            if self.align == "justify" and not last and " " in line:
                from docclf.synth.canvas import _justify

                _justify(self.doc.cv, x, base, self.w - (x - self.x), line, face, size, self.doc.ink)
            else:
                self.doc.cv.text(x, base, line, face, size, self.doc.ink)
            self.y += step
            if first and lines:  # re-wrap the rest at full width after the indented first line
                lines = wrap(self.doc.cv, " ".join(lines), face, size, self.w)
            first = False
        self.y += size * 0.25

    def block(self, h: float, draw) -> bool:
        """Reserve `h` points in a column (moving on if needed) and call draw(x, y, w)."""
        while not self.full and not self.fits(h):
            col_h = self.bottom - self.cols[self.i][2]
            if h > col_h or self.bottom - self.y > 0.3 * col_h:  # skip the float rather than leave a gap
                return False
            self.next_col()
        if self.full:
            return False
        draw(self.x, self.y, self.w)
        self.y += h
        return True

    def heading(self, text: str, sub: bool = False) -> None:
        doc = self.doc
        if not sub:
            self.kind = doc.text.section_kind(text)
        if sub:
            num = f"{self.sec}.{self.numbers.count(self.sec) + 1}"
            self.numbers.append(self.sec)
        else:
            self.sec += 1
            num = {0: f"{self.sec}", 1: f"{self.sec}.", 2: _roman(self.sec) + ".", 3: ""}[self.heading_style]
        size = self.size * (1.0 if sub else 1.2)
        face = doc.head.bold if not sub or self.heading_style != 2 else doc.body.italic
        title = text.upper() if self.heading_style == 2 and not sub else text
        label_ = f"{num}  {title}".strip() if num else title

        def draw(x, y, w):
            if self.heading_style == 2 and not sub:
                doc.cv.text_center(x + w / 2, y + size * 1.3, label_, face, size * 0.9, doc.ink)
            else:
                doc.cv.text(x, y + size * 1.3, label_, face, size, doc.ink)

        self.block(size * 2.1, draw)

    def equation(self) -> None:
        doc = self.doc
        self.eq += 1
        n = self.eq
        h = self.size * 3.6

        def draw(x, y, w):
            equation(doc, x, y + h * 0.55, doc.math_face(), self.size, width=w * 0.9)
            doc.cv.text_right(x + w, y + h * 0.55, f"({n})", self.face, self.size, doc.ink)

        self.block(h, draw)

    def figure(self, h: float | None = None) -> None:
        doc = self.doc
        self.fig += 1
        sep = doc.rng.choice([":", ":", "."])
        cap = f"{label(doc, 'figure')} {self.fig}{sep} " + doc.text.caption("figure")
        cap_size = self.size * 0.9
        h = h or self.w * doc.rng.uniform(0.45, 0.8)
        cap_h = len(wrap(doc.cv, cap, self.face, cap_size, self.w)) * cap_size * 1.2 + cap_size

        def draw(x, y, w):
            figure_panel(doc, x, y, w, h - cap_size)
            paragraph(doc.cv, x, y + h, w, cap, self.face, cap_size, doc.ink, 1.2)

        self.block(h + cap_h, draw)

    def table(self) -> None:
        doc = self.doc
        self.tab += 1
        cap = f"{label(doc, 'table')} {self.tab}: " + doc.text.caption("table")
        rows, aligns = doc.text.results_table()
        size = self.size * 0.85
        h = len(rows) * size * 1.9 + size * 3

        def draw(x, y, w):
            yc = paragraph(doc.cv, x, y, w, cap, self.face, self.size * 0.9, doc.ink, 1.2)
            n = len(rows[0])
            widths = [w * 0.3] + [w * 0.7 / (n - 1)] * (n - 1)
            style = TableStyle(grid=doc.rng.choice(["rules", "rules", "full"]), line=doc.ink, pad=0.4, line_w=0.5)
            table(doc, x, yc + 3, widths, rows, self.face, doc.body.bold, size, aligns, style)

        self.block(h + self.size * 2.5, draw)

    def code(self) -> None:
        """A code listing with its output, set in a monospaced face (software papers, R and Python vignettes)."""
        doc = self.doc
        mono = doc.family({"mono": 1})
        size = self.size * doc.rng.uniform(0.8, 0.92)
        lines = code_lines(doc.rng, doc.rng.randint(4, 16))
        h = len(lines) * size * 1.18 + size * 1.2

        def draw(x, y, w):
            room = w - size
            for k, line in enumerate(lines):
                while line and doc.cv.width(line, mono.regular, size) > room:  # a long line is cut at the column
                    line = line[:-4]
                doc.cv.text(x + size * 0.5, y + size * (1.0 + 1.18 * k), line, mono.regular, size, doc.ink)

        self.block(h, draw)

    def algorithm(self) -> None:
        """A pseudo-code float: ruled 'Algorithm n' header, numbered lines with bold keywords, as LaTeX sets it."""
        doc = self.doc
        self.alg += 1
        size = self.size * 0.95
        steps = algorithm_lines(doc.rng)
        h = (len(steps) + 1.6) * size * 1.3
        face, bold = doc.body.regular, doc.body.bold

        def draw(x, y, w):
            cv = doc.cv
            cv.hline(x, x + w, y, doc.ink, 0.9)
            cv.text(x, y + size * 1.15, f"Algorithm {self.alg}", bold, size, doc.ink)
            cv.text(x + cv.width(f"Algorithm {self.alg}  ", bold, size), y + size * 1.15,
                    doc.text.title()[:60], face, size, doc.ink)
            cv.hline(x, x + w, y + size * 1.55, doc.ink, 0.5)
            yy = y + size * 1.55
            for k, (depth, keyword, rest) in enumerate(steps):
                yy += size * 1.3
                cv.text_right(x + size * 1.6, yy, f"{k + 1}:", face, size * 0.85, doc.ink)
                cx = x + size * (2.2 + 1.2 * depth)
                if keyword:
                    cv.text(cx, yy, keyword, bold, size, doc.ink)
                    cx += cv.width(keyword + " ", bold, size)
                cv.text(cx, yy, rest, face, size, doc.ink)
            cv.hline(x, x + w, yy + size * 0.6, doc.ink, 0.9)

        self.block(h, draw)


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][(n - 1) % 10]


def figure_panel(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    """A figure: one or several plots, an image panel, or a schematic; greyscale or colour."""
    rng = doc.rng
    kind = rng.random()
    face, size = doc.body.regular, max(5.0, min(9.0, w / 40))
    if kind < 0.45:
        chart(doc, x, y, w, h, face, size, kinds=("line", "bar", "scatter", "line"))
    elif kind < 0.7:  # grid of sub-panels (a), (b), ...
        nx, ny = rng.choice([(2, 1), (3, 1), (2, 2), (4, 1)])
        pw, ph = w / nx, h / ny
        for j in range(ny):
            for i in range(nx):
                px, py = x + i * pw + 3, y + j * ph + 2
                if rng.random() < 0.5:
                    heatmap(doc, px, py, pw - 6, ph - size * 2.2)
                else:
                    chart(doc, px, py, pw - 6, ph - size * 2.2, face, size * 0.8, kinds=("line", "bar", "scatter"))
                doc.cv.text_center(px + pw / 2, py + ph - size * 0.5, f"({'abcdefgh'[j * nx + i]})", face, size, doc.ink)
    elif kind < 0.85:
        heatmap(doc, x + w * 0.1, y, w * 0.8, h)
    elif kind < 0.93:
        schematic(doc, x, y, w, h)
    else:
        (photo if rng.random() < 0.5 else image_placeholder)(doc, x + w * 0.1, y, w * 0.8, h)


def schematic(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    """A model/architecture diagram: labelled boxes joined by arrows."""
    rng, cv = doc.rng, doc.cv
    n = rng.randint(3, 6)
    bw = w / (n * 1.4)
    face = doc.body.regular
    size = max(4.0, min(8.0, bw / 6))
    for k in range(n):
        bx = x + k * bw * 1.4 + bw * 0.2
        bh = h * rng.uniform(0.3, 0.8)
        by = y + (h - bh) / 2
        fill = doc.tint(doc.accent, rng.uniform(0.5, 0.85)) if doc.colour else doc.grey(200, 240)
        cv.rect(bx, by, bx + bw, by + bh, fill=fill, outline=doc.ink, width=0.5, radius=rng.choice([0, 3]))
        cv.text_center(bx + bw / 2, by + bh / 2, rng.choice(["Encoder", "Conv", "Attn", "MLP", "Input", "Pool",
                                                              "Decoder", "Norm", "Loss"]), face, size, doc.ink)
        if k < n - 1:
            ax = bx + bw
            cv.line([(ax, y + h / 2), (ax + bw * 0.4 - 2, y + h / 2)], doc.ink, 0.6)
            cv.polygon([(ax + bw * 0.4 - 4, y + h / 2 - 2), (ax + bw * 0.4, y + h / 2), (ax + bw * 0.4 - 4, y + h / 2 + 2)],
                       fill=doc.ink)


# Identifiers and calls for code listings: statistics and machine-learning code as papers and vignettes show it.
CODE_VARS = ["fit", "model", "dat", "d", "x", "y", "res", "m1", "m2", "out", "tab", "est", "pred", "X", "mod"]
CODE_COLS = ["age", "dose", "time", "group", "score", "income", "weight", "treat", "sex", "count", "rate", "y", "x1",
             "x2", "region", "year"]
R_CALLS = ["lm({y} ~ {a} + {b}, data = {d})", "glm({y} ~ {a} * {b}, data = {d}, family = binomial)",
           "summary({v})", "coef({v})", "anova({v}, {w})", "predict({v}, newdata = {d})", "library(\"{pkg}\")",
           "data(\"{d}\", package = \"{pkg}\")", "head({d})", "table({d}${a}, {d}${b})", "plot({v})",
           "confint({v}, level = 0.95)", "{v} <- update({v}, . ~ . - {b})", "set.seed({n})",
           "{v} <- {fn}({y} ~ {a}, data = {d}, control = ctrl)", "AIC({v}, {w})", "{d} <- subset({d}, {a} > {n})"]
PY_CALLS = ["import numpy as np", "import pandas as pd", "from sklearn.linear_model import LogisticRegression",
            "{d} = pd.read_csv(\"{d}.csv\")", "{v} = {fn}(alpha={f}, max_iter={n})", "{v}.fit(X_train, y_train)",
            "pred = {v}.predict(X_test)", "print(np.mean(pred == y_test))", "for epoch in range({n}):",
            "    loss = criterion(model(x), y)", "    loss.backward()", "    optimizer.step()",
            "def {fn}(x, theta):", "    return np.exp(-theta * x) / (1 + x ** 2)", "{v} = np.linspace(0, 1, {n})"]
R_FUNCS = ["ctree", "mob", "glmer", "lmer", "rq", "clm", "zeroinfl", "vglm", "gam", "nls"]
PY_FUNCS = ["Ridge", "Lasso", "fit_model", "kernel", "GaussianProcess", "simulate", "estimate"]
PACKAGES = ["stats", "MASS", "lme4", "survival", "sandwich", "party", "mgcv", "boot", "nlme"]
ALG_STEPS = [(0, "Input:", "data {d}, step size η, iterations T"), (0, "Output:", "parameters θ"),
             (0, "", "initialise θ ← 0"), (0, "for", "t = 1, ..., T do"), (1, "", "sample a batch B from {d}"),
             (1, "", "g ← ∇L(θ; B)"), (1, "", "θ ← θ − η g"), (1, "if", "‖g‖ < ε then"), (2, "break", ""),
             (1, "end if", ""), (0, "end for", ""), (0, "while", "not converged do"),
             (1, "", "update the weights w_i for i = 1, ..., n"), (0, "end while", ""), (0, "return", "θ")]


def _code_slots(rng: random.Random, python: bool) -> dict[str, str]:
    v, w = rng.sample(CODE_VARS, 2)
    a, b, y = rng.sample(CODE_COLS, 3)
    return {"v": v, "w": w, "a": a, "b": b, "y": y, "d": rng.choice(["dat", "df", "data", "train", "cars", "survey"]),
            "n": str(rng.choice([1, 10, 42, 100, 500, 1000, 2024])), "f": rng.choice(["0.1", "0.01", "1.0"]),
            "pkg": rng.choice(PACKAGES), "fn": rng.choice(PY_FUNCS if python else R_FUNCS)}


def _r_output(rng: random.Random) -> list[str]:
    """A coefficient table as R prints it."""
    out = ["Coefficients:", "             Estimate Std. Error t value Pr(>|t|)"]
    for name in ["(Intercept)"] + rng.sample(CODE_COLS, rng.randint(1, 4)):
        est, se = rng.uniform(-3, 3), rng.uniform(0.01, 1)
        p = rng.choice(["<2e-16 ***", f"{rng.uniform(0, 0.05):.5f} *", f"{rng.uniform(0.05, 0.9):.4f}  "])
        out.append(f"{name:<12} {est:9.5f} {se:10.5f} {est / se:7.3f} {p}")
    if rng.random() < 0.5:
        out.append(f"Residual standard error: {rng.uniform(0.2, 9):.3f} on {rng.randint(20, 900)} degrees of freedom")
    return out


def code_lines(rng: random.Random, n: int) -> list[str]:
    """n lines of an R session (prompts, calls, printed output) or of Python code."""
    python = rng.random() < 0.35
    slots = _code_slots(rng, python)
    prompt = "" if python and rng.random() < 0.6 else (">>> " if python else rng.choice(["R> ", "> "]))
    lines: list[str] = []
    while len(lines) < n:
        call = rng.choice(PY_CALLS if python else R_CALLS).format(**slots)
        lines.append(prompt + call)
        if not python and rng.random() < 0.35:
            lines += _r_output(rng)
        elif rng.random() < 0.2:  # printed numbers
            lines.append(" ".join(f"{rng.uniform(-2, 9):.4f}" for _ in range(rng.randint(3, 6))))
    return lines[:n]


def algorithm_lines(rng: random.Random) -> list[tuple[int, str, str]]:
    """(depth, bold keyword, rest) per line of a pseudo-code listing: a prefix of the steps, some left out."""
    steps = [s for s in ALG_STEPS if rng.random() < 0.8 or s[1].startswith("end") or s[1] in ("for", "return")]
    # keep every block closed: drop an 'end' whose opener was dropped
    opened = {k for _, k, _ in steps}
    steps = [s for s in steps if not s[1].startswith("end ") or s[1][4:] in opened]
    return [(d, k, r.replace("{d}", rng.choice(["D", "S", "X"]))) for d, k, r in steps]

def fill_body(flow: Flow, first_heading: str | None = None, figure_p: float = 0.12, eq_p: float = 0.12,
              table_p: float = 0.06) -> None:
    """Fill the remaining columns with headed sections, paragraphs, equations, figures and tables."""
    doc, rng = flow.doc, flow.doc.rng
    # a third of papers show code (software and statistics papers, vignettes); a few more an algorithm float
    code_p = 0.12 if rng.random() < 0.33 else 0.0
    alg_p = 0.04 if rng.random() < 0.3 else 0.0
    if first_heading:
        flow.heading(first_heading)
    elif flow.kind == "intro":  # a page from the middle of a paper: its text is past the introduction
        flow.kind = rng.choice(["related", "method", "method", "experiments", "results", "results", "discussion"])
    guard = 0
    last = "heading" if first_heading else ""
    while not flow.full and guard < 200:
        guard += 1
        r = rng.random()
        if last == "heading" and r < 0.17:  # a heading is never followed by another heading
            r = 0.5
        last = "heading" if r < 0.17 else "other"
        if r < 0.1:
            flow.heading(doc.text.heading() if doc.english else label(doc, rng.choice(
                ["introduction", "results", "conclusion", "background"])))
        elif r < 0.17:
            flow.heading(doc.text.subheading() if doc.english else doc.text.title(), sub=True)
        elif r < 0.17 + eq_p:
            flow.equation()
        elif r < 0.17 + eq_p + figure_p:
            flow.figure()
        elif r < 0.17 + eq_p + figure_p + table_p:
            flow.table()
        elif r < 0.17 + eq_p + figure_p + table_p + code_p:
            flow.code()
        elif r < 0.17 + eq_p + figure_p + table_p + code_p + alg_p:
            flow.algorithm()
        else:
            flow.text(para_text(doc, rng.randint(2, 6), flow.kind))


def setup(doc: Doc, two_col: bool, top: float, margin: float | None = None, gutter: float | None = None,
          size: float | None = None) -> Flow:
    rng = doc.rng
    m = margin or rng.uniform(45, 75)
    g = gutter or rng.uniform(12, 22)
    size = size or (rng.uniform(8, 9.5) if two_col else rng.uniform(9.5, 11.5))
    if two_col:
        w = (doc.W - 2 * m - g) / 2
        cols = [(m, w, top), (m + w + g, w, top)]
    else:
        cols = [(m, doc.W - 2 * m, top)]
    flow = Flow(doc, cols, doc.H - rng.uniform(50, 75), doc.body.regular, size,
                align="justify" if rng.random() < 0.85 else "left")
    flow.heading_style = rng.randrange(4)
    return flow


def running_header(doc: Doc, m: float, page: int) -> None:
    """Journal or arXiv header line and page number."""
    rng, cv = doc.rng, doc.cv
    face, size = doc.body.italic if rng.random() < 0.5 else doc.body.regular, 7.5
    ink = doc.grey(50, 110)
    text = rng.choice([f"{doc.text.venue()} {rng.randint(1, 60)} ({rng.randint(2005, 2025)}) "
                       f"{rng.randint(100, 900)}–{rng.randint(901, 999)}",
                       f"{doc.fake.last_name()} et al.", f"{doc.fake.last_name()} and {doc.fake.last_name()}",
                       doc.text.title(), f"{doc.text.venue()} {rng.randint(2010, 2025)}",
                       f"arXiv:{rng.randint(1501, 2512)}.{rng.randint(10000, 29999)}v{rng.randint(1, 3)}",
                       f"Preprint – {doc.fake.last_name()} et al. – {doc.text.title()}"])
    cv.text(m, 38, text, face, size, ink)
    cv.text_right(doc.W - m, 38, str(page), doc.body.regular, size, ink)
    if rng.random() < 0.5:
        cv.hline(m, doc.W - m, 43, ink, 0.4)


def title_block(doc: Doc, x: float, y: float, w: float, centre: bool = True) -> float:
    """Title, authors with affiliation marks, affiliations, sometimes emails; returns the y below."""
    rng, cv, f = doc.rng, doc.cv, doc.fake
    tsize = rng.uniform(14, 20)
    title = doc.text.title()
    y = paragraph(cv, x, y, w, title, doc.head.bold, tsize, doc.ink, 1.15, align="center" if centre else "left")
    n_aff = rng.randint(1, 3)
    sup = "¹²³"
    authors = ", ".join(f"{f.first_name()} {f.last_name()}{sup[rng.randint(1, n_aff) - 1]}" + ("*" if k == 0 and rng.random() < 0.4 else "")
                        for k in range(rng.randint(1, 6)))
    y = paragraph(cv, x, y + 8, w, authors, doc.body.regular, rng.uniform(9.5, 11.5), doc.ink, 1.25,
                  align="center" if centre else "left")
    depts = DEPARTMENTS[doc.text.field_name]
    affs = [f"{sup[k]}{rng.choice(depts) + ', ' if rng.random() < 0.6 else ''}"
            f"{rng.choice(UNI).format(c=f.city())}, {f.country() if rng.random() < 0.4 else f.city()}"
            for k in range(n_aff)]
    for a in affs:
        y = paragraph(cv, x, y + 1, w, a, doc.body.italic, 8, doc.ink, 1.2, align="center" if centre else "left")
    if rng.random() < 0.6:
        mails = ", ".join(f"{f.first_name().lower()}.{f.last_name().lower()}@{f.domain_name()}"
                          for _ in range(rng.randint(1, 3)))
        mails = rng.choice(["", "", "Email: ", "*Corresponding author: "]) + mails
        y = paragraph(cv, x, y + 2, w, mails, doc.body.regular if rng.random() < 0.6 else doc.body.italic, 7.5,
                      doc.ink, 1.2, align="center" if centre else "left")
    return y + 10


def abstract(doc: Doc, x: float, y: float, w: float, size: float, style: int) -> float:
    """The abstract: centred heading and indented block, an IEEE-style run-in, or a shaded box."""
    rng, cv = doc.rng, doc.cv
    text = doc.text.abstract()
    head = label(doc, "abstract")
    if style == 0:
        cv.text_center(x + w / 2, y + size * 1.2, head, doc.head.bold, size * 1.1, doc.ink)
        y = paragraph(cv, x + w * 0.08, y + size * 1.8, w * 0.84, text, doc.body.regular, size * 0.95, doc.ink, 1.22,
                      "justify")
    elif style == 1:
        y = paragraph(cv, x, y, w, f"{head}—{text}", doc.body.bold, size * 0.92, doc.ink, 1.2, "justify")
    else:
        h = len(wrap(cv, text, doc.body.regular, size * 0.95, w - 20)) * size * 0.95 * 1.22 + size * 3.5
        cv.rect(x, y, x + w, y + h, fill=doc.tint(doc.accent, 0.9) if doc.colour else (238, 238, 238))
        cv.text(x + 10, y + size * 1.6, head, doc.head.bold, size, doc.ink)
        y = paragraph(cv, x + 10, y + size * 2.2, w - 20, text, doc.body.regular, size * 0.95, doc.ink, 1.22,
                      "justify") + size
    if rng.random() < 0.6:
        kw = rng.choice([", ", "; ", " · "]).join(doc.text.keywords())
        y = paragraph(cv, x + (w * 0.08 if style == 0 else 0), y + 4, w * (0.84 if style == 0 else 1),
                      f"{label(doc, 'keywords')}: {kw}", doc.body.italic, size * 0.9, doc.ink, 1.2)
    return y + 12


# --------------------------------------------------------------------------- families


def first_page(doc: Doc) -> None:
    """Title block, abstract across the page or in the left column, then two columns of body."""
    rng = doc.rng
    m = rng.uniform(45, 72)
    if rng.random() < 0.4:
        running_header(doc, m, rng.randint(1, 900))
    y = title_block(doc, m, rng.uniform(55, 90), doc.W - 2 * m)
    flow = setup(doc, True, y, margin=m)
    style = rng.randrange(3)
    if style == 1:  # IEEE: abstract is the first thing in the left column
        flow.cols = [(c[0], c[1], y) for c in flow.cols]
        ab_end = abstract(doc, flow.cols[0][0], y, flow.cols[0][1], flow.size, 1)
        flow.y = ab_end
    else:
        y = abstract(doc, m, y, doc.W - 2 * m, flow.size * 1.05, 0 if style == 0 else 2)
        flow.cols = [(c[0], c[1], y) for c in flow.cols]
        flow.y = y
    if rng.random() < 0.4:  # footnote with dates / copyright at the bottom of the left column
        fx, fw, _ = flow.cols[0]
        fy = flow.bottom - 30
        doc.cv.hline(fx, fx + fw * 0.4, fy, doc.ink, 0.4)
        paragraph(doc.cv, fx, fy + 2, fw, f"* Corresponding author. Received {doc.lang.date(random_date(rng))}; "
                  f"accepted {doc.lang.date(random_date(rng))}.", doc.body.regular, 6.5, doc.ink, 1.2)
        flow.bottom -= 34
    fill_body(flow, label(doc, "introduction"), figure_p=0.06, eq_p=0.06)


def preprint(doc: Doc) -> None:
    """arXiv-style single column: side arXiv stamp, title, abstract; a title page or the body start."""
    rng, cv = doc.rng, doc.cv
    m = rng.uniform(70, 100)
    if rng.random() < 0.6:  # the vertical arXiv identifier in the left margin
        stamp = f"arXiv:{rng.randint(1501, 2512)}.{rng.randint(10000, 29999)}v{rng.randint(1, 4)}  [{doc.text.arxiv_class()}]  {rng.randint(1, 28)} {vocab('labels')['months']['en'].split()[rng.randint(0, 11)][:3]} {rng.randint(2015, 2025)}"
        from PIL import Image, ImageDraw

        face = doc.body.regular
        fpx = cv.font(face, 14)
        wpx = max(1, int(fpx.getlength(stamp)) + 4)
        im = Image.new("L", (wpx, cv.px(20) + 2), 0)
        ImageDraw.Draw(im).text((2, 0), stamp, font=fpx, fill=255)
        im = im.rotate(90, expand=True)
        col = Image.new("RGB", im.size, doc.grey(110, 160))
        cv.img.paste(col, (cv.px(18), max(0, cv.px(doc.H * 0.7) - im.height)), im)
    y = title_block(doc, m, rng.uniform(80, 140), doc.W - 2 * m)
    size = rng.uniform(9.5, 11)
    y = abstract(doc, m, y + 10, doc.W - 2 * m, size, 0)
    if rng.random() < 0.35:  # a title page: nothing more but a footnote
        cv.text(m, doc.H - 70, rng.choice(["Preprint. Under review.", "Preprint submitted to " + doc.text.venue(),
                                           f"Accepted for publication in {doc.text.venue()}.",
                                           "Work in progress."]), doc.body.italic, 8, doc.ink)
        return
    flow = setup(doc, False, y, margin=m, size=size)
    fill_body(flow, label(doc, "introduction"), figure_p=0.05, eq_p=0.08)
    if rng.random() < 0.6:
        cv.text_center(doc.W / 2, doc.H - 30, "1", doc.body.regular, 9, doc.ink)


def body_page(doc: Doc) -> None:
    """A continuation page: running header, two (or one) columns, sometimes a full-width figure on top."""
    rng = doc.rng
    m = rng.uniform(45, 72)
    page = rng.randint(2, 30)
    running_header(doc, m, page) if rng.random() < 0.7 else None
    two = rng.random() < 0.75
    top = rng.uniform(55, 70)
    flow = setup(doc, two, top, margin=m)
    if two and rng.random() < 0.35:  # a float spanning both columns
        flow.cols = [(m, doc.W - 2 * m, top)]
        flow.figure(rng.uniform(150, 260)) if rng.random() < 0.7 else flow.table()
        y = flow.y + 10
        w = (doc.W - 2 * m - 16) / 2
        flow.cols = [(m, w, y), (m + w + 16, w, y)]
        flow.i, flow.y = 0, y
    flow.sec = rng.randint(1, 4)
    if rng.random() < 0.2:  # the last page: balanced columns that stop part-way down
        flow.bottom = flow.y + (flow.bottom - flow.y) * rng.uniform(0.15, 0.6)
    fill_body(flow, figure_p=0.1, eq_p=0.14, table_p=0.06)
    if rng.random() < 0.5:
        doc.cv.text_center(doc.W / 2, doc.H - 30, str(page), doc.body.regular, 9, doc.ink)


def figure_page(doc: Doc) -> None:
    """A page dominated by a figure (sub-panels and a long caption) with a little text."""
    rng = doc.rng
    m = rng.uniform(50, 75)
    running_header(doc, m, rng.randint(2, 30)) if rng.random() < 0.6 else None
    flow = setup(doc, False, rng.uniform(60, 80), margin=m)
    flow.fig = rng.randint(0, 6)
    if rng.random() < 0.4:
        flow.text(para_text(doc, rng.randint(2, 4)))
    flow.figure(doc.H * rng.uniform(0.35, 0.6))
    if rng.random() < 0.5:
        flow.figure(doc.H * rng.uniform(0.2, 0.3))
    fill_body(flow, figure_p=0.0, eq_p=0.05)


def references(doc: Doc) -> None:
    """The references section: numbered or author-year entries, one or two columns, small type."""
    rng = doc.rng
    m = rng.uniform(45, 72)
    running_header(doc, m, rng.randint(5, 40)) if rng.random() < 0.6 else None
    two = rng.random() < 0.6
    flow = setup(doc, two, rng.uniform(55, 70), margin=m, size=rng.uniform(7, 8.5) if two else rng.uniform(8, 9.5))
    flow.align = "left"
    if rng.random() < 0.5:  # end of the conclusion, acknowledgements
        flow.heading(rng.choice(["Conclusion", "Discussion", "Conclusions"]) if doc.english else label(doc, "conclusion"))
        flow.text(para_text(doc, rng.randint(3, 5), "conclusion"))
        if rng.random() < 0.5:
            flow.heading(label(doc, "acknowledgments"))
            flow.text(doc.text.ack())
    flow.heading(label(doc, "bibliography"))
    numbered = rng.random() < 0.7
    k = rng.randint(1, 20) if rng.random() < 0.3 else 1
    while not flow.full:
        flow.text(doc.text.reference(k, numbered), indent=False)
        k += 1


def journal(doc: Doc) -> None:
    """A journal first page: masthead with logo box and journal name, article info and abstract, body."""
    rng, cv = doc.rng, doc.cv
    m = rng.uniform(40, 60)
    jname = doc.text.venue()
    cv.text(m, 40, f"{jname} {rng.randint(1, 300)} ({rng.randint(2005, 2025)}) {rng.randint(1000, 99999)}",
            doc.body.regular, 7, doc.grey(60, 110))
    top = 52
    mh = rng.uniform(60, 90)
    fill = doc.tint(doc.accent, 0.9) if doc.colour else (236, 236, 236)
    cv.rect(m, top, doc.W - m, top + mh, fill=fill)
    cv.rect(m + 6, top + 6, m + mh - 6, top + mh - 6, fill=doc.accent if doc.colour else doc.grey(100, 150))
    cv.text_center(doc.W / 2, top + mh * 0.45, jname, doc.head.bold, 14, doc.accent if doc.colour else doc.ink)
    cv.text_center(doc.W / 2, top + mh * 0.75, f"journal homepage: www.{doc.fake.domain_name()}", doc.body.regular,
                   7.5, doc.ink)
    cv.hline(m, doc.W - m, top + mh + 6, doc.accent if doc.colour else doc.ink, rng.uniform(1, 3))
    y = title_block(doc, m, top + mh + 18, doc.W - 2 * m, centre=rng.random() < 0.3)
    cv.hline(m, doc.W - m, y, doc.ink, 0.5)
    info_w = (doc.W - 2 * m) * 0.3
    size = rng.uniform(7.5, 8.5)
    L = doc.lang
    yi = y + 8
    cv.text(m, yi + size, "ARTICLE INFO", doc.head.bold, size, doc.ink)
    info = ["Article history:", f"Received {L.date(random_date(rng))}", f"Accepted {L.date(random_date(rng))}",
            f"Available online {L.date(random_date(rng))}", "", f"{label(doc, 'keywords')}:"] + doc.text.keywords()
    for k, line in enumerate(info):
        cv.text(m, yi + size * (2.6 + k * 1.3), line, doc.body.regular, size, doc.ink)
    cv.text(m + info_w + 14, yi + size, "ABSTRACT", doc.head.bold, size, doc.ink)
    ya = paragraph(cv, m + info_w + 14, yi + size * 1.8, doc.W - 2 * m - info_w - 14, doc.text.abstract(),
                   doc.body.regular, size, doc.ink, 1.22, "justify")
    y = max(ya, yi + size * (2.6 + len(info) * 1.3)) + 8
    cv.hline(m, doc.W - m, y, doc.ink, 0.5)
    flow = setup(doc, True, y + 12, margin=m)
    fill_body(flow, label(doc, "introduction"), figure_p=0.05, eq_p=0.04)


def table_page(doc: Doc) -> None:
    """Results pages: tables with captions, some text, sometimes an equation."""
    rng = doc.rng
    m = rng.uniform(50, 75)
    running_header(doc, m, rng.randint(3, 30)) if rng.random() < 0.6 else None
    flow = setup(doc, rng.random() < 0.4, rng.uniform(60, 75), margin=m)
    flow.tab = rng.randint(0, 4)
    flow.sec = rng.randint(2, 5)
    flow.heading(rng.choice(["Results", "Experiments", "Evaluation", "Ablation Study"]) if doc.english
                 else label(doc, "results"))
    for _ in range(rng.randint(1, 3)):
        flow.text(para_text(doc, rng.randint(2, 5), "results"))
        flow.table()
    fill_body(flow, figure_p=0.03, eq_p=0.08, table_p=0.15)


def proceedings(doc: Doc) -> None:
    """A conference proceedings first page: title, authors in columns with affiliations and emails, then two
    columns with the abstract, concepts/keywords, a reference-format note, the body and a copyright box."""
    rng, cv, f = doc.rng, doc.cv, doc.fake
    m = rng.uniform(48, 62)
    sans = rng.random() < 0.5
    head = doc.family({"sans": 1}) if sans else doc.body
    y = rng.uniform(60, 80)
    y = paragraph(cv, m, y, doc.W - 2 * m, doc.text.title(), head.bold, rng.uniform(15, 20), doc.ink, 1.15,
                  align="center") + 10
    n = rng.randint(2, 4)
    cw = (doc.W - 2 * m) / n
    size = 8.5
    for k in range(n):
        first, last = f.first_name(), f.last_name()
        lines = [f"{first} {last}", rng.choice(["University of ", "", "Institute of Technology, "]) + f.city(),
                 f.country(), f"{first.lower()[:1]}{last.lower()}@{f.domain_name()}"]
        for i, line in enumerate(lines):
            face = doc.body.bold if i == 0 else doc.body.regular
            cv.text_center(m + cw * (k + 0.5), y + size + i * size * 1.3, line, face, size + (1 if i == 0 else 0),
                           doc.ink)
    y += 4 * size * 1.3 + 16
    flow = setup(doc, True, y, margin=m, size=rng.uniform(8, 9))
    caps = rng.random() < 0.6
    flow.heading_style = 0
    title = label(doc, "abstract")
    flow.block(flow.size * 2, lambda x, yy, w: cv.text(x, yy + flow.size * 1.3, title.upper() if caps else title,
                                                         head.bold, flow.size * 1.1, doc.ink))
    flow.text(doc.text.abstract(), indent=False)
    if rng.random() < 0.6:
        flow.block(flow.size * 2, lambda x, yy, w: cv.text(x, yy + flow.size * 1.3, "CCS CONCEPTS" if caps else "Concepts",
                                                             head.bold, flow.size * 1.1, doc.ink))
        flow.text("• " + " → ".join(k.title() for k in doc.text.keywords()[:2]) + ";", indent=False)
    flow.block(flow.size * 2, lambda x, yy, w: cv.text(x, yy + flow.size * 1.3, label(doc, "keywords").upper()
                                                         if caps else label(doc, "keywords"), head.bold,
                                                         flow.size * 1.1, doc.ink))
    flow.text(", ".join(doc.text.keywords()), indent=False)
    venue = doc.text.venue()
    year = rng.randint(2012, 2025)
    if rng.random() < 0.6:
        flow.text(f"Reference format: {f.last_name()} et al. {year}. {doc.text.title()}. In {venue}. "
                  f"{rng.randint(4, 12)} pages. https://doi.org/10.{rng.randint(1000, 9999)}/{rng.randint(1000000, 9999999)}",
                  indent=False, size=flow.size * 0.85)
    # The copyright box at the foot of the left column.
    fx, fw, _ = flow.cols[0]
    box_top = flow.bottom - 52
    cv.hline(fx, fx + fw, box_top, doc.ink, 0.4)
    paragraph(cv, fx, box_top + 2, fw, f"{venue}, {year}, {f.city()}. © {year} Copyright held by the "
              f"owner/author(s). https://doi.org/10.{rng.randint(1000, 9999)}/{rng.randint(1000000, 9999999)}",
              doc.body.regular, 6.5, doc.ink, 1.2)
    if flow.i == 0:
        flow.bottom = box_top - 6
    fill_body(flow, label(doc, "introduction"), figure_p=0.05, eq_p=0.08)


FAMILIES = (("first_page", first_page), ("preprint", preprint), ("body", body_page), ("figure_page", figure_page),
            ("references", references), ("journal", journal), ("table_page", table_page),
            ("proceedings", proceedings))
WEIGHTS = (3, 1.5, 3.5, 1.2, 1.2, 1.2, 1, 1.5)
