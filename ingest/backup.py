"""Backups: every original and the catalog's metadata in one .tar.gz, and the way back.

Import rebuilds the indexes through the normal pipeline, so an archive restores correctly
even into a hub that runs another embedding model.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.models import IngestResult, Overrides, PiiDecision
from ingest.pipeline import Item, Pipeline, Progress
from store.originals import content_hash
from store.records import Kind, Visibility

FORMAT = "practice-commons-backup/1"
_ORIGINAL = re.compile(r"^originals/([0-9a-f]{64})$")


class BackupError(IngestError):
    """The archive cannot be restored (not ours, damaged, or the hub is not empty)."""


def export_archive(pipeline: Pipeline, target: Path) -> int:
    """Write originals + catalog to `target` (.tar.gz); returns the number of documents."""
    documents = pipeline.index.catalog.all_documents()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": pipeline.index.embedder.name,
        "documents": [
            {"id": d.id, "source": d.source, "filename": d.filename, "title": d.title,
             "kind": d.kind.value, "community": d.community, "tags": list(d.tags),
             "authors": list(d.authors), "date": d.date, "content_hash": d.content_hash,
             "added_at": d.added_at, "visibility": d.visibility.value, "owner": d.owner}
            for d in documents
        ],
    }
    tmp = target.with_name(target.name + ".partial")
    with tarfile.open(tmp, "w:gz") as archive:
        data = json.dumps(manifest, indent=1).encode()
        info = tarfile.TarInfo("catalog.json")
        info.size, info.mtime = len(data), int(time.time())
        archive.addfile(info, io.BytesIO(data))
        for digest in sorted({d.content_hash for d in documents}):
            original = pipeline.originals.get(digest)
            info = tarfile.TarInfo(f"originals/{digest}")
            info.size = len(original)
            info.mtime = int(pipeline.originals.stored_at(digest))
            archive.addfile(info, io.BytesIO(original))
    tmp.replace(target)
    return len(documents)


def import_archive(
    pipeline: Pipeline, source: Path, progress: Progress | None = None
) -> list[IngestResult]:
    """Restore an archive into an empty hub and index every document."""
    if pipeline.index.catalog.all_documents():
        raise BackupError("import restores into an empty data folder; this one has documents")
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"'{source}' is not a Practice Commons backup ({exc})") from exc
    with archive:
        manifest: dict[str, Any] | None = None
        for member in archive:
            if not member.isfile():
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            if member.name == "catalog.json":
                manifest = json.loads(handle.read())
            elif match := _ORIGINAL.match(member.name):
                data = handle.read()
                if content_hash(data) != match.group(1):
                    raise BackupError(f"'{member.name}' is damaged (its hash does not match)")
                pipeline.originals.put(data)
    if not manifest or manifest.get("format") != FORMAT:
        raise BackupError(f"'{source}' has no {FORMAT} catalog")
    items = []
    for doc in manifest["documents"]:
        digest = doc["content_hash"]
        if not pipeline.originals.exists(digest):
            raise BackupError(f"the original of '{doc['source']}' is missing from the archive")
        items.append(Item(
            source=doc["source"], filename=doc["filename"],
            read=partial(pipeline.originals.get, digest),
            overrides=Overrides(kind=Kind(doc["kind"]), community=doc["community"],
                                title=doc["title"], tags=tuple(doc["tags"]),
                                authors=tuple(doc["authors"]), date=doc["date"],
                                visibility=Visibility(doc.get("visibility") or "public"),
                                owner=doc.get("owner"), pii=PiiDecision.KEEP),
        ))
    return pipeline.ingest(items, progress=progress, force=True)
