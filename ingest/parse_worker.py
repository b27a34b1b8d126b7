"""Reading files in worker processes, each file within a time and a memory limit.

A small crafted .docx or .pdf can cost minutes of CPU and gigabytes to read. Read in the
server's own process it stalls the uploads behind it and can take the server down; here it
costs one worker, which is killed and replaced, and the uploader gets a clear 422.

Photos and scanned pages are recognised (OCR) in the same workers: each page has its own
time limit (Tesseract is stopped past it) and the file's time limit grows by that much for
each page to recognise; Tesseract inherits the worker's memory limit. The worker reports
each page recognised in a small file the server reads while it waits (a job's progress).

Every file goes through a worker, text and Markdown too: a worker round trip costs about a
millisecond (bench/hostile.py --measure), and Markdown and YAML front matter have their own
slow inputs, so no type is safe to read in-process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import tempfile
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ingest.errors import IngestError, UnreadableFile
from ingest.loaders import load, recognition_pages
from ingest.models import LoadedDocument
from ingest.ocr import OcrLimits, PagesRead

PROGRESS_POLL_S = 0.5  # how often the server looks at a worker's pages recognised

_SPLIT = "Save it again (as .docx or PDF) or split it, and upload the parts"


def _status_mb(field: str) -> float:
    """A figure from /proc/self/status (VmSize, VmRSS, VmHWM) in MB; 0 off Linux."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reporter(path: str) -> PagesRead:
    """Pages recognised, written to `path` as "done total" (replaced whole, never half read)."""

    def report(done: int, total: int) -> None:
        partial = f"{path}.part"
        Path(partial).write_text(f"{done} {total}")
        os.replace(partial, path)

    return report


def _pages_reported(path: Path) -> tuple[int, int] | None:
    """What a worker last reported in `path`, if anything yet."""
    try:
        done, total = path.read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return None


def _read(data: bytes, filename: str, memory_mb: int,
          ocr: OcrLimits | None = None, progress: str | None = None) -> LoadedDocument:
    """What a worker runs: `ingest.loaders.load` with at most memory_mb more address space.

    The limit counts from what the worker holds now (the libraries it inherits from the
    server are not the file's doing). Past it allocations fail: Python raises MemoryError,
    but lxml reports a damaged file, so a failure after the worker's resident memory came
    near the limit is reported as running out of memory.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int((_status_mb("VmSize") + memory_mb) * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    with contextlib.suppress(OSError):  # reset the peak (VmHWM) to the current size
        Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    try:
        return load(data, filename, ocr, pages_read=_reporter(progress) if progress else None)
    except IngestError as exc:
        if _status_mb("VmHWM") - before > 0.8 * memory_mb:
            raise MemoryError(str(exc)) from None
        raise


class ParseWorker:
    """A `Loader` that reads files in a pool of long-lived worker processes.

    Workers start on first use and are reused; one that runs past `timeout_s` on a file is
    killed and replaced. Errors raised while reading (IngestError and its kinds) come back
    with their type and message. Call `close()` to stop the workers.
    """

    def __init__(self, timeout_s: float = 60, memory_mb: int = 1024, workers: int = 2,
                 ocr: OcrLimits | None = None) -> None:
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.ocr = ocr or OcrLimits()
        # The server has threads (uvicorn, onnxruntime, Chroma), so workers are not forked
        # from it: a fork server, started clean, forks them with the loaders imported. It
        # imports the main module once (as spawn would in every worker): a script run
        # directly needs the usual `if __name__ == "__main__":` guard.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "ingest.loaders"])
        self._pool = ProcessPool(max_workers=workers, context=context)

    def __call__(self, data: bytes, filename: str, *,
                 pages_read: PagesRead | None = None) -> LoadedDocument:
        return self.load(data, filename, pages_read)

    def load(self, data: bytes, filename: str,
             pages_read: PagesRead | None = None) -> LoadedDocument:
        """Read a file in a worker; raise UnreadableFile if it takes too long or too much.

        A file with pages to recognise may take `ocr.page_timeout_s` longer for each;
        `pages_read` is told (0, pages) at the start, then as the worker recognises each."""
        pages = min(recognition_pages(data, filename), self.ocr.max_pages)  # more: refused
        timeout = self.timeout_s + self.ocr.page_timeout_s * pages
        if not (pages and pages_read):
            return self._result(self._schedule(data, filename, timeout), filename, timeout)
        with tempfile.TemporaryDirectory(prefix="commons-pages-") as folder:
            progress = Path(folder) / "pages"
            future = self._schedule(data, filename, timeout, str(progress))
            pages_read(0, pages)
            last: tuple[int, int] | None = None
            finished = False
            while not finished:
                finished = bool(wait([future], timeout=PROGRESS_POLL_S).done)
                reported = _pages_reported(progress)  # once more at the end: the last page
                if reported is not None and reported != last:
                    pages_read(*reported)
                    last = reported
            return self._result(future, filename, timeout)

    def _schedule(self, data: bytes, filename: str, timeout: float,
                  progress: str | None = None) -> Future[LoadedDocument]:
        return self._pool.schedule(
            _read, args=(data, filename, self.memory_mb, self.ocr, progress), timeout=timeout
        )

    def _result(self, future: Future[LoadedDocument], filename: str,
                timeout: float) -> LoadedDocument:
        """The file read, or why not in words an uploader can act on."""
        try:
            return future.result()
        except FutureTimeout as exc:
            raise UnreadableFile(
                f"'{filename}' took longer than {timeout:g} s to read; it may be built "
                f"to be slow to read (for example thousands of merged table cells). {_SPLIT}"
            ) from exc
        except MemoryError as exc:
            raise UnreadableFile(
                f"'{filename}' needed more than {self.memory_mb:,} MB of memory to read; it may "
                f"be built to unpack to far more than its size. {_SPLIT}"
            ) from exc
        except ProcessExpired as exc:  # killed by the system, or crashed in a C library
            raise UnreadableFile(
                f"'{filename}' stopped the reader (exit code {exc.exitcode}); it may need more "
                f"than {self.memory_mb:,} MB of memory to read, or be damaged. {_SPLIT}"
            ) from exc

    def close(self) -> None:
        """Stop the workers (a file being read is abandoned) and wait for them to exit."""
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join(timeout=10)

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
