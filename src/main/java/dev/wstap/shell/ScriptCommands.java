package dev.wstap.shell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.wstap.proxy.Injector;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands a script (and, later, the shell) runs; each one short, acting through the {@link ScriptContext}. */
final class ScriptCommands {
    private ScriptCommands() {}

    /** The command tree for one context. */
    static CommandLine commandLine(ScriptContext ctx) {
        CommandLine cl = new CommandLine(new Root());
        cl.addSubcommand("ping", new Control(ctx, Opcode.PING));
        cl.addSubcommand("pong", new Control(ctx, Opcode.PONG));
        cl.addSubcommand("send", new Send(ctx));
        cl.addSubcommand("frag", new Frag(ctx));
        cl.addSubcommand("close", new Close(ctx));
        cl.addSubcommand("raw", new Raw(ctx));
        cl.addSubcommand("use", new Use(ctx));
        cl.addSubcommand("sessions", new Sessions(ctx));
        cl.addSubcommand("sleep", new Sleep());
        cl.addSubcommand("wait", new Wait(ctx, false));
        cl.addSubcommand("expect", new Wait(ctx, true));
        return cl;
    }

    @Command(name = "", description = "Script commands.")
    static final class Root {}

    /** {@code --to server|client}: which peer an injected frame goes to. */
    static final class Target {
        @Option(names = "--to", paramLabel = "server|client", defaultValue = "server",
                description = "Where the frame goes (default: ${DEFAULT-VALUE}).")
        String to;

        Direction dir() {
            return switch (to) {
                case "server" -> Direction.C2S;
                case "client" -> Direction.S2C;
                default -> throw new ScriptException("--to " + to + ": say server or client");
            };
        }
    }

    @Command(description = "Send a ping or pong (payload at most 125 bytes).")
    static final class Control implements Callable<Integer> {
        private final ScriptContext ctx;
        private final int opcode;

        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(arity = "0..*", paramLabel = "PAYLOAD")
        List<String> words = List.of();

        Control(ScriptContext ctx, int opcode) {
            this.ctx = ctx;
            this.opcode = opcode;
        }

