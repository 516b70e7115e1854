"""The synthetic document generator: determinism, layout contract, manifest, options, contact sheet."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from docclf.cli import run
from docclf.config import CLASSES, GENERATOR_CLASSES, GenerateConfig
from docclf.errors import UsageError
from docclf.synth import GENERATOR_VERSION, generate_dataset, make_contact_sheet
from docclf.synth.dataset import MANIFEST_COLUMNS, SPLITS, split_counts
from docclf.synth.layouts import family_names, render_page
from docclf.synth.scan import scan

N = 5  # pages per class in the shared dataset


def small_cfg(out: Path, **kw) -> GenerateConfig:
    base = dict(output_dir=str(out), num_per_class=N, seed=7, min_size=64, max_size=200, scan_prob=0.5,
                workers=1)
    return GenerateConfig(**{**base, **kw})


def read_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def read_manifest(root: Path) -> list[dict]:
    with (root / "manifest.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth") / "data"
    return out, generate_dataset(small_cfg(out), progress=False)


# --------------------------------------------------------------------------- determinism


def test_same_bytes_whatever_the_worker_count(dataset, tmp_path):
    out1, summary1 = dataset
    out2 = tmp_path / "data"
    summary2 = generate_dataset(small_cfg(out2, workers=2), progress=False)
    a, b = read_files(out1), read_files(out2)
    a.pop("dataset.json"), b.pop("dataset.json")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []  # every image and manifest.csv byte-identical
    s1, s2 = copy.deepcopy(summary1), copy.deepcopy(summary2)
    assert "workers" not in s1["options"]
    for s in (s1, s2):  # only the output folder may differ
        s["options"].pop("output_dir")
    assert s1 == s2


def _generate_in_subprocess(cwd: Path, workers: int, hash_seed: str) -> Path:
    """Generate into cwd/data (a relative path, so even dataset.json can be compared byte for byte)."""
    cwd.mkdir()
    cmd = [sys.executable, "-m", "docclf", "generate", "--output-dir", "data", "--num-per-class", "10",
           "--seed", "11", "--min-size", "64", "--max-size", "160", "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "PYTHONHASHSEED": hash_seed}
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd)
    return cwd / "data"


def test_every_page_identical_across_processes_and_worker_counts(tmp_path):
    """A page depends only on (options, seed, index): not on the worker count, the pages a process drew
    before it, or the interpreter's string hash seed (it_IT city names once followed it)."""
    a = read_files(_generate_in_subprocess(tmp_path / "a", 1, "1"))
    b = read_files(_generate_in_subprocess(tmp_path / "b", 2, "2"))
    assert len(a) == len(GENERATOR_CLASSES) * 10 * 2 + 2  # every page, its words file, manifest.csv, dataset.json
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_rerun_gives_byte_identical_files_including_dataset_json(tmp_path):
    cfg = small_cfg(tmp_path / "d", num_per_class=2, classes=["letter", "presentation"], overwrite=True)
    generate_dataset(cfg, progress=False)
    first = read_files(tmp_path / "d")
    generate_dataset(cfg, progress=False)
    assert read_files(tmp_path / "d") == first


def test_class_list_is_normalised(tmp_path):
    summary = generate_dataset(small_cfg(tmp_path / "d", num_per_class=1, classes=["resume", "invoice", "resume"]),
                               progress=False)
    assert summary["classes"] == ["invoice", "resume"] and summary["total"] == 2


def test_another_seed_gives_other_pages(dataset, tmp_path):
    out, _ = dataset
    other = tmp_path / "other"
    generate_dataset(small_cfg(other, seed=8, classes=["invoice"], num_per_class=2), progress=False)
    assert (out / "train/invoice/invoice_00000.png").read_bytes() != (other / "train/invoice/invoice_00000.png").read_bytes()


# --------------------------------------------------------------------------- layout of the output


def test_classes_counts_and_splits(dataset):
    out, summary = dataset
    assert summary["classes"] == list(GENERATOR_CLASSES)
    assert summary["total"] == N * len(GENERATOR_CLASSES)
    expected = dict(zip(SPLITS, split_counts(N, [0.7, 0.15, 0.15])))
    for split in SPLITS:
        assert sorted(p.name for p in (out / split).iterdir()) == sorted(GENERATOR_CLASSES)
        for cls in GENERATOR_CLASSES:
            n = len(list((out / split / cls).glob("*.png")))
            assert len(list((out / split / cls).glob("*.words.json"))) == n
            assert n == summary["counts"][split][cls] == expected[split]
    assert json.loads((out / "dataset.json").read_text()) == summary


