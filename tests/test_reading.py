"""Reading pages: real Tesseract, the text view, calibration, abstention, `docclf predict`, fusion training."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docclf.cli import run
from docclf.errors import UsageError
from docclf.fusion import (BLANK_MIN_WORDS, FusionConfig, decide, expected_calibration_error, fit_temperature,
                           fuse_logits, log_softmax)
from docclf.ocr import OcrConfig, PageWords, Reader, find_tessdata, words_for_files
from docclf.textview import TextView, fit_text_view, normalise_word, simulate_ocr

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# Each class's words: what its pages say. Lines are drawn big enough for Tesseract at 100 dpi.
WORDS = {
    "invoice": ["INVOICE No. 2024-117", "Quantity Unit price Amount", "Subtotal 1,250.00",
                "VAT 20% 250.00", "Total due 1,500.00", "IBAN DE89 3704 0044"],
    "letter": ["Dear Mr Johnson,", "Thank you for your letter of", "we are pleased to confirm",
               "Please do not hesitate to contact", "Yours sincerely,", "Anna Schmidt"],
}


def draw_text_page(lines: list[str], size: tuple[int, int] = (850, 1100)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 30)
    for i, line in enumerate(lines):
        d.text((60, 80 + i * 70), line, font=font, fill=(0, 0, 0))
    return img


def generator_page(lines: list[str], rng: random.Random) -> PageWords:
    """Words as the generator writes them: boxes in [0, 1], confidence 100."""
    words, y = [], 0.05
    for line in lines:
        x = 0.07
        for w in line.split():
            words.append([w, x, y, x + 0.02 * len(w), y + 0.02, 100])
            x += 0.02 * len(w) + 0.015
        y += rng.uniform(0.04, 0.08)
    return PageWords(size=(850, 1100), words=words, source="generator")


# --------------------------------------------------------------------------- OCR


def test_tesseract_reads_words_with_boxes_on_the_page():
    page = draw_text_page(WORDS["invoice"])
    result = Reader(OcrConfig(long_side=1100)).read(page)
    text = " ".join(normalise_word(w[0]) for w in result.words)
    for expected in ("invoice", "subtotal", "vat", "total", "iban"):
        assert expected in text, f"{expected!r} not read from the page: {text!r}"
    total = next(w for w in result.words if normalise_word(w[0]) == "total")
    # "Total due" is the 5th line, drawn at y = 80 + 4 * 70 px of 1100
    assert 0.3 < total[2] < 0.36 and total[1] < 0.12
    assert all(0 <= v <= 1 for w in result.words for v in w[1:5])
    assert result.source == "tesseract" and result.seconds > 0


def test_a_page_read_as_no_words_is_read_again_at_another_size():
    # at 150 px long side the lines are a few pixels high and Tesseract reads nothing; the retry at 1100 reads them
    page = draw_text_page(WORDS["letter"])
    once = Reader(OcrConfig(long_side=150, retry_long_sides=())).read(page)
    assert len(once.words) < 3
    again = Reader(OcrConfig(long_side=150, retry_long_sides=(1100,))).read(page)
    assert {"Dear", "sincerely,"} <= {w[0] for w in again.words}
    assert not again.timed_out
    # a page with nothing to read stays empty at every size
    assert Reader(OcrConfig()).read(Image.new("L", (850, 1100), 255)).words == []
    # stored settings come back as they were saved (a JSON list in a checkpoint)
    assert OcrConfig.from_dict(json.loads(json.dumps(OcrConfig().to_dict()))) == OcrConfig()


def test_an_ocr_reader_silences_leptonicas_stderr_messages():
    # leptonica prints "Error in pixScanForForeground: invalid box" on some near-empty regions of real
    # pages (a picture slide) though the page is read: a Reader sets its severity to "none". setMsgSeverity
    # returns the level it replaces, so setting it again tells what the Reader left.
    import tesserocr

    from docclf.ocr import LEPTONICA_SEVERITY_NONE, leptonica_library

    lib = leptonica_library(tesserocr)
    assert lib is not None
    lib.setMsgSeverity(3)  # as a fresh process has it: info and up
    Reader()
    assert lib.setMsgSeverity(LEPTONICA_SEVERITY_NONE) == LEPTONICA_SEVERITY_NONE


def test_ocr_results_are_cached_per_file(tmp_path):
    path = tmp_path / "page.png"
    draw_text_page(WORDS["letter"]).save(path)
    cfg = OcrConfig(long_side=1100)
    first = words_for_files([path], cfg, tmp_path / "cache", progress=False)[0]
    cached = list((tmp_path / "cache" / "ocr").rglob("*.json"))
    assert len(cached) == 1 and first is not None and "sincerely" in first.text.lower()
    # the cache answers now: the same words, with the first read's timing (no new OCR)
    again = words_for_files([path], cfg, tmp_path / "cache", progress=False)[0]
    assert again.words == first.words and again.seconds == pytest.approx(first.seconds, abs=1e-3)


def test_generator_sidecar_wins_over_ocr(tmp_path):
    path = tmp_path / "p.png"
    Image.new("RGB", (100, 140), "white").save(path)
    (tmp_path / "p.words.json").write_text(json.dumps(
        {"format": 1, "source": "generator", "size": [100, 140], "words": [["Invoice", 0.1, 0.1, 0.3, 0.15, 100]]}))
    words = words_for_files([path], OcrConfig(), tmp_path / "cache", progress=False)[0]
    assert words.source == "generator" and words.text == "Invoice"


def test_missing_language_data_is_a_clear_error():
    with pytest.raises(UsageError, match="apt-get install tesseract-ocr"):
        find_tessdata("xyz")


# --------------------------------------------------------------------------- the text view


def _pages(n: int, seed: int) -> tuple[list[PageWords], list[int]]:
    rng = random.Random(seed)
    pages, labels = [], []
    for i in range(n):
        c = i % 2
        lines = rng.sample(WORDS[["invoice", "letter"][c]], 4)
        pages.append(generator_page(lines, rng))
        labels.append(c)
    return pages, labels


def test_text_view_learns_and_survives_ocr_noise():
    pages, labels = _pages(40, 0)
    tv = fit_text_view(pages, labels, ["invoice", "letter"], seed=0)
    test, test_labels = _pages(40, 1)
    rng = random.Random(5)
    noisy = [simulate_ocr(p, rng) for p in test]
    acc = (tv.logits(noisy).argmax(1) == np.array(test_labels)).mean()
    assert acc >= 0.9, acc
    # round trip through a checkpoint's state gives the same logits
    again = TextView.from_state(tv.state())
    assert np.allclose(again.logits(noisy), tv.logits(noisy), atol=1e-5)


def test_text_view_fitted_on_the_columns_that_occur_equals_a_fit_on_all_of_them():
    """The fit skips the hashed columns no page uses; the model must be the one a full fit gives."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    from docclf.textview import TextConfig, page_features

    cfg = TextConfig(n_features=1 << 14)
    pages, labels = _pages(24, 0)
    tv = fit_text_view(pages, labels, ["invoice", "letter"], cfg, seed=0, simulate_noise=False)
    rows = [page_features(p, cfg) for p in pages]
    dense = np.zeros((len(rows), cfg.n_features))
    for i, vec in enumerate(rows):
        dense[i, list(vec)] = list(vec.values())
    df = (dense != 0).sum(0)
    idf = np.log((1 + len(rows)) / (1 + df)) + 1
    full = LogisticRegression(C=cfg.c, max_iter=1000, tol=1e-8).fit(normalize(csr_matrix(dense * idf)), labels)
    test, _ = _pages(10, 1)
    ours = tv.logits(test)
    theirs = full.decision_function(normalize(csr_matrix(
        np.stack([np.bincount(list(v), list(v.values()), cfg.n_features) for v in
                  (page_features(p, cfg) for p in test)]) * idf)))
    assert np.allclose(ours[:, 1] - ours[:, 0], theirs, atol=0.02)  # the fit stops at tol 1e-4, the reference at 1e-8
    assert np.count_nonzero(tv.weights[df == 0]) == 0  # unused columns keep a zero weight


