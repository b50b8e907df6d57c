# An echo server on Python's "websockets" library, as the Autobahn|Testsuite's echo servers are:
# every message goes back as it came. For wstap probe's tests.
# Usage: python3 websockets_echo_server.py PORT [deflate]   (prints "LISTENING PORT" once it accepts connections)
#   deflate: agree to permessage-deflate, as websockets does by default (without it, no compression is agreed).
import asyncio
import sys

import websockets

PORT = int(sys.argv[1])
COMPRESSION = "deflate" if sys.argv[2:] == ["deflate"] else None


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.exceptions.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(echo, "127.0.0.1", PORT, max_size=None, compression=COMPRESSION):
        print("LISTENING", PORT, flush=True)
        await asyncio.Future()


asyncio.run(main())