def test_splits_are_disjoint(dataset):
    out, _ = dataset
    names = {split: {p.name for p in (out / split).rglob("*.png")} for split in SPLITS}
    assert not names["train"] & names["val"] and not names["train"] & names["test"] and not names["val"] & names["test"]
    assert sum(len(v) for v in names.values()) == N * len(GENERATOR_CLASSES)


def test_sizes_within_range_and_page_shapes(dataset):
    out, _ = dataset
    for row in read_manifest(out):
        with Image.open(out / row["path"]) as im:
            assert im.size == (int(row["width"]), int(row["height"]))
            assert im.mode == "RGB"
            assert 64 <= max(im.size) <= 200
            landscape = im.width > im.height
            assert landscape == (row["class"] == "presentation"), row["path"]


def test_manifest_matches_files(dataset):
    out, _ = dataset
    with (out / "manifest.csv").open(newline="") as fh:
        assert next(csv.reader(fh)) == list(MANIFEST_COLUMNS)
    rows = read_manifest(out)
    paths = [r["path"] for r in rows]
    assert paths == sorted(paths)
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png") if p.name != "contact_sheet.png")
    assert paths == on_disk
    for r in rows:
        assert hashlib.sha256((out / r["path"]).read_bytes()).hexdigest() == r["sha256"]
        split, cls, _ = r["path"].split("/")
        assert (r["split"], r["class"]) == (split, cls)
        assert r["layout"] in family_names(cls)


def test_dataset_json_describes_the_run(dataset):
    _, summary = dataset
    assert summary["generator"] == {"name": "docclf.synth", "version": GENERATOR_VERSION}
    assert summary["seed"] == 7 and summary["options"]["num_per_class"] == N
    assert set(summary["options"]) == set(GenerateConfig.__dataclass_fields__) - {"workers", "overwrite"}
    assert summary["layouts"] == {c: family_names(c) for c in GENERATOR_CLASSES}
    assert 1 <= summary["fonts_used"] <= summary["fonts_available"]


def test_jpg_format(tmp_path):
    out = tmp_path / "jpg"
    generate_dataset(small_cfg(out, num_per_class=3, classes=["resume"], image_format="jpg"), progress=False)
    rows = read_manifest(out)
    assert len(rows) == 3 and all(r["path"].endswith(".jpg") for r in rows)
    with Image.open(out / rows[0]["path"]) as im:
        assert im.format == "JPEG"


@pytest.mark.parametrize("n, split, expected", [
    (3, [0.7, 0.15, 0.15], [1, 1, 1]),
    (10, [0.7, 0.15, 0.15], [7, 2, 1]),
    (200, [0.7, 0.15, 0.15], [140, 30, 30]),
    (1, [0.7, 0.15, 0.15], [1, 0, 0]),
    (5, [1.0, 0.0, 0.0], [5, 0, 0]),
    (4, [0.5, 0.5, 0.0], [2, 2, 0]),
])
def test_split_counts(n, split, expected):
    assert split_counts(n, split) == expected


# --------------------------------------------------------------------------- words next to each page

# Words every page of a class is likely to carry, in any of the generator's languages (lower case).
CLASS_WORDS = {
    "invoice": {"invoice", "rechnung", "facture", "factura", "fattura", "factuur", "fatura", "total", "totaal",
                "totale", "gesamtbetrag", "vat", "mwst.", "tva", "iva", "btw", "iban"},
    "letter": {"dear", "sincerely,", "regards,", "geehrte", "grüßen", "madame,", "cordialement,", "estimado",
               "atentamente,", "gentile", "saluti,", "geachte", "groet,", "caro", "cumprimentos,"},
    "presentation": set(),  # slides can be a title and a few words: no fixed vocabulary
    "resume": {"experience", "education", "skills", "berufserfahrung", "ausbildung", "expérience", "formation",
               "experiencia", "formación", "esperienza", "istruzione", "werkervaring", "opleiding",
               "experiência", "formação", "languages", "sprachen", "langues", "idiomas", "lingue", "talen"},
    "scientific_paper": {"al.", "abstract", "introduction", "references", "figure", "table", "section", "proposed",
                         "method", "results", "eq.", "zusammenfassung", "résumé", "resumen", "sommario", "resumo"},
}


