"""Encryption of personal data at rest and keyed hashes to find it again."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake.errors import UndecryptableData

# Distinct HKDF labels give independent keys from one secret: knowing the look-up key
# reveals nothing about the encryption key and the other way round.
_ENCRYPTION_INFO = b"shanqiao/fernet/v1"
_LOOKUP_INFO = b"shanqiao/lookup-hmac/v1"


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def normalise_id_number(id_number: str) -> str:
    """The canonical form of a resident ID number: no spaces, upper-case check letter."""
    return "".join(id_number.split()).upper()


class Vault:
    """Fernet encryption for personal data and HMAC-SHA256 look-up hashes, both keyed from one secret."""

    __slots__ = ("_fernet", "_lookup_key")

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("the secret key must not be empty")
        secret = secret_key.encode("utf-8")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, _ENCRYPTION_INFO)))
        self._lookup_key = _derive(secret, _LOOKUP_INFO)

    def __repr__(self) -> str:
        return "Vault(<secret>)"

    def encrypt(self, data: bytes) -> bytes:
        """Encrypt and authenticate raw bytes."""
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        """Decrypt bytes written by `encrypt`; a wrong key or tampered data raises `UndecryptableData`."""
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            # the message names no data on purpose: it may end up in a log
            raise UndecryptableData("stored data cannot be decrypted with this secret key") from None

    def encrypt_text(self, text: str) -> bytes:
        """Encrypt a string."""
        return self.encrypt(text.encode("utf-8"))

    def decrypt_text(self, token: bytes) -> str:
        """Decrypt a string written by `encrypt_text`."""
        return self.decrypt(token).decode("utf-8")

    def encrypt_json(self, value: Any) -> bytes:
        """Encrypt any JSON-safe value."""
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def decrypt_json(self, token: bytes) -> Any:
        """Decrypt a value written by `encrypt_json`."""
        return json.loads(self.decrypt(token))

    def keyed_hash(self, value: str) -> str:
        """HMAC-SHA256 of `value` as 64 hex digits: equal inputs match, the input cannot be recovered."""
        return hmac.new(self._lookup_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def id_number_hash(self, id_number: str) -> str:
        """The look-up hash of a resident ID number, insensitive to spacing and letter case.

        For an ID number already in canonical form (as the dialogs store it) this equals
        `keyed_hash(id_number)`.
        """
        return self.keyed_hash(normalise_id_number(id_number))
