package dev.wstap.view;

import dev.wstap.tap.LogReader;
import dev.wstap.tap.TapEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads logs back for {@code wstap view}: each line parsed into the event it was written from,
 * the chosen ones handed on. A line that is not a record is reported on {@code err} with its file
 * and number and skipped, never fatal; a last line cut short (a writer killed mid-line) is said to
 * be that.
 */
public final class LogView {
    private final Predicate<TapEvent> filter;
    private final Consumer<TapEvent> shown;
    private final PrintStream err;
    private int skipped;

    public LogView(Predicate<TapEvent> filter, Consumer<TapEvent> shown, PrintStream err) {
        this.filter = filter;
        this.shown = shown;
        this.err = err;
    }

    /**
     * Reads {@code in} to its end; {@code name} is how messages name it ({@code -} for stdin).
     *
     * @return false, having read no further, when the first line is not JSON: not a log at all
     */
    public boolean read(String name, InputStream in) throws IOException {
        LogReader reader = new LogReader();
        try {
            LogLines.read(in, (text, number, isLast) -> {
                if (number == 1 && !text.isBlank() && !text.stripLeading().startsWith("{")) {
                    throw new NotALog();
                }
                handle(reader, name, text, number, isLast);
            });
        } catch (NotALog e) {
            return false;
        }
        return true;
    }

    /** Stops reading a file that is no log. */
    private static final class NotALog extends RuntimeException {
        NotALog() {
            super(null, null, false, false);
        }
    }

    /** Reads {@code file} and then what is appended to it, until interrupted. */
    public void follow(Path file) throws IOException, InterruptedException {
        LogReader reader = new LogReader();
        LogLines.follow(file, (text, number, isLast) -> handle(reader, file.toString(), text, number, isLast));
    }

    /** How many lines were skipped as not records. */
    public int skipped() {
        return skipped;
    }

    private void handle(LogReader reader, String name, String text, int number, boolean isLast) {
        if (text.isBlank()) return;
        List<TapEvent> events;
        try {
            events = reader.parse(text);
        } catch (LogReader.BadRecord e) {
            skipped++;
            err.println("wstap: " + name + ":" + number + ": " + (isLast ? "the last line is cut short (was the writer killed?); skipped"
                    : e.getMessage() + "; skipped"));
            return;
        }
        for (TapEvent event : events) {
            if (filter.test(event)) shown.accept(event);
        }
    }
}
