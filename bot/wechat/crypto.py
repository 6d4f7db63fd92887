"""WeChat's callback signatures and safe-mode (安全模式) message encryption.

Safe mode: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7
padding to 32-byte blocks; the plaintext is 16 random bytes, the message length (4 bytes, big-endian),
the message, then the AppID it is meant for.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class CryptoError(Exception):
    """A signature that does not match or a message that cannot be decrypted; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def signature(token: str, *parts: str) -> str:
    """SHA-1 over the sorted concatenation of the token and the parts (timestamp, nonce[, Encrypt])."""
    return hashlib.sha1("".join(sorted((token, *parts))).encode()).hexdigest()


def check_signature(given: str | None, token: str, *parts: str) -> None:
    """Raise CryptoError unless `given` is the signature of the token and parts."""
    if not given or not hmac.compare_digest(given.lower(), signature(token, *parts)):
        raise CryptoError("signature")


class MessageCrypto:
    """Encrypts and decrypts callback messages for one account (AppID, token, EncodingAESKey)."""

    def __init__(self, *, app_id: str, token: str, aes_key: str, random: Callable[[int], bytes] = os.urandom) -> None:
        if len(aes_key) != 43:
            raise ValueError("the EncodingAESKey has 43 characters")
        try:
            self.key = base64.b64decode(aes_key + "=", validate=True)
        except binascii.Error:
            raise ValueError("the EncodingAESKey is not base64") from None
        self.app_id, self.token, self._random = app_id, token, random

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def decrypt(self, encrypted: str, *, msg_signature: str | None, timestamp: str, nonce: str) -> bytes:
        """The message inside `encrypted`, after checking its signature (first) and its AppID (last)."""
        check_signature(msg_signature, self.token, timestamp, nonce, encrypted)
        try:
            data = base64.b64decode(encrypted, validate=True)
        except binascii.Error:
            raise CryptoError("encoding") from None
        if not data or len(data) % 16:
            raise CryptoError("length")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad or len(plain) - pad < 20:
            raise CryptoError("padding")
        content = plain[16:-pad]
        (length,) = struct.unpack(">I", content[:4])
        message, app_id = content[4 : 4 + length], content[4 + length :]
        if len(message) != length or not hmac.compare_digest(app_id, self.app_id.encode()):
            raise CryptoError("appid")
        return message

    def encrypt(self, message: bytes, *, timestamp: str, nonce: str) -> tuple[str, str]:
        """(Encrypt, MsgSignature) for a reply."""
        plain = self._random(16) + struct.pack(">I", len(message)) + message + self.app_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        encrypted = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
        return encrypted, signature(self.token, timestamp, nonce, encrypted)
