package dev.wstap.cli;

import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Option;

/** Where traffic is logged; shared by the commands that carry traffic. */
public final class LogOptions {
    @Option(names = "--log", paramLabel = "FILE",
            description = "Append every event to FILE as JSON Lines (schema: docs/log-format.md). Lossless, "
                    + "flushed at least every 200 ms and at exit.")
    Path log;

    /** Opens the log and attaches it to {@code tap}; a lossless sink, so forwarding waits for a full disk rather than drop lines. */
    void attachTo(Tap tap) {
        if (log == null) return;
        OutputStream out;
        try {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            out = new BufferedOutputStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        } catch (IOException e) {
            throw new WstapException(ExitCodes.FAILURE, "cannot open the log " + log + ": " + e.getMessage(), e);
        }
        tap.attach("log", new JsonlLog(out), false, Tap.LOG_QUEUE_EVENTS, true);
    }
}
