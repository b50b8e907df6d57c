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

    /** The agreed extensions wstap cannot decode: all but permessage-deflate (and x-webkit-deflate-frame). */
    public static List<String> undecodable(String header) {
        return names(header).stream().filter(n -> !isCompression(n)).toList();
    }

    private static boolean isCompression(String name) {
        return name.equals("permessage-deflate") || name.equals("x-webkit-deflate-frame");
    }

    /**
     * A {@code Sec-WebSocket-Extensions} offer without its compression offers (permessage-deflate
     * and the older x-webkit-deflate-frame), as written; null when nothing else is left.
     */
    public static String withoutCompression(String header) {
        StringBuilder kept = new StringBuilder();
        for (String extension : header.split(",")) {
            String name = extension.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || isCompression(name)) continue;
            if (!kept.isEmpty()) kept.append(", ");
            kept.append(extension.trim());
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    /**
     * The RSV bits the agreed extensions give a meaning to, as the parser counts them (RSV1 = 4).
     * permessage-deflate uses RSV1 (RFC 7692 §6). An agreed extension wstap does not know may use
     * any of them, so then none is flagged, and its frames are shown as sent.
     */
    public static int rsvBits(String header) {
        int bits = 0;
        for (String name : names(header)) {
            bits |= isCompression(name) ? 4 : 7;
        }
        return bits;
    }
}
