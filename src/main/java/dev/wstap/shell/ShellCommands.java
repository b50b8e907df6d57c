package dev.wstap.shell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.wstap.proxy.Injector;
import dev.wstap.proxy.Session;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.filter.EventFilter;
import dev.wstap.filter.Expr;
import dev.wstap.filter.Terms;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Tap;
import dev.wstap.tap.TrafficTotals;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands of the shell and of scripts; each one short, acting through the {@link ShellContext}. */
final class ShellCommands {
    private ShellCommands() {}

    /** The command tree for one context. */
    static CommandLine commandLine(ShellContext ctx) {
        CommandLine cl = new CommandLine(new Root());
        cl.addSubcommand("sessions", new Sessions(ctx));
        cl.addSubcommand("use", new Use(ctx));
        cl.addSubcommand("ping", new Control(ctx, Opcode.PING));
        cl.addSubcommand("pong", new Control(ctx, Opcode.PONG));
        cl.addSubcommand("send", new Send(ctx));
        cl.addSubcommand("frag", new Frag(ctx));
        cl.addSubcommand("close", new Close(ctx));
        cl.addSubcommand("raw", new Raw(ctx));
        cl.addSubcommand("view", new View(ctx));
        cl.addSubcommand("filter", new Filter(ctx));
        cl.addSubcommand("explain", new Explain(ctx));
        cl.addSubcommand("intercept", new InterceptCommands.InterceptCommand(ctx));
        cl.addSubcommand("held", new InterceptCommands.Held(ctx));
        cl.addSubcommand("forward", new InterceptCommands.Decide(ctx, true));
        cl.addSubcommand("drop", new InterceptCommands.Decide(ctx, false));
        cl.addSubcommand("edit", new InterceptCommands.Edit(ctx));
        cl.addSubcommand("rules", new RuleCommands.RulesCommand(ctx));
        cl.addSubcommand("rule", new RuleCommands.RuleCommand(ctx));
        cl.addSubcommand("pause", new Pause(ctx, true));
        cl.addSubcommand("resume", new Pause(ctx, false));
        cl.addSubcommand("stats", new Stats(ctx));
        cl.addSubcommand("wait", new Wait(ctx, false));
        cl.addSubcommand("expect", new Wait(ctx, true));
        cl.addSubcommand("sleep", new Sleep());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.addSubcommand("quit", new Quit(ctx));
        // Classes that serve two commands: each command says what it does.
        describe(cl, "ping", "Send a ping (payload at most 125 bytes); its pong's round trip is shown.");
        describe(cl, "pong", "Send an unsolicited pong (payload at most 125 bytes).");
        describe(cl, "pause", "Hold the display; traffic and log go on. What is held past the console's queue is counted as skipped.");
        describe(cl, "resume", "Show the traffic again after pause, starting with what was held.");
        describe(cl, "wait", "Wait for a session, a frame or a held message: wait session | wait frame [EXPR] [--dir c2s|s2c] "
                + "[--opcode NAME] [--grep REGEX] | wait held (the next message still held after the one the last wait held saw); "
                + "an error when none comes in time.");
        // A filter expression may begin with '-' (-op:ping): such a word is a term, not an unknown option.
        for (String c : CommandRunner.EXPRESSION_COMMANDS) cl.getSubcommands().get(c).setUnmatchedOptionsArePositionalParams(true);
        // rule add WHEN -- ACTION...: the -- is a word of its own there, between the expression and the actions.
        cl.getSubcommands().get("rule").setEndOfOptionsDelimiter("--end-of-options").setUnmatchedOptionsArePositionalParams(true);
        List<String> language = new java.util.ArrayList<>(List.of("", "The filter language (also for explain, wait frame and expect frame):"));
        language.addAll(dev.wstap.filter.FilterHelp.LINES);
        cl.getSubcommands().get("filter").getCommandSpec().usageMessage().footer(language.toArray(new String[0]));
        describe(cl, "forward", "Send held messages on as they arrived: the same bytes, framing and mask.");
        describe(cl, "drop", "Drop held messages: they never reach their receiver (the log keeps them).");
        describe(cl, "expect", "As wait, but one that does not come is a failed expectation: the script goes on and exits 1.");
        return cl;
    }

