package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.autobahn.Family1Framing;
import dev.wstap.autobahn.Family2PingPong;
import dev.wstap.autobahn.Family3ReservedBits;
import dev.wstap.autobahn.Family4Opcodes;
import dev.wstap.autobahn.Family5Fragmentation;
import dev.wstap.autobahn.Family6Utf8;
import dev.wstap.autobahn.Family7Close;
import dev.wstap.autobahn.Family9Limits;
import dev.wstap.autobahn.Family10Misc;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cases {@code wstap probe} runs, in Autobahn's order, and the choice of them by
 * {@code --only} and {@code --exclude} patterns ({@code 5.*}, {@code 6.2.*}, {@code 1.1.8}).
 */
public final class Suite {
    /** The families, as Autobahn numbers them (it has no family 8 nor 11). */
    public static final List<String> FAMILIES = List.of("1 framing", "2 ping/pong", "3 reserved bits", "4 opcodes", "5 fragmentation",
            "6 UTF-8", "7 close", "9 limits", "10 misc", "12 compression", "13 deflate params");
    /** What family 9's sizes (and 9.7's and 9.8's counts) are divided by, unless --full. */
    public static final int SCALE = 16;
    /** Autobahn's families 12 and 13 send 1000 messages a case; unless --full, as many as fit this many bytes (4 to 100). */
    public static final int COMPRESSION_BUDGET_BYTES = 256 * 1024;
    private static final int COMPRESSION_FEWEST = 4;
    private static final int COMPRESSION_FULL_COUNT = 1000;

    private Suite() {}

    /** Every case, family 9 scaled down. */
    public static List<AutobahnCase> all() {
        return all(false);
    }

    /** Every case; {@code isFull}: family 9 at Autobahn's own sizes, and 1000 messages in each case of families 12 and 13. */
    public static List<AutobahnCase> all(boolean isFull) {
        List<AutobahnCase> out = new ArrayList<>();
        out.addAll(Family1Framing.cases());
        out.addAll(Family2PingPong.cases());
        out.addAll(Family3ReservedBits.cases());
        out.addAll(Family4Opcodes.cases());
        out.addAll(Family5Fragmentation.cases());
        out.addAll(Family6Utf8.cases());
        out.addAll(Family7Close.cases());
        out.addAll(Family9Limits.cases(isFull ? 1 : SCALE));
        out.addAll(Family10Misc.cases());
        java.util.function.ToIntFunction<dev.wstap.autobahn.MessageSize> count = size -> isFull ? COMPRESSION_FULL_COUNT
                : size.count(COMPRESSION_BUDGET_BYTES, COMPRESSION_FEWEST);
        out.addAll(dev.wstap.autobahn.Family12Compression.cases(count));
        out.addAll(dev.wstap.autobahn.Family13DeflateParameters.cases(count));
        // The corpus's variants (its own, for the proxy's tests) are not Autobahn's cases.
        out.removeIf(c -> c.title().startsWith("variant"));
        // Autobahn's 7.1.1 closes once the message has come back (the proxy's tests send both at once).
        out.replaceAll(c -> c.id().equals("7.1.1")
                ? AutobahnCase.of("7.1.1", "message, then a close once it came back", AutobahnCase.text("Hello World!")) : c);
        return out;
    }

    /** The cases {@code only} (all when empty) names and {@code exclude} does not; patterns are case ids with * for any part. */
    public static List<AutobahnCase> chosen(List<String> only, List<String> exclude, boolean isFull) {
        List<Pattern> in = only.stream().map(Suite::pattern).toList();
        List<Pattern> out = exclude.stream().map(Suite::pattern).toList();
        return all(isFull).stream()
                .filter(c -> in.isEmpty() || in.stream().anyMatch(p -> p.matcher(c.id()).matches()))
                .filter(c -> out.stream().noneMatch(p -> p.matcher(c.id()).matches()))
                .toList();
    }

    /** {@code 5.*}: 5 and anything below it; {@code 6.2.*}; {@code 1.1.8} exactly. */
    static Pattern pattern(String glob) {
        String g = glob.strip();
        if (!g.matches("[0-9*]+(\\.[0-9*]+)*")) throw new IllegalArgumentException("'" + glob + "' is not a case id or pattern: say 5.*, 6.2.* or 1.1.8");
        StringBuilder re = new StringBuilder();
        for (char ch : g.toCharArray()) re.append(ch == '*' ? "[0-9.]*" : ch == '.' ? "\\." : String.valueOf(ch));
        return Pattern.compile(re.toString());
    }
}
