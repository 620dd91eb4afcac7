"""The request's database session, the one dependency every route shares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session in a read-only transaction (rolled back: the API never writes)."""
    with request.app.state.factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
