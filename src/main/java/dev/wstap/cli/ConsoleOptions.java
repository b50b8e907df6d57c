package dev.wstap.cli;

import dev.wstap.filter.EventFilter;
import dev.wstap.filter.Expr;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Tap;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** How traffic is shown on the console; shared by the commands that show traffic. */
public final class ConsoleOptions {
    @Option(names = "--view", paramLabel = "MODE", defaultValue = "auto",
            description = "How payloads are shown: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "auto pretty-prints JSON, shows text as text and binary as a hex dump; headers shows frame headers only.",
            converter = ViewModeConverter.class, completionCandidates = ViewModeConverter.Names.class)
    ViewMode view = ViewMode.AUTO;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set, or output is not a terminal).")
    boolean isNoColor;

    @Option(names = "--max-preview", paramLabel = "BYTES", defaultValue = "65536",
            description = "Keep at most this many bytes of each frame's payload for the console and the log "
                    + "(default: ${DEFAULT-VALUE}). Forwarding is never affected.")
    int maxPreviewBytes = ProxyConfig.DEFAULT_MAX_PREVIEW_BYTES;

    @Option(names = "--show-bytes", paramLabel = "BYTES", defaultValue = "1024",
            description = "Show at most this many bytes of each payload on the console (default: ${DEFAULT-VALUE}); "
                    + "the log keeps up to --max-preview.")
    int shownBytes = ConsoleView.DEFAULT_SHOWN_BYTES;

    @Option(names = "--filter", paramLabel = "EXPR", converter = FilterConverter.class, completionCandidates = FilterConverter.Fields.class,
            description = "Show only the frames, messages and session records EXPR matches, in the filter language "
                    + "(man wstap-filter): 'dir:s2c op:text', 'json:/type==\"subscribe\" or op:ping'. "
                    + "The log and forwarding are never filtered; the shell's filter command changes it.")
    Expr filter;

    @Option(names = {"-q", "--quiet"}, description = "Show no frames on the console, only sessions opening and closing.")
    boolean isQuiet;

    /** Attaches the console to {@code tap}, on stdout; the shell steers the sink it returns. */
    ConsoleSink attachTo(Tap tap) {
        return attachTo(tap, FileDescriptor.out);
    }

    /** As above, on {@code fd}: stderr when stdout carries payloads only ({@code connect -P}). */
    ConsoleSink attachTo(Tap tap, FileDescriptor fd) {
        if (maxPreviewBytes < 0) throw new WstapException(ExitCodes.USAGE, "--max-preview " + maxPreviewBytes + " is negative");
        PrintStream out = new PrintStream(new FileOutputStream(fd), false, StandardCharsets.UTF_8);
        if (shownBytes < 0) throw new WstapException(ExitCodes.USAGE, "--show-bytes " + shownBytes + " is negative");
        ConsoleSink sink = new ConsoleSink(new ConsoleView(view, shownBytes, ZoneId.systemDefault()), out, isColored());
        sink.setFilter(EventFilter.of(filter));
        // Everything, not what the view shows now: the shell may switch it to messages at any time.
        tap.attach("console", sink, true, Tap.CONSOLE_QUEUE_EVENTS, isQuiet ? Interest.SESSIONS_ONLY : Interest.EVERYTHING);
        return sink;
    }

    boolean isColored() {
        String noColor = System.getenv("NO_COLOR");
        if (isNoColor || (noColor != null && !noColor.isEmpty())) return false;
        return Terminals.isStdoutTerminal();
    }
}
