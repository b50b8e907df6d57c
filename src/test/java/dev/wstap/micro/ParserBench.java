package dev.wstap.micro;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
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
 * {@link FrameParser}, one whole frame per operation, fed as a pump feeds it (in reads of at most
 * 64 KiB) with the default 64 KiB preview. Figures are ns per frame; size / time is bytes/s.
 *
 * <ul>
 *   <li>{@code maskedText}: a client's text frame: unmasked and UTF-8 checked in full, the first 64 KiB kept.
 *   <li>{@code unmaskedBinary}: a server's binary frame: only the preview is copied.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@State(Scope.Thread)
public class ParserBench {
    @Param({"32", "4096", "1048576"})
    public int size;

    private byte[] clientText;
    private byte[] serverBinary;
    private FrameParser clientParser;
    private FrameParser serverParser;
    private ParsedFrame last;

    @Setup
    public void setUp() {
        clientText = Samples.wireFrame(Direction.C2S, Opcode.TEXT, Samples.json(size));
        serverBinary = Samples.wireFrame(Direction.S2C, Opcode.BINARY, Samples.multilingual(size));
        clientParser = new FrameParser(Direction.C2S, Samples.MAX_PREVIEW_BYTES, frame -> last = frame);
        serverParser = new FrameParser(Direction.S2C, Samples.MAX_PREVIEW_BYTES, frame -> last = frame);
    }

    @Benchmark
    public ParsedFrame maskedText() {
        return parse(clientParser, clientText);
    }

    @Benchmark
    public ParsedFrame unmaskedBinary() {
        return parse(serverParser, serverBinary);
    }

    private ParsedFrame parse(FrameParser parser, byte[] frame) {
        for (int off = 0; off < frame.length; off += Samples.READ_BYTES) {
            parser.feed(frame, off, Math.min(Samples.READ_BYTES, frame.length - off));
        }
        if (!last.violations().isEmpty()) throw new IllegalStateException("the sample frame broke " + last.violations());
        return last;
    }
}
