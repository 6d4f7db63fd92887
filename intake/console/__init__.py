"""The caseworker console (HTML at /console) and its JSON API (/api/intakes), mounted by the app."""
from intake.console import access, actions, api, api_thread, conversation, mydata, pages, rights, team, visits
from intake.console.auth import GRANTS, Guard, Staff
from intake.console.context import ConsoleContext, FunnelSource
from intake.console.decisions import Decisions

ROUTERS = (pages.router, actions.router, conversation.router, team.router, visits.router, access.router, rights.router,
           mydata.router, api.session_router, api.router, api_thread.router)

__all__ = ["GRANTS", "ROUTERS", "ConsoleContext", "Decisions", "FunnelSource", "Guard", "Staff"]
