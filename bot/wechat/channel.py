"""WeChat messages and events through the dialog runner, answered within WeChat's 5 seconds.

A turn's answer goes back in the HTTP response (the passive reply) when it is ready within
`deadline` seconds of the request's arrival; otherwise the response is `success` and the answer is
pushed as customer-service messages once ready. WeChat sends a message again when it hears nothing
within 5 seconds; each message is claimed once (MsgId, or for events the sender and time) in the
update log every process shares, so a repeat is never a second turn.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.conversation import ConversationKey
from bot.telegram.callbacks import decode_press
from bot.telegram.channel import ChatSequence
from bot.telegram.updates import BaseUpdateLog
from bot.wechat.api import WechatApi, WechatApiError
from bot.wechat.messages import WechatMessage
from bot.wechat.render import Numbered, menu_link, render
from bot.wechat.texts import text as wechat_text
from bot.wechat.token import AccessTokens
from dialogs import intents
from dialogs.events import Repeat, Unsupported, Voice
from dialogs.messages import Inbound, Reply
from dialogs.texts import t

CHANNEL = "wechat"
DEADLINE = 4.5  # seconds: WeChat gives up at 5
REMEMBERED = 10_000  # residents whose numbered options this process keeps (the most recent ones)
LANG_MENU = "lang:"  # menu ids of the language choice, e.g. "lang:en"
VOICE_MENU = "voice"  # menu id of "yes, use what you heard"
RESUME_SCENE = "resume:"  # a QR code's scene carrying a resume code, e.g. "resume:K7QM-2WXP"
SUBSCRIBE_SCENE = "qrscene_"  # WeChat's prefix on the scene of a QR code scanned to follow
MENU_COMMANDS = {"start": "start", "status": "status", "resume": "resume", "mydata": "mydata"}  # menu button key -> command
QUIET_EVENTS = {"unsubscribe", "view", "location", "templatesendjobfinish", "subscribe_msg_popup_event",
                "subscribe_msg_change_event", "subscribe_msg_sent_event", "view_miniprogram"}

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Answer:
    """What the callback returns: the passive reply (None: `success`) and texts to push right after it."""

    passive: str | None
    after: list[str] = field(default_factory=list)


class WechatChannel:
    """Translates messages and events into Inbound, runs the turn, answers passively or pushes."""

    def __init__(self, *, runner: Any, files: Any, mailbox: Any, updates: BaseUpdateLog, api: WechatApi,
                 tokens: AccessTokens, vault: Any, hotline: str | None = None, deadline: float = DEADLINE) -> None:
        self.runner, self.files, self.mailbox, self.updates = runner, files, mailbox, updates
        self.api, self.tokens, self.vault, self.hotline, self.deadline = api, tokens, vault, hotline, deadline
        self._sequence = ChatSequence()
        # the options last numbered for each resident, so a typed number picks one (this process's memory:
        # elsewhere the engine reads numbers of a question's choices itself)
        self._numbered: OrderedDict[str, Numbered] = OrderedDict()
        self._pushing: set[asyncio.Task] = set()

    def message_number(self, message: WechatMessage) -> int:
        """The id a message is claimed under: its MsgId, or for an event its sender and time (hashed with the
        keyed conversation name, so the update log never holds an openid)."""
        if message.msg_id is not None:
            return message.msg_id
        name = ConversationKey(CHANNEL, message.user).hashed(self.vault)
        # the key too: two menu buttons tapped within one second are two events (one button tapped twice is one)
        digest = hashlib.sha256(f"{name}:{message.created}:{message.event}:{message.event_key}".encode()).digest()
        return int.from_bytes(digest[:8], "big") >> 1  # 63 bits: a positive BIGINT

    async def receive(self, message: WechatMessage, *, arrived: float) -> Answer:
        """Answer one callback message; `arrived` is when the request came (the event loop's clock)."""
        if not await self.updates.claim(self.message_number(message)):
            # WeChat sent it again: the first delivery's answer went, or goes out as a push
            return Answer(None)
        late = asyncio.Event()  # set when the answer can no longer go in the response: it is pushed instead
        task = asyncio.create_task(self._answer(message, late))
        self._keep(task)
        passive = False
        try:
            remaining = arrived + self.deadline - asyncio.get_running_loop().time()
            await asyncio.wait({task}, timeout=max(remaining, 0))
            if task.done() and not task.cancelled() and task.exception() is None:
                passive = True
                texts = task.result()
                return Answer(texts[0] if texts else None, texts[1:])
        finally:
            if not passive:  # too slow, or the request went away: the answer is pushed
                if task.done() and not task.cancelled() and task.exception() is None:
                    self._keep(asyncio.create_task(self.push(message.user, task.result())))
                late.set()
        return Answer(None)

    async def after_reply(self, user: str, texts: list[str]) -> None:
        """Push the rest of a turn's answer (called once the passive reply has gone out)."""
        if texts:
            await self.push(user, texts)

    async def push(self, user: str, texts: list[str]) -> bool:
        """Customer-service messages to `user`, in order; False when WeChat refused one (the rest are not sent)."""
        for text in texts:
            try:
                await self.tokens.call(lambda token, text=text: self.api.send_text(token, user, text))
            except WechatApiError as error:
                log.warning("wechat: a customer-service message was refused (%d)", error.code,
                            extra={"channel": CHANNEL})
                return False
        return True

    async def drain(self, timeout: float = 30.0) -> bool:
        """Wait for answers still being pushed (at shutdown); False if some are still running."""
        if not self._pushing:
            return True
        _, pending = await asyncio.wait(set(self._pushing), timeout=timeout)
        return not pending

    def _keep(self, task: asyncio.Task) -> None:
        self._pushing.add(task)
        task.add_done_callback(self._pushing.discard)

    async def _answer(self, message: WechatMessage, late: asyncio.Event) -> list[str]:
        """The texts answering one message (empty: nothing to say); pushed here when `late` is set by then,
        still in the resident's turn, so the answer to a later message cannot overtake it."""
        key = ConversationKey(CHANNEL, message.user)
        async with self._sequence.hold(message.user):
            texts = await self._texts(key, message)
            if late.is_set():
                await self.push(message.user, texts)
                return []
            return texts

    async def _texts(self, key: ConversationKey, message: WechatMessage) -> list[str]:
        try:
            inbound, before, after = await self._inbound(key, message)
        except Exception:
            log.exception("wechat: reading a message failed", extra={"channel": CHANNEL})
            failed = wechat_text(await self._locale(key), "media.failed")
            inbound, before, after = Inbound(event=Repeat()), [Reply(failed)], []
        if inbound is None:
            return render(before, asked=None)
        try:
            outcome = await self.runner.handle(key, inbound)
        except Exception:
            # the saved state is untouched: the resident only has to send the message again
            log.exception("a WeChat turn failed", extra={"channel": CHANNEL})
            return render([Reply(t(self.runner.default_locale, "error.retry"))], asked=None)
        try:
            waiting = await self.mailbox.collect(CHANNEL, message.user)
        except Exception:  # noqa: BLE001 - the messages stay in the mailbox for the next turn
            log.warning("wechat: waiting messages could not be read", extra={"channel": CHANNEL})
            waiting = []
        replies = [*waiting, *before, *outcome.replies, *after]
        shown = [reply for reply in replies if reply.options]
        if shown:
            self._numbered.pop(message.user, None)
            self._numbered[message.user] = Numbered(outcome.asked, tuple(o.value for o in shown[-1].options))
            if len(self._numbered) > REMEMBERED:
                self._numbered.popitem(last=False)
        return render(replies, asked=outcome.asked)

    async def _inbound(self, key: ConversationKey, message: WechatMessage
                       ) -> tuple[Inbound | None, list[Reply], list[Reply]]:
        """The turn's Inbound (None: no turn), with the channel's own replies before and after the engine's."""
        kind = message.kind
        if kind == "text":
            return self._typed(message), [], []
        if kind in ("image", "file") and message.media_id:
            return await self._fetch(key, message), [], []
        if kind == "voice":
            if message.recognition:
                locale = await self._locale(key)
                said = message.recognition.strip().rstrip("。.！!？?，,")  # WeChat ends what it heard with a stop
                offer = "\n".join([wechat_text(locale, "voice.heard", said=said),
                                   menu_link(wechat_text(locale, "voice.yes"), VOICE_MENU, said),
                                   wechat_text(locale, "voice.again")])
                return None, [Reply(offer)], []
            return Inbound(event=Voice()), [], []
        if kind == "event":
            return await self._event(key, message)
        return Inbound(event=Unsupported()), [], []

    def _typed(self, message: WechatMessage) -> Inbound:
        content = message.content
        if message.menu_id.startswith(LANG_MENU):
            return Inbound(command="lang", text=message.menu_id[len(LANG_MENU):])
        press = decode_press(message.menu_id) if message.menu_id and message.menu_id != VOICE_MENU else None
        if press is not None:
            return Inbound(option=press.value, data={} if press.asked is None else {"asked": press.asked})
        if (command := intents.command(content)) is not None:
            return command
        numbered = self._numbered.get(message.user)
        if numbered is not None and (value := numbered.pick(content)) is not None:
            return Inbound(option=value, data={} if numbered.asked is None else {"asked": numbered.asked})
        return Inbound(text=content)

    async def _fetch(self, key: ConversationKey, message: WechatMessage) -> Inbound:
        """A photo or file, downloaded by its MediaId and kept like a file sent on any channel."""
        try:
            media = await self.tokens.call(lambda token: self.api.media(token, message.media_id))
        except WechatApiError as error:
            log.warning("wechat: media could not be fetched (%d)", error.code, extra={"channel": CHANNEL})
            raise
        name = message.title or (f"photo-{message.msg_id}.jpg" if message.kind == "image" else media.name)
        return await self.files.receive(media.data, name=name, content_type=media.content_type)

    async def _event(self, key: ConversationKey, message: WechatMessage
                     ) -> tuple[Inbound | None, list[Reply], list[Reply]]:
        event, scene = message.event, message.event_key
        if event in QUIET_EVENTS:
            return None, [], []  # nothing is said (after unsubscribing nothing can be)
        if event in ("subscribe", "scan"):
            scene = scene.removeprefix(SUBSCRIBE_SCENE)
            if scene.startswith(RESUME_SCENE):  # a QR code carrying a resume code: the digits check follows
                return Inbound(command="resume", text=scene[len(RESUME_SCENE):]), [], []
            if event == "scan":
                return Inbound(event=Repeat()), [], []
            choose = "\n".join([wechat_text("zh", "lang.choose"), wechat_text("en", "lang.choose"),
                                menu_link("中文", f"{LANG_MENU}zh"), menu_link("English", f"{LANG_MENU}en")])
            return Inbound(command="start"), [Reply(t(self.runner.default_locale, "welcome"))], [Reply(choose)]
        if event == "click":
            if scene == "hotline":
                locale = await self._locale(key)
                said = wechat_text(locale, "hotline", phone=self.hotline) if self.hotline else \
                    wechat_text(locale, "hotline.none")
                return Inbound(event=Repeat()), [Reply(said)], []
            if scene == "start" and not ((await self.runner.states.get(key)) or {}).get("flow"):
                return Inbound(option="start"), [], []  # the idle menu's own choice: the application begins
            if scene in MENU_COMMANDS:
                return Inbound(command=MENU_COMMANDS[scene]), [], []
        return None, [], []

    async def _locale(self, key: ConversationKey) -> str:
        """The resident's language, for the channel's own texts."""
        state = await self.runner.states.get(key)
        return (state or {}).get("locale") or self.runner.default_locale
