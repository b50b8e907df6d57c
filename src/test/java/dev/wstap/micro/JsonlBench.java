package dev.wstap.micro;

import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.JsonlLog;
import dev.wstap.wire.Direction;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link JsonlLog} writing one {@code frame} record per operation to a stream that discards it:
 * a client's masked JSON text frame of {@code size} bytes, its preview as long as the default
 * {@code --max-preview} (64 KiB) keeps, so the record carries it as base64 and as text. Figures
 * are ns per frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class JsonlBench {
    @Param({"32", "4096", "1048576"})
    public int size;

    private JsonlLog log;
    private FrameSeen event;

    @Setup
    public void setUp() {
        log = new JsonlLog(OutputStream.nullOutputStream());
        event = new FrameSeen(Instant.parse("2026-11-24T01:02:03.456789Z"), 1, Direction.C2S,
                Samples.parsedText(Direction.C2S, Samples.json(size)), false);
    }

    @TearDown
    public void tearDown() {
        log.close();
    }

    @Benchmark
    public void writeFrame() {
        log.accept(event);
    }
}
