package dev.wstap.rules;

import dev.wstap.filter.Expr;
import dev.wstap.intercept.PayloadEdit;
import dev.wstap.proxy.Arrival;
import dev.wstap.proxy.FrameHandler;
import dev.wstap.proxy.Injector;
import dev.wstap.proxy.OutFrame;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionSetup;
import dev.wstap.proxy.Verdict;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Match-and-replace and fault injection (docs/rules.md): the rules of a file, or added in the
 * shell, applied to every session's frames and messages in file order. Each rule's {@code when}
 * is a filter expression; a match is a hit unless {@code after}, {@code count} or
 * {@code probability} say otherwise ({@code --seed} makes the chances repeat). The hits of one
 * frame or message combine: every rule's replace and delay, and the first rule's shape action
 * (drop, duplicate, ...). Hits are marked {@code [rule "slow server": delay 200 ms]} and logged.
 * The file is read again when it changes; a bad edit keeps the rules that were in force.
 * Thread safe: the pumps consult it while the shell or the file watcher change it.
 */
public final class Rules implements SessionSetup {
    /** A rule in force, with its counts. */
    public static final class Active {
        private final Rule rule;
        private final int index;
        private final Set<Direction> directions;
        private final Random random;
        private final AtomicLong matches = new AtomicLong();
        private final AtomicLong hits = new AtomicLong();

        Active(Rule rule, int index, long seed) {
            this.rule = rule;
            this.index = index;
            this.directions = Expr.directions(rule.expr());
            this.random = new Random(seed * 31 + index);
        }

        public Rule rule() {
            return rule;
        }

        public String label() {
            return rule.label(index);
        }

        public long matches() {
            return matches.get();
        }

        public long hits() {
            return hits.get();
        }

        /** A match: whether it is a hit, after {@code after}, within {@code count}, by {@code probability}. */
        boolean hit() {
            long n = matches.incrementAndGet();
            if (n <= rule.after()) return false;
            synchronized (random) {
                if (rule.probability() < 1 && random.nextDouble() >= rule.probability()) return false;
            }
            if (rule.count() > 0) {
                long h;
                do {
                    h = hits.get();
                    if (h >= rule.count()) return false;
                } while (!hits.compareAndSet(h, h + 1));
                return true;
            }
            hits.incrementAndGet();
            return true;
        }
    }

    private final long seed;
    private final Consumer<String> say;
    private volatile List<Active> active = List.of();
    private volatile boolean isOn = true;
    private volatile Path file;
    private FileTime fileTime;
    private long fileSize = -1;
    private Thread watcher;

    /** {@code seed}: for the rules' chances; {@code say}: where reloads and their errors are reported, one line each. */
    public Rules(long seed, Consumer<String> say) {
        this.seed = seed;
        this.say = say;
    }

    /** Reads {@code path} and applies its rules from now on; watches it for changes. */
    public synchronized void load(Path path) throws RuleFileException {
        List<Rule> rules = read(path);
        file = path;
        replace(rules);
        remember(path);
        if (watcher == null) watcher = Thread.ofPlatform().daemon().name("wstap-rules-watcher").start(this::watch);
    }

    /** Reads the file again; on a mistake the rules in force stay. */
    public synchronized List<Active> reload() throws RuleFileException {
        if (file == null) throw new RuleFileException("rules", "no rule file was given (proxy --rules FILE)");
        List<Rule> rules = read(file);
        remember(file);
        replace(rules);
        return active;
    }

