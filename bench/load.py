"""The load generator: runs in its own process, on loopback only, bounded in count and time.

python -m bench.load http  PORT PATH COOKIE|TOKEN N SECONDS   → JSON list of latencies (ms)
python -m bench.load throughput PORT PATH COOKIE|TOKEN CONCURRENCY WARMUP SECONDS
                                                              → JSON: latencies (ms) of the answers
                                                                in the measured window, errors by kind
python -m bench.load ws    PORT PATH COOKIE N                 → prints "ready", then one JSON
                                                                list of receive times per change

Throughput uses threads with the standard library's keep-alive HTTPConnection, one per thread:
each blocks in the socket most of the time, so the GIL is not what limits it, and it needs no
dependency beyond Python.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import sys
import threading
import time
from collections import Counter
from typing import Any


def _headers(credential: str) -> dict[str, str]:
    headers = {"Host": "localhost"}
    if credential.startswith("Bearer "):
        headers["Authorization"] = credential
    elif credential:
        headers["Cookie"] = credential
    return headers


def http_latencies(port: int, path: str, credential: str, count: int, seconds: float) -> list[float]:
    headers = _headers(credential)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    while len(latencies) < count and time.monotonic() < deadline:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def http_throughput(
    port: int, path: str, credential: str, concurrency: int, warmup: float, seconds: float
) -> dict[str, Any]:
    """`concurrency` clients, each GET after GET on its own keep-alive connection, for warmup + seconds.

    Counted: the answers that arrive within the measured window (after the warm-up). Anything but
    a 200 is an error (a 302 to the login page means the credential did not work), and so is a
    dropped connection, after which that client reconnects.
    """
    headers = _headers(credential)
    start = time.monotonic() + 0.2  # every thread is running by then
    window_start, window_end = start + warmup, start + warmup + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: Counter[str] = Counter()
    answered = [0] * concurrency  # warm-up included: to put the server's database connections against
    lock = threading.Lock()

    def client(n: int) -> None:
        mine = latencies[n]
        conn: http.client.HTTPConnection | None = None
        time.sleep(max(0.0, start - time.monotonic()))
        while time.monotonic() < window_end:
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
            finished = time.monotonic()
            answered[n] += 1
            if window_start <= finished < window_end:
                if outcome == "200":
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    with lock:
                        errors[outcome] += 1
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "seconds": seconds,
        "latencies": [ms for mine in latencies for ms in mine],
        "errors": dict(errors),
        "answered": sum(answered),
    }


async def ws_fanout(port: int, path: str, cookie: str, count: int, changes: int) -> None:
    import websockets

    headers = {"Cookie": cookie, "Origin": f"http://localhost:{port}"}
    sockets = []
    for _ in range(count):
        sock = await websockets.connect(
            f"ws://127.0.0.1:{port}{path}", additional_headers=headers, open_timeout=30, max_queue=None
        )
        # The board greets every new socket; that greeting is not a change.
        if json.loads(await asyncio.wait_for(sock.recv(), timeout=30)).get("type") != "connected":
            raise SystemExit("a board did not say it was connected")
        sockets.append(sock)
    print("ready", flush=True)

    async def receive(sock: Any) -> float:
        while json.loads(await asyncio.wait_for(sock.recv(), timeout=30)).get("type") != "round.changed":
            pass
        return time.time()

    for _ in range(changes):
        times = await asyncio.gather(*(receive(s) for s in sockets))
        print(json.dumps(times), flush=True)
    for sock in sockets:
        await sock.close()


def main() -> None:
    mode = sys.argv[1]
    if mode == "http":
        port, path, credential, count, seconds = sys.argv[2:7]
        print(json.dumps(http_latencies(int(port), path, credential, int(count), float(seconds))))
    elif mode == "throughput":
        port, path, credential, concurrency, warmup, seconds = sys.argv[2:8]
        result = http_throughput(int(port), path, credential, int(concurrency), float(warmup), float(seconds))
        print(json.dumps(result))
    else:
        port, path, cookie, count, changes = sys.argv[2:7]
        asyncio.run(ws_fanout(int(port), path, cookie, int(count), int(changes)))


if __name__ == "__main__":
    main()
