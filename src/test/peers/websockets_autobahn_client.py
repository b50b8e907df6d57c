# An Autobahn|Testsuite client driver on Python's "websockets" library, as its own compliance
# client is written: ask /getCaseCount, run every case on /runCase?case=N&agent=AGENT echoing each
# message, then ask /updateReports?agent=AGENT. Prints {"count": N} at the end.
# Usage: python3 websockets_autobahn_client.py ws://127.0.0.1:PORT AGENT
import asyncio
import json
import sys
import urllib.parse

import websockets

BASE = sys.argv[1]
AGENT = sys.argv[2] if len(sys.argv) > 2 else "websockets"


async def main():
    async with websockets.connect(BASE + "/getCaseCount") as ws:
        count = int(await ws.recv())
    for n in range(1, count + 1):
        url = BASE + "/runCase?case=%d&agent=%s" % (n, urllib.parse.quote(AGENT))
        try:
            # websockets offers permessage-deflate by default, as its own compliance client runs.
            async with websockets.connect(url, max_size=2 ** 25) as ws:
                async for message in ws:
                    await ws.send(message)
        except websockets.exceptions.WebSocketException:
            pass
    async with websockets.connect(BASE + "/updateReports?agent=" + urllib.parse.quote(AGENT)) as ws:
        try:
            await ws.recv()
        except websockets.exceptions.ConnectionClosed:
            pass
    print(json.dumps({"count": count}), flush=True)


asyncio.run(main())