    private static void describe(CommandLine cl, String command, String description) {
        cl.getSubcommands().get(command).getCommandSpec().usageMessage().description(description);
    }

    @Command(name = "", customSynopsis = "COMMAND [OPTIONS] [ARGUMENTS]",
            description = {"Commands act on the session in use: the newest open one, or the one chosen with use N.",
                "Frames go to the server unless --to client says otherwise. help COMMAND tells more."},
            commandListHeading = "%nCommands:%n")
    static final class Root {}

    /** A command that acts through the context and prints to the shell's output. */
    abstract static class ContextCommand implements Callable<Integer> {
        final ShellContext ctx;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ContextCommand(ShellContext ctx) {
            this.ctx = ctx;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Where {@code --to} sends a frame; {@code connect} has no client to send to. */
        Direction to(Target target) {
            Direction dir = target.dir();
            if (dir == Direction.S2C && ctx.isClientMode) {
                throw new CommandException("--to client: wstap connect is the client itself; frames go to the server");
            }
            return dir;
        }

        /** One line of output, shown at once. */
        void say(String line) {
            out().println(line);
            out().flush();
        }
    }

    /** {@code --to server|client}: which peer an injected frame goes to. */
    static final class Target {
        @Option(names = "--to", paramLabel = "server|client", defaultValue = "server", completionCandidates = Candidates.Peers.class,
                description = "Where the frame goes (default: ${DEFAULT-VALUE}).")
        String to;

        Direction dir() {
            return switch (to) {
                case "server" -> Direction.C2S;
                case "client" -> Direction.S2C;
                default -> throw new CommandException("--to " + to + ": say server or client");
            };
        }
    }

    @Command(description = "Send a ping or pong (payload at most 125 bytes).")
    static final class Control extends ContextCommand {
        private final int opcode;

        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(arity = "0..*", paramLabel = "PAYLOAD", description = "The payload, as text (at most 125 bytes).")
        List<String> words = List.of();

        Control(ShellContext ctx, int opcode) {
            super(ctx);
            this.opcode = opcode;
        }

        @Override
        public Integer call() throws IOException {
            Direction dir = to(target);
            byte[] payload = String.join(" ", words).getBytes(StandardCharsets.UTF_8);
            Injector.checkControl(opcode, payload);
            ctx.injector().control(dir, opcode, payload);
            return 0;
        }
    }

    /** The payload options of send and frag: text, or binary from hex or a file, or checked JSON. */
    static final class Payload {
        @Option(names = "--binary", description = "Send a binary message (the words as UTF-8).")
        boolean isBinary;

        @Option(names = "--hex", description = "A binary message given in hex: --hex '81 fe 00'.")
        boolean isHex;

        @Option(names = "--json", description = "A text message that must parse as JSON.")
        boolean isJson;

        @Option(names = "--file", paramLabel = "FILE", description = "A binary message read from FILE.")
        Path file;

        @Option(names = "--compress", description = "Compress it (permessage-deflate sessions only; by default injected "
                + "messages go uncompressed, which a peer must accept).")
        boolean isCompress;

        int opcode() {
            return isBinary || isHex || file != null ? Opcode.BINARY : Opcode.TEXT;
        }

        byte[] bytes(List<String> words) {
            String text = String.join(" ", words);
            if (file != null) {
                try {
                    return Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new CommandException("cannot read " + file + ": no such file");
                } catch (java.nio.file.AccessDeniedException e) {
                    throw new CommandException("cannot read " + file + ": permission denied");
                } catch (IOException e) {
                    throw new CommandException("cannot read " + file + ": " + e.getMessage());
                }
            }
            if (isHex) return hex(text);
            if (isJson) checkJson(text);
            return text.getBytes(StandardCharsets.UTF_8);
        }

        /** Hex digits, with spaces, colons and 0x prefixes allowed between bytes: {@code '81 fe 00'}, {@code 0x81:0xfe}. */
        private static byte[] hex(String text) {
            String digits = text.replaceAll("0[xX]", "").replaceAll("[\\s:]", "");
            for (int i = 0; i < digits.length(); i++) {
                if (Character.digit(digits.charAt(i), 16) < 0) {
                    throw new CommandException("bad hex '" + text + "': '" + digits.charAt(i) + "' is not a hex digit (say e.g. --hex '81 fe 00')");
                }
            }
            if (digits.length() % 2 != 0) {
                throw new CommandException("bad hex '" + text + "': " + digits.length() + " digits, not whole bytes (say e.g. --hex '81 fe 00')");
            }
            return HexFormat.of().parseHex(digits);
        }

