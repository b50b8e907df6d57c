package dev.wstap.proxy;

import java.io.IOException;

/** Copies raw bytes both ways between two connections until both directions end: refused upgrades, untouched tunnels. */
final class BytePipe {
    private BytePipe() {}

    /** Copies until both directions are done; each end of stream is passed on as a half-close. */
    static void run(Conn a, Conn b) {
        Thread aToB = Thread.ofVirtual().start(() -> copy(a, b));
        copy(b, a);
        try {
            aToB.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Conn from, Conn to) {
        try {
            from.in().transferTo(to.out());
            to.shutdownOutput();
        } catch (IOException e) {
            from.close();
            to.close();
        }
    }
}
