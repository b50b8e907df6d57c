package dev.wstap.cli;

import dev.wstap.filter.EventFilter;
import dev.wstap.filter.Expr;
import dev.wstap.filter.Shorthands;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.shell.Candidates;
import dev.wstap.tap.HarLog;
import dev.wstap.tap.Redaction;
import dev.wstap.tap.TapEvent;
import dev.wstap.view.ChosenSessions;
import dev.wstap.view.LogView;
import dev.wstap.view.SessionSummary;
import dev.wstap.wire.Direction;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "view", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Show a log written with --log as the console showed the live traffic, with the same views and filters.",
            "",
            "A line that is not a record (the last one of a log whose writer was killed, say) is reported and skipped."},
        footer = {
            "",
            "Examples:",
            "  wstap view traffic.jsonl",
            "  wstap view traffic.jsonl --filter 'dir:s2c op:text body~/token-[0-9]+/'",
            "  wstap view traffic.jsonl --filter 'json:/type==\"subscribe\" or op:ping'",
            "  wstap view traffic.jsonl --grep 'error|fail' --dir s2c",
            "  wstap view traffic.jsonl --session 3 --view hex --since 14:02",
            "  wstap view traffic.jsonl --violations-only",
            "  wstap view traffic.jsonl --stats",
            "  wstap view traffic.jsonl --to-har traffic.har",
            "  wstap view --follow traffic.jsonl",
            "  ssh box cat traffic.jsonl | wstap view -"})
