"""Tags: the ones in use, and merging one into another (facilitators and admins)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import fields
from ingest.errors import MetadataError
from search.facets import facet_counts
from service.accounts import Caller, Role
from service.operations.audit import AuditAction, record
from service.operations.permissions import NotAllowed
from service.runtime import Runtime
from store.records import Filters


@dataclass(frozen=True)
class TagMerge:
    """What merging `source` into `target` did."""

    source: str
    target: str
    changed: int  # documents whose tags were rewritten
    not_allowed: int  # documents with the tag that the caller may not change

    def summary(self) -> str:
        """What happened, in the words the page and the command line both show."""
        said = (f"Merged '{self.source}' into '{self.target}' on {self.changed} "
                f"document{'s' if self.changed != 1 else ''}.")
        if self.not_allowed:
            said += (f" {self.not_allowed} other document{'s' if self.not_allowed != 1 else ''}"
                     f" with '{self.source}' belong to communities you do not facilitate and "
                     "keep it.")
        return said


def in_use(runtime: Runtime, caller: Caller) -> dict[str, int]:
    """Each tag on the documents the caller may see, with how many carry it, most used first."""
    documents = runtime.index.catalog.documents(Filters(viewer=caller.viewer))
    return facet_counts(documents)["tags"]


def merge(runtime: Runtime, caller: Caller, source: str, target: str) -> TagMerge:
    """Replace tag `source` by `target` on every document the caller may change.

    Facilitators merge on their communities' documents, admins on all; documents the caller
    may see but not change keep their tags and are counted, so nobody believes a merge was
    complete when it was not. Each rewritten document is one audit entry.
    """
    if not caller.at_least(Role.FACILITATOR):
        raise NotAllowed("Merging tags is for facilitators and admins.",
                         sign_in=caller.role is Role.ANONYMOUS)
    old, new = fields.tag(source), fields.tag(target)
    if not old or not new:
        raise MetadataError("give the tag to merge and the tag to merge it into")
    if old == new:
        raise MetadataError(f"'{old}' and '{new}' are the same tag")
    documents = runtime.index.catalog.documents(Filters(tags=(old,), viewer=caller.viewer))
    changed = 0
    for doc in documents:
        if not caller.may_change(doc):
            continue
        tags = tuple(dict.fromkeys(new if t == old else t for t in doc.tags))
        runtime.update_metadata(doc.id, tags=tags)
        record(runtime, caller, AuditAction.TAG_MERGE, doc.id, f"{old} -> {new}")
        changed += 1
    return TagMerge(old, new, changed, len(documents) - changed)