def read_words(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_page_has_its_words_file(dataset):
    out, summary = dataset
    assert summary["words"]["suffix"] == ".words.json"
    for row in read_manifest(out):
        words_file = out / row["path"].replace(".png", ".words.json")
        doc = read_words(words_file)
        assert set(doc) == {"format", "source", "size", "words"}
        assert (doc["format"], doc["source"]) == (1, "generator")
        assert doc["size"] == [int(row["width"]), int(row["height"])]
        assert doc["words"] or row["class"] == "other", row["path"]  # 'other' has blank pages
        for text, x0, y0, x1, y1, conf in doc["words"]:
            assert text and not any(c.isspace() for c in text)
            assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 and conf == 100
            assert all(round(v, 4) == v for v in (x0, y0, x1, y1))


@pytest.mark.parametrize("cls", CLASSES)
def test_words_are_the_class_vocabulary_and_sit_on_ink(cls):
    """Each recorded box covers drawn ink, and the class's usual words are there to be read."""
    hits = 0
    for seed in range(4):
        page = render_page(cls, random.Random(seed), 800)
        grey = np.asarray(page.image.convert("L"), dtype=np.int16)
        h, w = grey.shape
        inked = 0
        for _, x0, y0, x1, y1, _ in page.words:
            box = grey[int(y0 * h):max(int(y0 * h) + 1, round(y1 * h)), int(x0 * w):max(int(x0 * w) + 1, round(x1 * w))]
            inked += int(box.max() - box.min() > 40)
        assert inked >= 0.95 * len(page.words), f"{cls} seed {seed}: {inked} of {len(page.words)} boxes on ink"
        hits += bool({t.lower() for t, *_ in page.words} & CLASS_WORDS[cls])
    assert not CLASS_WORDS[cls] or hits >= 3


def test_words_and_boxes_do_not_depend_on_the_resolution():
    """Layout is in points: the same page at 400 and 1200 px has the same words and (nearly) the same boxes."""
    for cls in CLASSES:
        small = render_page(cls, random.Random(3), 400).words
        large = render_page(cls, random.Random(3), 1200).words
        assert [w[0] for w in small] == [w[0] for w in large]
        assert max(abs(p - q) for a, b in zip(small, large) for p, q in zip(a[1:5], b[1:5])) < 0.006


LANGS = ("en", "de", "fr", "es", "it", "nl", "pt")


def test_labels_file_has_every_key_in_every_language():
    from docclf.synth.text import labels, vocab

    table = labels()
    assert set(LANGS) <= set(table)
    for lang in LANGS:
        assert set(table[lang]) == set(table["en"]), lang
        assert len(vocab("labels")["months"][lang].split()) == 12


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_builders_fill_every_template(lang):
    """Every template of the vocabulary files expands (no unknown or unfilled slot) in every language."""
    from docclf.synth.phrases import CvText, LetterText, PaperText, SlideText
    from docclf.synth.text import Lang, faker_for

    locale = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "nl": "nl_NL",
              "pt": "pt_PT"}[lang]
    fake = faker_for(locale)
    texts: list[str] = []
    local: list[str] = []  # letters and CVs: in the page's language
    for seed in range(30):
        rng = random.Random(seed)
        fake.seed_instance(seed)
        paper = PaperText(rng, fake, lang, english=lang == "en" or seed % 2 == 0)
        texts += [paper.title(), paper.abstract(), paper.caption("figure"), paper.caption("table"),
                  paper.reference(seed, seed % 2 == 0), paper.ack(), paper.heading(), paper.subheading()]
        texts += [paper.paragraph(kind) for kind in ("intro", "related", "method", "experiments", "results",
                                                     "discussion", "conclusion")]
        letter = LetterText(rng, fake, Lang(locale), ("business", "personal", "application")[seed % 3:][:1])
        local += [letter.salutation(), letter.subject(), letter.enclosure(), letter.application_line,
                  *letter.paragraphs(6)]
        cv = CvText(rng, fake, Lang(locale))
        local += [cv.role(), cv.profile(), cv.job_summary(3), cv.degree(), cv.school_note(), *cv.bullets(8),
                  *(cv.fill(t) for t in cv.table["profile"] + cv.table["about"] + cv.table["job"]),
                  *(cv.heading(k) for k in ("profile", "experience", "education", "skills", "languages"))]
        texts += [*cv.skills(5), *cv.skills_with_levels(3), *(cv.item(k) for k in ("certs", "languages", "projects", "interests", "awards",
                                                          "volunteering"))]
        slides = SlideText(rng, fake, Lang(locale))
        texts += [slides.title, slides.section(), slides.block(), slides.quote(), *slides.titles(5),
                  *slides.bullets(6)]
    texts += local
    assert all(t and "{" not in t and "}" not in t for t in texts), [t for t in texts if "{" in t or not t][:5]
    if lang != "en":  # letters and CVs speak the page's language, not English
        words = {w for t in local for w in t.split()}
        assert not {"Dear", "Sincerely", "Education"} & words


