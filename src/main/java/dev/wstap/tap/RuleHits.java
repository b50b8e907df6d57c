package dev.wstap.tap;

/**
 * How a frame's note says that rules hit it: {@code rule "slow server": delay 200 ms}, several
 * joined with {@code ; }; a rule without a name is {@code rule #2}. The log's {@code rule} field
 * is the first rule's name, read from here.
 */
public final class RuleHits {
    private static final String PREFIX = "rule ";

    private RuleHits() {}

    public static boolean isRuleNote(String note) {
        return note != null && note.startsWith(PREFIX) && note.indexOf(": ") > PREFIX.length();
    }

    /** Every rule a note names, in order: {@code [slow server, #2]} for {@code rule "slow server": delay 200 ms; rule #2: drop}. */
    public static java.util.List<String> rules(String note) {
        java.util.List<String> out = new java.util.ArrayList<>(1);
        String rest = note;
        while (isRuleNote(rest)) {
            out.add(firstRule(rest));
            int next = rest.indexOf("; rule ");
            if (next < 0) break;
            rest = rest.substring(next + 2);
        }
        return out;
    }

    /** {@code slow server} for {@code rule "slow server": delay 200 ms}, {@code #2} for {@code rule #2: drop}; null for other notes. */
    public static String firstRule(String note) {
        if (!isRuleNote(note)) return null;
        int end = note.startsWith(PREFIX + "\"") ? note.indexOf("\": ", PREFIX.length() + 1) + 1 : note.indexOf(": ");
        if (end <= PREFIX.length()) return null;
        String label = note.substring(PREFIX.length(), end);
        return label.length() >= 2 && label.startsWith("\"") && label.endsWith("\"") ? label.substring(1, label.length() - 1) : label;
    }
}
