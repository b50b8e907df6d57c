package dev.wstap.micro;

import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.FrameSeen;
import dev.wstap.wire.Direction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link ConsoleView}, one frame per operation, in the text, JSON and hex views: a client's masked
 * JSON text frame of {@code size} bytes, each line then turned into the ANSI string a colour
 * terminal is sent. The console shows the first 1,024 bytes of a payload by default, so a larger
 * frame costs what the 4 KiB one does. Figures are ns per frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class RendererBench {
    @Param({"32", "4096"})
    public int size;

    @Param({"TEXT", "JSON", "HEX"})
    public ViewMode mode;

    private ConsoleView view;
    private FrameSeen event;

    @Setup
    public void setUp() {
        view = new ConsoleView(mode, ConsoleView.DEFAULT_SHOWN_BYTES, ZoneOffset.UTC);
        event = new FrameSeen(Instant.parse("2026-11-24T01:02:03.456789Z"), 1, Direction.C2S,
                Samples.parsedText(Direction.C2S, Samples.json(size)), false);
    }

    @Benchmark
    public void render(Blackhole bh) {
        for (AttributedString line : view.render(event)) bh.consume(line.toAnsi());
    }
}
