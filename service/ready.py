"""Serving: uvicorn's server, which says where the hub is once it listens, and what to try."""

from __future__ import annotations

from collections.abc import Callable
from socket import socket

import uvicorn


class ReadyServer(uvicorn.Server):
    """uvicorn's server, printing `message` once it listens (not before: a port in use fails
    first)."""

    def __init__(self, config: uvicorn.Config, message: str,
                 say: Callable[[str], object] = print) -> None:
        super().__init__(config)
        self._message = message
        self._say = say

    async def startup(self, sockets: list[socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._say(self._message)


def ready_message(host: str, port: int) -> str:
    """The hub's address and three things to try."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"
    return (f"\nPractice Commons is ready at {address}\n"
            f"  1. Search in plain words: {address}/?q=kid+shuts+down+after+a+fight+at+home\n"
            f"  2. Browse the meeting notes of each community: "
            f"{address}/browse?kind=session-note\n"
            f"  3. Add a note of your own: {address}/upload\n"
            "Stop the hub with Ctrl+C.\n")
