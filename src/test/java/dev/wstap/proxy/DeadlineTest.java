package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A step with a deadline ends at the deadline however its peer trickles, and not before when it finishes. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlineTest {

    @Test
    void aPeerTricklingOneByteEvery50MsCannotStretchTheStep() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            Thread trickler = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        peer.getOutputStream().write('x');
                        Thread.sleep(50);
                    }
                } catch (Exception gone) {
                    // The step's socket was closed.
                }
            });
            long start = System.nanoTime();
            // A read timeout of 200 ms would be renewed by every byte; the step wants 100 of them (5 s).
            socket.setSoTimeout(200);
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> Deadline.finishBy(
                    start + Duration.ofMillis(500).toNanos(), socket, "test-deadline", Duration.ofMillis(500), () -> readBytes(socket, 100)));
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 450 && waited < 2000, "ended after " + waited + " ms");
            assertEquals("it did not finish the handshake within 500 ms", e.getMessage());
            assertTrue(socket.isClosed(), "the socket is closed at the deadline");
            trickler.interrupt();
        }
    }

    @Test
    void aStepThatFinishesInTimeKeepsItsSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            peer.getOutputStream().write(new byte[] {1, 2, 3});
            Closeable done = Deadline.finishBy(System.nanoTime() + Duration.ofSeconds(5).toNanos(), socket, "test-deadline",
                    Duration.ofSeconds(5), () -> readBytes(socket, 3));
            Thread.sleep(50);
            assertTrue(!socket.isClosed(), "still open");
            done.close();
        }
    }

    /** Reads {@code n} bytes; gives back something to close, as a handshake gives back its socket. */
    private static Closeable readBytes(Socket socket, int n) throws java.io.IOException {
        InputStream in = socket.getInputStream();
        for (int i = 0; i < n; i++) {
            if (in.read() < 0) throw new java.io.EOFException();
        }
        return () -> { };
    }
}
