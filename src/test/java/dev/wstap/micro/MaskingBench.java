package dev.wstap.micro;

import dev.wstap.wire.Masking;
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
 * RFC 6455 §5.3 unmasking: {@link Masking#apply} (a long at a time) against a byte-at-a-time loop
 * written the usual way. Each invocation unmasks 1 MiB as payloads of {@code size} bytes, one call
 * each, so the score in ops/s is bytes/s, the cost of each call included. In place, so that the
 * figure does not hang on where the JVM puts a second buffer: unmasking into one, 4 KiB payloads
 * ran at a third of the in-place speed on a 2-core EPYC, most likely because the two buffers'
 * addresses were close modulo 4 KiB and the CPU took each load for a reload of a recent store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class MaskingBench {
    @Param({"32", "4096", "1048576"})
    public int size;

    private final byte[] keyBytes = {(byte) (Samples.MASK_KEY >>> 24), (byte) (Samples.MASK_KEY >>> 16),
            (byte) (Samples.MASK_KEY >>> 8), (byte) Samples.MASK_KEY};
    private byte[] payload;

    @Setup
    public void setUp() {
        payload = Samples.json(size);
    }

    @Benchmark
    @OperationsPerInvocation(Samples.BYTES_PER_INVOCATION)
    public void wordAtATime(Blackhole bh) {
        for (int done = 0; done < Samples.BYTES_PER_INVOCATION; done += size) {
            Masking.apply(payload, 0, payload, 0, size, Samples.MASK_KEY, 0);
            bh.consume(payload);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Samples.BYTES_PER_INVOCATION)
    public void byteAtATime(Blackhole bh) {
        for (int done = 0; done < Samples.BYTES_PER_INVOCATION; done += size) {
            unmaskBytes(payload, size, keyBytes);
            bh.consume(payload);
        }
    }

    /** The baseline: byte i XOR key byte (i mod 4), one byte at a time. */
    private static void unmaskBytes(byte[] payload, int len, byte[] key) {
        for (int i = 0; i < len; i++) payload[i] ^= key[i & 3];
    }
}
