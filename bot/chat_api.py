"""The HTTP chat API (DESIGN.md section 3) and the web chat's own endpoint: one translation, two doors."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.conversation import CHANNEL_NAME, ConversationKey
from bot.runner import Outcome
from bot.wiring import Services
from dialogs import intents
from dialogs.messages import Inbound, Reply

router = APIRouter()
USER_ID = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@\-]+$")]
CHANNEL = Annotated[str, Path(pattern=CHANNEL_NAME)]
MAX_TEXT = 100_000  # the engine explains its own, lower limits; beyond this the request itself is refused


class ChatIn(BaseModel):
    """A JSON chat message: free text or a chosen option, not both."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, max_length=MAX_TEXT)
    option: str | None = Field(default=None, max_length=64)
    # optional, chosen by the client: the same id sent again (after a lost answer) is not taken twice
    message_id: str | None = Field(default=None, min_length=1, max_length=64)


class OptionOut(BaseModel):
    label: str
    value: str


class ReplyOut(BaseModel):
    text: str
    options: list[OptionOut]


class StateOut(BaseModel):
    flow: str | None
    step: str | None
    intake_id: int | None


class ChatOut(BaseModel):
    replies: list[ReplyOut]
    state: StateOut


def services(request: Request) -> Services:
    return request.app.state.services


async def _services(request: Request) -> Services:
    return services(request)  # async: FastAPI runs a plain `def` dependency in a worker thread


ServicesDep = Annotated[Services, Depends(_services)]


async def read_inbound(request: Request, svc: Services) -> tuple[Inbound, str | None]:
    """JSON {"text"} / {"option"}, or multipart with a `file` (and optional `text`), and the client's optional
    `message_id`; 4xx when malformed."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HTTPException(422, detail="multipart requests carry the file in the field 'file'")
            message_id = form.get("message_id")
            if message_id is not None and not (isinstance(message_id, str) and 0 < len(message_id) <= 64):
                raise HTTPException(422, detail="'message_id' is 1 to 64 characters")
            data = await upload.read(svc.files.max_bytes + 1)
            kind = upload.content_type or "application/octet-stream"  # a hint only; the bytes decide
            name = upload.filename or "file"
        return await svc.files.receive(data, name=name, content_type=kind), message_id
    if not content_type.startswith("application/json"):
        raise HTTPException(415, detail="send application/json or multipart/form-data")
    try:
        body = ChatIn.model_validate_json(await request.body())
    except ValidationError as error:
        problems = [{"loc": e["loc"], "msg": e["msg"]} for e in error.errors(include_url=False, include_input=False)]
        raise HTTPException(422, detail=problems) from None
    if (body.text is None) == (body.option is None):
        raise HTTPException(422, detail="send exactly one of 'text' or 'option'")
    if body.text is not None and (typed := intents.command(body.text)):
        return typed, body.message_id
    return (Inbound(text=body.text) if body.text is not None else Inbound(option=body.option)), body.message_id


def replies_json(replies: list[Reply]) -> list[dict[str, Any]]:
    return [{"text": r.text, "options": [{"label": o.label, "value": o.value} for o in r.options]} for r in replies]


def render(outcome: Outcome, waiting: list[Reply]) -> dict[str, Any]:
    return {"replies": replies_json([*waiting, *outcome.replies]), "state": outcome.public_state()}


async def run_turn(svc: Services, key: ConversationKey, inbound: Inbound, *, locale: str | None = None,
                   message_id: str | None = None, client: str | None = None) -> JSONResponse:
    return JSONResponse(await take_turn(svc, key, inbound, locale=locale, message_id=message_id, client=client))


async def take_turn(svc: Services, key: ConversationKey, inbound: Inbound, *, locale: str | None = None,
                    message_id: str | None = None, client: str | None = None) -> dict:
    """One turn, and the messages that waited for it; `locale` is the language a new conversation starts in,
    `message_id` (chosen by the client) makes a resend harmless, `client` is who sends (`bot.resume.Guesser`)."""
    outcome = await svc.runner.handle(key, inbound, locale=locale, message_id=message_id,
                                      client=client)  # busy: bot/errors.py
    waiting = await svc.mailbox.collect(key.channel, key.user_id)
    return render(outcome, waiting)


async def check_token(request: Request, svc: Services, channel: str) -> None:
    """Bearer token of the channel, checked against the database on every request: a revoked token stops at once."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, detail="missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    if not await svc.intakes.check_channel(channel, token):
        raise HTTPException(401, detail="invalid token for this channel", headers={"WWW-Authenticate": "Bearer"})


@router.post("/api/chat/{channel}/{user_id}", response_model=ChatOut,
             responses={401: {"description": "bad token"}, 422: {"description": "malformed message"}})
async def chat(request: Request, channel: CHANNEL, user_id: USER_ID, svc: ServicesDep) -> JSONResponse:
    """One resident message through a registered channel; the replies and where the conversation is."""
    await check_token(request, svc, channel)
    inbound, message_id = await read_inbound(request, svc)
    # the client picks its user ids: resume code guesses are counted per channel token
    return await run_turn(svc, ConversationKey(f"api:{channel}", user_id), inbound, message_id=message_id,
                          client=f"token:{channel}")


@router.get("/api/chat/{channel}/{user_id}/messages", response_model=ChatOut)
async def waiting_messages(request: Request, channel: CHANNEL, user_id: USER_ID, svc: ServicesDep) -> JSONResponse:
    """Messages sent to the resident outside a turn (e.g. a caseworker's decision), handed over once."""
    await check_token(request, svc, channel)
    key = ConversationKey(f"api:{channel}", user_id)
    waiting = await svc.mailbox.collect(key.channel, key.user_id)
    state = await svc.states.get(key) or {}
    return JSONResponse({"replies": replies_json(waiting),
                         "state": {"flow": state.get("flow"), "step": state.get("step"),
                                   "intake_id": state.get("intake_id")}})

