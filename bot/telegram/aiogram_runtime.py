"""The aiogram 3 runtime: translates updates for the channel and sends through aiogram's Bot."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.dispatcher.middlewares.base import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.types import BotCommand, CallbackQuery, ErrorEvent, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.telegram.channel import TelegramChannel
from bot.telegram.content import private_chat_id
from bot.telegram.menu import command_menu, profile
from bot.telegram.render import Outgoing
from bot.telegram.transport import BaseTransport, FileTooBig
from dialogs.catalogue import LOCALES

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_RETRIES = 5
# A longer wait means the bot is being throttled hard; holding the resident's turn that long helps nobody.
MAX_WAIT_SECONDS = 60


class RetryAfterMiddleware(BaseRequestMiddleware):
    """Waits out Telegram's flood control (429 retry_after) and sends the request again."""

    def __init__(self, attempts: int = MAX_RETRIES) -> None:
        self.attempts = attempts

    async def __call__(self, make_request: NextRequestMiddlewareType, bot: Bot, method: TelegramMethod) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > MAX_WAIT_SECONDS:
                    raise
                log.warning("flood control on %s, retrying in %ss", method.__api_method__, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
        raise AssertionError("unreachable")


class ResponseTypes(BaseRequestMiddleware):
    """Keeps the Response[<type>] class aiogram parses each answer with alive.

    pydantic caches generic classes only weakly, so the garbage collector drops them between
    calls and aiogram rebuilds one (~20 ms) on the next answer. Holding them here avoids that.
    """

    def __init__(self) -> None:
        self._kept: dict[type, type] = {}

    async def __call__(self, make_request: NextRequestMiddlewareType, bot: Bot, method: TelegramMethod) -> Any:
        kind = type(method)
        if kind not in self._kept:
            self._kept[kind] = Response[kind.__returning__]
        return await make_request(bot, method)


class AdmissionMiddleware(BaseMiddleware):
    """Serves private chats only, in arrival order per chat, and each update_id once."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    async def __call__(
        self,
        handler: Callable[[Any, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        chat_id = private_chat_id(event)
        if chat_id is None:
            return None
        async with self.channel.admit(event.update_id, chat_id) as fresh:
            if not fresh:
                log.info("update %s already processed, skipped", event.update_id)
                return None
            return await handler(event, data)


class AiogramTransport(BaseTransport):
    """Sends through an aiogram Bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, messages: list[Outgoing]) -> list[int] | None:
        sent = []
        try:
            for message in messages:
                done = await self.bot.send_message(chat_id=chat_id, text=message.text, reply_markup=_keyboard(message))
                sent.append(done.message_id)
        except TelegramForbiddenError:
            # The resident blocked the bot; their application is saved, nothing else to do.
            log.info("resident unreachable (bot blocked), %d message(s) not sent", len(messages))
            return None
        return sent

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> bool:
        try:
            await self.bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=message.text,
                                             reply_markup=_keyboard(message))
        except (TelegramBadRequest, TelegramForbiddenError):
            # Unchanged, too old to edit, or deleted by the resident.
            return False
        return True

    async def download(self, file_id: str) -> bytes:
        try:
            buffer = await self.bot.download(file_id)
        except TelegramBadRequest as exc:
            if "too big" in exc.message:
                raise FileTooBig(file_id) from exc
            raise
        assert buffer is not None  # download() into memory always returns the buffer
        return buffer.getvalue()

    async def typing(self, chat_id: int) -> None:
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action="typing")
        except TelegramForbiddenError:
            pass

    async def answer_press(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_query_id=query_id)
        except TelegramBadRequest:
            # Too old to answer (Telegram allows a few seconds); the press itself still counts.
            pass

    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
        except (TelegramBadRequest, TelegramForbiddenError):
            # Already without buttons (a second press) or deleted by the resident.
            pass


def _keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=button.label, callback_data=button.data) for button in row]
            for row in message.keyboard
        ]
    )


