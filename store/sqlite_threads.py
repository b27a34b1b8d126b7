"""Let SQLite work on several cores at once: turn off its memory statistics.

By default SQLite counts every allocation under one process-wide lock
(SQLITE_CONFIG_MEMSTATUS). A full-text query allocates constantly, so two FTS5 queries on
two connections in two threads ran slower together than one after the other (96 against
78 ms at 100,000 chunks). With the statistics off they take 40 ms together. Only
`sqlite3_memory_used()` and its kin stop counting; the hub reads none of them.

Python's `sqlite3` cannot set this, so `disable_memory_statistics()` calls SQLite's own
`sqlite3_config` through ctypes, on the very library the `sqlite3` module is linked to, and
only while no connection is open (SQLite reports no memory in use): the library is shut down,
configured and started again, which its documentation allows only then. Anything else (a
statically linked SQLite, a connection already open) leaves SQLite as it was, and searches
then run each query whole (`PARALLEL` stays False).
"""

from __future__ import annotations

import ctypes
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

SQLITE_OK = 0
SQLITE_CONFIG_MEMSTATUS = 9

PARALLEL = False  # may queries on several connections run at once, each on its own core


def _linked_library() -> str | None:
    """The path of the shared SQLite library this process has loaded for `sqlite3`."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    for line in maps.splitlines():
        path = line.split()[-1]
        if "/libsqlite3.so" in path:
            return path
    return None


def disable_memory_statistics() -> bool:
    """Turn SQLite's memory statistics off if that can be done safely now; True if off."""
    global PARALLEL
    if PARALLEL:
        return True
    path = _linked_library()
    if path is None:
        return False
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return False
    library.sqlite3_libversion.restype = ctypes.c_char_p
    library.sqlite3_memory_used.restype = ctypes.c_int64
    if library.sqlite3_libversion().decode() != sqlite3.sqlite_version:
        return False
    if library.sqlite3_memory_used() != 0:  # a connection is open: too late to reconfigure
        log.info("SQLite already in use; its queries will run one at a time")
        return False
    configured = (library.sqlite3_shutdown() == SQLITE_OK
                  and library.sqlite3_config(SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == SQLITE_OK)
    started = library.sqlite3_initialize() == SQLITE_OK
    PARALLEL = bool(configured and started)
    return PARALLEL
