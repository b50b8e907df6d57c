package dev.wstap.cli;

import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.tap.HarLog;
import dev.wstap.tap.Interest;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** Where traffic is logged, and as what; shared by the commands that carry traffic. */
public final class LogOptions {
    /** How {@code --log} writes. */
    enum Format { jsonl, text }

    /** How much of each payload the log keeps. */
    enum Payload { preview, full }

    /**
     * What {@code --log-payload full} keeps of a frame or message at most: as much as wstap inflates
     * of a compressed message. A longer one is cut there and says so ({@code truncated}).
     */
    static final int FULL_PAYLOAD_BYTES = (int) dev.wstap.deflate.MessageInflater.DEFAULT_MAX_INFLATED_BYTES;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Append every event to FILE: JSON Lines (schema: docs/log-format.md, installed in PREFIX/share/doc/wstap; wstap view reads it back) "
                    + "or, with --log-format text, the console's lines uncoloured. Lossless, flushed at least every 200 ms and at exit.")
    Path log;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default) or text: exactly what the console shows, in the console's --view, without colours.")
    Format format = Format.jsonl;

    @Option(names = "--log-payload", paramLabel = "WHAT", defaultValue = "preview",
            description = "How much of each payload the console and the log keep: preview (default: the first --max-preview bytes) "
                    + "or full (whole payloads up to 64 MiB a frame or message, what wstap replay needs; memory per session grows "
                    + "with the largest frame, up to that).")
    Payload payload = Payload.preview;

    @Option(names = "--har", paramLabel = "FILE",
            description = "Also write the WebSocket sessions to FILE as HAR 1.2 with their messages, as browser dev tools "
                    + "export them (complete once wstap exits).")
    Path har;

    /** The bytes of each payload that observers (the console, the log) get: {@code --max-preview}, or all with {@code --log-payload full}. */
    int previewBytes(ConsoleOptions console) {
        return payload == Payload.full ? Math.max(FULL_PAYLOAD_BYTES, console.maxPreviewBytes) : console.maxPreviewBytes;
    }

    /**
     * Opens the log (and the HAR) and attaches them to {@code tap}: lossless sinks, so forwarding
     * waits for a full disk rather than drop lines. {@code console} says how text lines look.
     */
    void attachTo(Tap tap, ConsoleOptions console) {
        if (log != null) {
            OutputStream out = open(log, "the log", true);
            if (format == Format.text) {
                ConsoleView view = new ConsoleView(console.view, console.shownBytes, ZoneId.systemDefault());
                tap.attach("log", new ConsoleSink(view, new PrintStream(out, false, StandardCharsets.UTF_8), false), false,
                        Tap.LOG_QUEUE_EVENTS, ConsoleView.interests(console.view));
            } else {
                tap.attach("log", new JsonlLog(out, tap.isRedacting()), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
            }
        }
        if (har != null) {
            tap.attach("har", new HarLog(open(har, "the HAR", false), VersionProvider.version(), tap.isRedacting()), false,
                    Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
        }
    }

    /**
     * Checks before a run that a report {@code option} names can be written when the run ends: its
     * folder exists, and it is not a folder itself. A usage error (exit 2) says what is wrong.
     */
    static void checkReportFile(String option, Path file) {
        if (file == null) return;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new WstapException(ExitCodes.USAGE, option + " " + file + ": there is no directory " + parent);
        }
        if (Files.isDirectory(file)) throw new WstapException(ExitCodes.USAGE, option + " " + file + " is a directory: give a file name");
    }

    static OutputStream open(Path file, String what, boolean isAppend) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new WstapException(ExitCodes.FAILURE, "cannot open " + what + " " + file + ": "
                    + (Files.exists(parent) ? parent + " is not a directory" : "there is no directory " + parent));
        }
        try {
            return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    isAppend ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), 64 * 1024);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new WstapException(ExitCodes.FAILURE, "cannot open " + what + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new WstapException(ExitCodes.FAILURE, "cannot open " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
