"""The python-telegram-bot runtime: translates updates for the channel and sends through ptb's Bot."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application, BaseRateLimiter, ContextTypes, TypeHandler

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
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, as a timedelta (PTB_TIMEDELTA) or as seconds."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class RetryAfterLimiter(BaseRateLimiter[None]):
    """Waits out Telegram's flood control (429 retry_after) and sends the request again."""

    def __init__(self, attempts: int = MAX_RETRIES) -> None:
        self.attempts = attempts

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                if attempt == self.attempts or seconds > MAX_WAIT_SECONDS:
                    raise
                log.warning("flood control on %s, retrying in %ss", endpoint, seconds)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")


class PtbTransport(BaseTransport):
    """Sends through a python-telegram-bot Bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, messages: list[Outgoing]) -> list[int] | None:
        sent = []
        try:
            for message in messages:
                done = await self.bot.send_message(
                    chat_id=chat_id, text=message.text, reply_markup=_keyboard(message), link_preview_options=_NO_PREVIEW
                )
                sent.append(done.message_id)
        except Forbidden:
            # The resident blocked the bot; their application is saved, nothing else to do.
            log.info("resident unreachable (bot blocked), %d message(s) not sent", len(messages))
            return None
        return sent

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> bool:
        try:
            await self.bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=message.text,
                                             reply_markup=_keyboard(message), link_preview_options=_NO_PREVIEW)
        except (BadRequest, Forbidden):
            # Unchanged, too old to edit, or deleted by the resident.
            return False
        return True

    async def download(self, file_id: str) -> bytes:
        try:
            file = await self.bot.get_file(file_id)
        except BadRequest as exc:
            if "too big" in exc.message:
                raise FileTooBig(file_id) from exc
            raise
        return bytes(await file.download_as_bytearray())

    async def typing(self, chat_id: int) -> None:
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action="typing")
        except Forbidden:
            pass

    async def answer_press(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_query_id=query_id)
        except BadRequest:
            # Too old to answer (Telegram allows a few seconds); the press itself still counts.
            pass

    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
        except (BadRequest, Forbidden):
            # Already without buttons (a second press) or deleted by the resident.
            pass


def _keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=button.data) for button in row] for row in message.keyboard]
    )


def build_application(token: str, api_base: str | None = None, *, polling: bool = True) -> Application:
    """A ptb Application for the token, talking to `api_base` (a local Bot API server) or to Telegram."""
    # ptb 22 warns on every duration it reads (RetryAfter included) unless durations are opted in
    # to timedelta, the type its next major version uses; retry_after_seconds reads either.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    builder = Application.builder().token(token).rate_limiter(RetryAfterLimiter())
    if api_base:
        base = api_base.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    # Updates of different residents run side by side; one resident's stay ordered (ChatSequence).
    builder = builder.concurrent_updates(True)
    if not polling:
        builder = builder.updater(None)
    return builder.build()


def install(application: Application, channel: TelegramChannel) -> None:
    """Hand every message, edit and button press to the channel."""

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = private_chat_id(update)
        if chat_id is None:
            return
        async with channel.admit(update.update_id, chat_id) as fresh:
            if not fresh:
                log.info("update %s already processed, skipped", update.update_id)
            elif update.message is not None:
                await channel.message(update.message)
            elif update.edited_message is not None:
                await channel.edited(update.edited_message)
            elif update.callback_query is not None:
                query = update.callback_query
                await channel.pressed(
                    chat_id=chat_id, query_id=query.id, message_id=query.message.message_id, data=query.data,
                    message=query.message,
                )

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the type: exception messages can quote what a resident typed.
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %s", update_id, type(context.error).__name__)

    # One handler for everything, so admission (order, once) wraps the whole update.
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)


async def publish_commands(bot: Bot, default_locale: str) -> None:
    """Set the command menu and profile texts for each language, and for clients in other languages."""
    for locale, language_code in [*((locale, locale) for locale in LOCALES), (default_locale, None)]:
        commands = [BotCommand(name, text) for name, text in command_menu(locale)]
        await bot.set_my_commands(commands, language_code=language_code)
        description, short_description = profile(locale)
        await bot.set_my_description(description=description, language_code=language_code)
        await bot.set_my_short_description(short_description=short_description, language_code=language_code)


class PtbRuntime:
    """A ptb Application, polling or fed from the webhook route."""

    name = "ptb"

    def __init__(self, token: str, api_base: str | None = None, *, polling: bool = True) -> None:
        self.application = build_application(token, api_base, polling=polling)
        self.transport = PtbTransport(self.application.bot)

    def attach(self, channel: TelegramChannel) -> None:
        """Route updates to the channel."""
        install(self.application, channel)

    async def open(self) -> None:
        """Initialise the bot (getMe) and start the Application."""
        await self.application.initialize()
        await self.application.start()

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one update (from the webhook) to the end."""
        await self.application.process_update(Update.de_json(update, self.application.bot))

    async def publish_commands(self, default_locale: str) -> None:
        """Set the command menu."""
        await publish_commands(self.application.bot, default_locale)

    async def start_polling(self) -> None:
        """Remove any webhook and start long polling in the background."""
        assert self.application.updater is not None, "built for webhook mode"
        await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Tell Telegram where to post updates."""
        await self.application.bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def stop_updates(self) -> None:
        """Stop polling (if running); the Application still processes what it has taken."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    async def close(self) -> None:
        """Stop the Application (it finishes its queued updates first) and release its connections."""
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
