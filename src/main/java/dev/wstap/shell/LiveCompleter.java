package dev.wstap.shell;

import dev.wstap.filter.FilterParser;
import dev.wstap.proxy.Session;
import dev.wstap.tap.Fate;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Violation;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completion from live state, next to what the command model offers: the open sessions' numbers
 * (for {@code use N} and {@code filter --session N}) described by client, URL and state, held
 * messages' numbers (for {@code forward}, {@code drop} and {@code edit}) with their previews, the
 * close codes that may be sent (for {@code close CODE}) with their names, filter terms and their
 * values (for {@code filter}, {@code explain}, {@code wait frame}, {@code expect frame}); and file
 * names after {@code --file}.
 */
final class LiveCompleter implements Completer {
    /** RFC 6455 §7.4.1 codes an endpoint may send, in the order a user looks for them. */
    private static final List<Integer> CLOSE_CODES = List.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014);

    private final ShellContext ctx;
    private final Completer files = new org.jline.builtins.Completers.FileNameCompleter();

    LiveCompleter(ShellContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index < 1) return;
        String command = words.get(0);
        String previous = words.get(index - 1);
        if (previous.equals("--file")) {
            files.complete(reader, line, candidates);
        } else if (command.equals("use") && index == 1 || command.equals("filter") && previous.equals("--session")) {
            for (Session s : ctx.sessions.all()) {
                String description = s.opened().client() + " → " + ctx.tap.shown(s.opened().url()) + ", " + s.state();
                candidates.add(new Candidate(Integer.toString(s.id()), "#" + s.id(), "sessions", description, null, null, true));
            }
        } else if ((command.equals("forward") || command.equals("drop") || command.equals("edit") && index == 1)
                && !previous.startsWith("--") && ctx.intercept != null) {
            for (dev.wstap.intercept.HeldMessages.Held h : ctx.intercept.held().all()) {
                candidates.add(new Candidate(Integer.toString(h.id()), h.label(), "held messages",
                        InterceptCommands.describe(h, ctx).substring(h.label().length()).strip(), null, null, true));
            }
        } else if (command.equals("rule")) {
            rule(words, index, candidates);
        } else if (isExpression(command, words, index, previous)) {
            expression(line.word().substring(0, line.wordCursor()), candidates);
        } else if (command.equals("close") && isFirstArgument(words, index)) {
            for (int code : CLOSE_CODES) {
                candidates.add(new Candidate(Integer.toString(code), Integer.toString(code), "close codes", CloseCode.name(code),
                        null, null, true));
            }
        }
    }

    /** {@code rule add WHEN -- ACTION...} and {@code rule rm N}: the verbs, then the expression, then the actions (or rule numbers). */
    private void rule(List<String> words, int index, List<Candidate> candidates) {
        if (index == 1) {
            for (String verb : List.of("add", "rm")) candidates.add(new Candidate(verb, verb, "rule", null, null, null, true));
        } else if (words.get(1).equals("rm") && index == 2 && ctx.rules != null) {
            List<dev.wstap.rules.Rules.Active> all = ctx.rules.active();
            for (int i = 0; i < all.size(); i++) {
                candidates.add(new Candidate(Integer.toString(i + 1), Integer.toString(i + 1), "rules", all.get(i).label() + " when "
                        + all.get(i).rule().when(), null, null, true));
            }
        } else if (words.get(1).equals("add") && words.subList(0, index).contains("--")) {
            for (String key : dev.wstap.rules.RuleParser.KEYS) {
                if (key.equals("when")) continue;
                String flagged = List.of("drop", "reorder", "answer_ping", "reset", "stall").contains(key) ? key : key + "=";
                candidates.add(new Candidate(flagged, flagged, "rule actions and limits", null, null, null, !flagged.endsWith("=")));
            }
        } else if (words.get(1).equals("add")) {
            candidates.add(new Candidate("--", "--", "then the actions", null, null, null, true));
        }
    }

    /** Whether the word at {@code index} is part of a filter expression: not an option, nor an option's value. */
    private static boolean isExpression(String command, List<String> words, int index, String previous) {
        if (!CommandRunner.EXPRESSION_COMMANDS.contains(command) || previous.startsWith("--") && !previous.equals("--clear")) return false;
        if (command.equals("wait") || command.equals("expect")) return index >= 2 && words.get(1).equals("frame");
        return true;
    }

    /**
     * Filter terms for the word typed so far: the fields and words, or after {@code field:} the
     * values wstap knows (opcodes, directions, open sessions, rule names, fates, close codes), each
     * after the last comma of a list.
     */
    private void expression(String typed, List<Candidate> candidates) {
        int start = 0;
        while (start < typed.length() && (typed.charAt(start) == '-' || typed.charAt(start) == '(')) start++;
        String lead = typed.substring(0, start);
        String term = typed.substring(start);
        int colon = term.indexOf(':');
        if (colon < 0) {
            for (String f : FilterParser.FIELDS) {
                boolean isWhole = !f.endsWith(":") && !f.endsWith("~");
                candidates.add(new Candidate(lead + f, f, "filter terms", null, null, null, isWhole));
            }
            for (Fate f : Fate.values()) candidates.add(new Candidate(lead + f.label(), f.label(), "fates", null, null, null, true));
            for (String w : List.of("and", "or", "not")) candidates.add(new Candidate(w, w, "filter words", null, null, null, true));
            return;
        }
        String field = term.substring(0, colon);
        int listStart = Math.max(term.lastIndexOf(','), colon) + 1;
        String head = lead + term.substring(0, listStart);
        List<String[]> values = new java.util.ArrayList<>();
        switch (field) {
            case "op" -> FilterParser.OPCODE_WORDS.forEach(o -> values.add(new String[] {o, null}));
            case "dir" -> {
                values.add(new String[] {"c2s", "client to server"});
                values.add(new String[] {"s2c", "server to client"});
            }
            case "fin" -> {
                values.add(new String[] {"0", "a message continues"});
                values.add(new String[] {"1", "the last frame of a message"});
            }
            case "sess" -> {
                for (Session s : ctx.sessions.all()) {
                    values.add(new String[] {Integer.toString(s.id()), s.opened().client() + " → " + ctx.tap.shown(s.opened().url())});
                }
            }
            case "viol" -> {
                for (Violation.Rule r : Violation.Rule.values()) values.add(new String[] {r.id(), r.section()});
            }
            case "fate" -> {
                for (Fate f : Fate.values()) values.add(new String[] {f.label(), null});
            }
            case "close" -> {
                for (int code : CLOSE_CODES) values.add(new String[] {Integer.toString(code), CloseCode.name(code)});
                values.add(new String[] {"1005", "a close without a code"});
                values.add(new String[] {"1006", "no close frame at all"});
            }
            default -> { }
        }
        for (String[] v : values) candidates.add(new Candidate(head + v[0], v[0], field + " values", v[1], null, null, true));
    }

    /** Whether the word at {@code index} is the first one that is neither an option nor an option's value. */
    private static boolean isFirstArgument(List<String> words, int index) {
        for (int i = 1; i < index; i++) {
            String w = words.get(i);
            if (w.equals("--to")) {
                i++;
            } else if (!w.startsWith("-")) {
                return false;
            }
        }
        return true;
    }
}
