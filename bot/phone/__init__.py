"""Phone-line and community-station staff take a caller's application through the same dialogs."""
from bot.phone import pages, turns, visits

ROUTERS = (pages.router, turns.router, visits.router)

__all__ = ["ROUTERS"]
