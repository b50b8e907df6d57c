package dev.wstap.shell;

import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.Tap;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;

/**
 * Runs script commands without a terminal: {@code --script FILE} or {@code -e 'CMD; CMD'}. Blank
 * lines and lines starting with {@code #} are skipped; words are split as a shell would (quotes
 * keep spaces). A command that fails stops the script with a line naming the file and line; an
 * {@code expect} that does not hold is reported and the script goes on. The result is the exit
 * code: 0 when every command ran and every expectation held, else 1.
 */
public final class ScriptRunner {
    private final ScriptContext ctx;
    private final PrintStream err;

    /** Attaches what it waits for to {@code tap}: call before the proxy starts, so nothing is missed. */
    public ScriptRunner(ProxyServer server, Tap tap, PrintStream err) {
        FrameWatch watch = new FrameWatch();
        tap.attach("script", watch, false, Tap.LOG_QUEUE_EVENTS, true);
        this.ctx = new ScriptContext(server, tap, watch);
        this.err = err;
    }

    /** One script: {@code source} names it in messages (a file name, or {@code -e}). */
    public int run(String source, List<String> lines) {
        CommandLine commands = ScriptCommands.commandLine(ctx);
        boolean[] isFailed = {false};
        int[] lineNumber = {0};
        commands.setExecutionExceptionHandler((e, cl, parsed) -> {
            boolean isExpectation = e instanceof ScriptCommands.ExpectationFailed;
            err.println(source + ":" + lineNumber[0] + ": " + (isExpectation ? "" : "error: ") + message(e));
            return isExpectation ? 0 : 1;
        });
        commands.setParameterExceptionHandler((e, args) -> {
            err.println(source + ":" + lineNumber[0] + ": error: " + e.getMessage());
            return 2;
        });
        DefaultParser words = new DefaultParser();
        for (String line : lines) {
            lineNumber[0]++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            List<String> args;
            try {
                args = new ArrayList<>(words.parse(trimmed, trimmed.length()).words());
            } catch (RuntimeException e) {
                err.println(source + ":" + lineNumber[0] + ": error: cannot split '" + trimmed + "' into words: " + e.getMessage());
                return 1;
            }
            args.removeIf(String::isEmpty);
            if (commands.execute(args.toArray(new String[0])) != 0) {
                isFailed[0] = true;
                break;
            }
        }
        if (ctx.failedExpectations > 0) {
            err.println(source + ": " + ctx.failedExpectations + " expectation" + (ctx.failedExpectations == 1 ? "" : "s") + " failed");
        }
        return isFailed[0] || ctx.failedExpectations > 0 ? 1 : 0;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** {@code -e 'CMD; CMD'}: the commands, split at semicolons outside quotes. */
    public static List<String> splitCommands(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';') {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }
}