final class ViewCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSONL logs, read in order; - reads stdin.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--view", paramLabel = "MODE", defaultValue = "auto",
            description = "How payloads are shown: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            converter = ViewModeConverter.class, completionCandidates = ViewModeConverter.Names.class)
    ViewMode view = ViewMode.AUTO;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set, or output is not a terminal).")
    boolean isNoColor;

    @Option(names = "--show-bytes", paramLabel = "BYTES", defaultValue = "1024",
            description = "Show at most this many bytes of each payload (default: ${DEFAULT-VALUE}).")
    int shownBytes;

    @Option(names = "--filter", paramLabel = "EXPR", converter = FilterConverter.class, completionCandidates = FilterConverter.Fields.class,
            description = "Only the records EXPR matches, in the filter language (man wstap-filter): "
                    + "'dir:s2c op:text body~/token-[0-9]+/'. The options below are shorthands joined to it with and.")
    Expr filterExpr;

    @Option(names = "--session", paramLabel = "N", split = ",", description = "Only these sessions (repeat or separate with commas).")
    List<Integer> sessions = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "c2s|s2c", completionCandidates = Candidates.Directions.class, description = "Only frames going this way.")
    String dir;

    @Option(names = "--opcode", paramLabel = "NAME", split = ",", completionCandidates = Candidates.OpcodeNames.class,
            description = "Only frames and messages with these opcodes: text, binary, cont, close, ping, pong or 0-15.")
    List<String> opcodes = new ArrayList<>();

    @Option(names = "--grep", paramLabel = "REGEX",
            description = "Only frames and messages whose text (reassembled and inflated, for messages) contains a match.")
    String grep;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only records from TIME on: 2026-11-24T14:02:00Z, 2026-11-24T14:02 or 14:02[:05] (local time).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only records up to TIME, as --since.")
    String until;

    @Option(names = "--violations-only", description = "Only frames and messages that broke a protocol rule (and wstap's own error answers).")
    boolean isViolationsOnly;

    @Option(names = {"-f", "--follow"},
            description = "Keep reading the (one) FILE as it grows, as tail -f does, waiting for it when it does not exist yet; Ctrl-C stops.")
    boolean isFollow;

    @Option(names = "--stats", description = "Print one summary row per session instead of the records.")
    boolean isStats;

    @Option(names = "--to-har", paramLabel = "FILE",
            description = "Write the sessions chosen to FILE (- for stdout) as HAR 1.2 with their messages, as browser dev tools "
                    + "export them.")
    Path har;

    @Mixin
    RedactOptions redact;

    @Override
    public Integer call() throws Exception {
        if (shownBytes < 0) throw new WstapException(ExitCodes.USAGE, "--show-bytes " + shownBytes + " is negative");
        if (isFollow && (files.size() != 1 || isStdin(files.get(0)))) {
            throw new WstapException(ExitCodes.USAGE, "--follow takes one FILE (stdin is read to its end anyway)");
        }
        if (isFollow && (isStats || har != null)) throw new WstapException(ExitCodes.USAGE, "--follow does not go with --stats or --to-har");
        if (isStats && har != null) throw new WstapException(ExitCodes.USAGE, "--stats and --to-har: give one of them");
        ZoneId zone = ZoneId.systemDefault();
        EventFilter filter = filter(zone);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        SessionSummary summary = new SessionSummary(zone);
        ConsoleView console = new ConsoleView(view, shownBytes, zone);
        boolean isColored = isColored();
        // --to-har - writes the HAR to stdout, as - reads a log from stdin.
        boolean isHarToStdout = har != null && har.toString().equals("-");
        HarLog harLog = har == null ? null
                : new HarLog(isHarToStdout ? new FileOutputStream(FileDescriptor.out) : LogOptions.open(har, "the HAR", false),
                        VersionProvider.version(), redact.isRedact);
        Consumer<TapEvent> printed = event -> {
            for (AttributedString line : console.render(event)) out.println(isColored ? line.toAnsi() : line.toString());
            if (isFollow) out.flush();
        };
        // The filter reads the records as logged; --redact masks what is shown of those it chose.
        // --stats and --to-har keep the open and close records of the sessions the filter chose.
        LogView logs;
        ChosenSessions chosen = null;
        if (harLog != null || isStats) {
            chosen = harLog != null ? new ChosenSessions(filter, ChosenSessions.Sink.of(redacted(harLog::accept), harLog::forget))
                    : new ChosenSessions(filter, ChosenSessions.Sink.of(redacted(summary::add), summary::forget));
            logs = new LogView(event -> true, chosen, System.err);
        } else {
            logs = new LogView(filter, redacted(printed), System.err);
        }
        try {
            if (isFollow) {
                Path file = files.get(0);
                if (Files.exists(file) && !Files.isRegularFile(file)) {
                    throw new WstapException(ExitCodes.FAILURE, "cannot follow " + file + ": it is not a file");
                }
                if (!Files.exists(file)) {
                    // Started before the proxy that writes it: wait for it, as tail -F does.
                    System.err.println("wstap view: waiting for " + file + " to appear (Ctrl-C stops)");
                    while (!Files.exists(file)) Thread.sleep(100);
                }
                logs.follow(file);
            }
            for (Path file : files) {
                String name = file.toString();
                try (InputStream in = isStdin(file) ? System.in : Files.newInputStream(file)) {
                    if (!logs.read(name, in)) throw new WstapException(ExitCodes.FAILURE, name + " is not a wstap JSONL log "
                            + "(its first line is not JSON; a log written with --log-format text is for reading as it is)");
                } catch (NoSuchFileException e) {
                    throw new WstapException(ExitCodes.FAILURE, "cannot read " + name + ": no such file");
                } catch (IOException e) {
                    throw new WstapException(ExitCodes.FAILURE, "cannot read " + name + ": " + e.getMessage(), e);
                }
            }
            if (chosen != null) chosen.finish();
            if (isStats) summary.print(out);
        } finally {
            out.flush();
            if (harLog != null) {
                harLog.close();
                if (!isHarToStdout) System.err.println("wstap view: wrote " + har + " (HAR 1.2)");
            }
        }
        return ExitCodes.OK;
    }

    /** {@code shown}, given each event as {@link Redaction} masks it with --redact, as a tap with --redact does. */
    private Consumer<TapEvent> redacted(Consumer<TapEvent> shown) {
        return redact.isRedact ? event -> shown.accept(Redaction.apply(event)) : shown;
    }

    private static boolean isStdin(Path file) {
        return file.toString().equals("-");
    }

    /** --filter and the shorthands, joined with and, within --since and --until. */
    private EventFilter filter(ZoneId zone) {
        try {
            return EventFilter.allOf(java.util.Arrays.asList(filterExpr, Shorthands.sessions(sessions),
                    Shorthands.direction(dir == null ? null : Direction.parse(dir)), Shorthands.opcodes(opcodes), Shorthands.grep(grep),
                    Shorthands.violationsOnly(isViolationsOnly)), time("--since", since, zone), time("--until", until, zone));
        } catch (IllegalArgumentException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** An instant, a local date-time, or a local time of today. */
    static Instant time(String option, String text, ZoneId zone) {
        if (text == null) return null;
        if (text.matches("\\d:\\d\\d.*")) text = "0" + text; // 4:30 is 04:30
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException notDateTime) {
                try {
                    return LocalTime.parse(text).atDate(LocalDate.now(zone)).atZone(zone).toInstant();
                } catch (DateTimeParseException e) {
                    throw new WstapException(ExitCodes.USAGE, option + " " + text
                            + ": say 2026-11-24T14:02:00Z, 2026-11-24T14:02 or 14:02[:05] (local time today)");
                }
            }
        }
    }

    private boolean isColored() {
        String noColor = System.getenv("NO_COLOR");
        return !isNoColor && (noColor == null || noColor.isEmpty()) && Terminals.isStdoutTerminal();
    }
}
