"""Reading a page: Tesseract OCR in-process (tesserocr), words with boxes, and a cache.

A page's words are stored in one format whoever produced them: the generator writes its ground
truth next to each image (`<stem>.words.json`), and OCR results are cached under the cache dir,
keyed by the file's bytes and the OCR settings, so a page is read once per machine.

    {"format": 1, "source": "generator"|"tesseract", "size": [W, H],
     "words": [[text, x0, y0, x1, y1, conf], ...]}      # boxes in [0, 1] of the page's size
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from PIL import Image

from docclf.config import StoredSettings
from docclf.errors import UsageError
from docclf.fusion import BLANK_MIN_WORDS  # a read with fewer words is tried again at other sizes

log = logging.getLogger(__name__)

WORDS_FORMAT = 1
WORDS_SUFFIX = ".words.json"
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
INSTALL_HINT = ("install Tesseract's language data: apt-get install tesseract-ocr tesseract-ocr-eng "
                "(and tesseract-ocr-deu -fra -spa -ita -por -nld for other languages), or set TESSDATA_PREFIX")


@dataclass(frozen=True)
class OcrConfig(StoredSettings):
    """How a page is read; part of the OCR cache key and stored in every fusion checkpoint."""

    languages: str = "eng"  # Tesseract's "+"-joined codes; each extra language costs time
    long_side: int = 1600  # the page is resized to this long side first (~140 dpi for A4)
    psm: int = 3  # page segmentation: fully automatic
    min_conf: float = 30.0  # words Tesseract is less sure of are mostly noise on graphics
    timeout_s: float = 20.0  # a page that takes longer is cut off with what was read so far
    # A page read as (next to) no words is read again at these long sides: Tesseract's layout analysis
    # sometimes takes a whole page of text for a picture at one size and reads it at another (a LibreOffice
    # letter at 105 dpi: 0 words at 1600 px, 7 at 1200). A page with no text reads nothing at any size
    # (logo, blank page, picture slide: 0.02-0.4 s more).
    retry_long_sides: tuple[int, ...] = (1200, 2000)

    def __post_init__(self) -> None:
        object.__setattr__(self, "retry_long_sides", tuple(int(x) for x in self.retry_long_sides))


@dataclass
class PageWords:
    """The words of one page with normalised boxes; what the text view reads."""

    size: tuple[int, int]
    words: list[list[Any]]  # [text, x0, y0, x1, y1, conf]
    source: str = "tesseract"
    seconds: float = 0.0
    timed_out: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"format": WORDS_FORMAT, "source": self.source, "size": list(self.size), "words": self.words}
        if self.seconds:
            d["seconds"] = round(self.seconds, 3)
        if self.timed_out:
            d["timed_out"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PageWords":
        if d.get("format") != WORDS_FORMAT:
            raise ValueError(f"unknown words format {d.get('format')!r}")
        return cls(size=tuple(d["size"]), words=d["words"], source=d.get("source", "?"),
                   seconds=d.get("seconds", 0.0), timed_out=d.get("timed_out", False))

    @property
    def text(self) -> str:
        return " ".join(w[0] for w in self.words)


def sidecar_path(image_path: str | Path) -> Path:
    """Where the generator writes a page's ground-truth words."""
    p = Path(image_path)
    return p.with_name(p.stem + WORDS_SUFFIX)


def read_words_file(path: str | Path) -> PageWords:
    return PageWords.from_dict(json.loads(Path(path).read_text()))


# --------------------------------------------------------------------------- Tesseract


def find_tessdata(languages: str) -> str:
    """The tessdata folder holding every requested language; a one-line error otherwise."""
    wanted = [lang for lang in languages.split("+") if lang]
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    candidates += list(TESSDATA_DIRS)
    for d in candidates:
        if all(Path(d, f"{lang}.traineddata").is_file() for lang in wanted):
            return d
    raise UsageError(f"Tesseract language data for {'+'.join(wanted)} not found; {INSTALL_HINT}")


