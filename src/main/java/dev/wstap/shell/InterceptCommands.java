package dev.wstap.shell;

import dev.wstap.filter.Expr;
import dev.wstap.intercept.EditorDocument;
import dev.wstap.intercept.HeldMessages;
import dev.wstap.intercept.Intercept;
import dev.wstap.intercept.PayloadEdit;
import dev.wstap.proxy.Arrival;
import dev.wstap.proxy.HeldFrames;
import dev.wstap.render.PayloadLine;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The shell's commands for held messages: {@code intercept}, {@code held}, {@code forward}, {@code drop}, {@code edit}. */
final class InterceptCommands {
    private InterceptCommands() {}

    /** How wide a held message's preview is in {@code held}. */
    private static final int PREVIEW_CHARS = 60;

    static Intercept intercept(ShellContext ctx) {
        if (ctx.intercept == null) throw new CommandException("intercepting is not available here");
        return ctx.intercept;
    }

    /** {@code #3  session 1  c2s  4.2 s  text 42 B  {"type":"secret"}}. */
    static String describe(HeldMessages.Held h, ShellContext ctx) {
        HeldFrames f = h.frames();
        Arrival a = f.arrival();
        byte[] payload = a.payload();
        double age = Duration.between(f.heldAt(), Instant.now()).toMillis() / 1000.0;
        String size = payload == null ? a.wireBytes() + " B on the wire" : payload.length + " B";
        String preview = payload == null ? "(compressed; did not inflate whole)"
                : ctx.tap.shown(PayloadLine.of(a.opcode(), payload, PREVIEW_CHARS));
        return String.format(Locale.ROOT, "#%d  session %d  %s  %.1f s  %s %s%s  %s", h.id(), f.session().id(), f.dir().label(), age,
                Opcode.name(a.opcode()), size, a.frames().size() > 1 ? " in " + a.frames().size() + " frames" : "", preview);
    }

    @Command(name = "intercept", description = {"Hold the data messages that match a filter expression (help filter), each "
            + "in its own direction, until forward, edit or drop decides; pings and pongs keep flowing. intercept alone says what "
            + "is held; intercept --off holds nothing more (what is held stays held)."})
    static final class InterceptCommand extends ShellCommands.ContextCommand {
        @Option(names = "--off", description = "Hold nothing more; what is held stays held until forward or drop.")
        boolean isOff;

        @Mixin
        HoldOptions hold;

        @Parameters(arity = "0..*", paramLabel = "EXPR", description = "What to hold, e.g. dir:c2s body~/secret/.")
        List<String> expression = List.of();

        InterceptCommand(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Intercept intercept = intercept(ctx);
            Intercept.Settings before = intercept.settings();
            if (isOff) {
                if (!expression.isEmpty()) throw new CommandException("intercept --off takes no expression");
                try {
                    intercept.set(hold.settings(null, before));
                } catch (IllegalArgumentException e) {
                    throw new CommandException(e.getMessage());
                }
                int held = intercept.held().all().size();
                say("intercept off" + (held == 0 ? "" : "; " + held + " still held (forward --all or drop --all)"));
                return 0;
            }
            if (expression.isEmpty() && !hold.isGiven()) {
                say(intercept.describe());
                return 0;
            }
            Expr expr = expression.isEmpty() ? before.expr() : FilterOptions.expression(expression);
            try {
                intercept.set(hold.settings(expr, before));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
            say(intercept.describe());
            return 0;
        }
    }

    @Command(name = "held", description = "List held messages: number, session, direction, age, size and a preview.")
    static final class Held extends ShellCommands.ContextCommand {
        Held(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Intercept intercept = intercept(ctx);
            List<HeldMessages.Held> all = intercept.held().all();
            if (all.isEmpty()) {
                say("nothing is held; " + intercept.describe());
                return 0;
            }
            for (HeldMessages.Held h : all) out().println(describe(h, ctx));
            out().flush();
            return 0;
        }
    }