# --------------------------------------------------------------------------- layouts and effects


@pytest.mark.parametrize("cls", GENERATOR_CLASSES)
def test_every_layout_family_renders(cls):
    names = family_names(cls)
    assert len(names) >= 4 and len(set(names)) == len(names)
    for i, name in enumerate(names):
        for seed in range(3):  # several seeds reach the random branches inside a family
            img, got, fonts, _ = render_page(cls, random.Random(seed * 100 + i), 300, family=i)
            assert got == name
            assert max(img.size) == 300
            assert (img.width > img.height) == (cls == "presentation")
            assert np.asarray(img.convert("L")).std() > 3 or name == "blank", f"{cls}/{name} drew a blank page"
            assert fonts or cls == "other"  # blank and photo pages have no text


@pytest.mark.parametrize("cls, family, lo, hi", [
    ("invoice", "erp", 150, 2000), ("invoice", "statement", 80, 2000), ("invoice", "premium", 60, 1000),
    ("invoice", "retail", 60, 700), ("invoice", "latex_invoice", 60, 900), ("letter", "latex_letter", 30, 700),
    ("resume", "web_theme", 40, 2000), ("resume", "latex_cv", 60, 900), ("letter", "template_stub", 4, 120),
    ("other", "tax_form", 60, 1500), ("other", "legal_filing", 25, 700), ("other", "press_release", 80, 900),
    ("other", "fax_cover", 15, 300), ("other", "directory", 60, 900), ("other", "card_sheet", 30, 600),
    ("other", "cover_page", 3, 200), ("other", "flyer", 20, 300), ("other", "code_listing", 100, 900),
    ("other", "spreadsheet", 150, 1500), ("other", "manual_page", 120, 900), ("other", "sheet_music", 5, 300)])
def test_real_page_look_alikes_record_their_words(cls, family, lo, hi):
    """The variants made after real pages the models misread: dense ERP printouts, statements, shop and hotel
    invoices, LaTeX-typeset invoices and letters, web CVs, near-empty letter templates; tax forms, legal filings,
    press releases, fax covers and the rest as none-of-these pages. Their words file holds what is drawn (boxes on
    ink) and as many words as such pages carry (dense forms dense, covers sparse)."""
    index = family_names(cls).index(family)
    for seed in range(3):
        page = render_page(cls, random.Random(seed), 800, family=index)
        grey = np.asarray(page.image.convert("L"), dtype=np.int16)
        h, w = grey.shape
        inked = sum(int(np.ptp(grey[int(y0 * h):max(int(y0 * h) + 1, round(y1 * h)),
                                    int(x0 * w):max(int(x0 * w) + 1, round(x1 * w))]) > 40)
                    for _, x0, y0, x1, y1, _ in page.words)
        assert lo <= len(page.words) <= hi, f"{family} seed {seed}: {len(page.words)} words"
        assert inked >= 0.95 * len(page.words), f"{family} seed {seed}: {inked} of {len(page.words)} boxes on ink"


@pytest.mark.parametrize("cls, family", [("invoice", "latex_invoice"), ("letter", "latex_letter"),
                                         ("resume", "latex_cv")])
def test_latex_families_are_set_in_computer_modern(cls, family):
    """Letters, invoices and CVs typeset with LaTeX come in Computer Modern, as LaTeX sets them, so that the font
    alone does not say 'paper'. Computer Modern (matplotlib's TeX-encoded copy) covers plain English only, so other
    languages, and pages with a pound or euro sign, get another book face: a few pages in 30, not none."""
    index = family_names(cls).index(family)
    cm = [any(Path(f).stem.lower().startswith("cm") for f in render_page(cls, random.Random(seed), 300,
                                                                          family=index).fonts)
          for seed in range(30)]
    assert 2 <= sum(cm) <= 20, sum(cm)


