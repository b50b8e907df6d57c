package dev.wstap.cli;

import dev.wstap.proxy.Injector;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionRegistry;
import dev.wstap.tap.Tap;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Running until Ctrl-C (SIGINT), SIGTERM or {@code quit}, then cleaning up before the JVM exits. */
final class Shutdown {
    /** How long peers get to answer wstap's closes before their connections are dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private Shutdown() {}

    /** {@code cleanup} to run once, whoever asks first: a signal, or the shell. */
    static Runnable once(Runnable cleanup) {
        AtomicBoolean isDone = new AtomicBoolean();
        return () -> {
            if (isDone.compareAndSet(false, true)) cleanup.run();
        };
    }

    /** Runs {@code cleanup} when the JVM is asked to stop, and lets it finish before the JVM exits. */
    static void onSignal(Runnable cleanup) {
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "wstap-shutdown"));
    }

    /** Blocks the calling thread until the JVM is asked to stop; {@code cleanup} runs first. */
    static void awaitSignal(Runnable cleanup) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        onSignal(() -> {
            try {
                cleanup.run();
            } finally {
                done.countDown();
            }
        });
        done.await();
    }

    /**
     * The orderly end of a proxy: every open session gets a close 1001 (going away) both ways, the
     * peers get {@link #CLOSE_GRACE} to answer, then connections are dropped and the sinks drained.
     */
    static void stopProxy(ProxyServer server, Tap tap) {
        closeSessions(server.sessions(), tap);
        server.close();
        awaitSessionsEnded(server.sessions(), Duration.ofSeconds(1));
        tap.close();
    }

    /** Sends close 1001 both ways in every open session and waits for them to end, {@link #CLOSE_GRACE} at most. */
    static void closeSessions(SessionRegistry sessions, Tap tap) {
        for (Session s : sessions.all()) {
            for (Direction dir : Direction.values()) {
                if (s.hasSentClose(dir)) continue;
                // On a thread of its own: a peer that does not read must not hold up the others, or the exit.
                Thread.ofVirtual().start(() -> {
                    try {
                        new Injector(s, tap).close(dir, CloseCode.GOING_AWAY, "wstap is stopping");
                    } catch (Exception e) {
                        // That side is gone already: dropping the connection says the rest.
                    }
                });
            }
        }
        awaitSessionsEnded(sessions, CLOSE_GRACE);
    }

    /** Gives sessions a moment to end and report how, so that the log has their close records. */
    static void awaitSessionsEnded(SessionRegistry sessions, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
