package dev.wstap.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host pattern as the command line takes it: {@code *.example.com}, {@code api-?.test},
 * {@code 127.0.0.1}; {@code *} stands for any run of characters, {@code ?} for one, and case does
 * not matter. {@code --no-intercept} and {@code --client-cert HOST=FILE} match hosts with it.
 */
public record HostGlob(String glob, Pattern pattern) {
    public static HostGlob of(String glob) {
        String g = glob.strip().toLowerCase(Locale.ROOT);
        if (g.isEmpty()) throw new IllegalArgumentException("an empty host pattern matches nothing: say a host, or *.example.com");
        String regex = ("\\Q" + g + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return new HostGlob(glob.strip(), Pattern.compile(regex));
    }

    public boolean matches(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return pattern.matcher(h.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
