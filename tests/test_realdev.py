"""The real-page dev set's own parts: the scanned copy, the SOURCES table (no network, no tools) and the typesetters of
its out-of-class kinds."""

from __future__ import annotations

import gzip
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docclf.errors import UsageError
from docclf.realdev import (
    Doc,
    PageRecord,
    Source,
    count_table,
    document_pdf,
    format_sources_table,
    label_dir,
    load_sources,
    require_tools,
    scan_degrade,
    seed_for,
    write_sources_table,
)


def _page() -> Image.Image:
    img = Image.new("L", (300, 420), 255)
    d = ImageDraw.Draw(img)
    for y in range(40, 380, 14):
        d.line([(30, y), (270, y)], fill=0, width=2)
    return img


def test_scan_degrade_is_deterministic_per_name_and_looks_scanned():
    page = _page()
    a = scan_degrade(page, seed_for("r-zoo__zoo_p1.png"))
    b = scan_degrade(page, seed_for("r-zoo__zoo_p1.png"))
    c = scan_degrade(page, seed_for("r-zoo__zoo_p9.png"))
    assert a.mode == "L" and a.size == page.size
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    arr = np.asarray(a, dtype=np.float32)
    # toner is grey, paper is off-white: no pure black or pure white survives the scan
    assert arr.min() > 3 and np.percentile(arr, 99) < 252
    # the text lines are still there: dark rows and light rows differ clearly
    rows = arr[:, 60:240].mean(axis=1)
    assert rows.max() - rows.min() > 60


def test_sources_table_has_one_row_per_page_sorted_by_class():
    records = [
        PageRecord("b.png", "letter", "debian", "groff", "1.22.4-10", "usr/share/x|y.pdf.gz", 1, "GPL-3+"),
        PageRecord("a.png", "invoice", "pypi", "factur-x", "7.8", "tests/invoice.pdf", 2, "BSD-3-Clause"),
    ]
    text = format_sources_table(records)
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| file")]
    assert len(rows) == 2
    assert rows[0].startswith("| a.png | invoice | PyPI | factur-x==7.8 | tests/invoice.pdf | 2 | BSD-3-Clause |")
    assert "usr/share/x\\|y.pdf.gz" in rows[1] and "| Debian | groff==1.22.4-10 |" in rows[1]


def test_write_sources_table_and_counts(tmp_path):
    records = [PageRecord(f"p{i}.png", "resume", "npm", "jsonresume-theme-x", "1.0.0", "resume.pdf", i, "MIT")
               for i in range(1, 4)]
    path = write_sources_table(records, tmp_path / "SOURCES.md")
    assert path.read_text().count("jsonresume-theme-x==1.0.0") == 3
    table = count_table(records)
    assert "resume" in table and "     3        1" in table.splitlines()[4]


def test_other_pages_go_under_other(tmp_path):
    assert label_dir(tmp_path, "clean", "invoice") == tmp_path / "clean" / "invoice"
    assert label_dir(tmp_path, "scanned", "other") == tmp_path / "other" / "scanned"


@pytest.mark.parametrize("registry, render, label, error", [
    ("pypi", "file", "receipt", "unknown class 'receipt'"),
    ("npm", "rendercv", "resume", "rendercv from PyPI"),  # a renderer from the wrong registry
])
def test_source_list_rejects_a_bad_source(tmp_path, registry, render, label, error):
    bad = tmp_path / "s.toml"
    bad.write_text(f'[[source]]\nid = "x"\nregistry = "{registry}"\npackage = "p"\nversion = "1"\nlicence = "MIT"\n'
                   f'render = "{render}"\n[[source.doc]]\nclass = "{label}"\npath = "a.pdf"\n')
    with pytest.raises(UsageError, match=error):
        load_sources(bad)


def test_pinned_list_covers_every_class_from_several_sources():
    from collections import defaultdict
    from pathlib import Path

    sources = load_sources(Path(__file__).resolve().parents[1] / "scripts" / "realdev_sources.toml")
    pages, packages = defaultdict(int), defaultdict(set)
    for s in sources:
        for d in s.docs:
            pages[d.label] += len(d.pages)
            packages[d.label].add(s.package)
    for label in ("invoice", "letter", "presentation", "resume", "scientific_paper", "other"):
        assert pages[label] >= 15, label
        assert len(packages[label]) >= 2, label


def test_prune_removes_only_pages_that_left_the_list(tmp_path):
    from docclf.realdev import prune_stale

    for name in ("a__x_p1.png", "b__y_p2.png"):
        for copy in ("clean", "scanned"):
            (tmp_path / copy / "letter").mkdir(parents=True, exist_ok=True)
            (tmp_path / copy / "letter" / name).write_bytes(b"png")
    (tmp_path / "clean" / "letter" / "notes.txt").write_text("mine")
    # a__x stays a letter; b__y moved to 'other', so its copies under letter/ are stale
    keep = {label_dir(tmp_path, copy, lab) / name for copy in ("clean", "scanned")
            for lab, name in (("letter", "a__x_p1.png"), ("other", "b__y_p2.png"))}
    removed = prune_stale(tmp_path, keep)
    assert sorted(str(p.relative_to(tmp_path)) for p in removed) == ["clean/letter/b__y_p2.png",
                                                                     "scanned/letter/b__y_p2.png"]
    assert (tmp_path / "scanned" / "letter" / "a__x_p1.png").exists()
    assert (tmp_path / "clean" / "letter" / "notes.txt").exists()