def test_a_page_without_words_gets_no_opinion():
    pages, labels = _pages(10, 0)
    tv = fit_text_view(pages, labels, ["invoice", "letter"], seed=0)
    empty = PageWords(size=(10, 10), words=[], source="tesseract")
    assert np.all(tv.logits([empty, None]) == 0)


def test_simulated_ocr_is_seeded():
    page, _ = _pages(1, 3)
    a = simulate_ocr(page[0], random.Random(1))
    b = simulate_ocr(page[0], random.Random(1))
    assert a.words == b.words


# --------------------------------------------------------------------------- calibration and decisions


def test_expected_calibration_error_matches_a_hand_computed_example():
    probs = np.array([[0.92, 0.08], [0.78, 0.22], [0.58, 0.42], [0.55, 0.45]])
    labels = np.array([0, 1, 0, 0])
    # bins of 1/15: 0.92 alone (right, gap .08), 0.78 alone (wrong, gap .78), 0.58 and 0.55 together
    # (both right, mean confidence .565, gap .435): .25*.08 + .25*.78 + .5*.435 = .4325
    assert expected_calibration_error(probs, labels) == pytest.approx(0.4325)


def test_temperature_scaling_cools_an_overconfident_model():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 400)
    logits = rng.normal(0, 1, (400, 3))
    right = rng.random(400) < 0.7
    logits[np.arange(400), np.where(right, labels, (labels + 1) % 3)] += 3.0
    logits *= 4  # overconfident: 70% right but ~100% sure
    t = fit_temperature(logits, labels)
    assert t > 2
    before = expected_calibration_error(np.exp(log_softmax(logits)), labels)
    after = expected_calibration_error(np.exp(log_softmax(logits / t)), labels)
    assert after < before / 2


