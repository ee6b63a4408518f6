"""The platform served as deployed, for the benchmarks that measure it over HTTP
(bench/check_bench.py, bench/load_bench.py): granian WSGI with production settings on
loopback, and wrk as the client."""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env() -> dict[str, str]:
    """Production settings, served over plain HTTP on loopback (TLS ends at the proxy in
    front of a real deployment): no HTTPS redirect. The benchmark's own process takes the
    same keys, so that the sessions it makes are the server's."""
    keys = {
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "XINYONG_AUDIT_KEY": "bench-audit-key-" + "y" * 40,
        "XINYONG_AUDIT_SIGNING_KEY": "A" * 43,
    }
    return {
        "XINYONG_ENV": "production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "XINYONG_SSL_REDIRECT": "0",
        **{k: os.environ.get(k, v) for k, v in keys.items()},
    }


def serve(workers: int, threads: int, port: int, **env_extra: str) -> subprocess.Popen:
    """Start granian with :func:`production_env` and wait until ``/healthz`` answers. Stop
    it with :func:`stop`."""
    env = dict(os.environ, **production_env(), **env_extra)
    proc = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
         "--log-level", "warning", "xinyong.wsgi:application"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("the server did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def wrk(port: int, lua: str, env: dict, seconds: int, connections: int) -> dict:
    """One wrk run (one thread: an event loop drives every connection) with a Lua script;
    requests per second, latency percentiles as wrk prints them, non-2xx/3xx count."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    out = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        [shutil.which("wrk") or "/usr/bin/wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
         "--latency", "-s", f.name, f"http://127.0.0.1:{port}"],
        env=dict(os.environ, **env), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "latency": pct, "non_2xx": int(non2xx[1]) if non2xx else 0, "raw": out}
