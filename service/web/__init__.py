"""The web page: server-rendered HTML over the same functions as the JSON API.

Practitioners use a browser, not curl; every page works without JavaScript, and the small
script in static/app.js only adds drag-and-drop, upload progress and job polling.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.web import insights, manage, signin, tags
from service.web.render import STATIC_DIR
from service.web.routes import router


def install(app: FastAPI) -> None:
    """Add the pages and their static files to the app (one call from service/app.py)."""
    app.include_router(router)
    app.include_router(signin.router)
    app.include_router(tags.router)
    app.include_router(manage.router)
    app.include_router(insights.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
