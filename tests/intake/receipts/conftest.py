"""Receipts of the drawn test set, drawn once per test session."""
from __future__ import annotations

import pytest

from tests.receipts.generator import sample


@pytest.fixture(scope="session")
def drawn(tmp_path_factory):
    directory = tmp_path_factory.mktemp("receipts")
    return lambda layout, index: sample(directory, layout, index)
