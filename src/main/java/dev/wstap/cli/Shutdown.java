package dev.wstap.cli;

import dev.wstap.proxy.ProxyServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Running until Ctrl-C (SIGINT) or SIGTERM, then cleaning up before the JVM exits. */
final class Shutdown {
    private Shutdown() {}

    /** Blocks the calling thread until the JVM is asked to stop; {@code cleanup} runs first. */
    static void awaitSignal(Runnable cleanup) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanup.run();
            } finally {
                done.countDown();
            }
        }, "wstap-shutdown"));
        done.await();
    }

    /** Gives aborted sessions a moment to report how they ended, so that the log has their close records. */
    static void awaitSessionsEnded(ProxyServer server, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (server.sessions().size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
