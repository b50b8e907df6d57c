# An echo server on Python's "websockets" library, as the Autobahn|Testsuite's echo servers are:
# every message goes back as it came. For wstap's tests.
# Usage: python3 websockets_echo_server.py PORT [deflate | mtls CERT KEY CLIENT_CA]
#   (prints "LISTENING PORT" once it accepts connections)
#   deflate: agree to permessage-deflate, as websockets does by default (without it, no compression is agreed);
#   mtls: wss:// (TLS by the ssl module, OpenSSL) with CERT and KEY, requiring a client certificate
#         signed by CLIENT_CA: a mutual-TLS upstream.
import asyncio
import ssl
import sys

import websockets

PORT = int(sys.argv[1])
MODE = sys.argv[2] if len(sys.argv) > 2 else None
COMPRESSION = "deflate" if MODE == "deflate" else None


def tls():
    if MODE != "mtls":
        return None
    cert, key, client_ca = sys.argv[3:6]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.load_verify_locations(client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.exceptions.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(echo, "127.0.0.1", PORT, max_size=None, compression=COMPRESSION, ssl=tls()):
        print("LISTENING", PORT, flush=True)
        await asyncio.Future()


asyncio.run(main())
