# A small chat-like server on Python's "websockets" library, for the replay tests. It answers
# {"type":"hello"} with a welcome carrying a fresh random session id, {"type":"order","n":N,
# "session":S} with an ack saying whether S was that id, binary messages by echoing them, and
# {"type":"bye"} by closing with 1000 "bye". permessage-deflate as the library negotiates it.
# Usage: python3 websockets_chat_server.py PORT [same|changed|early|silent]
#   changed: the acks carry another price, as a server whose answers changed would;
#   early: answers hello by closing with 1011 "oops"; silent: answers nothing.
# Prints "LISTENING PORT" once it accepts connections.
import asyncio
import json
import secrets
import sys

import websockets

PORT = int(sys.argv[1])
MODE = sys.argv[2] if len(sys.argv) > 2 else "same"
CHANGED = MODE == "changed"


async def handler(ws, path=None):
    session = None
    async for message in ws:
        if isinstance(message, bytes):
            await ws.send(message)
            continue
        data = json.loads(message)
        kind = data.get("type")
        if MODE == "silent":
            continue
        if MODE == "early":
            await ws.close(1011, "oops")
            return
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
