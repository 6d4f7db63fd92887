"""Every text a resident reads, one module per locale; `t(locale, key, **params)` looks one up."""
from __future__ import annotations

from dialogs.catalogue import Catalogue
from dialogs.texts import en, zh

t = Catalogue({"zh": zh.TEXTS, "en": en.TEXTS})
