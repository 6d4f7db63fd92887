"""Security headers on every console page and console API answer (an ASGI middleware: no body buffering)."""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONSOLE_PREFIXES = ("/console", "/api/intakes", "/api/session")
# scripts and styles from our own files only; the console is never framed, posts only to itself
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = (
    (b"content-security-policy", POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
NO_STORE = (b"cache-control", b"no-store")


class ConsoleHeaders:
    """Adds the console's security headers; pages and answers carrying personal data are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(CONSOLE_PREFIXES):
            await self.app(scope, receive, send)
            return
        # the style sheet and script are the same for everyone and may be cached; nothing else
        static = "/static/" in path

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in {h for h, _ in HEADERS}]
                headers.extend(HEADERS)
                if not static:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"] + [NO_STORE]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
