package dev.wstap.cli;

import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Command-line addresses, parsed with usage errors that name the bad value. */
final class Addresses {
    static final String LOOPBACK = "127.0.0.1";

    private Addresses() {}

    static HostPort listen(String option, String text) {
        try {
            return HostPort.parse(text, LOOPBACK);
        } catch (IllegalArgumentException e) {
            throw new WstapException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    /** A ws:// or wss:// URL; http:// and https:// are taken as their WebSocket twins, with a note saying so. */
    static WsUrl url(String option, String text) {
        WsUrl url;
        try {
            url = WsUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new WstapException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
        String scheme = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (scheme.startsWith("http://") || scheme.startsWith("https://")) {
            System.err.println("wstap: note: " + option + " " + text + " is taken as " + url + " (a WebSocket is reached over "
                    + "HTTP; say ws:// or wss://)");
        }
        return url;
    }

    /** True when {@code host} is a loopback address (or a name that resolves only to one). */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) return false;
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
