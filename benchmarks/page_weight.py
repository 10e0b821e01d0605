"""Measure what a first visit to pages transfers over the network, as a phone would.

Runs the portal the way production does (DEBUG off, static files collected, hashed and
gzip-compressed by WhiteNoise, HTML compressed by GZipMiddleware) on a free local port,
opens each URL in a fresh Chromium context (empty cache) at 360×740 and sums the
bytes that crossed the wire (headers + encoded bodies) from the browser's network log.
Images are reported apart, since the targets count pages "before photos".

    .venv/bin/python benchmarks/page_weight.py / /pairs/hn-taymo-md/
    .venv/bin/python benchmarks/page_weight.py --login ht.taymo /workspace/activities/new/

Uses the project's database as it is (run `make setup` first for the demo data).
Prints a table; nothing is asserted: targets are judged by people reading the numbers.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, static_root: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY="page-weight-benchmark-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=static_root,
        SECURE_COOKIES="false",
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def measure(browser, base: str, path: str, storage_state):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=base, storage_state=storage_state
    )
    page = context.new_page()
    rows = []
    page.on("requestfinished", lambda request: rows.append(request))
    response = page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    totals = {"document": 0, "stylesheet": 0, "script": 0, "image": 0, "other": 0}
    for request in rows:
        sizes = request.sizes()
        transferred = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        kind = request.resource_type if request.resource_type in totals else "other"
        totals[kind] += transferred
    status = response.status if response else "-"
    context.close()
    return status, len(rows), totals


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="URL paths to measure, e.g. / /pairs/")
    parser.add_argument("--login", help="log in as this user first (password: DEMO_PASSWORD or ketnghia-demo)")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as static_root:
        server = start_server(port, static_root)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                storage_state = None
                if args.login:
                    context = browser.new_context(base_url=base)
                    page = context.new_page()
                    page.goto("/accounts/login/")
                    page.fill("input[name=username]", args.login)
                    page.fill("input[name=password]", os.environ.get("DEMO_PASSWORD", "ketnghia-demo"))
                    # The login form's own button: the header holds other forms (language switch).
                    page.click("main form button[type=submit]")
                    page.wait_for_load_state()
                    if "/accounts/login/" in page.url:
                        raise SystemExit(f"could not log in as {args.login}")
                    storage_state = context.storage_state()
                    context.close()
                print(
                    f"{'path':<48} {'status':>6} {'req':>4} {'HTML':>7} {'CSS':>7} {'JS':>7} {'other':>7} "
                    f"{'total':>8} {'images':>8}   (kB transferred, first visit)"
                )
                for path in args.paths:
                    status, count, t = measure(browser, base, path, storage_state)
                    total = t["document"] + t["stylesheet"] + t["script"] + t["other"]
                    kb = {key: value / 1024 for key, value in t.items()}
                    print(
                        f"{path:<48} {status:>6} {count:>4} {kb['document']:>7.1f} {kb['stylesheet']:>7.1f} "
                        f"{kb['script']:>7.1f} {kb['other']:>7.1f} {total / 1024:>8.1f} {kb['image']:>8.1f}"
                    )
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
