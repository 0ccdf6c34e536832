"""Start and stop what the benchmark measures: the hotline (`python -m bot run --no-train`,
as tests/conftest.py does) and raw Rasa on its own REST channel, sharing the hotline's
action server. Also finds their processes for memory readings.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "hotline.tar.gz"
TWILIO_FROM = "+15005550006"
READY_TIMEOUT = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    """A started server: its process, where it listens and how long it took to be ready."""

    name: str
    process: subprocess.Popen
    base_url: str
    log_path: Path
    cold_start_seconds: float = 0.0
    gateway_ready_seconds: float | None = None  # the hotline's webhooks answer from here
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def _start(name: str, cmd: list[str], env: dict[str, str], log_path: Path, base_url: str,
           probe: tuple[str, dict]) -> Service:
    """Run cmd and poll the probe (a conversation that must get a reply) until it answers."""
    log = log_path.open("ab")
    started = time.monotonic()
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    service = Service(name, process, base_url, log_path, env=env)
    path, payload = probe
    deadline = started + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{log_path.read_text()[-4000:]}")
        try:
            if name == "hotline":
                # The gateway answers at once; the assistant behind it is what we time.
                health = httpx.get(f"{base_url}/health", timeout=5)
                if health.status_code == 200 and service.gateway_ready_seconds is None:
                    service.gateway_ready_seconds = time.monotonic() - started
                if health.status_code != 200 or health.json().get("assistant") != "up":
                    time.sleep(0.25)
                    continue
            r = httpx.post(f"{base_url}{path}", json=payload, timeout=30)
            if r.status_code == 200 and r.json():
                service.cold_start_seconds = time.monotonic() - started
                return service
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    service.stop()
    raise RuntimeError(f"{name} not ready in {READY_TIMEOUT:.0f} s:\n"
                       f"{log_path.read_text()[-4000:]}")


def hotline_env(tmp: Path, twilio_sid: str, twilio_token: str, twilio_url: str,
                outbox_rate: float) -> dict[str, str]:
    from cryptography.fernet import Fernet

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TWILIO_"))}
    env.update({
        "HOTLINE_PORT": str(port),
        "HOTLINE_ACTIONS_PORT": str(free_port()),
        "HOTLINE_CONSOLE_PORT": str(free_port()),  # the advocate console, if this tree has it
        "HOTLINE_DATABASE_URL": f"sqlite:///{tmp / 'hotline.db'}",
        "HOTLINE_TRACKER_DB": str(tmp / "tracker.db"),
        "HOTLINE_SECRET_KEY": "benchmark-secret-key",
        "HOTLINE_DATA_KEYS": Fernet.generate_key().decode(),
        "HOTLINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TWILIO_ACCOUNT_SID": twilio_sid,
        "TWILIO_AUTH_TOKEN": twilio_token,
        "TWILIO_FROM_NUMBER": TWILIO_FROM,
        "TWILIO_API_BASE_URL": twilio_url,
        # 0 = no per-number send limit: measure the software, not Twilio's 1 MPS long code.
        "HOTLINE_OUTBOX_RATE_PER_SECOND": str(outbox_rate),
    })
    return env


def start_hotline(tmp: Path, env: dict[str, str]) -> Service:
    """The real supervisor (Rasa server + action server), timed from spawn to first reply."""
    base_url = f"http://127.0.0.1:{env['HOTLINE_PORT']}"
    return _start("hotline", [sys.executable, "-m", "bot", "run", "--no-train"], env,
                  tmp / "hotline.log", base_url,
                  ("/webhooks/webchat/webhook", {"sender": "readiness-probe", "message": "hi"}))


def start_raw_rasa(tmp: Path, hotline: Service) -> Service:
    """`rasa run` with only Rasa's REST channel, the same model and the hotline's action
    server; Rasa's own SQL tracker store on SQLite (unencrypted), in-memory lock store."""
    port = free_port()
    credentials = tmp / "raw-credentials.yml"
    credentials.write_text("rest:\n")
    endpoints = tmp / "raw-endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n"
        f"  url: http://127.0.0.1:{hotline.env['HOTLINE_ACTIONS_PORT']}/webhook\n"
        "tracker_store:\n"
        "  type: SQL\n"
        "  dialect: sqlite\n"
        f"  db: {tmp / 'raw-tracker.db'}\n"
    )
    cmd = [sys.executable, "-m", "rasa", "run", "--model", str(MODEL),
           "--credentials", str(credentials), "--endpoints", str(endpoints),
           "--interface", "127.0.0.1", "--port", str(port)]
    return _start("raw-rasa", cmd, hotline.env, tmp / "raw-rasa.log",
                  f"http://127.0.0.1:{port}",
                  ("/webhooks/rest/webhook", {"sender": "readiness-probe", "message": "hi"}))


def _is_python(proc: psutil.Process) -> bool:
    try:
        cmdline = proc.cmdline()
    except psutil.Error:
        return False
    return bool(cmdline) and "python" in Path(cmdline[0]).name and "-c" not in cmdline[1:2]


def processes(hotline: Service, raw: Service | None = None) -> dict[str, psutil.Process]:
    """supervisor, gateway, rasa, actions (and console) of the hotline (and raw-rasa), by role."""
    found = {"supervisor": psutil.Process(hotline.process.pid)}
    for child in found["supervisor"].children(recursive=True):
        if not _is_python(child):
            continue
        cmdline = " ".join(child.cmdline())
        if "supervisor.supervisord" in cmdline:
            found["supervisord"] = child
        elif "bot.gateway" in cmdline:
            found["gateway"] = child
        elif "bot.actions_server" in cmdline:
            found["actions"] = child
        elif "bot.console" in cmdline:
            found["console"] = child
        elif (" rasa " in f" {cmdline} " or "bot.nlu.rasa_main" in cmdline) \
                and " run" in cmdline:
            # Several workers (HOTLINE_RASA_WORKERS): rasa, rasa-1, rasa-2, ...
            found["rasa" if "rasa" not in found else
                  f"rasa-{sum(1 for k in found if k.startswith('rasa'))}"] = child
    if raw is not None:
        found["raw-rasa"] = psutil.Process(raw.process.pid)
    return found


def cpu_seconds(procs: dict[str, psutil.Process]) -> dict[str, float]:
    """CPU time (user + system, s) each process has used so far; a process gone reads 0."""
    result = {}
    for role, proc in procs.items():
        try:
            times = proc.cpu_times()
            result[role] = times.user + times.system
        except psutil.Error:
            result[role] = 0.0
    return result


def rss_mib(procs: dict[str, psutil.Process]) -> dict[str, float]:
    """Resident memory (MiB) of each process; a process that is gone reads 0."""
    result = {}
    for role, proc in procs.items():
        try:
            result[role] = proc.memory_info().rss / 2**20
        except psutil.Error:
            result[role] = 0.0
    return result
