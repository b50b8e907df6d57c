package dev.wstap.shell;

import dev.wstap.proxy.SessionRegistry;
import dev.wstap.render.ConsoleSink;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Tap;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.tap.TrafficTotals;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;

/**
 * Runs the commands of the shell, of a script ({@code --script FILE}, {@code -e 'CMD; CMD'}) and of
 * a piped stdin; one command tree serves all three. Words are split as a shell would (quotes keep
 * spaces). In a script, blank lines and lines starting with {@code #} are skipped, a command that
 * fails stops it with a line naming the file and line, and an {@code expect} that does not hold
 * is reported while the script goes on; the exit code says whether all went well. Interactively,
 * every error is one line and the next command runs.
 */
public final class CommandRunner {
    private final ShellContext ctx;
    private final CommandLine commands;
    private final DefaultParser words = new DefaultParser();
    /** The commands whose words are a filter expression, and how their lines are split. */
    static final java.util.Set<String> EXPRESSION_COMMANDS = java.util.Set.of("filter", "explain", "wait", "expect", "intercept", "rule");
    private final DefaultParser expressionWords = new DefaultParser().quoteChars(new char[] {'\''}).escapeChars(new char[0]);
    private PrintWriter err;
    /** Where messages are said to come from: {@code file:line: }, or nothing interactively. */
    private String where = "";
    private boolean isFailed;
    private volatile boolean isPlainTextSent;
    /** With a piped stdin to {@code connect}: how every line is sent; null when lines are commands. */
    private volatile LineFormat lineFormat;
    /** Lines read one at a time (typed or piped), for messages about them. */
    private int lineNumber;

    /**
     * Attaches what the commands wait for and count to {@code tap}: create it before the proxy
     * starts, so nothing is missed. {@code console} is the display that {@code view}, {@code filter}
     * and {@code pause} steer (null for none).
     */
    public CommandRunner(SessionRegistry sessions, Tap tap, ConsoleSink console, PrintStream out, PrintStream err) {
        FrameWatch watch = new FrameWatch();
        TrafficTotals totals = new TrafficTotals();
        tap.attach("commands", new TapSink() {
            @Override
            public void accept(TapEvent event) {
                watch.accept(event);
                totals.accept(event);
            }
        }, false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
        this.ctx = new ShellContext(sessions, tap, watch, totals, console);
        this.commands = ShellCommands.commandLine(ctx);
        commands.setExecutionExceptionHandler((e, cl, parsed) -> {
            boolean isExpectation = e instanceof ShellCommands.ExpectationFailed;
            this.err.println(where + (isExpectation ? "" : "error: ") + message(e));
            this.err.flush();
            return isExpectation ? 0 : 1;
        });
        commands.setParameterExceptionHandler((e, args) -> {
            this.err.println(where + "error: " + problem(e) + hint(e));
            this.err.flush();
            return 2;
        });
        setOutput(new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8));
    }

    /** Where commands print (the shell prints above its prompt). */
    public void setOutput(PrintWriter out, PrintWriter err) {
        this.err = err;
        commands.setOut(out);
        commands.setErr(err);
    }

    /**
     * {@code wstap connect}: a typed or piped line that does not start with a command is sent to the
     * server as a text message, exactly as typed ({@code send} sends one that does); a script's
     * lines are always commands. Frames cannot go {@code --to client}: wstap is the client.
     */
    public void sendPlainText() {
        isPlainTextSent = true;
        ctx.isClientMode = true;
    }

    /** Lets {@code rules} and {@code rule} act on {@code rules}. */
    public void rules(dev.wstap.rules.Rules rules) {
        ctx.rules = rules;
    }

    /** A line from wstap itself (a rule file read again), where the shell's messages go. */
    public void notice(String line) {
        err.println("wstap: " + line);
        err.flush();
    }

    /** Lets {@code intercept}, {@code held}, {@code forward}, {@code drop} and {@code edit} act on {@code intercept}. */
    public void intercept(dev.wstap.intercept.Intercept intercept) {
        ctx.intercept = intercept;
    }

    /** The command tree, for completion and help. */
    public CommandLine commandLine() {
        return commands;
    }

    ShellContext context() {
        return ctx;
    }

    /**
     * One script: {@code source} names it in messages (a file name, or {@code -e}).
     *
     * @return 0 when every command ran and every expectation held, else 1
     */
    public int runScript(String source, List<String> lines) {
        int lineNumber = 0;
        isFailed = false;
        for (String line : lines) {
            lineNumber++;
            where = source + ":" + lineNumber + ": ";
            if (!run(line) || isQuitRequested()) break;
        }
        where = "";
        int failed = ctx.failedExpectations;
        if (failed > 0) {
            err.println(source + ": " + failed + " expectation" + (failed == 1 ? "" : "s") + " failed");
            err.flush();
        }
        return isFailed || failed > 0 ? 1 : 0;
    }