def test_retail_invoices_name_the_customer_in_labelled_fields():
    """Shop and hotel invoices label the customer's name, address and phone, as forms do: without them, the text
    view learned that such labels mean 'none of these' and sent real shop invoices there."""
    index = family_names("invoice").index("retail")
    labelled = 0
    for seed in range(20):
        words = [w[0] for w in render_page("invoice", random.Random(seed), 300, family=index).words]
        labelled += any(w.rstrip(":") in ("Name", "Naam", "Nom", "Nombre", "Nome", "Phone", "Telefon", "Telefoon",
                                          "Téléphone", "Teléfono", "Telefone", "Telefono") for w in words)
    assert labelled >= 10, labelled


def test_some_invoice_continuation_pages_are_a_mostly_blank_last_page():
    """A long invoice ends on a page with a few items, the total and a thank-you line or a QR code. When every
    generated continuation page was a full table, real last pages (a QR code and "Thank you for your business")
    were read as other classes."""
    index = family_names("invoice").index("continuation")
    low = [max((w[4] for w in render_page("invoice", random.Random(seed), 300, family=index).words), default=0)
           for seed in range(30)]
    assert 6 <= sum(b < 0.6 for b in low) <= 24, low  # the lowest word ends in the top 60% of the page


def test_some_invoices_are_unfilled_templates():
    """UI kits and libraries show invoices with placeholders ("Company", "Street Address", "Item 1"). Only
    letters had them, and the text view read such an invoice as a letter."""
    hits = 0
    for seed in range(80):
        text = " ".join(w[0] for w in render_page("invoice", random.Random(seed), 300).words)
        hits += any(p in text for p in ("example.com", "Street Address", "Company Name", "[", "Item 1", "Product 1"))
    assert 2 <= hits <= 20, hits


def test_cvs_run_from_a_few_lines_to_a_full_page():
    """Real CVs carry 40 to 400 words a page. When generated ones rarely fell under 100 words, the text view
    learned that a short page of sentences is a letter and sent real short CVs there; some must be short, and
    full pages must stay common."""
    counts = [len(render_page("resume", random.Random(seed), 400).words) for seed in range(60)]
    assert sum(c < 100 for c in counts) >= 7, sorted(counts)
    assert sum(c >= 200 for c in counts) >= 18, sorted(counts)


@pytest.mark.parametrize("family", ["press_release", "fax_cover"])
def test_some_none_of_these_pages_are_unfilled_templates(family):
    """Unfilled templates are not only letters: some fax covers and press releases keep their merge fields."""
    index = family_names("other").index(family)

    def is_field(word: str) -> bool:
        w = word.rstrip(".,:;")
        return any(w.startswith(a) and w.endswith(b) for a, b in (("<", ">"), ("«", "»"), ("[", "]"), ("{{", "}}")))

    unfilled = sum(any(is_field(w[0]) for w in render_page("other", random.Random(seed), 500, family=index).words)
                   for seed in range(20))
    assert 2 <= unfilled <= 12  # about 30%: most such pages are filled in


def test_papers_show_code_and_closed_algorithms():
    """Code listings and pseudo-code as papers print them: listings keep to the page, every 'end for' closes a
    'for' drawn above it."""
    from docclf.synth.layouts.paper import algorithm_lines, code_lines

    for seed in range(20):
        rng = random.Random(seed)
        assert len(code_lines(rng, 9)) == 9
        open_blocks: list[str] = []
        for depth, keyword, _ in algorithm_lines(rng):
            if keyword.startswith("end "):
                assert open_blocks and open_blocks.pop() == keyword[4:], keyword
            elif keyword in ("for", "while", "if"):
                open_blocks.append(keyword)
            assert depth >= 0
    body = family_names("scientific_paper").index("body")
    with_code = 0
    for seed in range(30):
        page = render_page("scientific_paper", random.Random(seed), 600, family=body)
        tokens = {w[0] for w in page.words}
        with_code += bool(tokens & {"R>", ">>>", "<-", "Coefficients:", "import", "def"})
        assert all(0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 for _, x0, y0, x1, y1, _ in page.words)
    assert 5 <= with_code <= 15  # about a third of papers, not all of them


def test_families_look_different():
    """Two families of a class must not produce the same page from the same RNG."""
    a = render_page("invoice", random.Random(1), 200, family=0).image
    b = render_page("invoice", random.Random(1), 200, family=1).image
    assert a.tobytes() != b.tobytes()


