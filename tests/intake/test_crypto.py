"""The vault: personal data encrypted and authenticated, look-ups by keyed hash."""
from __future__ import annotations

import hashlib

import pytest

from intake.crypto import Vault
from intake.errors import UndecryptableData


def test_round_trips():
    vault = Vault("secret")
    record = {"name": "张三", "id_number": "110101199003074477", "income": [36000, None]}
    token = vault.encrypt_json(record)
    assert vault.decrypt_json(token) == record
    assert vault.decrypt_text(vault.encrypt_text("电话 13800138000")) == "电话 13800138000"
    assert b"110101199003074477" not in token and "张三".encode() not in token


def test_each_encryption_differs():
    vault = Vault("secret")
    assert vault.encrypt_text("same") != vault.encrypt_text("same")


def test_another_key_cannot_read_or_forge():
    token = Vault("secret").encrypt_text("13800138000")
    with pytest.raises(UndecryptableData) as caught:
        Vault("other secret").decrypt(token)
    assert "13800138000" not in str(caught.value)
    tampered = token[:-2] + (b"A" if token[-2:-1] != b"A" else b"B") + token[-1:]
    with pytest.raises(UndecryptableData):
        Vault("secret").decrypt(tampered)


def test_keyed_hash_matches_equal_values_only_under_one_key():
    vault = Vault("secret")
    assert vault.keyed_hash("110101199003074477") == vault.keyed_hash("110101199003074477")
    assert vault.keyed_hash("110101199003074477") != vault.keyed_hash("110101199003074478")
    assert vault.keyed_hash("110101199003074477") != Vault("other").keyed_hash("110101199003074477")
    # not a plain hash anyone could compute from a list of ID numbers
    assert vault.keyed_hash("110101199003074477") != hashlib.sha256(b"110101199003074477").hexdigest()
    assert len(vault.keyed_hash("x")) == 64


def test_id_number_hash_is_canonical():
    vault = Vault("secret")
    canonical = vault.id_number_hash("11010119920307001X")
    assert vault.id_number_hash(" 11010119920307001x") == canonical
    assert canonical == vault.keyed_hash("11010119920307001X")


def test_the_secret_never_shows():
    assert "hunter2" not in repr(Vault("hunter2"))
    with pytest.raises(ValueError):
        Vault("")