        private static void checkJson(String text) {
            try (JsonParser p = new JsonFactory().createParser(text)) {
                while (p.nextToken() != null) {
                    // Reading to the end is the check.
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CommandException("--json: not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new CommandException("--json: not JSON: " + e.getMessage());
            }
        }
    }

    @Command(description = "Send one message, after the message in flight that way has ended.")
    static final class Send extends ContextCommand {
        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @Parameters(arity = "0..*", paramLabel = "MESSAGE", description = "The message: words joined by single spaces (quote to keep more).")
        List<String> words = List.of();

        Send(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            Direction dir = to(target);
            byte[] bytes = payload.bytes(words);
            Injector injector = ctx.injector();
            byte[] wire = payload.isCompress ? injector.compressed(dir, bytes) : bytes;
            injector.fragments(dir, payload.opcode(), wire, payload.isCompress ? bytes : null, List.of(wire.length), false, 0);
            return 0;
        }
    }

    @Command(description = "Send one message split over several frames.")
    static final class Frag extends ContextCommand {
        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @ArgGroup(multiplicity = "1")
        Split split;

        static final class Split {
            @Option(names = "--parts", paramLabel = "N", description = "N frames of (nearly) equal size.")
            Integer parts;

            @Option(names = "--sizes", paramLabel = "N", split = ",",
                    description = "Frames of these sizes in bytes (of the compressed payload with --compress).")
            List<Integer> sizes;
        }

        @Option(names = "--ping-between", description = "A ping between every two fragments.")
        boolean isPingBetween;

        @Option(names = "--delay", paramLabel = "MS", defaultValue = "0", description = "Milliseconds between frames.")
        long delayMillis;

        @Parameters(arity = "0..*", paramLabel = "MESSAGE", description = "The message: words joined by single spaces (quote to keep more).")
        List<String> words = List.of();

        Frag(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (delayMillis < 0) throw new CommandException("--delay " + delayMillis + " is negative");
            if (split.parts != null && split.parts < 1) throw new CommandException("--parts " + split.parts + " must be at least 1");
            Direction dir = to(target);
            byte[] bytes = payload.bytes(words);
            Injector injector = ctx.injector();
            byte[] wire = payload.isCompress ? injector.compressed(dir, bytes) : bytes;
            List<Integer> sizes = split.sizes != null ? split.sizes : Injector.evenParts(wire.length, split.parts);
            injector.fragments(dir, payload.opcode(), wire, payload.isCompress ? bytes : null, sizes, isPingBetween, delayMillis);
            return 0;
        }
    }

    @Command(description = "Send a close frame: close [CODE [REASON]].")
    static final class Close extends ContextCommand {
        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", arity = "0..1", paramLabel = "CODE", description = "A status code that may be sent: 1000-1003, 1007-1014, 3000-4999.")
        Integer code;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "REASON", description = "Why, in words (the payload holds at most 123 bytes of it).")
        List<String> reason = List.of();

        Close(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            Direction dir = to(target);
            byte[] payload = Injector.closePayload(code == null ? -1 : code, String.join(" ", reason));
            ctx.injector().control(dir, Opcode.CLOSE, payload);
            return 0;
        }
    }

    /**
     * {@code raw}: one frame exactly as described, however wrong, for testing how a peer copes. It
     * still goes between two frames (never inside one), but none of the other rules apply.
     */
    @Command(description = "Send one deliberately malformed (or any) frame: raw --opcode N [--no-fin] [--rsv N] "
            + "[--mask KEY|random|none] [--len-encoding minimal|16|64] [--len N] PAYLOAD.")
    static final class Raw extends ContextCommand {
        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @Option(names = "--opcode", paramLabel = "N", required = true, completionCandidates = Candidates.OpcodeNames.class,
                description = "0-15 or a name (text, ping, ...).")
        String opcode;

        @Option(names = "--no-fin", description = "Leave FIN unset.")
        boolean isNotFinal;

        @Option(names = "--rsv", paramLabel = "N", defaultValue = "0", description = "RSV bits 0-7, RSV1 = 4.")
        int rsv;