    /** A held message's number as shown ({@code #3}) or bare ({@code 3}). */
    static final class HeldId implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String digits = value.startsWith("#") ? value.substring(1) : value;
            if (!digits.matches("\\d{1,9}")) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a held message's number (say 3 or #3; see: held)");
            }
            return Integer.parseInt(digits);
        }
    }

    /** {@code ID... | --all}. */
    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "ID", converter = HeldId.class, description = "Held message numbers, 3 or #3 (see: held).")
        List<Integer> ids = List.of();

        @Option(names = "--all", required = true, description = "Every held message, oldest first.")
        boolean isAll;
    }

    /** The held messages a command names, oldest first; an unknown one is an error before anything is done. */
    static List<HeldMessages.Held> chosen(ShellContext ctx, Which which) {
        Intercept intercept = intercept(ctx);
        if (which == null) throw new CommandException("which held message? give its number (see: held) or --all");
        if (which.isAll) return intercept.held().all();
        List<HeldMessages.Held> out = new ArrayList<>();
        for (int id : which.ids) {
            try {
                out.add(intercept.held().get(id));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
        }
        return out;
    }

    /** {@code forward} and {@code drop}: the two decisions that need nothing but the held messages' numbers. */
    @Command(description = "Forward or drop held messages.")
    static final class Decide extends ShellCommands.ContextCommand {
        private final boolean isForward;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        Decide(ShellContext ctx, boolean isForward) {
            super(ctx);
            this.isForward = isForward;
        }

        @Override
        public Integer call() throws IOException {
            List<HeldMessages.Held> all = chosen(ctx, which);
            if (all.isEmpty()) {
                say("nothing is held");
                return 0;
            }
            List<String> done = new ArrayList<>();
            for (HeldMessages.Held h : all) {
                if (isForward ? h.frames().release() : h.frames().drop(h.label())) done.add(h.label());
            }
            String verb = isForward ? "forwarded" : "dropped";
            say(done.isEmpty() ? "nothing was " + verb + ": it was no longer held" : verb + " " + String.join(" ", done));
            return 0;
        }
    }

    @Command(name = "edit", description = {"Change a held message and send it. Without options, opens $VISUAL or $EDITOR on "
            + "its payload (text as text, JSON pretty-printed, binary as a hex dump): saving sends the edit, saving it "
            + "unchanged sends the original bytes, emptying the file asks whether to drop it.",
            "With options (for scripts): --text or --hex give the whole payload; --json-set and --replace change it "
                    + "(repeatable, applied in that order). The edit is re-framed (a fresh mask towards the server, the "
                    + "original fragmentation where it fits) and, on a compressed session, compressed by wstap."})
    static final class Edit extends ShellCommands.ContextCommand {
        @Parameters(index = "0", paramLabel = "ID", converter = HeldId.class, description = "The held message's number, 3 or #3 (see: held).")
        int id;

        @Option(names = "--text", paramLabel = "STR", description = "The new payload, as UTF-8 text.")
        String text;

        @Option(names = "--hex", paramLabel = "HEX", description = "The new payload, as hex bytes (48 65 6c 6c 6f).")
        String hex;

        @Option(names = "--json-set", paramLabel = "/POINTER=VALUE",
                description = "Set the JSON value at a JSON Pointer; VALUE is JSON, or else a string (/channel=test).")
        List<String> jsonSets = List.of();

        @Option(names = "--replace", paramLabel = "/REGEX/REPLACEMENT/",
                description = "Replace every match of a regular expression (Java syntax, $1 for groups; a trailing i ignores case).")
        List<String> replacements = List.of();

        Edit(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            HeldMessages.Held h = chosen(ctx, single(id)).get(0);
            HeldFrames frames = h.frames();
            if (!frames.isEditable()) {
                throw new CommandException(h.label() + " is a " + Opcode.name(frames.arrival().opcode())
                        + " frame, not a data message: forward or drop it");
            }
            byte[] payload = frames.arrival().payload();
            if (payload == null) {
                throw new CommandException(h.label() + " is compressed and did not inflate whole, so it cannot be edited: forward or drop it");
            }
            boolean isText = frames.arrival().opcode() == Opcode.TEXT;
            List<PayloadEdit> edits = edits();
            if (!edits.isEmpty()) {
                byte[] edited;
                try {
                    edited = PayloadEdit.applyAll(edits, payload, isText);
                } catch (IllegalArgumentException e) {
                    throw new CommandException(e.getMessage() + "; " + h.label() + " stays held");
                }
                String how = String.join(" ", edits.stream().map(PayloadEdit::describe).toList());
                send(h, edited, how);
                return 0;
            }
            editInEditor(h, payload);
            return 0;
        }

        private List<PayloadEdit> edits() {
            if (text != null && hex != null) throw new CommandException("--text and --hex both give the whole payload: say one");
            List<PayloadEdit> edits = new ArrayList<>();
            try {
                if (text != null) edits.add(new PayloadEdit.SetText(text));
                if (hex != null) edits.add(PayloadEdit.hex(hex));
                for (String s : jsonSets) edits.add(PayloadEdit.jsonSet(s));
                for (String s : replacements) edits.add(PayloadEdit.replace(s));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
            return edits;
        }

        private void send(HeldMessages.Held h, byte[] payload, String how) throws IOException {
            if (!h.frames().edit(payload, h.label() + " " + how)) {
                throw new CommandException(h.label() + " is no longer held; the edit was not sent");
            }
            say("edited " + h.label() + " (" + how + ", " + payload.length + " B) and sent it");
        }

        private void editInEditor(HeldMessages.Held h, byte[] payload) throws IOException, InterruptedException {
            EditorDocument doc = EditorDocument.of(h.frames().arrival().opcode(), payload);
            Path file = Files.createTempFile("wstap-held-" + h.id() + "-", doc.kind().suffix());
            try {
                Files.writeString(file, doc.content(), StandardCharsets.UTF_8);
                ctx.editing.edit(file);
                String saved = Files.readString(file, StandardCharsets.UTF_8);
                EditorDocument.Outcome outcome;
                try {
                    outcome = doc.read(saved);
                } catch (IllegalArgumentException e) {
                    throw new CommandException(e.getMessage() + "; " + h.label() + " stays held (edit it again)");
                }
                switch (outcome) {
                    case EditorDocument.Outcome.Unchanged u -> {
                        if (!h.frames().release()) throw new CommandException(h.label() + " is no longer held");
                        say("unchanged: forwarded " + h.label() + " as it arrived");
                    }
                    case EditorDocument.Outcome.Changed c -> send(h, c.payload(), "in the editor");
                    case EditorDocument.Outcome.Emptied e -> {
                        Boolean drop = ctx.editing.confirm("the file is empty: drop " + h.label() + "? [y/N] ");
                        if (drop == null) throw new CommandException("the file was emptied; " + h.label() + " stays held (drop "
                                + h.id() + " drops it)");
                        if (drop && h.frames().drop(h.label())) {
                            say("dropped " + h.label());
                        } else {
                            say(h.label() + " stays held");
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }

        private static Which single(int id) {
            Which w = new Which();
            w.ids = List.of(id);
            return w;
        }
    }
}
