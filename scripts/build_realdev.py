"""Build the real-page dev set (data/realdev) from the pinned list in scripts/realdev_sources.toml.

Idempotent: pages already on disk are kept unless --force. For reports only: never train on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

try:
    from docclf.errors import UsageError
    from docclf.realdev import CLASSES, OTHER, build_realdev, count_table, load_sources
except ImportError:  # not installed: say how to fix it instead of a traceback
    raise SystemExit("docclf is not installed here: run `make setup`, then `source .venv/bin/activate`")

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=HERE / "realdev_sources.toml", help="the pinned list")
    parser.add_argument("--output-dir", type=Path, default=Path("data/realdev"))
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/realdev"), help="downloads and PDFs")
    parser.add_argument("--classes", nargs="+", choices=[*CLASSES, OTHER], help="build only these")
    parser.add_argument("--force", action="store_true", help="render pages again even when they exist")
    ns = parser.parse_args(argv)
    try:
        sources = load_sources(ns.sources)
        result = build_realdev(sources, ns.output_dir, ns.cache_dir.resolve(), force=ns.force,
                               labels=set(ns.classes) if ns.classes else None)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(count_table(result.records))
    print(f"pages in {ns.output_dir}/clean and {ns.output_dir}/scanned; sources in {ns.output_dir}/SOURCES.md")
    if result.removed:
        print(f"removed {len(result.removed)} pages that are no longer in {ns.sources.name}")
    if result.failed:
        print(f"{len(result.failed)} pages failed (see the warnings above): {', '.join(result.failed[:8])}"
              + (" ..." if len(result.failed) > 8 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
