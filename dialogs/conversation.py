"""What the engine's parts (parsing, prompts, summary menus) may use of a conversation being handled.

The engine's `Conversation` provides it; the parts depend on this description, not on the engine.
"""
from __future__ import annotations

from typing import Any, Protocol

from dialogs.messages import Effect, Option, Reply


class ConversationView(Protocol):
    state: dict[str, Any]
    ctx: Any  # dialogs.engine.Context
    replies: list[Reply]
    effects: list[Effect]

    @property
    def locale(self) -> str: ...

    @property
    def answers(self) -> dict[str, Any]: ...

    def t(self, key: str, **params: Any) -> str: ...

    def say(self, key: str, options: tuple[Option, ...] = (), **params: Any) -> None: ...

    def go(self, step: str | None, item: int | None = None, *, remember: bool = True) -> None: ...

    def ask(self, *, lead: str | None = None, redraw: bool = False) -> None: ...
