package dev.wstap.proxy;

import dev.wstap.tap.Traffic;
import dev.wstap.wire.ParsedFrame;
import java.util.concurrent.atomic.LongAdder;

/**
 * What left wstap in one direction, counted as the writer reports it: forwarded, injected and
 * changed frames alike; and the frames that arrived and were not sent. Thread safe: the pump, the
 * injector and a draining outbox all report.
 */
final class TrafficCounter {
    private final LongAdder frames = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder notSent = new LongAdder();

    void sent(ParsedFrame frame) {
        frames.increment();
        if (frame.endsMessage()) messages.increment();
    }

    /** Bytes written, frame headers included, counted as they go: a frame cut short counts what went of it. */
    void wrote(int n) {
        bytes.add(n);
    }

    void notSent() {
        notSent.increment();
    }

    Traffic snapshot() {
        return new Traffic(frames.sum(), messages.sum(), bytes.sum(), notSent.sum());
    }
}
