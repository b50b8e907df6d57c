package dev.wstap.render;

import dev.wstap.filter.EventFilter;
import dev.wstap.tap.Gap;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.utils.AttributedString;

/**
 * Prints rendered events, with ANSI colours or without, to a stream or above the shell's prompt.
 * Runs on its own thread behind a lossy queue (see {@code AsyncSink}), so a slow terminal only
 * ever costs skipped lines. The shell changes it while it runs: what is shown ({@link #setFilter}),
 * how ({@link #view()}), and whether the display is held ({@link #pause}): a paused sink stops
 * taking events, its queue fills, and what does not fit is counted as skipped, while the traffic
 * and the log go on untouched.
 */
public final class ConsoleSink implements TapSink {
    /** Where lines go: a stream, or the shell's {@code printAbove}. Called from one thread at a time. */
    public interface Output {
        void print(AttributedString line, boolean isColored);

        /** The lines of one event, which nothing else may come between (the shell prints them above its prompt in one go). */
        default void printTogether(java.util.List<AttributedString> lines, boolean isColored) {
            for (AttributedString line : lines) print(line, isColored);
        }

        default void flush() {}
    }

    private final ConsoleView view;
    private final boolean isColored;
    private volatile Output output;
    private volatile EventFilter filter = EventFilter.ALL;
    private final AtomicLong skippedFrames = new AtomicLong();
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final Condition resumed = pauseLock.newCondition();
    private boolean isPaused;

    public ConsoleSink(ConsoleView view, Output output, boolean isColored) {
        this.view = view;
        this.output = output;
        this.isColored = isColored;
    }

    public ConsoleSink(ConsoleView view, PrintStream out, boolean isColored) {
        this(view, streamOutput(out), isColored);
    }

    /** Lines printed to {@code out}, one {@code println} each. */
    public static Output streamOutput(PrintStream out) {
        return new Output() {
            @Override
            public void print(AttributedString line, boolean isColored) {
                out.println(isColored ? line.toAnsi() : line.toString());
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }

    /** From now on lines go to {@code output} (the shell, once its prompt is up). */
    public void redirect(Output output) {
        this.output = output;
    }

    public ConsoleView view() {
        return view;
    }

    public EventFilter filter() {
        return filter;
    }

    public void setFilter(EventFilter filter) {
        this.filter = filter;
    }

    /** Holds the display; traffic is not affected. */
    public void pause() {
        pauseLock.lock();
        try {
            isPaused = true;
        } finally {
            pauseLock.unlock();
        }
    }

    public void resume() {
        pauseLock.lock();
        try {
            isPaused = false;
            resumed.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    public boolean isPaused() {
        pauseLock.lock();
        try {
            return isPaused;
        } finally {
            pauseLock.unlock();
        }
    }

    /** Frames the console could not keep up with (or held past its queue while paused), since the start. */
    public long skippedFrames() {
        return skippedFrames.get();
    }

    @Override
    public void accept(TapEvent event) {
        awaitResumed();
        if (!filter.test(event)) return;
        java.util.List<AttributedString> lines = view.render(event);
        if (lines.size() == 1) output.print(lines.get(0), isColored);
        else if (!lines.isEmpty()) output.printTogether(lines, isColored);
    }

    private void awaitResumed() {
        pauseLock.lock();
        try {
            while (isPaused) resumed.awaitUninterruptibly();
        } finally {
            pauseLock.unlock();
        }
    }

    @Override
    public void skipped(Gap gap) {
        skippedFrames.addAndGet(gap.frames());
        output.print(view.skipped(gap), isColored);
    }

    @Override
    public void flush() {
        output.flush();
    }

    @Override
    public void close() {
        output.flush();
    }
}
