"""Schemathesis against the OpenAPI schema: generated requests never get a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err

from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[FastAPI]:
    data = tmp_path_factory.mktemp("fuzz") / "data"
    app = create_app(Settings(data_dir=data, api_tokens=AUTH["Authorization"][7:]),
                     embedder=embedder)
    yield app
    app.state.jobs.close()
    app.state.runtime.close()


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


def test_no_server_errors(api_schema: schemathesis.BaseSchema) -> None:
    checked = 0
    for result in api_schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def no_5xx(case: schemathesis.Case[schemathesis.APIOperation[Any, Any, Any, Any]]) -> None:
            case.call_and_validate(headers=AUTH, checks=[not_a_server_error])

        no_5xx()
        checked += 1
    assert checked >= 10
