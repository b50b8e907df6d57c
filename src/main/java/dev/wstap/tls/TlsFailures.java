package dev.wstap.tls;

import java.io.IOException;

/** One-line causes for TLS handshakes that failed, with what to do about them. */
public final class TlsFailures {
    private TlsFailures() {}

    /** Why wstap's handshake with the upstream {@code where} failed; {@code caOption} is how the user adds a CA. */
    public static String upstream(String where, IOException e, String caOption) {
        String m = String.valueOf(messageChain(e));
        if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
            return "TLS to upstream " + where + " failed: its certificate is not trusted (give its CA with " + caOption + " FILE, or use --insecure)";
        }
        if (m.contains("No subject alternative") || m.contains("doesn't match any of the subject alternative names")) {
            return "TLS to upstream " + where + " failed: its certificate is not for that name (" + firstLine(e) + ")";
        }
        if (m.contains("certificate_required") || (m.contains("bad_certificate") && m.contains("Received fatal alert"))) {
            return "TLS to upstream " + where + " failed: the server requires a client certificate it accepts (give one with "
                    + "--client-cert FILE --client-key FILE)";
        }
        if (m.contains("expired") || m.contains("NotAfter")) {
            return "TLS to upstream " + where + " failed: its certificate has expired";
        }
        if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection")) {
            return "TLS to upstream " + where + " failed: it does not speak TLS there (use ws:// instead of wss://?)";
        }
        return "TLS to upstream " + where + " failed: " + firstLine(e);
    }

    /** Why the client {@code who}'s handshake with wstap failed. */
    public static String client(String who, IOException e) {
        String m = String.valueOf(messageChain(e));
        if (m.contains("certificate_unknown") || m.contains("unknown_ca") || m.contains("bad_certificate")) {
            return "TLS from client " + who + " failed: it does not trust wstap's certificate; "
                    + "trust the wstap CA there (see: wstap ca trust-help)";
        }
        if (m.contains("Remote host terminated the handshake") || m.contains("Broken pipe") || m.contains("Connection reset")) {
            // Clients such as the JDK's HttpClient hang up on a certificate they refuse without an alert, or
            // while wstap still writes its flight; that looks the same as a client that connected and left
            // (mitmproxy words it the same way).
            return "TLS from client " + who + " failed: it closed the connection during the handshake; if it does so "
                    + "every time, it does not trust wstap's certificate: trust the wstap CA there (see: wstap ca trust-help)";
        }
        if (m.contains("handshake_failure") && !m.contains("no selectable cipher suite") && !m.contains("no cipher suites in common")) {
            // What Node's TLS sends when its own check of the name fails (with a key log, as BouncyCastle reports it).
            return "TLS from client " + who + " failed: it refused the handshake (handshake_failure): it may not trust wstap's "
                    + "certificate, or checks a name the certificate lacks (trust the wstap CA there: wstap ca trust-help)";
        }
        if (m.contains("no_application_protocol") || m.contains("No matching application protocol")) {
            return "TLS from client " + who + " failed: it offers no ALPN protocol but HTTP/2, and WebSocket needs HTTP/1.1";
        }
        if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection")) {
            return "TLS from client " + who + " failed: it did not speak TLS (a ws:// client on a wss:// listener?)";
        }
        return "TLS from client " + who + " failed: " + firstLine(e);
    }

    private static String messageChain(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) s.append(t.getMessage()).append(" | ");
        return s.toString();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