def test_calibration_never_sharpens_the_image_view_below_its_floor():
    # an underconfident image view (as label smoothing leaves one) that is right on every validation
    # page: the fit sharpens it, the floor holds it at 1 and keeps what the fit asked for
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 300)
    logits = rng.normal(0, 0.3, (300, 3))
    logits[np.arange(300), labels] += 1.0
    from docclf.reading import calibrate

    free = calibrate(logits, None, np.ones(300, bool), labels, 0.4)
    held = calibrate(logits, None, np.ones(300, bool), labels, 0.4, image_floor=1.0)
    assert free.image_temperature < 0.5  # the fit alone sharpens it
    assert held.image_temperature == 1.0 and held.image_temperature_fitted == pytest.approx(free.image_temperature)
    # and a view the fit cools is left as fitted
    hot = calibrate(logits * 20, None, np.ones(300, bool), labels, 0.4, image_floor=1.0)
    assert hot.image_temperature == hot.image_temperature_fitted > 1.0


def test_fusion_lets_the_confident_view_decide_and_ignores_a_silent_one():
    cfg = FusionConfig()
    image = np.array([[2.0, 0.0], [0.2, 0.0]])
    text = np.array([[0.0, 0.5], [0.0, 3.0]])
    fused = fuse_logits(image, text, np.array([True, True]), cfg)
    assert fused[0].argmax() == 0 and fused[1].argmax() == 1
    alone = fuse_logits(image, text, np.array([False, False]), cfg)  # no words: the image alone
    assert np.allclose(alone, np.exp(log_softmax(image)))


def test_decide_abstains_on_blank_pages_unsure_answers_and_the_reject_class():
    classes = ["invoice", "letter", "other"]
    cfg = FusionConfig(abstain_below=0.6, reject_class="other")
    sure = decide(np.array([0.9, 0.05, 0.05]), classes, cfg, n_words=50, ink=0.05)
    assert sure.label == "invoice" and sure.reason is None and "other" not in sure.probabilities
    unsure = decide(np.array([0.5, 0.4, 0.1]), classes, cfg, n_words=50, ink=0.05)
    assert unsure.label is None and "not confident" in unsure.reason
    blank = decide(np.array([0.9, 0.05, 0.05]), classes, cfg, n_words=0, ink=0.0)
    assert blank.label is None and "blank" in blank.reason
    # a scanned blank page: specks and shadows, but OCR reads nothing; without OCR the same ink is not enough
    scanned_blank = decide(np.array([0.9, 0.05, 0.05]), classes, cfg, n_words=1, ink=0.012)
    assert scanned_blank.label is None and "blank" in scanned_blank.reason
    assert decide(np.array([0.9, 0.05, 0.05]), classes, cfg, n_words=None, ink=0.012).label == "invoice"
    assert decide(np.array([0.9, 0.05, 0.05]), classes, cfg, n_words=6, ink=0.012).label == "invoice"
    other = decide(np.array([0.05, 0.05, 0.9]), classes, cfg, n_words=50, ink=0.05)
    assert other.label is None and "none of the known classes" in other.reason
    assert other.confidence == 0.9  # how sure it is of "none of these", not the closest class's share
    # under reject_above (0.85 by default) the page is answered: real in-class pages keep some "none of these"
    assert decide(np.array([0.3, 0.05, 0.65]), classes, cfg, n_words=50, ink=0.05).label == "invoice"
    assert decide(np.array([0.3, 0.05, 0.65]), classes, FusionConfig(abstain_below=0.6, reject_class="other",
                                                                       reject_above=0.6), n_words=50, ink=0.05).label is None
    # the reject class's share is judged once, by reject_above: invoice holds 0.35 / 0.55 = 0.64 of the rest
    half = decide(np.array([0.35, 0.2, 0.45]), classes, cfg, n_words=50, ink=0.05)
    assert half.label == "invoice" and abs(half.confidence - 0.35 / 0.55) < 1e-9
    assert abs(sum(half.probabilities.values()) - 1.0) < 1e-9


