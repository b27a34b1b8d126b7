"""A free loopback port, for a `commons serve` (or a Chroma server) started in a child process:
the one `commons serve --workers` uses for its own Chroma server."""

from __future__ import annotations

from service.workers import free_port

__all__ = ["free_port"]
