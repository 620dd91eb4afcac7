"""The web application: the read-only JSON API under ``/api`` and the server-rendered pages, over one store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from crawler import __version__
from crawler.exceptions import CitetrackError
from crawler.report.markup import CSP, esc, page
from crawler.web import api, pages
from store.engine import session_factory
from store.errors import NotFound


def create_app(db_url: str) -> FastAPI:
    """Return the app serving the store at ``db_url`` (schema created on first use)."""
    app = FastAPI(
        title="citetrack",
        version=__version__,
        description="Read-only access to articles, their claims, the verdicts against each cited source, "
        "and the sources that broke. Lists are paginated with `page` and `per_page`.",
    )
    app.state.factory = session_factory(db_url)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(CitetrackError, _bad_request)
    # FastAPI's own API explorer (/docs, /redoc) loads Swagger UI's scripts, which the policy would block.
    explorer = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}

    @app.middleware("http")
    async def content_security_policy(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Send the pages' Content-Security-Policy as a header too (a <meta> tag cannot carry every directive)."""
        response = await call_next(request)
        if request.url.path not in explorer:
            response.headers["Content-Security-Policy"] = CSP
        return response

    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


async def _not_found(request: Request, error: Exception) -> HTMLResponse | JSONResponse:
    if _wants_html(request):
        return HTMLResponse(page("Not found", f"<h1>Not found</h1><p>{esc(error)}</p>", [("/", "Articles")]), 404)
    return JSONResponse({"detail": str(error)}, status_code=404)


async def _bad_request(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=400)