def test_source_list_names_a_missing_field(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nid = "x"\nregistry = "pypi"\npackage = "p"\nversion = "1"\n')
    with pytest.raises(UsageError, match="source 1 .* lacks the field 'licence'"):
        load_sources(bad)


def test_pinned_rendercv_cvs_are_typeset_with_pinned_packages():
    from pathlib import Path

    from docclf.realdev import _shown_path

    sources = load_sources(Path(__file__).resolve().parents[1] / "scripts" / "realdev_sources.toml")
    (cv,) = [s for s in sources if s.render == "rendercv"]
    assert cv.registry == "pypi" and all("==" in r for r in cv.requires)  # pages do not move with new releases
    assert {d.label for d in cv.docs} == {"resume"} and len(cv.docs) >= 3
    assert "theme classic" in _shown_path(cv, cv.docs[0]) and "typst==" in _shown_path(cv, cv.docs[0])


def test_a_build_of_some_classes_keeps_the_other_classes_rows(tmp_path):
    """`build_realdev.py --classes resume` must not drop the letters' rows from SOURCES.md."""
    from docclf.realdev import build_realdev

    src = tmp_path / "s.toml"
    src.write_text('[[source]]\nid = "lt"\nregistry = "pypi"\npackage = "p"\nversion = "1"\nlicence = "MIT"\n'
                   '[[source.doc]]\nclass = "letter"\npath = "a.pdf"\npages = [1, 2]\n')
    sources = load_sources(src)
    for copy in ("clean", "scanned"):  # page 1 is on disk, page 2 never built
        (tmp_path / "out" / copy / "letter").mkdir(parents=True)
        (tmp_path / "out" / copy / "letter" / "lt__a_p1.png").write_bytes(b"png")
    result = build_realdev(sources, tmp_path / "out", tmp_path / "cache", labels={"resume"})
    assert [(r.file, r.label) for r in result.records] == [("lt__a_p1.png", "letter")]
    assert "lt__a_p1.png" in (tmp_path / "out" / "SOURCES.md").read_text()
    assert (tmp_path / "out" / "clean" / "letter" / "lt__a_p1.png").exists()


def _script_toml(tmp_path, registry="npm", render="script", script="print(1)", origin='origin = "README"\n'):
    path = tmp_path / "s.toml"
    path.write_text(f'[[source]]\nid = "x"\nregistry = "{registry}"\npackage = "p"\nversion = "1"\nlicence = "MIT"\n'
                    f'render = "{render}"\nscript = """{script}"""\n[[source.doc]]\nclass = "invoice"\n'
                    f'path = "out.pdf"\n{origin}')
    return path


@pytest.mark.parametrize("render, script, origin, error", [
    ("script", " \n", 'origin = "README"\n', "needs a script"),
    ("file", "print(1)", "", "a script needs render"),                   # a script that would never run
    ("script", "print(1)", "", "out.pdf needs an origin"),               # words of unknown provenance
])
def test_script_sources_need_a_script_and_say_where_the_words_come_from(tmp_path, render, script, origin, error):
    with pytest.raises(UsageError, match=error):
        load_sources(_script_toml(tmp_path, render=render, script=script, origin=origin))


def test_script_runs_under_a_fixed_clock_with_the_installed_package_and_its_output_follows_the_script(tmp_path):
    import sys
    from dataclasses import replace

    from docclf.realdev import FIXED_DATE, _shown_path, script_command, script_folder

    (npm,) = load_sources(_script_toml(tmp_path))
    (py,) = load_sources(_script_toml(tmp_path, registry="pypi"))
    root = tmp_path / "pkg"
    assert script_command(npm, root) == (["faketime", FIXED_DATE, "node", "render.cjs"],
                                         {"NODE_PATH": str(root / "node_modules")})
    assert script_command(py, root) == (["faketime", FIXED_DATE, sys.executable, "render.py"],
                                        {"PYTHONPATH": str(root / "site")})
    # an edited script writes into a new folder instead of reusing the old script's documents
    assert script_folder(npm, tmp_path) != script_folder(replace(npm, script="print(2)"), tmp_path)
    assert script_folder(npm, tmp_path) == script_folder(npm, tmp_path)
    assert _shown_path(npm, npm.docs[0]).startswith("README, rendered by the script")


def test_pinned_scripts_install_pinned_packages():
    from pathlib import Path

    sources = load_sources(Path(__file__).resolve().parents[1] / "scripts" / "realdev_sources.toml")
    scripts = [s for s in sources if s.render == "script"]
    assert len({s.package for s in scripts}) >= 3
    assert all("==" in r for s in scripts for r in s.requires)  # pages do not move with new releases
    assert all(d.origin for s in scripts for d in s.docs)


@pytest.mark.parametrize("name, text, words", [
    ("tool.1.gz", b'.TH TOOL 1 "2024-01-01" "tool 1.0" "User Commands"\n.SH NAME\ntool \\- sort the widgets\n'
                  b'.SH OPTIONS\n.TP\n.B \\-v\nprint every widget\n', ["NAME", "OPTIONS", "widgets"]),
    ("tune.abc", b"X:1\nT:Morning Tune\nC:trad.\nM:4/4\nL:1/8\nK:G\nGABc dedB|dedB dedB|c2ec B2dB|c2A2 A2BA|\n",
     ["Morning", "Tune", "trad."]),
])
def test_manual_pages_and_scores_are_typeset_by_their_real_tools(tmp_path, name, text, words):
    """Out-of-class kinds the generator never drew come from their own typesetters: groff -man for a Debian
    manual page, abcm2ps and Ghostscript for ABC sheet music (tools that `make system-deps` installs)."""
    src = Source(id="t", registry="debian", package="p", version="1", licence="x",
                 docs=(Doc(label="other", path=name, pages=(1,), name="doc"),))
    require_tools([src])  # a clear one-line error naming the Debian package when a tool is missing
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / name).write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    pdf = document_pdf(src, src.docs[0], tmp_path / "pkg", tmp_path / "cache")
    got = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert all(w in got for w in words), got[:300]
