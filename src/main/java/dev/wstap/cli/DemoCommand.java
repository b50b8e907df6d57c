package dev.wstap.cli;

import dev.wstap.demo.DemoClient;
import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.Tap;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "See wstap at work in seconds: an echo server, the proxy in front of it, and a small client, all in this process.",
            "",
            "The client sends a text, a JSON message, a binary blob, a message in three fragments with a ping "
                    + "between them, and a close; each frame and its echo is shown as wstap shows live traffic."},
        footer = {"", "Examples:", "  wstap demo", "  wstap demo --view hex", "  wstap demo --log demo.jsonl"})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConsoleOptions console;

    @Mixin
    LogOptions log;

    @Override
    public Integer call() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort(Addresses.LOOPBACK, 0), line -> { }).start()) {
            ProxyConfig config = ProxyConfig.reverse(new HostPort(Addresses.LOOPBACK, 0), WsUrl.parse(echo.url()))
                    .withMaxPreviewBytes(log.previewBytes(console));
            Tap tap = new Tap();
            console.attachTo(tap);
            log.attachTo(tap, console);
            try (ProxyServer proxy = new ProxyServer(config, tap).start()) {
                System.err.println("wstap demo: echo server " + echo.url() + ", proxy ws://127.0.0.1:" + proxy.port()
                        + " in front of it; a client connects to the proxy now.");
                new DemoClient(Addresses.LOOPBACK, proxy.port(), "/demo").run();
                Shutdown.awaitSessionsEnded(proxy.sessions(), Duration.ofSeconds(2));
            } finally {
                tap.close();
            }
            System.err.println();
            System.err.println("That was every kind of frame. Next, put wstap in front of a server of your own:");
            // bin/wstap in a checkout (its launcher says so), wstap once installed.
            String wstap = System.getProperty("wstap.command", "wstap");
            System.err.println("  " + wstap + " proxy --listen 8080 --upstream ws://127.0.0.1:YOUR_PORT");
            System.err.println("and point your client at ws://127.0.0.1:8080 instead. See " + wstap + " proxy --help.");
        }
        return ExitCodes.OK;
    }
}
