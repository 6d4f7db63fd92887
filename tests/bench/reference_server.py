"""The server `shanqiao serve` runs, plus the reference layers DESIGN.md measures a chat turn against.

Run by the chat benchmark: `python -m tests.bench.reference_server PORT`. Beside the app's own routes:
- POST /bench/sqlite-insert: one row inserted into the app's SQLite database per request, through the
  app's engine (its one writer connection);
- POST /bench/redis-get-set: one GET and one SET of a key per request, through the app's Redis client
  (only when Redis is configured).
"""
from __future__ import annotations

import sys

import uvicorn
from fastapi import Request
from sqlalchemy import create_engine, text

from bot.app import create_app
from bot.settings import Settings


def build(settings: Settings):
    app = create_app(settings)

    @app.post("/bench/sqlite-insert")
    async def sqlite_insert(request: Request) -> dict:
        engine = request.app.state.services.engine
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO bench_rows (body) VALUES (:body)"), {"body": await request.body()})
        return {"ok": True}

    @app.post("/bench/redis-get-set")
    async def redis_get_set(request: Request) -> dict:
        svc = request.app.state.services
        key = f"{svc.settings.redis_prefix}:bench:{request.headers.get('x-client', '0')}"
        before = await svc.redis.get(key)
        await svc.redis.set(key, await request.body(), ex=600)
        return {"ok": before is not None}

    return app


if __name__ == "__main__":
    settings = Settings()
    with create_engine(settings.sql_url.replace("+aiosqlite", "")).begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, body BLOB)"))
    uvicorn.run(build(settings), host="127.0.0.1", port=int(sys.argv[1]), log_config=None, access_log=False)
