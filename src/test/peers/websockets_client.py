"""A client built on Python's "websockets" library: one conversation, checking every echo.

Usage: python3 websockets_client.py URL   (prints one line per check; exits 1 on a mismatch)
"""
import asyncio
import json
import sys

import websockets


async def main(url):
    async with websockets.connect(url, subprotocols=["chat.v1"], max_size=None) as ws:
        greeting = json.loads(await ws.recv())
        print("greeting", greeting["path"], greeting["protocol"])
        checks = [
            "hello",
            json.dumps({"type": "update", "values": [1, 2, 3], "nested": {"ok": True}}),
            bytes(range(256)),
            "ünïcødé ✓ 𝄞",
            "x" * (1024 * 1024),
            bytes(300_000),
        ]
        for message in checks:
            await ws.send(message)
            echoed = await ws.recv()
            if echoed != message:
                print("mismatch", type(message).__name__, len(message))
                return 1
            print("echo", type(message).__name__, len(message))
        await ws.send(["frag", "mented ", "message"])
        if await ws.recv() != "fragmented message":
            print("mismatch fragmented")
            return 1
        print("echo fragmented")
        await (await ws.ping(b"rtt"))
        print("pong")
    return 0


sys.exit(asyncio.run(main(sys.argv[1])))
