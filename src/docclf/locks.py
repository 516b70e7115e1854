"""One file lock for every "one process at a time" in docclf: the page cache, a fresh SQLite store, a study.

The `filelock` package (already a dependency of torch) does the flock, and falls back to a
lock file where a file system has no flock.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock


def file_lock(path: str | Path) -> FileLock:
    """An exclusive lock on `path` (created with its folder), blocking until free; use it in `with`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # thread_local=False: a StudyLock taken in one thread is released by whichever thread ends it.
    return FileLock(str(path), thread_local=False, preserve_lock_file=True)
