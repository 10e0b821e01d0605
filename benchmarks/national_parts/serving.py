"""5. gunicorn: requests per second of the public home page and of ``/healthz/`` (a
trivial view) under gunicorn with 2 workers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from benchmarks.national_parts import ROOT


def _hammer(url: str, seconds: float, threads: int) -> tuple[float, int, int]:
    """Requests/s of ``threads`` threads requesting ``url`` for ``seconds``; (rate, ok, failed)."""
    ok, failed = [0] * threads, [0] * threads
    stop = time.perf_counter() + seconds

    def worker(index):
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(url, timeout=120) as response:
                    response.read()
                    ok[index] += response.status == 200
            except (urllib.error.URLError, OSError):
                failed[index] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    return sum(ok) / elapsed, sum(ok), sum(failed)


def bench_gunicorn(paths=("/", "/healthz/"), seconds=15.0, threads=8, port=8765, out=print) -> dict:
    """Starts gunicorn (2 workers) on ``port``, measures the requests per second of each
    of ``paths`` after warming it, stops it; prints each rate against /healthz/ and returns
    {path: (rate, ok, failed)}."""
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "benchmarks.national_parts.environment:gunicorn_app()",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    results = {}
    try:
        deadline = time.perf_counter() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                if time.perf_counter() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        for path in paths:
            _hammer(base + path, min(3.0, seconds), 2)  # warm both workers
            results[path] = _hammer(base + path, seconds, threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial = results.get("/healthz/", (float("nan"),))[0]
    out(f"gunicorn, 2 workers, {threads} client threads, {seconds:.0f} s each")
    for path, (rate, ok, failed) in results.items():
        ratio = rate / trivial if trivial else float("nan")
        out(f"  {path:<20} {rate:>9.1f} requests/s  ({ok} answered, {failed} failed)  {ratio:>6.3f}× the trivial view")
    return results