        @Option(names = "--mask", paramLabel = "KEY|random|none", completionCandidates = Candidates.MaskChoices.class,
                description = "8 hex digits, random, or none (default: random towards the server, none towards the client).")
        String mask;

        @Option(names = "--len-encoding", paramLabel = "minimal|16|64", defaultValue = "minimal",
                completionCandidates = Candidates.LengthEncodings.class,
                description = "How the length is written: the shortest form, or 16 or 64 bits whatever it is.")
        String lengthEncoding;

        @Option(names = "--len", paramLabel = "N", description = "Write this length into the header, whatever the payload.")
        Long declaredLength;

        @Parameters(arity = "0..*", paramLabel = "PAYLOAD", description = "The payload (as text, or with --hex, --binary, --file).")
        List<String> words = List.of();

        Raw(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            byte[] bytes = payload.bytes(words);
            int op;
            try {
                op = Opcode.parse(opcode);
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
            if (rsv < 0 || rsv > 7) throw new CommandException("--rsv " + rsv + " is outside 0-7");
            Direction dir = to(target);
            Integer key = switch (mask == null ? (dir == Direction.C2S ? "random" : "none") : mask) {
                case "none" -> null;
                case "random" -> new java.security.SecureRandom().nextInt();
                default -> {
                    if (!mask.matches("[0-9a-fA-F]{8}")) throw new CommandException("--mask " + mask + ": 8 hex digits, random or none");
                    yield (int) Long.parseLong(mask, 16);
                }
            };
            long length = declaredLength != null ? declaredLength : bytes.length;
            LengthEncoding encoding = switch (lengthEncoding) {
                case "minimal" -> LengthEncoding.minimalFor(length);
                case "16" -> LengthEncoding.BITS_16;
                case "64" -> LengthEncoding.BITS_64;
                default -> throw new CommandException("--len-encoding " + lengthEncoding + ": minimal, 16 or 64");
            };
            byte[] frame;
            try {
                frame = FrameEncoder.frame(!isNotFinal, rsv, op, key, bytes, encoding, length);
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
            String warning = ctx.injector().raw(dir, frame);
            if (warning != null) say("note: " + warning);
            return 0;
        }
    }

    @Command(description = "List the open sessions: number, client, URL, state, frames and bytes each way, age; "
            + "* marks the one commands act on.")
    static final class Sessions extends ContextCommand {
        Sessions(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            var out = out();
            Integer current = ctx.current();
            if (ctx.sessions.size() == 0) out.println("no open sessions");
            for (Session s : ctx.sessions.all()) {
                out.println((Objects.equals(current, s.id()) ? "* " : "  ") + describe(s, ctx.tap));
            }
            out.flush();
            return 0;
        }

        /** {@code #1  127.0.0.1:50123 → ws://…/chat  open  c2s 3 frames 120 B  s2c 4 frames 200 B  12 s}. */
        static String describe(Session s, Tap tap) {
            var c2s = s.traffic(Direction.C2S);
            var s2c = s.traffic(Direction.S2C);
            long age = java.time.Duration.between(s.opened().time(), java.time.Instant.now()).toSeconds();
            return String.format("#%d  %s → %s  %s  c2s %s %d B  s2c %s %d B  %d s", s.id(), s.opened().client(),
                    tap.shown(s.opened().url()), s.state(), frames(c2s.frames()), c2s.bytes(), frames(s2c.frames()), s2c.bytes(), age);
        }

        private static String frames(long n) {
            return n + (n == 1 ? " frame" : " frames");
        }
    }

    @Command(description = "Act on session N from now on (sessions lists them; * marks the one in use); "
            + "use alone goes back to the newest open session.")
    static final class Use extends ContextCommand {
        @Parameters(arity = "0..1", paramLabel = "N", description = "A session number.")
        Integer id;

        Use(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.use(id);
            return 0;
        }
    }

    @Command(description = "Do nothing for MS milliseconds.")
    static final class Sleep implements Callable<Integer> {
        @Parameters(paramLabel = "MS", description = "Milliseconds.")
        long millis;

        @Override
        public Integer call() throws InterruptedException {
            Thread.sleep(millis);
            return 0;
        }
    }

    /**
     * {@code wait session|frame ...}: stop the script until it happens (an error when it does not);
     * {@code expect ...}: the same, but one that does not happen is a failed expectation, and the
     * script goes on.
     */
    @Command(description = "Wait for a session or a frame: wait session | wait frame [EXPR] [--dir c2s|s2c] [--opcode NAME] [--grep REGEX].")
    static final class Wait extends ContextCommand {
        private final boolean isExpectation;

        @Parameters(index = "0", paramLabel = "session|frame|held", completionCandidates = Candidates.WaitTargets.class, description = "What to wait for.")
        String what;

        @Mixin
        FilterOptions shorthands;

        @Option(names = "--timeout", paramLabel = "S", defaultValue = "10", description = "Seconds (default: ${DEFAULT-VALUE}).")
        double timeoutSeconds;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "EXPR",
                description = "A filter expression the frame or message must match (help filter).")
        List<String> expression = List.of();

        Wait(ShellContext ctx, boolean isExpectation) {
            super(ctx);
            this.isExpectation = isExpectation;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (!(timeoutSeconds > 0)) throw new CommandException("--timeout " + timeoutSeconds + ": give more than 0 seconds");
            long timeout = (long) (timeoutSeconds * 1000);
            FrameWatch.Seen seen;
            String described;
            switch (what) {
                case "session" -> {
                    if (!expression.isEmpty() || shorthands.isGiven()) {
                        throw new CommandException("wait session takes no filter: it waits for any session to open");
                    }
                    seen = ctx.sessions.size() > 0 ? new FrameWatch.Seen(null, null)
                            : ctx.watch.await(new Terms.KindTerm(Terms.Kind.OPEN), timeout);
                    described = "a session";
                }
                case "frame" -> {
                    Expr frames = new Expr.Any(List.of(new Terms.KindTerm(Terms.Kind.FRAME), new Terms.KindTerm(Terms.Kind.MSG)));
                    EventFilter wanted = shorthands.compile(expression, List.of());
                    Expr test = wanted.expr() == null ? frames : new Expr.All(List.of(frames, wanted.expr()));
                    seen = ctx.watch.await(test, timeout);
                    described = "a frame" + (wanted.expr() == null ? "" : " matching " + wanted.describe());
                }
                case "held" -> {
                    if (!expression.isEmpty() || shorthands.isGiven()) {
                        throw new CommandException("wait held takes no filter: intercept EXPR says what is held");
                    }
                    dev.wstap.intercept.Intercept intercept = InterceptCommands.intercept(ctx);
                    dev.wstap.intercept.HeldMessages.Held h = intercept.held().awaitNext(timeout);
                    if (h != null) {
                        say(InterceptCommands.describe(h, ctx));
                        return 0;
                    }
                    seen = null;
                    described = "a held message" + (intercept.settings().isOn() ? "" : " (intercept is off)");
                }
                default -> throw new CommandException("wait for what? say session, frame or held, not '" + what + "'");
            }
            if (seen != null) return 0;
            String failure = (isExpectation ? "expected " : "waited for ") + described + ", but none came within "
                    + timeoutSeconds + " s";
            if (!isExpectation) throw new CommandException(failure);
            ctx.failedExpectations++;
            throw new ExpectationFailed(failure);
        }
    }

