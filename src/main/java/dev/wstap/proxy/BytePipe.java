package dev.wstap.proxy;

import java.io.IOException;
import java.net.Socket;

/** Copies raw bytes both ways between two sockets until both directions end: plain HTTP, refused upgrades. */
final class BytePipe {
    private BytePipe() {}

    /** Sends {@code toB} and {@code toA} first, then copies; returns when both directions are done. */
    static void run(Socket a, byte[] toB, Socket b, byte[] toA) {
        Thread aToB = Thread.ofVirtual().start(() -> copy(a, toB, b));
        copy(b, toA, a);
        try {
            aToB.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code first}, then copies {@code from} to {@code to} until end of stream, and half-closes {@code to}. */
    static void copy(Socket from, byte[] first, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            if (first.length > 0) to.getOutputStream().write(first);
            var in = from.getInputStream();
            var out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // Best effort: the other direction ends with these sockets.
            }
        }
    }
}
