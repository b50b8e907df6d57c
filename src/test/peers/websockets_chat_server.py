# A small chat-like server on Python's "websockets" library, for the replay tests. It answers
# {"type":"hello"} with a welcome carrying a fresh random session id, {"type":"order","n":N,
# "session":S} with an ack saying whether S was that id, binary messages by echoing them, and
# {"type":"bye"} by closing with 1000 "bye". permessage-deflate as the library negotiates it.
# Usage: python3 websockets_chat_server.py PORT [same|changed]
#   changed: the acks carry another price, as a server whose answers changed would.
# Prints "LISTENING PORT" once it accepts connections.
import asyncio
import json
import secrets
import sys

import websockets

PORT = int(sys.argv[1])
CHANGED = len(sys.argv) > 2 and sys.argv[2] == "changed"


async def handler(ws, path=None):
    session = None
    async for message in ws:
        if isinstance(message, bytes):
            await ws.send(message)
            continue
        data = json.loads(message)
        kind = data.get("type")
        if kind == "hello":
            session = secrets.token_hex(8)
            await ws.send(json.dumps({"type": "welcome", "session": session, "user": data.get("user")}))
        elif kind == "order":
            price = 99.0 if CHANGED else 101.5
            await ws.send(json.dumps({"type": "ack", "n": data.get("n"), "valid": data.get("session") == session,
                                      "price": price, "size": len(message)}))
        elif kind == "bye":
            await ws.close(1000, "bye")
            return


async def main():
    async with websockets.serve(handler, "127.0.0.1", PORT):
        print("LISTENING", PORT, flush=True)
        await asyncio.Future()


asyncio.run(main())