    @Command(description = "Change how payloads are shown: auto, text, json, hex, headers (frame headers only) "
            + "or messages (whole messages only). Without a mode, says which is in use.")
    static final class View extends ContextCommand {
        @Parameters(arity = "0..1", paramLabel = "MODE", completionCandidates = Candidates.ViewModes.class, description = "${COMPLETION-CANDIDATES}")
        String mode;

        View(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ConsoleView view = ctx.console().view();
            if (mode != null) {
                ViewMode chosen = java.util.Arrays.stream(ViewMode.values()).filter(m -> m.label().equals(mode)).findFirst()
                        .orElseThrow(() -> new CommandException("view " + mode + ": say one of " + new Candidates.ViewModes()));
                view.setMode(chosen);
            }
            say("view: " + view.mode().label());
            return 0;
        }
    }

    @Command(description = "Show only some of the traffic: filter EXPR (the language is below), or the shorthands "
            + "--session N, --dir c2s|s2c, --opcode NAME, --grep REGEX, joined with and; filter --clear shows everything again, "
            + "filter alone says what is shown. Traffic and log are never filtered.")
    static final class Filter extends ContextCommand {
        @Option(names = "--session", paramLabel = "N", split = ",", description = "Only these sessions (sess:N).")
        List<Integer> sessions = List.of();

