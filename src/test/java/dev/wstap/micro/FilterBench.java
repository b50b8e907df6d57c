package dev.wstap.micro;

import dev.wstap.filter.EventFilter;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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

/**
 * A compiled filter expression tested against one record per operation: a client's masked JSON
 * text frame of {@code size} bytes as the parser describes it (64 KiB preview), and the message
 * it is. {@code header} reads header fields only; {@code body} searches the text with a regex
 * that does not match (the whole text is read); {@code json} looks for a pointer the JSON lacks
 * (the whole payload is read).
 * Figures are ns per record; with {@code -prof gc}, bytes allocated per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class FilterBench {
    @Param({"32", "4096"})
    public int size;

    @Param({"header", "body", "json"})
    public String kind;

    private EventFilter filter;
    private TapEvent frame;
    private TapEvent message;

    @Setup
    public void setUp() {
        filter = EventFilter.of(switch (kind) {
            case "header" -> "dir:c2s op:text,binary fin:1 masked len:<=1M -viol sess:1..99";
            case "body" -> "dir:c2s body~/token-[0-9]+/";
            default -> "json:/type==\"subscribe\"";
        });
        FrameSeen f = new FrameSeen(Instant.parse("2026-11-24T01:02:03.456789Z"), 1, Direction.C2S,
                Samples.parsedText(Direction.C2S, Samples.json(size)), false);
        frame = f;
        message = MessageSeen.ofFrame(f);
    }

    @Benchmark
    public boolean frame() {
        return filter.test(frame);
    }

    @Benchmark
    public boolean message() {
        return filter.test(message);
    }
}
