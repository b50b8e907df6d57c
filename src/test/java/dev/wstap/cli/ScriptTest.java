package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.testing.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted injection as CI runs it: a child JVM, a real client, and the exit code. */
class ScriptTest {
    @TempDir
    Path dir;

    /** Runs wstap with {@code scriptArgs} while a JDK client holds a session open; returns the process, ended. */
    private WstapProcess runWithClient(String... scriptArgs) throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start()) {
            int port = WstapProcess.freePort();
            List<String> args = new java.util.ArrayList<>(List.of("proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", echo.url(), "--no-color"));
            args.addAll(List.of(scriptArgs));
            WstapProcess wstap = WstapProcess.start(dir, List.of(), args.toArray(new String[0]));
            wstap.awaitListening(port, Duration.ofSeconds(20));
            HttpClient http = HttpClient.newHttpClient();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ci"),
                    new WebSocket.Listener() { }).get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS), "the script ends the proxy");
            java.lang.ref.Reference.reachabilityFence(ws);
            http.shutdownNow();
            return wstap;
        }
    }

    @Test
    void aScriptWhoseExpectationsHoldExitsZero() throws Exception {
        try (WstapProcess wstap = runWithClient("-e",
                "wait session; frag --parts 3 --ping-between hello world; expect frame --dir s2c body:\"hello world\"; close 1000 done")) {
            assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
            String out = wstap.stdoutText();
            assertTrue(out.contains("client→server text   fin=0 rsv=000"), out);
            assertTrue(out.contains("[injected]"), out);
            assertTrue(out.contains("server→client message text 3 fragments len=11\n    hello world"), out);
            assertTrue(!out.contains("continuation-without-start"), "injected fragments are one message: " + out);
        }
    }

    @Test
    void aFailedExpectationNamesFileAndLineAndExitsOne() throws Exception {
        Path script = dir.resolve("check.wstap");
        Files.writeString(script, """
                # A script for CI: comments and blank lines are fine.

                wait session
                send hello
                expect frame --dir s2c --timeout 1 body:goodbye
                expect frame --dir s2c body:hello
                """);
        try (WstapProcess wstap = runWithClient("--script", script.toString())) {
            assertEquals(1, wstap.process.exitValue());
            String err = wstap.stderrText();
            assertTrue(err.contains(script + ":5: expected a frame matching dir:s2c body:\"goodbye\", but none came within 1.0 s"), err);
            assertTrue(err.contains(script + ": 1 expectation failed"), err);
        }
    }

    @Test
    void aBadCommandStopsTheScriptWithItsLine() throws Exception {
        try (WstapProcess wstap = runWithClient("-e", "wait session; ping " + "x".repeat(126) + "; send zzz-not-sent")) {
            assertEquals(1, wstap.process.exitValue());
            assertTrue(wstap.stderrText().contains("-e:2: error: ping payload of 126 bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway"),
                    wstap.stderrText());
            assertTrue(!wstap.stdoutText().contains("zzz-not-sent"), "the script stopped at the error");
        }
    }
}
