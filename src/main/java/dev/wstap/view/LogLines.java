package dev.wstap.view;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a log, as they are or as they are written ({@code --follow}). A last line without
 * its newline is handed on as such, so that a reader can tell a line cut short by a killed writer
 * from a complete one; while following, it is awaited instead.
 */
final class LogLines {
    /** Receives lines in order, numbered from 1. */
    interface Handler {
        void line(String text, int number, boolean isLast);
    }

    /** How often a followed file is looked at for more. */
    static final long FOLLOW_POLL_MILLIS = 200;

    private final Handler handler;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final byte[] buf = new byte[64 * 1024];
    private int number;

    private LogLines(Handler handler) {
        this.handler = handler;
    }

    /** Every line of {@code in} until its end; {@code isLast} only for a final line without a newline. */
    static void read(InputStream in, Handler handler) throws IOException {
        LogLines lines = new LogLines(handler);
        lines.drain(in);
        if (lines.line.size() > 0) handler.line(lines.line.toString(StandardCharsets.UTF_8), ++lines.number, true);
    }

    /**
     * Every line of {@code file} and then each line appended to it, until the thread is
     * interrupted. A file that shrinks (truncated, or replaced) is read again from its start.
     */
    static void follow(Path file, Handler handler) throws IOException, InterruptedException {
        LogLines lines = new LogLines(handler);
        long position = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long size = Files.size(file);
            if (size < position) {
                position = 0;
                lines.line.reset();
            }
            if (size == position) {
                Thread.sleep(FOLLOW_POLL_MILLIS);
                continue;
            }
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(position);
                position += lines.drain(in);
            }
        }
    }

    /** Hands on each complete line of {@code in}; keeps an unfinished one. Returns the bytes read. */
    private long drain(InputStream in) throws IOException {
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') continue;
                line.write(buf, start, i - start);
                handler.line(line.toString(StandardCharsets.UTF_8), ++number, false);
                line.reset();
                start = i + 1;
            }
            line.write(buf, start, n - start);
        }
        return total;
    }
}