def test_a_page_with_no_readable_words_is_answered_only_with_a_class_that_has_such_pages():
    # generated slides include picture slides; generated letters always carry words. A scanned logo page or a
    # blank form with a frame (too much ink to count as blank) that the image view calls a letter abstains
    classes = ["invoice", "letter", "presentation", "other"]
    cfg = FusionConfig(reject_class="other", wordless_classes=["presentation"])
    probs = np.array([0.1, 0.75, 0.1, 0.05])
    framed = decide(probs, classes, cfg, n_words=1, ink=0.17)
    assert framed.label is None and "no words could be read" in framed.reason and "letter" in framed.reason
    assert decide(probs, classes, cfg, n_words=BLANK_MIN_WORDS, ink=0.17).label == "letter"  # words enough
    slide = decide(np.array([0.05, 0.05, 0.85, 0.05]), classes, cfg, n_words=0, ink=0.6)
    assert slide.label == "presentation" and slide.reason is None
    # no rule where none was learned (image-only models, older checkpoints) nor where no OCR ran
    assert decide(probs, classes, FusionConfig(reject_class="other"), n_words=1, ink=0.17).label == "letter"
    assert decide(probs, classes, cfg, n_words=None, ink=0.17).label == "letter"


def test_wordless_classes_are_those_with_enough_pages_of_next_to_no_words():
    from docclf.reading import wordless_classes

    def page(n: int) -> PageWords:
        return PageWords(size=(100, 100), words=[[f"w{i}", 0.1, 0.1, 0.2, 0.2, 90.0] for i in range(n)])

    classes = ["invoice", "letter", "presentation", "other"]
    labels = np.array([0] * 200 + [1] * 200 + [2] * 200 + [3] * 4)
    words = ([page(30)] * 200 + [page(2)] + [page(20)] * 199  # one letter in 200 lost its words: noise
             + [page(0)] * 6 + [page(8)] * 194 + [None] * 4)  # 3% of slides are pictures; unread pages count
    assert wordless_classes(words, labels, classes) == ["presentation", "other"]
    assert wordless_classes(words, labels, classes, min_share=0.004) == ["letter", "presentation", "other"]


# --------------------------------------------------------------------------- training and predicting


def _reading_dataset(root: Path) -> Path:
    """Pages whose class is in their words only (same look): the text view must do the work.

    Plus an `other` class of blank pages, as the generator makes: the model learns to say none of these.
    """
    rng = random.Random(0)
    for split, n in (("train", 8), ("val", 4), ("test", 4)):
        for cls, lines in WORDS.items():
            folder = root / split / cls
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                chosen = rng.sample(lines, 4)
                draw_text_page(chosen, (425, 550)).save(folder / f"{cls}_{i}.png")
                page = generator_page(chosen, rng)
                (folder / f"{cls}_{i}.words.json").write_text(json.dumps(page.to_dict()))
        folder = root / split / "other"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.new("RGB", (425, 550), (250, 250, 248)).save(folder / f"other_{i}.png")
            (folder / f"other_{i}.words.json").write_text(json.dumps(
                PageWords(size=(425, 550), words=[], source="generator").to_dict()))
    return root


