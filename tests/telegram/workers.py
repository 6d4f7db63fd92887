"""Bot worker processes for tests: `shanqiao serve` as deployed, configured through the environment."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp

from dialogs.resume_codes import masked
from dialogs.texts import t
from tests.conftest import seed_index
from tests.telegram.fake_bot_api import Entry

SHANQIAO = str(Path(sys.executable).with_name("shanqiao"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Worker:
    """One `shanqiao serve` (or `shanqiao worker`) process; its log goes to a file shown when start-up fails."""

    def __init__(self, workdir: Path, name: str, *, command: tuple[str, ...] = ("serve",)) -> None:
        self.workdir, self.name, self.command = workdir, name, command
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logged(self, words: str) -> int:
        """How many lines of the worker's log contain `words`."""
        return sum(words in line for line in self.log.read_text().splitlines()) if self.log.exists() else 0

    async def start(self, settings: dict[str, Any], timeout: float = 120.0) -> None:
        """Start with these settings (as SHANQIAO_* variables) and wait until the app answers
        (for `shanqiao worker`: until it logs that it started)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHANQIAO_")}
        env.update({f"SHANQIAO_{k.upper()}": str(v) for k, v in settings.items() if v is not None})
        if settings.get("var_dir") is not None:
            seed_index(settings["var_dir"])
        serving = self.command[0] == "serve"
        arguments = [*self.command, "--host", "127.0.0.1", "--port", str(self.port)] if serving else [*self.command]
        started = self.logged("worker started")
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                SHANQIAO, *arguments, cwd=self.workdir, env=env, stdout=log, stderr=log)
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as client:
            while True:
                if self.process.returncode is not None:
                    raise RuntimeError(f"worker {self.name} exited:\n{self.log.read_text()[-3000:]}")
                if not serving:
                    if self.logged("worker started") > started:
                        return
                else:
                    try:
                        async with client.get(f"{self.url}/livez") as response:
                            if response.status == 200:
                                return
                    except aiohttp.ClientError:
                        pass
                if asyncio.get_running_loop().time() > deadline:
                    self.process.kill()  # never leave a half-started process behind
                    await self.process.wait()
                    raise TimeoutError(f"worker {self.name} did not start:\n{self.log.read_text()[-3000:]}")
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a machine dies."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """SIGTERM and wait (graceful); killed if it takes too long."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


# what the bot says once receipts are read: it comes whenever the reading ends, between any two turns
READ_NOTICES = {t(locale, f"receipt.problem.{problem}", n=n) for locale in ("zh", "en") for n in range(1, 10)
                for problem in ("unreadable", "timeout", "damaged", "type", "image_too_large")}


def comparable(entries: list[Entry], intake_id: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """A chat transcript with what legitimately differs between two runs (intake number, photo names, the
    resume code) masked; what was said once receipts were read is compared apart, in any order."""
    def mask(text: str) -> str:
        text = masked(text)  # before the intake number, which may stand inside a code
        text = re.sub(rf"(?<!\d){intake_id}(?!\d)", "<intake>", text)
        return re.sub(r"photo-[0-9a-f]+\.jpg", "photo-<id>.jpg", text)

    turns = [(e.who, mask(e.text), e.buttons) for e in entries if e.text not in READ_NOTICES]
    return turns + sorted((e.who, e.text, e.buttons) for e in entries if e.text in READ_NOTICES)
