package dev.wstap.micro;

import dev.wstap.wire.Utf8Validator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link Utf8Validator} on text messages of {@code size} bytes: {@code json} is all ASCII (its
 * eight-bytes-at-a-time path), {@code multilingual} mostly 2- to 4-byte sequences (its byte path).
 * Each invocation checks 1 MiB as messages of {@code size} bytes, so the score in ops/s is bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class Utf8Bench {
    @Param({"32", "4096", "1048576"})
    public int size;

    @Param({"json", "multilingual"})
    public String text;

    private final Utf8Validator validator = new Utf8Validator();
    private byte[] message;

    @Setup
    public void setUp() {
        message = text.equals("json") ? Samples.json(size) : Samples.multilingual(size);
        if (!Utf8Validator.isValidUtf8(message, 0, size)) throw new IllegalStateException("the " + text + " sample is not valid UTF-8");
    }

    @Benchmark
    @OperationsPerInvocation(Samples.BYTES_PER_INVOCATION)
    public void validate(Blackhole bh) {
        for (int done = 0; done < Samples.BYTES_PER_INVOCATION; done += size) {
            validator.reset();
            validator.feed(message, 0, size);
            bh.consume(validator.isComplete());
        }
    }
}
