"""A client built on Python's "websockets" library for the rules tests, reporting how its
connection ended as one JSON line: {"close_code": N}.

Usage: python3 websockets_fault_client.py URL corrupt     sends "say:corrupt me" and reads until the connection fails
       python3 websockets_fault_client.py URL keepalive   pings every 0.3 s (ping_timeout 0.3 s) and waits
"""
import asyncio
import json
import sys

import websockets


async def main(url, mode):
    keepalive = mode == "keepalive"
    ws = await websockets.connect(url, ping_interval=0.3 if keepalive else None, ping_timeout=0.3 if keepalive else None)
    try:
        if mode == "corrupt":
            await ws.send("say:corrupt me")
        while True:
            await asyncio.wait_for(ws.recv(), 30)
    except websockets.ConnectionClosed:
        pass
    except asyncio.TimeoutError:
        print(json.dumps({"error": "the connection stayed open for 30 s"}), flush=True)
        return 1
    await ws.wait_closed()
    print(json.dumps({"close_code": ws.close_code}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
