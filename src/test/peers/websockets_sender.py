"""A client built on Python's "websockets" library for the intercept tests: sends each argument
as a text message at once, then reads until the server says "bye", printing one JSON line per
message received ({"recv": TEXT, "t": epoch milliseconds}).

Usage: python3 websockets_sender.py URL MESSAGE...   (exits 1 when no "bye" comes in 60 s)
"""
import asyncio
import json
import sys
import time

import websockets


async def main(url, messages):
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        headers = ws.response_headers if hasattr(ws, "response_headers") else ws.response.headers  # websockets < 13, and later
        print(json.dumps({"open": True, "extensions": headers.get("Sec-WebSocket-Extensions")}), flush=True)
        for m in messages:
            await ws.send(m)
        while True:
            text = await asyncio.wait_for(ws.recv(), 60)
            print(json.dumps({"recv": text, "t": time.time() * 1000}), flush=True)
            if text == "bye":
                return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2:])))