    private static List<Rule> read(Path path) throws RuleFileException {
        String text;
        try {
            text = Files.readString(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RuleFileException(path.toString(), "no such file");
        } catch (IOException e) {
            throw new RuleFileException(path.toString(), "cannot be read (" + e.getMessage() + ")");
        }
        return RuleParser.parse(path.toString(), text);
    }

    private void remember(Path path) {
        try {
            fileTime = Files.getLastModifiedTime(path);
            fileSize = Files.size(path);
        } catch (IOException e) {
            fileTime = null;
        }
    }

    /** Polls the file: an editor's save (even a rename over it) is seen within a quarter of a second. */
    private void watch() {
        while (true) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                Path f = file;
                if (f == null) continue;
                try {
                    FileTime t = Files.getLastModifiedTime(f);
                    long size = Files.size(f);
                    if (t.equals(fileTime) && size == fileSize) continue;
                    fileTime = t;
                    fileSize = size;
                } catch (IOException e) {
                    continue; // in the middle of a save, or gone: the rules in force stay
                }
                try {
                    List<Rule> rules = read(f);
                    long fromShell = active.stream().filter(a -> a.rule.line() == 0).count();
                    replace(rules);
                    say.accept("rules: read " + f + " again: " + rules.size() + " rule" + (rules.size() == 1 ? "" : "s")
                            + (fromShell == 0 ? "" : "; the " + fromShell + " added in the shell are gone"));
                } catch (RuleFileException e) {
                    say.accept("rules: " + e.getMessage() + "; " + inForce(active.size()));
                }
            }
        }
    }

    private void replace(List<Rule> rules) {
        List<Active> next = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) next.add(new Active(rules.get(i), i + 1, seed));
        active = List.copyOf(next);
    }

    /** Adds a rule at the end (the shell's {@code rule add}). */
    public synchronized void add(Rule rule) {
        List<Rule> rules = new ArrayList<>(active.stream().map(Active::rule).toList());
        rules.add(rule);
        List<Active> next = new ArrayList<>(active);
        next.add(new Active(rule, rules.size(), seed));
        active = List.copyOf(next);
    }

    /** Removes rule {@code index} (1-based); the rest keep their counts. */
    public synchronized Rule remove(int index) {
        List<Active> now = active;
        if (index < 1 || index > now.size()) {
            throw new IllegalArgumentException("there is no rule " + index + (now.isEmpty() ? " (no rules)" : " (rules 1-" + now.size() + ")"));
        }
        List<Active> next = new ArrayList<>(now);
        Active gone = next.remove(index - 1);
        active = List.copyOf(next);
        return gone.rule();
    }

    public List<Active> active() {
        return active;
    }

    /** {@code the 2 rules in force stay}, {@code the one rule in force stays}, {@code no rules are in force}. */
    public static String inForce(int n) {
        return n == 0 ? "no rules are in force" : n == 1 ? "the one rule in force stays" : "the " + n + " rules in force stay";
    }

    /** The seed of the rules' chances: {@code --seed} repeats a run. */
    public long seed() {
        return seed;
    }

    public boolean isOn() {
        return isOn;
    }

    public void on(boolean isWanted) {
        isOn = isWanted;
    }

    public Path file() {
        return file;
    }

    @Override
    public void setUp(Session session) {
        for (Direction dir : Direction.values()) session.handlers(dir).add(new Handler(session, dir));
    }

    /** A rule that hit a frame or message. */
    private record Hit(Active active, Arrival arrival) {}

    /** One session's decision point in one direction. */
    private final class Handler implements FrameHandler {
        private final Session session;
        private final Direction dir;
        /** throttle: when this direction's next byte may leave, in System.nanoTime(). */
        private long nextFreeNanos;

        Handler(Session session, Direction dir) {
            this.session = session;
            this.dir = dir;
        }

        @Override
        public boolean isIdle(Direction d) {
            if (!isOn) return true;
            for (Active a : active) {
                if (a.directions.contains(d)) return false;
            }
            return true;
        }

        @Override
        public Need need(Direction d, FrameHeader h) {
            if (isIdle(d)) return Need.NOTHING;
            return Opcode.isMessage(h.opcode()) || h.opcode() == Opcode.CONTINUATION ? Need.MESSAGE : Need.FRAME;
        }

        @Override
        public Verdict decide(Direction d, Arrival arrival) {
            if (!isOn) return Verdict.PASS;
            List<String> marks = new ArrayList<>(2);
            List<Hit> hits = new ArrayList<>(2);
            List<PayloadEdit> edits = new ArrayList<>();
            Duration delay = Duration.ZERO;
            Action.Shape shape = null;
            for (Active a : active) {
                if (!a.directions.contains(d) || !arrival.matches(a.rule.expr(), session.id(), d, session.opened())) continue;
                if (!a.hit()) continue;
                // The first rule's deciding action wins; replace and delay apply to a message sent whole, as it is or edited.
                for (Action action : a.rule.actions()) {
                    if (action instanceof Action.Shape s && shape == null && applies(s, arrival)) shape = s;
                }
                hits.add(new Hit(a, arrival));
            }
            if (hits.isEmpty()) return Verdict.PASS;
            boolean isDelayable = shape == null || shape instanceof Action.Fragment || shape instanceof Action.SetHeader
                    || shape instanceof Action.Corrupt;
            for (Hit hit : hits) {
                List<String> done = new ArrayList<>();
                for (Action action : hit.active().rule.actions()) {
                    switch (action) {
                        case Action.Replace r -> {
                            if (arrival.message() != null && shape == null) {
                                edits.addAll(r.edits());
                                done.add(r.describe());
                            }
                        }
                        case Action.Delay dl -> {
                            if (!isDelayable) continue;
                            Duration pick = pick(hit.active(), dl);
                            delay = delay.plus(pick);
                            done.add(dl.min().equals(dl.max()) ? dl.describe() : "delay " + pick.toMillis() + " ms");
                        }
                        case Action.Throttle t -> {
                            if (!isDelayable) continue;
                            long wait = throttle(t.bytesPerSecond(), arrival.wireBytes());
                            delay = delay.plusNanos(wait);
                            done.add(t.describe() + (wait > 0 ? " (" + wait / 1_000_000 + " ms)" : ""));
                        }
                        case Action.Shape s -> {
                            if (s == shape) done.add(s.describe());
                        }
                    }
                }
                if (!done.isEmpty()) marks.add("rule " + hit.active().label() + ": " + String.join(", ", done));
            }
            if (marks.isEmpty()) return Verdict.PASS;
            String note = String.join("; ", marks);
            return verdict(arrival, shape, edits, delay, note);
        }

        private Duration pick(Active a, Action.Delay dl) {
            if (dl.min().equals(dl.max())) return dl.min();
            long span = dl.max().toNanos() - dl.min().toNanos();
            synchronized (a.random) {
                return dl.min().plusNanos((long) (a.random.nextDouble() * span));
            }
        }

        /** How long this many bytes wait so that the direction keeps to the rate. */
        private synchronized long throttle(long bytesPerSecond, long bytes) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            return start - now;
        }

        private Verdict verdict(Arrival arrival, Action.Shape shape, List<PayloadEdit> edits, Duration delay, String note) {
            boolean isToServer = dir == Direction.C2S;
            if (shape == null) {
                byte[] payload = arrival.payload();
                if (!edits.isEmpty() && arrival.message() != null && payload != null) {
                    try {
                        byte[] edited = PayloadEdit.applyAll(edits, payload, arrival.opcode() == Opcode.TEXT);
                        if (!Arrays.equals(edited, payload)) return new Verdict.Edit(edited, delay, note);
                    } catch (IllegalArgumentException e) {
                        // A pattern that matches nothing, a payload that is not JSON: nothing to replace.
                    }
                }
                // A replace that changed nothing, and no delay: the message goes as it is, unmarked.
                return delay.isZero() ? Verdict.PASS : new Verdict.Delay(delay, note);
            }
            return switch (shape) {
                case Action.Drop x -> new Verdict.Drop(note);
                case Action.Duplicate x -> new Verdict.Duplicate(x.copies(), note);
                case Action.Reorder x -> new Verdict.Reorder(note);
                case Action.Stall x -> new Verdict.Stall(note);
                case Action.Fragment x -> new Verdict.Replace(Reshaping.fragment(arrival, isToServer, x.parts(), x.isPingBetween(), note), delay, note);
                case Action.SetHeader x -> new Verdict.Replace(Reshaping.set(arrival, isToServer, x.opcode(), x.rsv(), x.fin(), note), delay, note);
                case Action.Corrupt x -> new Verdict.Replace(Reshaping.corrupt(arrival, isToServer, x.how(), note), delay, note);
                case Action.AnswerPing x -> {
                    byte[] payload = arrival.frames().get(0).payload();
                    // The pong goes back to the ping's sender; a thread of its own, so this pump never waits for the other writer.
                    Thread.ofVirtual().name("wstap-" + session.id() + "-answer-ping").start(() -> {
                        try {
                            new Injector(session).control(dir.reverse(), Opcode.PONG, payload);
                        } catch (IOException | RuntimeException e) {
                            // That side is gone: the session's end says so.
                        }
                    });
                    yield new Verdict.Drop(note + " (wstap answered it)");
                }
                case Action.Close x -> {
                    Thread.ofVirtual().name("wstap-" + session.id() + "-rule-close").start(() -> close(x));
                    yield new Verdict.Drop(note);
                }
                case Action.Reset x -> {
                    session.reset(note);
                    yield new Verdict.Drop(note);
                }
            };
        }

        private void close(Action.Close x) {
            Injector injector = new Injector(session);
            try {
                switch (x.to()) {
                    case BOTH -> injector.closeBothWays(x.code(), x.reason(), Injector.MESSAGE_WAIT);
                    case CLIENT -> injector.close(Direction.S2C, x.code(), x.reason());
                    case SERVER -> injector.close(Direction.C2S, x.code(), x.reason());
                }
            } catch (IOException | RuntimeException e) {
                // That side is gone: the session's end says so.
            }
        }
    }

    /** Whether a shape action can act on what arrived: answer_ping on pings only, the reshaping ones on data. */
    private static boolean applies(Action.Shape s, Arrival arrival) {
        return switch (s) {
            case Action.AnswerPing x -> arrival.opcode() == Opcode.PING;
            case Action.Fragment x -> arrival.message() != null;
            case Action.Corrupt x when x.how() == Action.Corruption.INVALID_UTF8 -> arrival.message() != null && arrival.opcode() == Opcode.TEXT;
            case Action.Reorder x -> arrival.message() != null;
            default -> true;
        };
    }
}
