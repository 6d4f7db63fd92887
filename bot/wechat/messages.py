"""The XML WeChat posts to the callback, and the XML of a passive reply."""
from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

MAX_BODY = 64 * 1024  # a callback message is a few hundred bytes; anything near this is not WeChat


class BadMessage(Exception):
    """A body that is not a WeChat message (not XML, or a field missing)."""


def parse_fields(body: bytes) -> dict[str, str]:
    """The top-level fields of an `<xml>` document; BadMessage when it is not one."""
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise BadMessage("not a WeChat message")  # WeChat never sends a DTD; refusing one closes entity tricks
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise BadMessage("malformed XML") from None
    if root.tag != "xml":
        raise BadMessage("not a WeChat message")
    return {child.tag: (child.text or "").strip() for child in root}


@dataclass(frozen=True, slots=True)
class WechatMessage:
    """One message or event from a resident; `user` is their openid on this account."""

    user: str
    account: str  # the account's own id (gh_...), the `From` of a reply
    created: int
    kind: str  # text | image | voice | video | file | location | link | event | ...
    msg_id: int | None = None
    content: str = ""
    menu_id: str = ""  # bizmsgmenuid: which tappable option was tapped
    media_id: str = ""
    recognition: str = ""
    event: str = ""
    event_key: str = ""
    title: str = ""  # a file's name

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> WechatMessage:
        try:
            user, account, created, kind = (fields["FromUserName"], fields["ToUserName"],
                                            int(fields["CreateTime"]), fields["MsgType"].lower())
        except (KeyError, ValueError):
            raise BadMessage("a required field is missing") from None
        msg_id = fields.get("MsgId") or fields.get("MsgID")
        if not user or (msg_id is not None and not msg_id.isdigit()):
            raise BadMessage("a field is malformed")
        return cls(user=user, account=account, created=created, kind=kind,
                   msg_id=int(msg_id) % 2**63 if msg_id else None, content=fields.get("Content", ""),
                   menu_id=fields.get("bizmsgmenuid", ""), media_id=fields.get("MediaId", ""),
                   recognition=fields.get("Recognition", ""), event=fields.get("Event", "").lower(),
                   event_key=fields.get("EventKey", ""), title=fields.get("Title", ""))


def _cdata(value: str) -> str:
    # "]]>" inside a text would end the section early: split it across two sections
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(message: WechatMessage, text: str, *, now: float | None = None) -> bytes:
    """A passive text reply to `message`."""
    created = int(now if now is not None else time.time())
    return (f"<xml><ToUserName>{_cdata(message.user)}</ToUserName><FromUserName>{_cdata(message.account)}"
            f"</FromUserName><CreateTime>{created}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{_cdata(text)}</Content></xml>").encode()


def encrypted_reply(encrypted: str, msg_signature: str, timestamp: str, nonce: str) -> bytes:
    """The safe-mode envelope of a reply."""
    return (f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt><MsgSignature>{_cdata(msg_signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>").encode()
