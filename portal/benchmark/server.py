"""gunicorn serving the portal for the benchmark, and wrk driving it on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess  # nosec B404 (starts gunicorn and wrk, fixed arguments)
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = "portal.benchmark.settings"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn serving the portal, in its own process group."""

    def __init__(self, port: int, workers: int) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DJANGO_DEBUG": "0"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # nosec B603 (fixed arguments)
            [
                str(gunicorn),
                "portal.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--backlog=2048",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/bench/reference/tiny/", timeout=5):  # nosec B310 (loopback)
                    break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(  # nosec B603 B607 (fixed arguments)
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def peak_memory_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(
    url: str,
    *,
    cookie: str,
    seconds: int,
    connections: int,
    threads: int,
    script: Path,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    run = subprocess.run(  # nosec B603 B607 (fixed arguments, loopback URL)
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    line = next(x for x in run.stdout.splitlines() if x.startswith("WRK_JSON "))
    return dict(json.loads(line[len("WRK_JSON ") :]))
