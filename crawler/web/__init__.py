"""The read-only web interface: JSON API and server-rendered pages (FastAPI, served by uvicorn)."""

from crawler.web.app import create_app

__all__ = ["create_app"]