        @Mixin
        FilterOptions shorthands;

        @Option(names = "--clear", description = "Show everything again.")
        boolean isClear;

        @Parameters(arity = "0..*", paramLabel = "EXPR", description = "A filter expression: dir:s2c op:text body~/error/i ...")
        List<String> expression = List.of();

        Filter(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ConsoleSink console = ctx.console();
            boolean isChange = !sessions.isEmpty() || shorthands.isGiven() || !expression.isEmpty();
            if (isClear && isChange) throw new CommandException("filter --clear takes nothing else");
            if (isClear) {
                console.setFilter(EventFilter.ALL);
            } else if (isChange) {
                EventFilter chosen = shorthands.compile(expression, sessions);
                console.setFilter(chosen.knowing(ctx.sessions.all().stream().map(Session::opened).toList()));
            }
            List<Integer> gone = sessions.stream().filter(n -> ctx.sessions.get(n) == null).toList();
            say("showing: " + console.filter().describe()
                    + (gone.isEmpty() ? "" : " (no session " + gone.stream().map(n -> "#" + n).collect(java.util.stream.Collectors.joining(", "))
                    + " is open now)"));
            return 0;
        }
    }

    @Command(description = "Say how a filter expression is read, term by term, without changing what is shown: explain EXPR.")
    static final class Explain extends ContextCommand {
        @Parameters(arity = "1..*", paramLabel = "EXPR", description = "A filter expression.")
        List<String> expression = List.of();

        Explain(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            for (String line : dev.wstap.filter.Explain.lines(FilterOptions.expression(expression))) say(line);
            return 0;
        }
    }

    /** {@code pause} and {@code resume}: hold the display, never the traffic. */
    @Command(description = "Hold (pause) or release (resume) the display; traffic and log go on. What is held past "
            + "the console's queue is counted and reported as skipped.")
    static final class Pause extends ContextCommand {
        private final boolean isPause;

        Pause(ShellContext ctx, boolean isPause) {
            super(ctx);
            this.isPause = isPause;
        }

        @Override
        public Integer call() {
            ConsoleSink console = ctx.console();
            if (isPause) {
                boolean wasPaused = console.isPaused();
                console.pause();
                say(wasPaused ? "the display is paused already (resume to see the traffic)" : "display paused (traffic goes on; resume to see it)");
            } else {
                boolean wasPaused = console.isPaused();
                console.resume();
                say(wasPaused ? "display resumed" : "the display was not paused");
            }
            return 0;
        }
    }

    @Command(description = "Totals since the start: sessions, and frames, messages, bytes, injected and flagged frames each way.")
    static final class Stats extends ContextCommand {
        Stats(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            var out = out();
            TrafficTotals.Snapshot t = ctx.totals.snapshot();
            out.printf("up %d s  sessions: %d open, %d in all%n", t.uptime().toSeconds(), ctx.sessions.size(), t.opened());
            out.printf("       %10s %10s %14s %10s %10s%n", "frames", "messages", "bytes", "injected", "flagged");
            for (Direction d : Direction.values()) {
                TrafficTotals.Counts c = t.counts(d);
                out.printf("  %s  %10d %10d %14d %10d %10d%n", d.label(), c.frames(), c.messages(), c.bytes(), c.injected(), c.flagged());
            }
            if (ctx.console != null) {
                long skipped = ctx.console.skippedFrames();
                out.printf("display: %s, view %s, showing %s; %d frame%s skipped%n", ctx.console.isPaused() ? "paused" : "live",
                        ctx.console.view().mode().label(), ctx.console.filter().describe(), skipped, skipped == 1 ? "" : "s");
            }
            out.flush();
            return 0;
        }
    }

    @Command(description = "Leave: close every session (1001 both ways), flush the log and stop.")
    static final class Quit extends ContextCommand {
        Quit(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.quit.countDown();
            return 0;
        }
    }

    /** An expectation that did not hold: reported, and the script goes on. */
    static final class ExpectationFailed extends RuntimeException {
        ExpectationFailed(String message) {
            super(message);
        }
    }
}
