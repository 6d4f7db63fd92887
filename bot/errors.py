"""The one place errors become HTTP answers: domain errors by their `code`, outages as a polite 503.

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

from bot.state.redis import LockTimeout
from intake.errors import IntakeError

log = logging.getLogger(__name__)

STATUS = {"not_found": 404, "conflict": 409, "locked": 423, "invalid": 422, "unavailable": 503}
OUTAGES = (RedisConnectionError, RedisTimeoutError, OperationalError, InterfaceError, LockTimeout, ConnectionError)
TRY_AGAIN = ("系统暂时忙不过来，请过一会儿再发一次。您之前填写的内容都还在。\n"
             "We are briefly unavailable. Please send your message again in a moment; "
             "everything you entered before is kept.")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in error.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(IntakeError)
    async def domain_error(request: Request, error: IntakeError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=STATUS.get(error.code, 400))

    for kind in OUTAGES:
        app.add_exception_handler(kind, unavailable)


async def unavailable(request: Request, error: Exception) -> JSONResponse:
    log.warning("a backing service is unavailable: %s", type(error).__name__)
    return JSONResponse({"detail": TRY_AGAIN, "code": "unavailable",
                         "replies": [{"text": TRY_AGAIN, "options": []}]},
                        status_code=503, headers={"Retry-After": "5"})
