package dev.wstap.shell;

import dev.wstap.proxy.Session;
import dev.wstap.wire.CloseCode;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completion from live state, next to what the command model offers: the open sessions' numbers
 * (for {@code use N} and {@code filter --session N}) described by client, URL and state, and the
 * close codes that may be sent (for {@code close CODE}) with their names; and file names after {@code --file}.
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
        } else if (command.equals("close") && isFirstArgument(words, index)) {
            for (int code : CLOSE_CODES) {
                candidates.add(new Candidate(Integer.toString(code), Integer.toString(code), "close codes", CloseCode.name(code),
                        null, null, true));
            }
        }
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
