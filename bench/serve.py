"""Benchmark: does `nghiquyet serve` keep answering while idle connections pile up?

    .venv/bin/python bench/serve.py [--idle 0 200 900] [--requests 300] [--clients 8]

For each count of idle connections, starts `python -m nghiquyet serve` on a
free loopback port with a throwaway SQLite data dir, opens that many sockets
that send nothing (a browser's keep-alive, a stuck client, or someone doing
it on purpose), then sends ``--requests`` GET /healthz from ``--clients``
threads, each with a 5-second timeout. It prints how many were answered,
requests per second and the median and 95th-percentile latency, first with
Waitress's stock limits (100 connections, 4 threads, as the product shipped),
then with the product's defaults now. A server that answers none of the first
round is reported blocked without waiting out the rest. Figures only;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCK = ["--connection-limit", "100", "--threads", "4", "--channel-timeout", "120"]
TIMEOUT = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int) -> float | None:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - start if response.status == 200 else None
    except OSError:
        return None
    finally:
        conn.close()


def start(args: list[str], data_dir: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "NGHIQUYET_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nghiquyet", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while get(port) is None:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    return proc, port


def run(label: str, args: list[str], idle_count: int, requests: int, clients: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = start(args, data_dir)
        idle = []
        try:
            for _ in range(idle_count):
                try:
                    idle.append(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT))
                except OSError:
                    break
            time.sleep(0.5)  # let the server accept what it will
            began = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                times = list(pool.map(lambda _: get(port), range(clients)))
                # A server that answered none of the first round is blocked: waiting out
                # every timeout would only make the run longer.
                if any(t is not None for t in times):
                    times += pool.map(lambda _: get(port), range(requests - clients))
            elapsed = time.perf_counter() - began
        finally:
            for s in idle:
                s.close()
            proc.terminate()
            proc.wait(timeout=20)
    ok = sorted(t for t in times if t is not None)
    if ok:
        p50 = statistics.median(ok) * 1000
        p95 = ok[min(len(ok) - 1, int(len(ok) * 0.95))] * 1000
        speed = f"{len(ok) / elapsed:7.1f} req/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms"
    else:
        speed = "nothing answered"
    print(f"{label:<22} idle {len(idle):>4}: answered {len(ok):>4}/{len(times)}  {speed}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, nargs="+", default=[0, 200, 900])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    opts = parser.parse_args()
    for idle in opts.idle:
        run("waitress stock limits", STOCK, idle, opts.requests, opts.clients)
        run("nghiquyet defaults", [], idle, opts.requests, opts.clients)


if __name__ == "__main__":
    main()
