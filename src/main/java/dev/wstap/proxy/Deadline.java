package dev.wstap.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blocking step that must finish by a point in time, such as a TLS handshake. A read timeout
 * alone would not do: a peer that trickles its bytes renews it with each one. So a watchdog
 * closes the socket when the time is up, which makes the step's read fail at once.
 */
final class Deadline {
    private Deadline() {}

    /** A step that gives back something to close should it finish just as the time ran out. */
    interface Step<T extends Closeable> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step}, closing {@code socket} at {@code deadlineNanos} (System.nanoTime) if it
     * has not finished.
     *
     * @throws SocketTimeoutException "it did not finish the handshake within {@code shown}" when the time ran out
     */
    static <T extends Closeable> T finishBy(long deadlineNanos, Socket socket, String watchdogName, Duration shown, Step<T> step)
            throws IOException {
        AtomicBoolean isSettled = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name(watchdogName).start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
                if (isSettled.compareAndSet(false, true)) closeQuietly(socket);
            } catch (InterruptedException finished) {
                // The step ended in time, one way or the other.
            }
        });
        try {
            T done = step.run();
            if (isSettled.compareAndSet(false, true)) return done;
            closeQuietly(done); // it finished just as the time ran out
        } catch (IOException e) {
            if (isSettled.compareAndSet(false, true)) throw e;
        } finally {
            watchdog.interrupt();
        }
        throw new SocketTimeoutException("it did not finish the handshake within " + text(shown));
    }

    /** A time limit as messages give it: {@code 10 s}, or {@code 500 ms} when not whole seconds. */
    static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
