"""The app served as in production: gunicorn's sync workers, DEBUG off, static files
collected for WhiteNoise, behind a (pretended) HTTPS proxy, on a free loopback port."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # what the HTTPS proxy adds in production
# Two cores: a third worker takes a core whenever another waits on the database; more would
# only share the same two cores (and the load generator's) and lengthen every answer.
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))
# Above the network report's ~10 s at full scale, queued behind nine others at 10 users.
WORKER_TIMEOUT = 300
STARTUP_SECONDS = 60


def production_environment() -> None:
    """Set before `django.setup()`: the sessions `run.py` signs must be the server's."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = f"{HOST},localhost,testserver"
    os.environ["BEHIND_HTTPS_PROXY"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["BAN_API_URL"] = ""  # never reach the national address API from a benchmark
    os.environ["EMAIL_URL"] = "dummy://"
    pythonpath = os.environ.get("PYTHONPATH", "")
    if str(ROOT) not in pythonpath.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), pythonpath]))


def collect_static() -> None:
    """DEBUG off: templates name the files of WhiteNoise's manifest, which must exist."""
    subprocess.run([BIN / "amorce", "collectstatic", "--no-input", "-v0"], check=True, cwd=ROOT)


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(log_path: Path, workers: int = WORKERS):
    """Serve the app for the duration of the block; yields its base URL."""
    port = free_port()
    command = [
        BIN / "gunicorn",
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--timeout={WORKER_TIMEOUT}",
        f"--chdir={ROOT}",
        f"--error-logfile={log_path}",
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://{HOST}:{port}"
    try:
        wait_until_up(base_url, server, log_path)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté au démarrage :\n{log_path.read_text()[-3000:]}")
        try:
            get(f"{base_url}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn ne répond pas après {STARTUP_SECONDS} s (journal : {log_path})")


def get(url: str, cookie: str = "", timeout: float = 600) -> tuple[int, bytes]:
    """One GET through the proxy headers, redirects not followed; (status, body)."""
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, "Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