def _import_tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError as exc:
        raise UsageError(f"OCR needs the tesserocr package ({exc}); reinstall docclf: pip install -e .") from None
    quiet_leptonica(tesserocr)
    return tesserocr


LEPTONICA_SEVERITY_NONE = 6  # leptonica's L_SEVERITY_NONE


@functools.cache  # looked up once per process; every Reader then only sets the level
def leptonica_library(tesserocr: Any) -> Any:
    """The leptonica that tesserocr uses (the wheel's own copy, else the system's), or None."""
    import ctypes
    import ctypes.util
    import glob

    bundled = glob.glob(os.path.join(os.path.dirname(tesserocr.__file__), "..", "tesserocr.libs", "libleptonica*.so*"))
    system = [ctypes.util.find_library("leptonica"), ctypes.util.find_library("lept")]
    for name in [n for n in bundled + system if n]:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def quiet_leptonica(tesserocr: Any) -> None:
    """Silence leptonica's messages on stderr. Tesseract's image library prints lines such as "Error in
    pixScanForForeground: invalid box" for pages with near-empty regions (a slide with one picture); the
    page is read all the same, and a user of `predict` or the API cannot act on them."""
    lib = leptonica_library(tesserocr)
    if lib is not None and hasattr(lib, "setMsgSeverity"):
        lib.setMsgSeverity(LEPTONICA_SEVERITY_NONE)


class Reader:
    """One Tesseract engine per thread (an engine is not thread-safe; starting one costs ~0.1 s)."""

    def __init__(self, cfg: OcrConfig | None = None):
        self.cfg = cfg or OcrConfig()
        self._tess = _import_tesserocr()
        self._path = find_tessdata(self.cfg.languages)
        self._local = threading.local()

    def _api(self) -> Any:
        api = getattr(self._local, "api", None)
        if api is None:
            t = self._tess
            api = t.PyTessBaseAPI(path=self._path + "/", lang=self.cfg.languages, psm=self.cfg.psm)
            api.SetVariable("debug_file", "/dev/null")
            self._local.api = api
        return api

    def read(self, page: Image.Image, timeout_s: float | None = None) -> PageWords:
        """OCR one page (any mode, any size) into words with boxes normalised to the page."""
        start = time.perf_counter()
        page_grey = page.convert("L")
        budget = self.cfg.timeout_s if timeout_s is None else timeout_s
        words, finished = self._read_at(page_grey, self.cfg.long_side, budget)
        for side in self.cfg.retry_long_sides:
            left = budget - (time.perf_counter() - start)
            if len(words) >= BLANK_MIN_WORDS or not finished or left <= 0:
                break
            again, again_finished = self._read_at(page_grey, side, left)
            if len(again) > len(words):
                words, finished = again, again_finished
        return PageWords(size=page.size, words=words, source="tesseract",
                         seconds=time.perf_counter() - start, timed_out=not finished)

    def _read_at(self, grey: Image.Image, long_side: int, budget: float) -> tuple[list[list[Any]], bool]:
        """Words of a greyscale page resized to `long_side`, boxes normalised; and whether it finished in time."""
        t = self._tess
        # at most 2x up: enlarging a small image further makes Tesseract slower, not better
        scale = min(long_side / max(grey.size), 2.0)
        if abs(scale - 1) > 0.05:
            w, h = max(1, round(grey.width * scale)), max(1, round(grey.height * scale))
            grey = grey.resize((w, h), Image.Resampling.BILINEAR, reducing_gap=3.0)
        api = self._api()
        api.SetImage(grey)
        api.SetSourceResolution(max(70, round(grey.height / 11.69)))  # as if A4 portrait: quiets a warning
        finished = api.Recognize(max(1, int(budget * 1000)))
        words = []
        it = api.GetIterator()
        level = t.RIL.WORD
        gw, gh = grey.size
        if it is not None:
            for r in t.iterate_level(it, level):
                try:
                    text = (r.GetUTF8Text(level) or "").strip()
                    conf = r.Confidence(level)
                except RuntimeError:  # tesserocr raises "No text returned" for an empty word box
                    continue
                if not text or conf < self.cfg.min_conf:
                    continue
                x0, y0, x1, y1 = r.BoundingBox(level)
                words.append([text, round(x0 / gw, 4), round(y0 / gh, 4), round(x1 / gw, 4), round(y1 / gh, 4),
                              round(conf, 1)])
        api.Clear()
        return words, bool(finished)


