"""The one place errors become HTTP answers: domain errors by their `code`, a busy conversation as a 409,
outages as a polite 503.

Every package has an error root with a `code` (IntakeError, KnowledgeError); an edge maps the code
to a status here and nowhere else. A request never ends in a bare 500 because Redis or the database
stepped away for a moment: the resident reads "please send again", and nothing they sent was taken.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.state.base import ConversationBusy
from intake.errors import IntakeError

log = logging.getLogger(__name__)

STATUS = {"not_found": 404, "conflict": 409, "locked": 423, "invalid": 422, "unavailable": 503}
OUTAGES = (RedisConnectionError, RedisTimeoutError, OperationalError, InterfaceError, ConnectionError)
TRY_AGAIN = ("系统暂时忙不过来，请过一会儿再发一次。您之前填写的内容都还在。\n"
             "We are briefly unavailable. Please send your message again in a moment; "
             "everything you entered before is kept.")


BUSY = ("上一条消息还在处理中，请稍后再发一次。您填写的内容都还在。\n"
        "Your previous message is still being handled. Please send this one again in a moment; "
        "everything you entered is kept.")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in error.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(IntakeError)
    async def domain_error(request: Request, error: IntakeError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=STATUS.get(error.code, 400))

    @app.exception_handler(ConversationBusy)
    async def busy(request: Request, error: ConversationBusy) -> JSONResponse:
        # an earlier message of this conversation is still being handled; nothing of this one was taken
        return JSONResponse({"detail": BUSY, "code": "busy", "replies": [{"text": BUSY, "options": []}]},
                            status_code=409, headers={"Retry-After": "2"})

    for kind in OUTAGES:
        app.add_exception_handler(kind, unavailable)


async def unavailable(request: Request, error: Exception) -> JSONResponse:
    log.warning("a backing service is unavailable: %s", type(error).__name__)
    return JSONResponse({"detail": TRY_AGAIN, "code": "unavailable",
                         "replies": [{"text": TRY_AGAIN, "options": []}]},
                        status_code=503, headers={"Retry-After": "5"})