        @Override
        public Integer call() throws IOException {
            ctx.injector().control(target.dir(), opcode, String.join(" ", words).getBytes(StandardCharsets.UTF_8));
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

        int opcode() {
            return isBinary || isHex || file != null ? Opcode.BINARY : Opcode.TEXT;
        }

        byte[] bytes(List<String> words) {
            String text = String.join(" ", words);
            try {
                if (file != null) return Files.readAllBytes(file);
                if (isHex) return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
            } catch (IOException e) {
                throw new ScriptException("cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ScriptException("bad hex '" + text + "': " + e.getMessage());
            }
            if (isJson) checkJson(text);
            return text.getBytes(StandardCharsets.UTF_8);
        }

        private static void checkJson(String text) {
            try (JsonParser p = new JsonFactory().createParser(text)) {
                while (p.nextToken() != null) {
                    // Reading to the end is the check.
                }
            } catch (IOException e) {
                throw new ScriptException("--json: not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    @Command(description = "Send one message, after the message in flight that way has ended.")
    static final class Send implements Callable<Integer> {
        private final ScriptContext ctx;

        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @Parameters(arity = "0..*", paramLabel = "MESSAGE")
        List<String> words = List.of();

        Send(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            ctx.injector().message(target.dir(), payload.opcode(), payload.bytes(words));
            return 0;
        }
    }

    @Command(description = "Send one message split over several frames.")
    static final class Frag implements Callable<Integer> {
        private final ScriptContext ctx;

        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @ArgGroup(multiplicity = "1")
        Split split;

        static final class Split {
            @Option(names = "--parts", paramLabel = "N", description = "N frames of (nearly) equal size.")
            Integer parts;

            @Option(names = "--sizes", paramLabel = "N,N,...", split = ",", description = "Frames of these sizes in bytes.")
            List<Integer> sizes;
        }

        @Option(names = "--ping-between", description = "A ping between every two fragments.")
        boolean isPingBetween;

        @Option(names = "--delay", paramLabel = "MS", defaultValue = "0", description = "Milliseconds between frames.")
        long delayMillis;

        @Parameters(arity = "0..*", paramLabel = "MESSAGE")
        List<String> words = List.of();

        Frag(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            byte[] bytes = payload.bytes(words);
            List<Integer> sizes = split.sizes != null ? split.sizes : Injector.evenParts(bytes.length, split.parts);
            ctx.injector().fragments(target.dir(), payload.opcode(), bytes, sizes, isPingBetween, delayMillis);
            return 0;
        }
    }

    @Command(description = "Send a close frame: close [CODE [REASON]].")
    static final class Close implements Callable<Integer> {
        private final ScriptContext ctx;

        @CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", arity = "0..1", paramLabel = "CODE")
        Integer code;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "REASON")
        List<String> reason = List.of();

        Close(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            ctx.injector().close(target.dir(), code == null ? -1 : code, String.join(" ", reason));
            return 0;
        }
    }

    /**
     * {@code raw}: one frame exactly as described, however wrong, for testing how a peer copes. It
     * still goes between two frames (never inside one), but none of the other rules apply.
     */
    @Command(description = "Send one deliberately malformed (or any) frame: raw --opcode N [--no-fin] [--rsv N] "
            + "[--mask KEY|random|none] [--len-encoding minimal|16|64] [--len N] PAYLOAD.")
    static final class Raw implements Callable<Integer> {
        private final ScriptContext ctx;

        @CommandLine.Mixin
        Target target = new Target();

        @CommandLine.Mixin
        Payload payload = new Payload();

        @Option(names = "--opcode", paramLabel = "N", required = true, description = "0-15 or a name (text, ping, ...).")
        String opcode;

        @Option(names = "--no-fin", description = "Leave FIN unset.")
        boolean isNotFinal;

        @Option(names = "--rsv", paramLabel = "N", defaultValue = "0", description = "RSV bits 0-7, RSV1 = 4.")
        int rsv;

        @Option(names = "--mask", paramLabel = "KEY|random|none",
                description = "8 hex digits, random, or none (default: random towards the server, none towards the client).")
        String mask;

        @Option(names = "--len-encoding", paramLabel = "minimal|16|64", defaultValue = "minimal")
        String lengthEncoding;

        @Option(names = "--len", paramLabel = "N", description = "Write this length into the header, whatever the payload.")
        Long declaredLength;

        @Parameters(arity = "0..*", paramLabel = "PAYLOAD")
        List<String> words = List.of();

        Raw(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            byte[] bytes = payload.bytes(words);
            int op;
            try {
                op = Opcode.parse(opcode);
            } catch (IllegalArgumentException e) {
                throw new ScriptException(e.getMessage());
            }
            if (rsv < 0 || rsv > 7) throw new ScriptException("--rsv " + rsv + " is outside 0-7");
            Direction dir = target.dir();
            Integer key = switch (mask == null ? (dir == Direction.C2S ? "random" : "none") : mask) {
                case "none" -> null;
                case "random" -> new java.security.SecureRandom().nextInt();
                default -> {
                    if (!mask.matches("[0-9a-fA-F]{8}")) throw new ScriptException("--mask " + mask + ": 8 hex digits, random or none");
                    yield (int) Long.parseLong(mask, 16);
                }
            };
            long length = declaredLength != null ? declaredLength : bytes.length;
            LengthEncoding encoding = switch (lengthEncoding) {
                case "minimal" -> LengthEncoding.minimalFor(length);
                case "16" -> LengthEncoding.BITS_16;
                case "64" -> LengthEncoding.BITS_64;
                default -> throw new ScriptException("--len-encoding " + lengthEncoding + ": minimal, 16 or 64");
            };
            byte[] frame;
            try {
                frame = FrameEncoder.frame(!isNotFinal, rsv, op, key, bytes, encoding, length);
            } catch (IllegalArgumentException e) {
                throw new ScriptException(e.getMessage());
            }
            ctx.injector().raw(dir, frame);
            return 0;
        }
    }

    @Command(description = "List the open sessions: number, client, URL, frames and bytes each way, age.")
    static final class Sessions implements Callable<Integer> {
        private final ScriptContext ctx;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Sessions(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            if (ctx.server.sessions().size() == 0) out.println("no open sessions");
            for (var s : ctx.server.sessions().all()) {
                var c2s = s.traffic(Direction.C2S);
                var s2c = s.traffic(Direction.S2C);
                long age = java.time.Duration.between(s.opened().time(), java.time.Instant.now()).toSeconds();
                out.printf("#%d  %s → %s  c2s %d frames %d B  s2c %d frames %d B  %d s%n", s.id(), s.opened().client(),
                        s.opened().url(), c2s.frames(), c2s.bytes(), s2c.frames(), s2c.bytes(), age);
            }
            out.flush();
            return 0;
        }
    }

    @Command(description = "Act on session N from now on.")
    static final class Use implements Callable<Integer> {
        private final ScriptContext ctx;

        @Parameters(paramLabel = "N")
        int id;

        Use(ScriptContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.use(id);
            return 0;
        }
    }

    @Command(description = "Do nothing for MS milliseconds.")
    static final class Sleep implements Callable<Integer> {
        @Parameters(paramLabel = "MS")
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
    @Command(description = "Wait for a session or a frame: wait session | wait frame [--dir c2s|s2c] [--opcode NAME] [REGEX].")
    static final class Wait implements Callable<Integer> {
        private final ScriptContext ctx;
        private final boolean isExpectation;

        @Parameters(index = "0", paramLabel = "session|frame")
        String what;

        @Option(names = "--dir", paramLabel = "c2s|s2c")
        String dir;

        @Option(names = "--opcode", paramLabel = "NAME")
        String opcode;

        @Option(names = "--timeout", paramLabel = "S", defaultValue = "10", description = "Seconds (default: ${DEFAULT-VALUE}).")
        double timeoutSeconds;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "REGEX")
        List<String> regex = List.of();

        Wait(ScriptContext ctx, boolean isExpectation) {
            this.ctx = ctx;
            this.isExpectation = isExpectation;
        }

        @Override
        public Integer call() throws InterruptedException {
            long timeout = (long) (timeoutSeconds * 1000);
            FrameWatch.Seen seen;
            String described;
            switch (what) {
                case "session" -> {
                    seen = ctx.server.sessions().size() > 0 && regex.isEmpty() ? new FrameWatch.Seen(null, null, -1, null)
                            : ctx.watch.await(s -> s.event() instanceof dev.wstap.tap.Opened, timeout);
                    described = "a session";
                }
                case "frame" -> {
                    Pattern pattern;
                    try {
                        pattern = regex.isEmpty() ? null : Pattern.compile(String.join(" ", regex));
                    } catch (PatternSyntaxException e) {
                        throw new ScriptException("bad regex: " + e.getDescription());
                    }
                    Direction d = dir == null ? null : Direction.parse(dir);
                    Integer op = opcode == null ? null : Opcode.parse(opcode);
                    seen = ctx.watch.await(FrameWatch.frame(d, op, pattern), timeout);
                    described = "a frame" + (dir == null ? "" : " " + dir) + (opcode == null ? "" : " " + opcode)
                            + (pattern == null ? "" : " matching '" + pattern + "'");
                }
                default -> throw new ScriptException("wait for what? say session or frame, not '" + what + "'");
            }
            if (seen != null) return 0;
            String failure = (isExpectation ? "expected " : "waited for ") + described + ", but none came within "
                    + timeoutSeconds + " s";
            if (!isExpectation) throw new ScriptException(failure);
            ctx.failedExpectations++;
            throw new ExpectationFailed(failure);
        }
    }

    /** An expectation that did not hold: reported, and the script goes on. */
    static final class ExpectationFailed extends RuntimeException {
        ExpectationFailed(String message) {
            super(message);
        }
    }
}