# --------------------------------------------------------------------------- files and the cache


def _cache_key(path: Path, cfg: OcrConfig) -> str:
    h = hashlib.sha256(json.dumps(cfg.to_dict(), sort_keys=True).encode())
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:32]


def ocr_cache_dir(cache_dir: str | Path | None) -> Path:
    from docclf.data import default_cache_dir

    return (Path(cache_dir) if cache_dir else default_cache_dir()) / "ocr"


_worker_reader: Reader | None = None


def _ocr_file(args: tuple[str, dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    """In a worker process: read one file; (words dict, None) or (None, error)."""
    global _worker_reader
    from docclf.preprocess import BadImageError, open_page

    path, cfg = args
    if _worker_reader is None:
        _worker_reader = Reader(OcrConfig.from_dict(cfg))
    try:
        page = open_page(path)
    except (BadImageError, OSError) as exc:
        return None, str(exc).split("\n")[0]
    try:
        return _worker_reader.read(page).to_dict(), None
    except RuntimeError as exc:  # Tesseract gave up on this page: the text view sits it out
        log.warning("OCR failed on %s: %s", path, exc)
        return PageWords(size=page.size, words=[], source="tesseract").to_dict(), None


def words_for_files(paths: Sequence[str | Path], cfg: OcrConfig, cache_dir: str | Path | None = None,
                    use_sidecars: bool = True, workers: int = 0, progress: bool = True) -> list[PageWords | None]:
    """Words of each file: the generator's sidecar, else the OCR cache, else Tesseract (then cached).

    None for a file that cannot be read. OCR runs in `workers` processes, one thread each.
    """
    from tqdm import tqdm

    out: list[PageWords | None] = [None] * len(paths)
    root = ocr_cache_dir(cache_dir)
    todo: list[tuple[int, Path]] = []
    for i, p in enumerate(map(Path, paths)):
        side = sidecar_path(p)
        if use_sidecars and side.is_file():
            out[i] = read_words_file(side)
            continue
        key = _cache_key(p, cfg)
        cached = root / key[:2] / f"{key}.json"
        if cached.is_file():
            out[i] = read_words_file(cached)
        else:
            todo.append((i, cached))
    if not todo:
        return out
    Reader(cfg)  # fail here, once, with the install hint, rather than in every worker
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    jobs = [(str(paths[i]), cfg.to_dict()) for i, _ in todo]
    bar = tqdm(total=len(jobs), desc="reading pages (OCR)", unit="page", disable=not progress)
    env_before = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one page per core beats Tesseract's own threads
    try:
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                results = pool.map(_ocr_file, jobs, chunksize=2)
                _store(results, todo, out, bar, paths)
        else:
            _store(map(_ocr_file, jobs), todo, out, bar, paths)
    finally:
        if env_before is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = env_before
        bar.close()
    return out


def _store(results: Any, todo: list[tuple[int, Path]], out: list[PageWords | None], bar: Any,
           paths: Sequence[str | Path]) -> None:
    for (i, cached), (words, err) in zip(todo, results):
        bar.update()
        if err is not None:
            log.warning("cannot read %s for OCR: %s", paths[i], err)
            continue
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(words))
        os.replace(tmp, cached)
        out[i] = PageWords.from_dict(words)
