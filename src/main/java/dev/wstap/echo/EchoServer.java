package dev.wstap.echo;

import dev.wstap.http.ErrorResponse;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.Header;
import dev.wstap.http.HostPort;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.proxy.Listener;
import dev.wstap.tls.ServerTls;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Masking;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A WebSocket echo server for trying wstap out: every data frame goes back as it came (same
 * opcode, FIN and RSV bits, unmasked, streamed as it arrives so any size works), pings get pongs
 * with the same payload (also when it is longer than a ping may be),
 * and a close is answered with the same code before the server closes its side. It accepts the
 * first subprotocol a client offers and no extensions.
 */
public final class EchoServer implements AutoCloseable {
    private final HostPort listen;
    private final ServerTls tls;
    private final Consumer<String> log;
    private Listener listener;

    public EchoServer(HostPort listen, Consumer<String> log) {
        this(listen, null, log);
    }

    /** With {@code tls}, a wss:// echo server. */
    public EchoServer(HostPort listen, ServerTls tls, Consumer<String> log) {
        this.listen = listen;
        this.tls = tls;
        this.log = log;
    }

    public EchoServer start() throws IOException {
        listener = Listener.start(listen, "wstap-echo", this::serve);
        return this;
    }

    public int port() {
        return listener.port();
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** {@code ws://127.0.0.1:9001}, with the port actually bound. */
    public String url() {
        return (tls != null ? "wss://" : "ws://") + new HostPort(listen.host(), port());
    }

    private void serve(Socket accepted) {
        Socket socket = accepted;
        try (accepted) {
            accepted.setTcpNoDelay(true);
            if (tls != null && tls.isMinting() && isLoopback(listen.host())) {
                // As a development server's certificate does: every name of this machine, so that a
                // client may connect by address and check a name, or the other way round.
                socket = tls.accept(accepted, new byte[0], sni -> tls.leaves().forNames(sni != null ? sni : listen.host(),
                        sni != null ? List.of(sni, "localhost", "127.0.0.1", "::1") : List.of(listen.host(), "localhost", "127.0.0.1", "::1")));
            } else if (tls != null) {
                socket = tls.accept(accepted, new byte[0], listen.host());
            }
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            HeadBuffer head = new HeadBuffer();
            if (!head.readFrom(in)) return;
            byte[] buf = new byte[64 * 1024];
            HttpRequest request = HeadParser.parseRequest(head.head());
            if (!Handshake.isUpgrade(request)) {
                out.write(ErrorResponse.of(426, "this is a WebSocket echo server; connect with a WebSocket client"));
                out.flush();
                return;
            }
            Handshake.checkRequest(request);
            HttpResponse accept = Handshake.switchingProtocols(request);
            String chosen = firstSubprotocol(request.headers().joined("Sec-WebSocket-Protocol"));
            if (chosen != null) {
                List<Header> headers = new ArrayList<>(accept.headers().list());
                headers.add(new Header("Sec-WebSocket-Protocol", chosen));
                accept = new HttpResponse(accept.version(), accept.status(), accept.reason(), new dev.wstap.http.Headers(headers));
            }
            out.write(accept.encode());
            out.flush();
            socket.setSoTimeout(0);
            log.accept("echo: " + request.target() + " connected");
            Echo echo = new Echo(out, socket);
            FrameParser parser = new FrameParser(Direction.C2S, 0, echo);
            byte[] early = head.leftover();
            parser.feed(early, 0, early.length);
            out.flush();
            int n;
            while ((n = in.read(buf)) >= 0) {
                parser.feed(buf, 0, n);
                out.flush();
            }
        } catch (HttpException e) {
            try {
                socket.getOutputStream().write(ErrorResponse.of(e.status(), e.getMessage()));
            } catch (IOException ignored) {
                // The client left.
            }
        } catch (IOException | UncheckedIOException e) {
            // The client went away; nothing to echo to.
        }
    }

    /** Streams each data frame back as it arrives; answers control frames when they end. */
    private static final class Echo implements FrameListener {
        private final OutputStream out;
        private final Socket socket;
        private final byte[] header = new byte[14];
        private byte[] chunk = new byte[8192];
        private FrameHeader current;
        private boolean isCloseSent;

        Echo(OutputStream out, Socket socket) {
            this.out = out;
            this.socket = socket;
        }

        @Override
        public void onHeader(FrameHeader h) {
            current = h;
            if (!isEchoed(h)) return;
            int opcode = h.opcode() == Opcode.PING ? Opcode.PONG : h.opcode();
            FrameHeader reply = new FrameHeader(h.isFinal(), h.rsv(), opcode, false, 0, h.payloadLength(),
                    LengthEncoding.minimalFor(h.payloadLength()));
            write(header, 0, FrameEncoder.writeHeader(reply, header));
        }

        /** Data frames come back as they are, pings as pongs with the same payload; both streamed. */
        private static boolean isEchoed(FrameHeader h) {
            return h.opcode() != Opcode.CLOSE && h.opcode() != Opcode.PONG && h.payloadLength() >= 0;
        }

        @Override
        public void onPayload(byte[] bytes, int off, int len, long position) {
            if (!isEchoed(current)) return;
            if (current.isMasked()) {
                if (chunk.length < len) chunk = new byte[len];
                Masking.apply(bytes, off, chunk, 0, len, current.maskKey(), position);
                write(chunk, 0, len);
            } else {
                write(bytes, off, len);
            }
        }

        @Override
        public void onFrame(ParsedFrame f) {
            if (f.header().opcode() == Opcode.CLOSE) answerClose(f.closePayload());
        }

        private void answerClose(ClosePayload close) {
            if (isCloseSent) return;
            isCloseSent = true;
            ClosePayload reply = !close.hasCode() ? ClosePayload.EMPTY
                    : CloseCode.isSendable(close.code()) ? close : new ClosePayload(CloseCode.PROTOCOL_ERROR, "invalid close code");
            write(FrameEncoder.frame(true, Opcode.CLOSE, null, reply.encode()));
            try {
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(byte[] frame) {
            write(frame, 0, frame.length);
        }

        private void write(byte[] bytes, int off, int len) {
            if (isCloseSent && current.opcode() != Opcode.CLOSE) return;
            try {
                out.write(bytes, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        if (listener != null) listener.close();
    }

    /** The first subprotocol offered, or null when none is (no header, or one of commas alone). */
    static String firstSubprotocol(String offered) {
        if (offered == null) return null;
        for (String token : offered.split(",")) {
            if (!token.isBlank()) return token.trim();
        }
        return null;
    }

}