def test_full_resolution_page():
    img = render_page("scientific_paper", random.Random(3), 3508, family=0).image
    assert max(img.size) == 3508 and 2400 < min(img.size) < 2800


def test_scan_is_deterministic_and_keeps_the_size():
    page = render_page("letter", random.Random(5), 400).image
    outs = [scan(page, random.Random(k)) for k in (11, 11, 12)]
    assert outs[0].size == page.size and outs[0].mode == "RGB"
    assert outs[0].tobytes() == outs[1].tobytes()
    assert outs[0].tobytes() != outs[2].tobytes()


def test_fonts_discovered_and_missing_fonts_refused(monkeypatch):
    from docclf.synth import fonts

    found = fonts.discover_fonts()
    assert found and all(fonts.REQUIRED <= f.coverage for f in found)
    assert len({f.path for f in found}) == len(found)
    monkeypatch.setattr(fonts, "_system_font_files", lambda: [])
    monkeypatch.setattr(fonts, "_package_font_files", lambda: [])
    fonts.discover_fonts.cache_clear()
    try:
        with pytest.raises(UsageError, match="no usable"):
            fonts.discover_fonts()
    finally:
        monkeypatch.undo()
        fonts.discover_fonts.cache_clear()


def test_import_is_light():
    code = "import sys, docclf.synth; print(sorted(m for m in ('PIL', 'faker', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- options and the CLI


def cli(*args: str) -> int:
    return run(["generate", "--min-size", "64", "--max-size", "120", "--workers", "1", *args])


@pytest.mark.parametrize("args", [
    ["--classes", "invoice", "brochure"],
    ["--num-per-class", "0"],
    ["--min-size", "500", "--max-size", "400"],
    ["--split", "0.5", "0.5", "0.5"],
])
def test_bad_options_exit_2(args, tmp_path, capsys):
    assert cli("--output-dir", str(tmp_path / "o"), *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("docclf: error:")
    assert not (tmp_path / "o").exists()


def test_non_empty_output_dir_needs_overwrite(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert cli("--output-dir", str(out), "--num-per-class", "1") == 2
    assert "--overwrite" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_overwrite_removes_only_a_previous_generation(tmp_path):
    out = tmp_path / "o"
    assert cli("--output-dir", str(out), "--num-per-class", "3", "--classes", "letter") == 0
    stale = out / "train" / "letter" / "stale.png"
    stale.write_bytes(b"x")
    (out / "notes.txt").write_text("mine")
    assert cli("--output-dir", str(out), "--num-per-class", "1", "--classes", "resume", "--overwrite") == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert not (out / "train" / "letter").exists()
    assert len(read_manifest(out)) == 1


@pytest.mark.parametrize("make_blocker", ["file_as_dir", "file_as_parent"])
def test_unusable_output_dir_exit_2(make_blocker, tmp_path, capsys):
    blocker = tmp_path / "f"
    blocker.write_text("not a folder")
    target = blocker if make_blocker == "file_as_dir" else blocker / "sub"
    assert cli("--output-dir", str(target), "--num-per-class", "1") == 2
    assert "--output-dir" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_dir_exit_2(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert cli("--output-dir", str(ro / "data"), "--num-per-class", "1") == 2
    finally:
        ro.chmod(0o700)


# --------------------------------------------------------------------------- contact sheet


def test_contact_sheet(dataset, tmp_path):
    from docclf.synth.preview import CELL, GAP, LABEL_W

    out, _ = dataset
    sheet = make_contact_sheet(out, tmp_path / "sheet.png", per_class=3, split="train")
    with Image.open(sheet) as im:
        assert im.width == LABEL_W + 3 * (CELL + GAP) + GAP
        assert im.height > len(GENERATOR_CLASSES) * CELL
    assert run(["preview", str(out), "--split", "holdout"]) == 2
    assert run(["preview", str(out), "--output", str(tmp_path / "s2.png")]) == 0
    assert (tmp_path / "s2.png").is_file()


# --------------------------------------------------------------------------- the other class


def test_no_other_family_dominates_the_class():
    from docclf.synth.layouts import other

    assert len(other.WEIGHTS) == len(other.FAMILIES)
    assert max(other.WEIGHTS) / sum(other.WEIGHTS) <= 0.15
