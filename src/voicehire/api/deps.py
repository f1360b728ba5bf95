"""FastAPI dependencies: the app state, a database session per request, credentials."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.api import auth
from voicehire.api.state import AppState


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.vh
    await state.start()
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.db.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def admin(request: Request, state: StateDep) -> auth.Principal:
    return auth.require_admin(state, request)


async def agent(request: Request, state: StateDep) -> auth.Principal:
    return auth.require_agent(state, request)


AdminDep = Annotated[auth.Principal, Depends(admin)]
AgentDep = Annotated[auth.Principal, Depends(agent)]

Limit = Annotated[int, Query(ge=1, le=200, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
