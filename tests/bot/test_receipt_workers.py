"""The processes that read receipts end with the server that started them, even one killed with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests import golden
from tests.bot.conftest import Resident
from tests.bot.test_durability import _env, _free_port
from tests.receipts.generator import sample

AMOUNT_STEP = golden.steps("zh").index(("option", "medical")) + 2


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_receipt_readers_die_with_a_killed_server(tmp_path):
    env = _env(tmp_path)
    token = subprocess.run([sys.executable, "-m", "bot.cli", "channels", "add", "partner"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    port = _free_port()
    with open(tmp_path / "serve.log", "ab") as log:
        server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env,
                                  cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    readers: list[int] = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if (await client.get("/livez")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-2000:]
                time.sleep(0.2)
            resident = Resident(client, token, "reader")
            await resident.replay(golden.steps("zh")[:AMOUNT_STEP])
            photo = sample(tmp_path, "gd_outpatient", 1).path
            await resident.post(files={"file": (photo.name, photo.read_bytes(), "image/jpeg")})
            assert resident.said().startswith("收到，正在识别")
        deadline = time.monotonic() + 60
        while not readers and time.monotonic() < deadline:  # the reading process is started on the first receipt
            readers = [pid for pid in children(server.pid)
                       if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()]
            time.sleep(0.2)
        assert readers, "no reading process was started"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in readers if alive(pid)]
        assert not survivors, f"receipt-reading processes outlived their server: {survivors}"
    finally:
        server.kill()
        server.wait(timeout=10)
        for pid in readers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
