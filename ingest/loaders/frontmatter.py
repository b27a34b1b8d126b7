"""YAML front matter at the top of Markdown and text files."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ingest.errors import MetadataError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER = 16_384


class _SafeNoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so a 'billion laughs' block cannot expand."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise MetadataError("front matter uses YAML aliases (*name), which are not allowed")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter as a dict, and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    block = match.group(1)
    if len(block) > MAX_FRONT_MATTER:
        raise MetadataError(f"front matter is over {MAX_FRONT_MATTER // 1024} KB")
    try:
        data = yaml.load(block, Loader=_SafeNoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise MetadataError(f"front matter is not valid YAML{where}: fix it or remove it") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MetadataError("front matter must be a YAML mapping of fields such as title: ...")
    return {str(k): v for k, v in data.items()}, text[match.end() :]
