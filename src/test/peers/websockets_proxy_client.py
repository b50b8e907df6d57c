# A Python "websockets" client that reaches a wss:// server through a proxy: an HTTP proxy, whose
# CONNECT tunnel it opens itself (websockets 10 has no proxy support of its own), or a SOCKS5 proxy,
# through PySocks (Debian's python3-socks), the host name resolved by the proxy. The socket goes to
# websockets.connect, which then speaks TLS and WebSocket inside it. Sends one text message, waits
# for it to come back, and prints one JSON line: {"echo": "..."} or {"error": "..."}.
# Usage: python3 websockets_proxy_client.py http://HOST:PORT|socks5://HOST:PORT WSS_URL CA_FILE
import asyncio
import json
import socket
import ssl
import sys
import urllib.parse

import websockets

PROXY, URL, CA_FILE = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2], sys.argv[3]
PROXY_HOST, PROXY_PORT = PROXY.hostname, PROXY.port


def tunnel():
    target = urllib.parse.urlsplit(URL)
    if PROXY.scheme == "socks5":
        import socks
        return socks.create_connection((target.hostname, target.port or 443), timeout=20, proxy_type=socks.SOCKS5,
                                       proxy_addr=PROXY_HOST, proxy_port=PROXY_PORT, proxy_rdns=True)
    authority = "%s:%d" % (target.hostname, target.port or 443)
    sock = socket.create_connection((PROXY_HOST, PROXY_PORT), timeout=20)
    sock.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (authority, authority)).encode("ascii"))
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("the proxy closed the connection")
        answer += chunk
    status = answer.split(b"\r\n", 1)[0].decode("latin-1")
    if " 200 " not in status + " ":
        raise OSError("the proxy answered " + status)
    sock.settimeout(None)
    return sock


async def main():
    try:
        context = ssl.create_default_context(cafile=CA_FILE)
        host = urllib.parse.urlsplit(URL).hostname
        async with websockets.connect(URL, sock=tunnel(), ssl=context, server_hostname=host, open_timeout=20) as ws:
            await ws.send("hello from python")
            print(json.dumps({"echo": await asyncio.wait_for(ws.recv(), 20)}), flush=True)
    except Exception as e:  # noqa: BLE001 - the one line says what went wrong, whatever it was
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)


asyncio.run(main())
