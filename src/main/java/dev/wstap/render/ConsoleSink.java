package dev.wstap.render;

import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import java.io.PrintStream;
import java.util.function.Predicate;
import org.jline.utils.AttributedString;

/**
 * Prints rendered events to a stream, with ANSI colours or without. Runs on its own thread behind
 * a lossy queue (see {@code AsyncSink}), so a slow terminal only ever costs skipped lines.
 */
public final class ConsoleSink implements TapSink {
    private final ConsoleView view;
    private final PrintStream out;
    private final boolean isColored;
    private final Predicate<TapEvent> filter;

    public ConsoleSink(ConsoleView view, PrintStream out, boolean isColored, Predicate<TapEvent> filter) {
        this.view = view;
        this.out = out;
        this.isColored = isColored;
        this.filter = filter;
    }

    @Override
    public void accept(TapEvent event) {
        if (!filter.test(event)) return;
        for (AttributedString line : view.render(event)) print(line);
    }

    @Override
    public void skipped(long frames, long others) {
        print(ConsoleView.skipped(frames, others));
    }

    private void print(AttributedString line) {
        out.println(isColored ? line.toAnsi() : line.toString());
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