    /**
     * {@code wstap connect} with a piped stdin: every line is a message in {@code format}, commands
     * included ({@code --commands} keeps lines as commands).
     */
    public void sendEveryLine(LineFormat format) {
        lineFormat = format;
        ctx.isClientMode = true;
    }

    /** Whether a command failed, an expectation was not met, or a line could not be sent, since the start. */
    public boolean hasFailed() {
        return isFailed || ctx.failedExpectations > 0;
    }

    /** One line typed or piped in: an error is reported and the next line may follow. */
    public void runLine(String line) {
        where = "";
        lineNumber++;
        if (lineFormat != null) {
            sendLine(line);
            return;
        }
        String first = line.strip().split("\\s+", 2)[0];
        if (isPlainTextSent && !first.isEmpty() && !commands.getSubcommands().containsKey(first)) {
            sendText(line);
            return;
        }
        run(line);
    }

    private void sendText(String line) {
        send(Opcode.TEXT, line.getBytes(StandardCharsets.UTF_8), "");
    }

    /** A piped line as a message in {@link #lineFormat}; one that does not fit is named by its number and not sent. */
    private void sendLine(String line) {
        byte[] payload;
        try {
            payload = lineFormat.payload(line);
        } catch (IllegalArgumentException e) {
            err.println("stdin:" + lineNumber + ": error: " + e.getMessage() + "; not sent");
            err.flush();
            isFailed = true;
            return;
        }
        send(lineFormat.opcode, payload, "stdin:" + lineNumber + ": ");
    }

    private void send(int opcode, byte[] payload, String source) {
        try {
            ctx.injector().message(Direction.C2S, opcode, payload);
            return;
        } catch (CommandException | IllegalStateException | IllegalArgumentException | IOException e) {
            err.println(source + "error: " + message(e));
        } catch (InterruptedException e) {
            err.println(source + "error: interrupted");
        }
        err.flush();
        isFailed = true;
    }

    /** Runs one line; false when it failed. Blank lines and comments do nothing. */
    private boolean run(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return true;
        List<String> args;
        try {
            // A filter expression keeps its double quotes (body:"two words", json:/type=="join"); single quotes still group.
            DefaultParser parser = EXPRESSION_COMMANDS.contains(trimmed.split("\\s+", 2)[0]) ? expressionWords : words;
            args = new ArrayList<>(parser.parse(trimmed, trimmed.length()).words());
        } catch (RuntimeException e) {
            err.println(where + "error: cannot split '" + trimmed + "' into words: " + e.getMessage());
            err.flush();
            isFailed = true;
            return false;
        }
        args.removeIf(String::isEmpty);
        if (commands.execute(args.toArray(new String[0])) == 0) return true;
        isFailed = true;
        return false;
    }

    /**
     * Commands read line by line (a piped stdin) until the end of the input or {@code quit}; an
     * error is reported and the next line runs.
     */
    public void runEach(BufferedReader in) throws IOException {
        String line;
        while (!isQuitRequested() && (line = in.readLine()) != null) runLine(line);
    }

    /** True once {@code quit} ran. */
    public boolean isQuitRequested() {
        return ctx.quit.getCount() == 0;
    }

    /** As {@code quit} does. */
    public void requestQuit() {
        ctx.quit.countDown();
    }

    /** Blocks until {@code quit} runs. */
    public void awaitQuit() throws InterruptedException {
        ctx.quit.await();
    }

    /** picocli's message, and for a mistyped command name, what was meant. */
    private String problem(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && e.getCommandLine() == commands && !u.getUnmatched().isEmpty()) {
            String name = u.getUnmatched().get(0);
            List<String> meant = u.getSuggestions().stream().filter(s -> dev.wstap.filter.Spelling.distance(s, name) <= 2).toList();
            return "unknown command '" + name + "'" + (meant.isEmpty() ? "" : "; did you mean " + String.join(" or ", meant) + "?");
        }
        return e.getMessage().replaceFirst("^Error: ", "");
    }

    private static String hint(CommandLine.ParameterException e) {
        String name = e.getCommandLine().getCommandName();
        return name.isEmpty() ? " (try: help)" : " (try: help " + name + ")";
    }

    private static String message(Exception e) {
        if (e instanceof InterruptedException) return "interrupted";
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
