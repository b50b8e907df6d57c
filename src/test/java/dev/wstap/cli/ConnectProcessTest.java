package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.Waits;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wstap connect} as a user runs it, against Java-WebSocket's server. */
class ConnectProcessTest {
    @TempDir
    Path dir;

    @Test
    void withCommandsPipedLinesAreCommandsOrTextAndTheEndOfInputClosesCleanly() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch("chat");
             WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", "ws://127.0.0.1:" + server.getPort() + "/piped",
                     "--commands", "--subprotocol", "chat", "--no-color", "--log", dir.resolve("connect.jsonl").toString())) {
            try (OutputStream stdin = wstap.process.getOutputStream()) {
                stdin.write("hello from a pipe\nping are you there\nsend --binary bytes\nbogus-but-text\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS), "the end of the input ends the connection");
            assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
            String out = wstap.stdoutText();
            assertTrue(out.contains("#1 open wstap → ws://127.0.0.1:" + server.getPort() + "/piped"), out);
            assertTrue(out.contains("client→server text   fin=1 rsv=000 mask="), out);
            assertTrue(out.contains("server→client text   fin=1 rsv=000 mask=-------- len=17\n    hello from a pipe"), out);
            assertTrue(out.contains("server→client pong"), out);
            assertTrue(out.contains("\n    bogus-but-text"), "a line that is not a command is text: " + out);
            assertTrue(out.contains("closed by wstap: 1000 Normal Closure"), out);
            assertEquals(List.of("/piped"), server.resources());
        }
    }

    /** What wscat and websocat users expect: every piped line a message, and with -P only the answers on stdout. */
    @Test
    void everyPipedLineIsAMessageAndPayloadOnlyPrintsJustTheEchoes() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            String url = "ws://127.0.0.1:" + server.getPort() + "/pipe";
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", url, "-P")) {
                try (OutputStream stdin = wstap.process.getOutputStream()) {
                    stdin.write("view the results\nclose the door\nsleep well\n".getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
                assertEquals("view the results\nclose the door\nsleep well\n", wstap.stdoutText(), "commands' names are text here");
                assertTrue(wstap.stderrText().contains("closed by wstap: 1000 Normal Closure"), "the console went to stderr: " + wstap.stderrText());
            }
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", url, "--jsonl", "-P")) {
                try (OutputStream stdin = wstap.process.getOutputStream()) {
                    stdin.write("{\"n\": 1}\nnot json\n[2]\n".getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(1, wstap.process.exitValue(), "a line that could not be sent fails the run");
                assertEquals("{\"n\": 1}\n[2]\n", wstap.stdoutText());
                assertTrue(wstap.stderrText().contains("stdin:2: error: not JSON at column 4: Unrecognized token 'not'"), wstap.stderrText());
            }
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", url, "--hex", "-P")) {
                try (OutputStream stdin = wstap.process.getOutputStream()) {
                    stdin.write("de ad be ef\n00ff\n".getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
                assertEquals("deadbeef\n00ff\n", wstap.stdoutText(), "binary messages, printed as hex");
            }
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", url, "--binary", "-e", "send x")) {
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(2, wstap.process.exitValue());
                assertTrue(wstap.stderrText().contains("say how piped lines are sent"), wstap.stderrText());
            }
        }
    }

    @Test
    void anUntrustedServerCertificateIsAnsweredWithConnectsOwnOption() throws Exception {
        dev.wstap.testing.CaPair cas = dev.wstap.testing.CaPair.in(dir);
        try (dev.wstap.echo.EchoServer echo = new dev.wstap.echo.EchoServer(new dev.wstap.http.HostPort("127.0.0.1", 0), cas.serverTls(),
                line -> { }).start();
             WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", "wss://127.0.0.1:" + echo.port() + "/", "--no-color")) {
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
            assertEquals(1, wstap.process.exitValue());
            assertTrue(wstap.stderrText().contains("its certificate is not trusted (give its CA with --ca FILE, or use --insecure)"),
                    wstap.stderrText());
        }
    }

    /** --deflate against Node's ws, which compresses every message: its messages come out inflated, with -P. */
    @Test
    void deflateOffersCompressionAndTheServersMessagesComeOutInflated() throws Exception {
        Path peers = Path.of("src", "test", "peers").toAbsolutePath();
        boolean hasNode = Files.isDirectory(peers.resolve("node_modules/ws"));
        if ("required".equals(System.getProperty("wstap.peers"))) assertTrue(hasNode, "bin/test installs Node's ws in " + peers);
        org.junit.jupiter.api.Assumptions.assumeTrue(hasNode, "Node's ws is not installed (bin/test installs it)");
        int port = WstapProcess.freePort();
        Process node = new ProcessBuilder("node", "ws-echo-server.js", Integer.toString(port)).directory(peers.toFile())
                .redirectErrorStream(true).start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("listening " + port, ready);
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", "ws://127.0.0.1:" + port + "/z", "--deflate", "-P")) {
                try (OutputStream stdin = wstap.process.getOutputStream()) {
                    stdin.write("squeeze me\n".getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
                assertEquals("{\"hello\":\"from node ws\",\"path\":\"/z\",\"protocol\":\"\"}\nsqueeze me\n", wstap.stdoutText());
                assertTrue(wstap.stderrText().contains("extensions=permessage-deflate"), wstap.stderrText());
                assertTrue(wstap.stderrText().contains("server→client text   fin=1 rsv=100"), "the server compressed: " + wstap.stderrText());
            }
        } finally {
            node.destroyForcibly();
        }
    }

    /** A server that drops the connection without a close: connect says so, exits 1, and sends nothing after. */
    @Test
    void anAbnormalEndExitsOneWithItsReason() throws Exception {
        try (dev.wstap.testing.ScriptedServer server = dev.wstap.testing.ScriptedServer.start(ex -> {
            ex.write(dev.wstap.http.Handshake.switchingProtocols(ex.request()).encode());
            Thread.sleep(300); // then the connection is dropped, without a close frame
        });
             WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", "ws://127.0.0.1:" + server.port() + "/", "--no-color")) {
            // stdin stays open: the end comes from the server.
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
            assertEquals(1, wstap.process.exitValue(), wstap.stdoutText() + wstap.stderrText());
            String out = wstap.stdoutText();
            assertTrue(out.contains("ended abnormally: server dropped the connection without a close frame"), out);
            assertTrue(!out.substring(out.indexOf("ended abnormally")).contains("[injected]"), "nothing is sent after the end: " + out);
        }
    }

    @Test
    void aScriptDecidesTheExitCode() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            String url = "ws://127.0.0.1:" + server.getPort() + "/ci";
            try (WstapProcess ok = WstapProcess.start(dir, List.of(), "connect", url, "--no-color",
                    "-e", "frag --parts 3 --ping-between hello world; expect frame --dir s2c body:\"hello world\"")) {
                assertTrue(ok.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(0, ok.process.exitValue(), ok.stderrText());
            }
            try (WstapProcess failing = WstapProcess.start(dir, List.of(), "connect", url, "--no-color",
                    "-e", "send hello; expect frame --dir s2c --timeout 0.5 body:goodbye")) {
                assertTrue(failing.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
                assertEquals(1, failing.process.exitValue());
                assertTrue(failing.stderrText().contains("-e:2: expected a frame matching dir:s2c body:\"goodbye\", but none came within 0.5 s"),
                        failing.stderrText());
            }
        }
    }

    @Test
    void aRefusedUpgradeShowsTheAnswerAndExitsOne() throws Exception {
        int port = WstapProcess.freePort();
        try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "connect", "ws://127.0.0.1:" + port + "/", "--no-shell")) {
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
            assertEquals(1, wstap.process.exitValue());
            assertEquals("wstap: server 127.0.0.1:" + port + " refused the connection (is the server running?)",
                    wstap.stderrText().strip());
        }
    }
}
