"""Tags: the ones in use, and merging one into another.

Each route translates HTTP to a call of service.operations.tags and its answer back.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ingest.fields import LIMITS
from service.deps import ReaderDep, RuntimeDep, WriterDep
from service.operations import tags
from service.schemas import ErrorOut

router = APIRouter(prefix="/tags", tags=["tags"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 422)}


class TagsOut(BaseModel):
    tags: dict[str, int] = Field(description="Each tag in use, with its number of documents "
                                             "(among those you may see), most used first.")


class TagMergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=LIMITS.tag, description="The tag to retire.")
    target: str = Field(min_length=1, max_length=LIMITS.tag, description="The tag to keep.")


class TagMergeOut(BaseModel):
    source: str
    target: str
    changed: int = Field(description="Documents whose tags were rewritten.")
    not_allowed: int = Field(description="Documents with the tag that you may not change; "
                                         "they keep it.")


@router.get("", response_model=TagsOut)
def list_tags(runtime: RuntimeDep, caller: ReaderDep) -> TagsOut:
    return TagsOut(tags=tags.in_use(runtime, caller))


@router.post("/merge", response_model=TagMergeOut, responses=ERRORS)
def merge_tags(runtime: RuntimeDep, caller: WriterDep, body: TagMergeIn) -> TagMergeOut:
    """Replace `source` by `target` on every document you may change (facilitators: their
    communities'; admins: all). Tags are normalised first ("Early Years" is "early-years")."""
    done = tags.merge(runtime, caller, body.source, body.target)
    return TagMergeOut(source=done.source, target=done.target, changed=done.changed,
                       not_allowed=done.not_allowed)
