package dev.wstap.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): which extensions were agreed. */
public final class Extensions {
    private Extensions() {}

    /** The extension names in a header value, lower-cased, parameters left out; empty for null. */
    public static List<String> names(String header) {
        List<String> names = new ArrayList<>();
        if (header == null) return names;
        for (String extension : header.split(",")) {
            String name = extension.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) names.add(name);
        }
        return names;
    }

    /**
     * The RSV bits the agreed extensions give a meaning to, as the parser counts them (RSV1 = 4).
     * permessage-deflate uses RSV1 (RFC 7692 §6). An agreed extension wstap does not know may use
     * any of them, so then none is flagged, and its frames are shown as sent.
     */
    public static int rsvBits(String header) {
        int bits = 0;
        for (String name : names(header)) {
            bits |= name.equals("permessage-deflate") || name.equals("x-webkit-deflate-frame") ? 4 : 7;
        }
        return bits;
    }
}
