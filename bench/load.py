"""The load generator: runs in its own process, on loopback only, bounded in count and time.

python -m bench.load http  PORT PATH COOKIE|TOKEN N SECONDS   → JSON list of latencies (ms)
python -m bench.load ws    PORT PATH COOKIE N                 → prints "ready", then one JSON
                                                                list of receive times per change
"""

from __future__ import annotations

import asyncio
import http.client
import json
import sys
import time
from typing import Any


def http_latencies(port: int, path: str, credential: str, count: int, seconds: float) -> list[float]:
    headers = {"Host": "localhost"}
    if credential.startswith("Bearer "):
        headers["Authorization"] = credential
    elif credential:
        headers["Cookie"] = credential
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
    else:
        port, path, cookie, count, changes = sys.argv[2:7]
        asyncio.run(ws_fanout(int(port), path, cookie, int(count), int(changes)))


if __name__ == "__main__":
    main()
