package dev.wstap.cli;

import dev.wstap.proxy.Injector;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionRegistry;
import dev.wstap.tap.Tap;
import dev.wstap.wire.CloseCode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.utils.Signals;

/**
 * Running until Ctrl-C (SIGINT), SIGTERM or {@code quit}, then cleaning up before the JVM exits.
 * Ctrl-C pressed again while wstap stops drops the connections at once, without waiting for the
 * peers' answers, and still flushes the logs; a third one exits without flushing.
 */
final class Shutdown {
    /** How long peers get to answer wstap's closes before their connections are dropped, by default ({@code --shutdown-grace}). */
    static final int DEFAULT_GRACE_SECONDS = 2;

    private static final AtomicInteger interrupts = new AtomicInteger();
    private static final AtomicBoolean isHandlingInterrupts = new AtomicBoolean();
    private static volatile Runnable dropNow = () -> { };

    private Shutdown() {}

    /**
     * {@code cleanup} to run once, whoever asks first: a signal, or the shell. Once it runs, a Ctrl-C
     * counts as the second: after {@code quit}, it drops the connections the grace still waits for.
     */
    static Runnable once(Runnable cleanup) {
        AtomicBoolean isDone = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Thread> runner = new AtomicReference<>();
        return () -> {
            if (!isDone.compareAndSet(false, true)) {
                // A later caller (the signal's hook while the command cleans up) waits for the first to finish, so
                // that the JVM does not exit halfway through writing what the cleanup writes; the runner itself does not.
                if (runner.get() != Thread.currentThread()) awaitUninterruptibly(finished);
                return;
            }
            runner.set(Thread.currentThread());
            interrupts.compareAndSet(0, 1);
            try {
                cleanup.run();
            } finally {
                finished.countDown();
            }
        };
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean wasInterrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                wasInterrupted = true;
            }
        }
        if (wasInterrupted) Thread.currentThread().interrupt();
    }

    /**
     * Runs {@code cleanup} when the JVM is asked to stop, and lets it finish before the JVM exits;
     * {@code dropConnections} is what a second Ctrl-C does meanwhile.
     */
    static void onSignal(Runnable cleanup, Runnable dropConnections) {
        dropNow = dropConnections;
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "wstap-shutdown"));
        if (isHandlingInterrupts.compareAndSet(false, true)) {
            // The JVM ignores a second SIGINT while it shuts down; this handler counts them instead.
            // (The shell installs its own while it runs: there Ctrl-C clears the line.)
            Signals.register("INT", Shutdown::interrupted);
        }
    }

    private static void interrupted() {
        switch (interrupts.incrementAndGet()) {
            case 1 -> Thread.ofPlatform().name("wstap-exit").start(() -> System.exit(ExitCodes.INTERRUPTED));
            case 2 -> {
                System.err.println("wstap: dropping the connections now (Ctrl-C again to exit without flushing the log)");
                Thread.ofPlatform().name("wstap-drop").start(dropNow);
            }
            default -> Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }
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
        }, cleanup);
        done.await();
    }

    /**
     * The orderly end of a proxy: every open session gets a close 1001 (going away) both ways, the
     * peers get {@code grace} to answer, then connections are dropped and the sinks drained.
     */
    static void stopProxy(ProxyServer server, Tap tap, Duration grace) {
        closeSessions(server.sessions(), tap, grace);
        server.close();
        awaitSessionsEnded(server.sessions(), Duration.ofSeconds(1));
        tap.close();
    }

    /** Sends close 1001 both ways in every open session and waits for them to end, {@code grace} at most. */
    static void closeSessions(SessionRegistry sessions, Tap tap, Duration grace) {
        for (Session s : sessions.all()) new Injector(s).closeBothWays(CloseCode.GOING_AWAY, "wstap is stopping", SEAL_WAIT);
        awaitSessionsEnded(sessions, grace);
    }

    /** How long one side's close waits for the other side to be sealed (a frame streaming through). */
    private static final Duration SEAL_WAIT = Duration.ofMillis(200);

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
