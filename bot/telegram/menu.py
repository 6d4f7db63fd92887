"""The command menu residents see next to the input field, in each language the bot speaks."""
from __future__ import annotations

from dialogs.texts import t

# The order residents see; /ask comes early because it is how to ask a policy question anywhere.
COMMAND_ORDER = ("start", "ask", "status", "lang", "help", "cancel")
LOCALES = ("zh", "en")


def command_menu(locale: str) -> list[tuple[str, str]]:
    """(command, description) pairs for Telegram clients set to `locale`."""
    return [(name, t(locale, f"command.{name}")) for name in COMMAND_ORDER]
