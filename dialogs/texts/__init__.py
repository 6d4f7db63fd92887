"""Every text a resident reads, one module per locale; `t(locale, key, **params)` looks one up."""
from __future__ import annotations

from typing import Any

from dialogs.texts import en, zh

LOCALES = {"zh": zh.TEXTS, "en": en.TEXTS}
_MISSING = object()


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(locale: str, key: str, default: Any = _MISSING, **params: Any) -> str:
    """The text `key` in `locale`, formatted with `params`; falls back to Chinese, then `default`."""
    texts = LOCALES.get(locale, zh.TEXTS)
    template = texts.get(key)
    if template is None:
        template = zh.TEXTS.get(key) if default is _MISSING else default
    if template is None:
        template = key
    return template.format_map(_Params(params)) if params else template