def build_bot(token: str, api_base: str | None = None, *, session: BaseSession | None = None) -> Bot:
    """An aiogram Bot for the token, talking to `api_base` (a local Bot API server) or to Telegram."""
    if session is None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base) if api_base else PRODUCTION)
    session.middleware(ResponseTypes())
    session.middleware(RetryAfterMiddleware())
    return Bot(token=token, session=session, default=DefaultBotProperties(link_preview_is_disabled=True))


def build_dispatcher(channel: TelegramChannel) -> Dispatcher:
    """A Dispatcher that hands every message, edit and button press to the channel.

    No filters: aiogram runs synchronous filters in a thread, which costs throughput, and the
    channel decides what a message is anyway.
    """
    router = Router(name="shanqiao")

    async def on_message(message: Message) -> None:
        await channel.message(message)

    async def on_edited(message: Message) -> None:
        await channel.edited(message)

    async def on_press(query: CallbackQuery) -> None:
        # AdmissionMiddleware lets through only presses on messages in a private chat.
        chat_id, message_id = query.message.chat.id, query.message.message_id
        await channel.pressed(chat_id=chat_id, query_id=query.id, message_id=message_id, data=query.data,
                              message=query.message)

    router.message.register(on_message)
    router.edited_message.register(on_edited)
    router.callback_query.register(on_press)

    async def on_error(event: ErrorEvent) -> bool:
        # Only the type: exception messages can quote what a resident typed.
        log.error("update %s failed: %s", event.update.update_id, type(event.exception).__name__)
        return True

    # Conversation state lives in the runner's store, so aiogram's own FSM is switched off.
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.errors.register(on_error)
    dispatcher.update.outer_middleware(AdmissionMiddleware(channel))
    dispatcher.include_router(router)
    return dispatcher


async def publish_commands(bot: Bot, default_locale: str) -> None:
    """Set the command menu and profile texts for each language, and for clients in other languages."""
    for locale, language_code in [*((locale, locale) for locale in LOCALES), (default_locale, None)]:
        commands = [BotCommand(command=name, description=text) for name, text in command_menu(locale)]
        await bot.set_my_commands(commands=commands, language_code=language_code)
        description, short_description = profile(locale)
        await bot.set_my_description(description=description, language_code=language_code)
        await bot.set_my_short_description(short_description=short_description, language_code=language_code)


class AiogramRuntime:
    """aiogram's Bot and Dispatcher, polling or fed from the webhook route."""

    name = "aiogram"

    def __init__(self, token: str, api_base: str | None = None) -> None:
        self.bot = build_bot(token, api_base)
        self.transport = AiogramTransport(self.bot)
        self.dispatcher: Dispatcher | None = None
        self._polling: asyncio.Task[None] | None = None

    def attach(self, channel: TelegramChannel) -> None:
        """Route updates to the channel."""
        self.dispatcher = build_dispatcher(channel)

    async def open(self) -> None:
        """Nothing to open: aiogram's session connects on first use."""

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one update (from the webhook) to the end."""
        assert self.dispatcher is not None, "attach() a channel first"
        await self.dispatcher.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))

    async def publish_commands(self, default_locale: str) -> None:
        """Set the command menu."""
        await publish_commands(self.bot, default_locale)

    async def start_polling(self) -> None:
        """Remove any webhook and start long polling in the background."""
        assert self.dispatcher is not None, "attach() a channel first"
        await self.bot.delete_webhook()
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot, handle_signals=False, close_bot_session=False, allowed_updates=ALLOWED_UPDATES
            )
        )

    async def set_webhook(self, url: str, secret: str) -> None:
        """Tell Telegram where to post updates."""
        await self.bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def stop_updates(self) -> None:
        """Stop polling (if running); updates already taken go on in their own tasks."""
        if self._polling is not None and self.dispatcher is not None:
            try:
                await self.dispatcher.stop_polling()
            except RuntimeError:
                # Stopped before the polling loop got going.
                self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.bot.session.close()
