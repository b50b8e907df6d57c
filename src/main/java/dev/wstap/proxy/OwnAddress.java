package dev.wstap.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Where wstap itself listens: the address its socket is bound to and the port it got, so that a
 * request for that place can be refused instead of relayed back into wstap, again and again.
 *
 * <p>A connection reaches the listener when the port is its port and the address is its
 * address, with two rules learnt from the socket layer: {@code 0.0.0.0} and {@code ::} as a
 * destination mean this host's loopback, and a listener bound to the wildcard address (Java binds
 * it dual-stack) takes connections to every address of this host: any loopback address, any
 * interface's address, IPv4 and IPv6 alike. Thread safe (immutable).
 */
final class OwnAddress {
    private final InetAddress bound;
    private final int port;

    /** {@code bound}: the listening socket's address; {@code port}: the port it really got (port 0 chosen by the system). */
    OwnAddress(InetAddress bound, int port) {
        this.bound = bound;
        this.port = port;
    }

    /** Whether connecting to {@code target} (resolved) would come back to this listener. */
    boolean isReachedBy(InetSocketAddress target) {
        if (target.isUnresolved() || target.getPort() != port) return false;
        InetAddress to = target.getAddress();
        if (to.isAnyLocalAddress()) to = InetAddress.getLoopbackAddress();
        if (!bound.isAnyLocalAddress()) return to.equals(bound);
        return to.isLoopbackAddress() || isThisHost(to);
    }

    private static boolean isThisHost(InetAddress a) {
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** {@code 127.0.0.1:8080}, IPv6 in brackets. */
    @Override
    public String toString() {
        String host = bound.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
