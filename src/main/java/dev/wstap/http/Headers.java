package dev.wstap.http;

import java.util.List;

/** An ordered header list, duplicates and spelling kept, so that it can be relayed as it came. */
public record Headers(List<Header> list) {
    public Headers {
        list = List.copyOf(list);
    }

    /** Appends every header as {@code Name: value} CRLF, in order. */
    void appendTo(StringBuilder s) {
        for (Header h : list) s.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }

    /** The first value of {@code name} (case-insensitive), or null. */
    public String get(String name) {
        for (Header h : list) if (h.is(name)) return h.value();
        return null;
    }

    /** Every value of {@code name}, joined with ", " as RFC 9110 §5.3 allows; null when absent. */
    public String joined(String name) {
        String result = null;
        for (Header h : list) {
            if (h.is(name)) result = result == null ? h.value() : result + ", " + h.value();
        }
        return result;
    }

    /** Whether a comma-separated header such as {@code Connection: keep-alive, Upgrade} has {@code token}. */
    public boolean hasToken(String name, String token) {
        String all = joined(name);
        if (all == null) return false;
        for (String part : all.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

}
