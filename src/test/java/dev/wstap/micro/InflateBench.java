package dev.wstap.micro;

import dev.wstap.deflate.MessageDeflater;
import dev.wstap.deflate.MessageInflater;
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
 * {@link MessageInflater}, inflating permessage-deflate messages for display (RFC 7692 §7.2.2):
 * JSON messages of {@code size} bytes compressed with no context takeover, the first 64 KiB of each
 * kept. Each invocation inflates 1 MiB of messages, so the score in ops/s is inflated bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class InflateBench {
    @Param({"32", "4096", "1048576"})
    public int size;

    private byte[] compressed;
    private MessageInflater inflater;

    @Setup
    public void setUp() {
        compressed = new MessageDeflater(true, MessageDeflater.MAX_WINDOW_BITS).compress(Samples.json(size));
        inflater = new MessageInflater(true, Samples.MAX_PREVIEW_BYTES);
        inflater.start();
        inflater.feed(compressed, 0, compressed.length);
        MessageInflater.Inflated check = inflater.finish();
        if (check.error() != null || check.size() != size) {
            throw new IllegalStateException("the sample inflated to " + check.size() + " bytes, error: " + check.error());
        }
    }

    @Benchmark
    @OperationsPerInvocation(Samples.BYTES_PER_INVOCATION)
    public void inflate(Blackhole bh) {
        for (int done = 0; done < Samples.BYTES_PER_INVOCATION; done += size) {
            inflater.start();
            inflater.feed(compressed, 0, compressed.length);
            bh.consume(inflater.finish());
        }
    }
}
