"""While serving, what start-up loaded sits outside Python's garbage collections."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder


def test_start_up_objects_are_left_out_of_full_collections(
    tmp_path: Path, embedder: Embedder
) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    runtime = app.state.runtime
    with TestClient(app) as client:
        assert client.get("/api/search", params={"q": "calm corner"}).status_code == 200
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the model's objects, the index's, the app's
        # a full collection no longer walks them: the runtime is not among what it tracks
        assert not any(tracked is runtime for tracked in gc.get_objects())
    assert gc.get_freeze_count() == 0  # and the next app in this process starts clean
