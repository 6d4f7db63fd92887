"""What residents see of the bot outside the chat itself: the command menu and the bot's profile texts."""
from __future__ import annotations

from dialogs.texts import t

# The order residents see; /ask comes early because it is how to ask a policy question anywhere, and
# /resume is how an application begun on another phone or channel is found again; /mydata opens the rights desk.
COMMAND_ORDER = ("start", "ask", "status", "resume", "mydata", "lang", "help", "cancel")


def command_menu(locale: str) -> list[tuple[str, str]]:
    """(command, description) pairs for Telegram clients set to `locale`."""
    return [(name, t(locale, f"command.{name}")) for name in COMMAND_ORDER]


def profile(locale: str) -> tuple[str, str]:
    """(description, short description): the first screen of an empty chat and the bot's profile.

    Both say how to ask a policy question, which works at any point of the application.
    """
    return f"{t(locale, 'welcome')}\n\n{t(locale, 'hint.ask')}", t(locale, "hint.ask")