@pytest.mark.slow
def test_fusion_model_reads_pages_it_cannot_tell_apart_by_look(tmp_path, fast_train_args, capsys, caplog):
    data = _reading_dataset(tmp_path / "data")
    args = [a for a in fast_train_args]
    args[args.index("--modality") + 1] = "fusion"
    code = run(["train", "--data-dir", str(data), *args, "--epochs", "1", "--output-dir", "out",
                "--mlflow-experiment", "reading", "--no-log-model", "--reject-above", "0.7"])
    assert code == 0
    capsys.readouterr()
    import torch

    # validation's letters and invoices always carry words, its 'other' pages never: only 'other' may be wordless
    assert torch.load("out/best.pth", weights_only=True)["fusion"]["wordless_classes"] == ["other"]
    assert json.loads(Path("out/classification_report.json").read_text())["fusion"]["wordless_classes"] == ["other"]
    # evaluate OCRs the test pages (no sidecars used): words carry the class
    assert run(["evaluate", "--model", "out/best.pth", "--data-dir", str(data / "test"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["modality"] == "fusion"
    text = report["views"]["text"]["per_class"]  # blank 'other' pages have no words: the text view cannot
    assert text["invoice"]["recall"] >= 0.75 and text["letter"]["recall"] >= 0.75
    assert report["accuracy"] >= 0.85  # fused, with the blank pages answered as none of these
    assert report["per_class"]["other"]["recall"] == 1.0
    # real pages of the known classes only (no 'other' folder): no warning about it, and "none of these" is an
    # answer there, not a class to average into macro F1
    for cls in ("invoice", "letter"):
        (tmp_path / "real" / cls).mkdir(parents=True)
        for page in (data / "test" / cls).glob("*.png"):
            (tmp_path / "real" / cls / page.name).write_bytes(page.read_bytes())
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert run(["evaluate", "--model", "out/best.pth", "--data-dir", str(tmp_path / "real"), "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    assert "'other'" not in caplog.text and real["per_class"]["other"]["support"] == 0
    f1 = [real["per_class"][c]["f1"] for c in ("invoice", "letter")]
    assert real["macro_f1"] == pytest.approx(sum(f1) / 2) and real["macro_f1"] > 0.5
    assert run(["predict", "--model", "out/best.pth", "--json", str(data / "test" / "invoice")]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 4 and all(set(x) >= {"path", "label", "confidence", "probabilities", "views"} for x in lines)
    assert sum(x["label"] == "invoice" for x in lines) >= 3
    assert all("other" not in x["probabilities"] for x in lines)

    # the API on the ONNX export of the same model: OCR inside, each view and the OCR time per answer
    from docclf.serve import create_app
    from docclf.serve.config import ServeConfig

    app = create_app(ServeConfig(model_uri="out/best.pth", backend="onnx", reload_interval=0), start=False)
    assert app.extensions["docclf"].service.check_once(), app.extensions["docclf"].service.last_error
    client = app.test_client()
    page = next((data / "test" / "letter").glob("*.png"))
    body = client.post("/predict", data={"file": (io.BytesIO(page.read_bytes()), page.name)}).get_json()
    assert body["label"] == "letter" and set(body["views"]) == {"image", "text"} and body["ocr_seconds"] > 0
    details = client.get("/model").get_json()
    assert details["views"] == ["image", "text"] and details["reject_above"] == 0.7  # the trained model's setting
    assert details["wordless_classes"] == []  # no known class here had pages without words
    blank = io.BytesIO()
    Image.new("RGB", (425, 550), "white").save(blank, "PNG")
    body = client.post("/predict", data={"file": (io.BytesIO(blank.getvalue()), "blank.png")}).get_json()
    assert body["label"] is None and body["abstain_reason"]


def test_predict_on_bad_paths_and_unreadable_files(tmp_path, tiny_dataset, fast_train_args, capsys):
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "1",
                "--output-dir", "out", "--no-log-model"]) == 0
    capsys.readouterr()
    assert run(["predict", "--model", "out/best.pth", str(tmp_path / "missing.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    assert run(["predict", "--model", "out/best.pth", str(broken)]) == 2
    assert "could be read" in capsys.readouterr().err
    good = next((tiny_dataset / "test" / "letter").iterdir())
    assert run(["predict", "--model", "out/best.pth", "--json", str(broken), str(good)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows[0]["label"] is None and "cannot read image" in rows[0]["error"]
    assert rows[1]["label"] in ("invoice", "letter", "presentation", "resume", "scientific_paper", None)
    assert run(["predict", "--model", "no/such.pth", str(good)]) == 2
