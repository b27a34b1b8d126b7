"""Finding files to ingest on disk and naming their sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.loaders import is_supported
from ingest.models import Overrides
from ingest.pipeline import Item

SKIPPED_NAMES = {"readme.md", "readme.txt", "readme"}


def _skipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(p.startswith((".", "_")) for p in parts) or path.name.lower() in SKIPPED_NAMES


def discover(paths: list[Path], overrides: Overrides = Overrides()) -> Iterator[Item]:
    """Items for each file named, and each supported file under each folder named.

    In folders, names starting with '.' or '_' and README files are skipped. A file's source
    is its path relative to the folder given (or to its own folder, for a file given); the
    folder's own names can still say the file's kind (`commons ingest notes/readings`).
    """
    for path in paths:
        if path.is_dir():
            root = path
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if _skipped(file, root) or not is_supported(file.name):
                    continue
                yield _item(file, root, overrides)
        else:
            yield _item(path, path.parent, overrides)


def named_folder(root: Path) -> str:
    """The last two names of the folder given (`notes/session-notes`, `~/readings`): they
    can say the kind (and community) of what is in it, though sources start below them."""
    parts = root.resolve().parts[1:][-2:]
    return "/".join(parts)


def _item(file: Path, root: Path, overrides: Overrides) -> Item:
    source = file.relative_to(root).as_posix()
    return Item(source=source, read=file.read_bytes, overrides=overrides, filename=file.name,
                folder=named_folder(root))
