"""The FastAPI app: health, metrics, the HTTP chat API, the web chat, and (when configured) Telegram."""
from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot import chat_api, errors, phone, webchat
from bot.background import Background
from bot.contact import ConversationContact
from bot.limits import JSON_BODY_LIMIT, MULTIPART_MARGIN, BodyLimit, RateLimit
from bot.metrics import QUEUE_DEPTH, QUEUE_OLDEST_SECONDS
from bot.phone.turns import MAX_FILES
from bot.settings import Settings
from bot.wiring import Services, build_services, web_setup
from intake import console
from intake.console import ConsoleContext
from intake.console.headers import ConsoleHeaders
from intake.database import migrate

log = logging.getLogger(__name__)
DOCS_ASSETS = "/docs-assets"
# Swagger UI 5 (it reads the OpenAPI 3.1 schema FastAPI writes), as fastapi-offline packages it
SWAGGER_UI_FILES = Path(fastapi_offline.__file__).with_name("static")


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app; services are built at start-up unless given (tests share them)."""
    if services is None:
        settings = settings or Settings()
    setup = services.web if services else web_setup(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        svc = services or await build_services(settings)
        await migrate(svc.engine)
        app.state.services = svc
        app.state.web_rate = RateLimit(burst=webchat.RATE_BURST, window=webchat.RATE_WINDOW, redis=svc.redis,
                                       prefix=f"{setup.redis_prefix}:rate:web:")
        app.state.speech_rate = RateLimit(burst=webchat.SPEECH_BURST, window=webchat.RATE_WINDOW, redis=svc.redis,
                                          prefix=f"{setup.redis_prefix}:rate:speech:")
        app.state.console = ConsoleContext(
            store=svc.intakes, queue=svc.queue, contact=ConversationContact(svc.runner, svc.notifiers, svc.notices),
            secret=setup.secret, read_file=svc.files.read, params=svc.params,
            target_hours=setup.target_hours, lease_seconds=setup.claim_lease_seconds,
            locale=setup.locale, funnel=svc.runner.stops, secure_cookies=setup.secure_cookies,
            access=svc.access, consents=svc.consents, rights=svc.rights,
            erase=svc.retention.anonymise)
        in_process, telegram = setup.in_process, svc.telegram
        bot = sender = None
        if telegram and telegram.webhook_url:
            from bot.telegram import start_bot

            # every web process takes webhook updates; polling is one process's job (see Background)
            bot = await start_bot(telegram, svc)
            app.include_router(bot.router)
        elif telegram and not in_process:
            from bot.telegram.startup import start_sender

            # the worker polls; this process still sends decision notices straight to Telegram
            sender = await start_sender(telegram, svc)
        wechat = None
        if svc.wechat:
            from bot.wechat.startup import start_wechat

            wechat = start_wechat(svc.wechat, svc)
            app.include_router(wechat.router)
        background = Background(svc, poll_telegram=bool(telegram and not telegram.webhook_url))
        if in_process:
            background.start()
        gc.freeze()  # start-up objects never need collecting; fewer long full collections later
        try:
            yield
        finally:
            await background.stop()
            if bot is not None:
                await bot.stop()
            if sender is not None:
                await sender.close()
            if wechat is not None:
                await wechat.stop()
            if services is None:
                await svc.aclose()

    # the API docs page is served with its own copy of Swagger UI: it works with no network
    app = FastAPI(title="Shanqiao 善桥", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(ConsoleHeaders)
    app.mount(DOCS_ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )

    def body_limit(path: str, content_type: str) -> int:
        if not content_type.startswith("multipart/"):
            return JSON_BODY_LIMIT
        files = MAX_FILES if path.startswith("/console/phone/") else 1
        return files * setup.max_attachment_bytes + MULTIPART_MARGIN

    app.add_middleware(BodyLimit, limit_for=body_limit)  # before anything reads the body
    if setup.trusted_proxies:
        # outermost: everything after sees the resident's address; anyone else's X-Forwarded-For is ignored
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=setup.trusted_proxies)

    errors.install(app)

    @app.get("/livez", include_in_schema=False)
    async def livez() -> dict:
        """The process answers (no dependencies touched)."""
        return {"ok": True}

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        """200 when the database and (if configured) Redis answer."""
        svc: Services = request.app.state.services
        checks = {}
        try:
            async with svc.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception:
            checks["database"] = "down"
        if svc.redis is not None:
            try:
                await svc.redis.ping()
                checks["redis"] = "ok"
            except Exception:
                checks["redis"] = "down"
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse({"ok": healthy, **checks}, status_code=200 if healthy else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        stats = await request.app.state.services.queue.stats()
        QUEUE_DEPTH.set(stats.waiting)
        oldest = stats.oldest_submitted_at
        QUEUE_OLDEST_SECONDS.set((datetime.now(timezone.utc) - oldest).total_seconds() if oldest else 0)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    # routes are matched in order: the probes above stay cheap however many console pages follow; residents'
    # turns come before the staff pages
    app.include_router(chat_api.router)
    app.include_router(webchat.router)
    for router in (*console.ROUTERS, *phone.ROUTERS):
        app.include_router(router)
    return app


def serve_app() -> FastAPI:
    """The app of one web process among several (`shanqiao serve --workers N`): settings from the environment."""
    from bot.logs import setup_logging

    settings = Settings()
    setup_logging(json_lines=settings.log_json)
    return create_app(settings)
