package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The queue between forwarding threads and a sink: lossy never waits, lossless never drops. */
class AsyncSinkTest {
    private static final int CAPACITY = 16;

    /** A sink that holds its thread until released, like a terminal paused with Ctrl-S. */
    private static final class StuckSink implements TapSink {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> delivered = new CopyOnWriteArrayList<>();
        final AtomicLong skippedFrames = new AtomicLong();
        final AtomicLong skippedOthers = new AtomicLong();

        @Override
        public void accept(TapEvent event) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add(event.conn());
        }

        @Override
        public void skipped(Gap gap) {
            skippedFrames.addAndGet(gap.frames());
            skippedOthers.addAndGet(gap.messages());
            delivered.add(Integer.MIN_VALUE); // where the gap's notice stands
            gaps.add(gap);
        }

        final List<Gap> gaps = new CopyOnWriteArrayList<>();

        /** What was delivered, notices left out. */
        List<Integer> records() {
            return delivered.stream().filter(n -> n != Integer.MIN_VALUE).toList();
        }
    }

    private static FrameSeen frame(int n) {
        FrameHeader h = new FrameHeader(true, 0, Opcode.TEXT, false, 0, 0, LengthEncoding.BITS_7);
        return new FrameSeen(Instant.now(), n, Direction.S2C, new ParsedFrame(h, new byte[0], Opcode.TEXT, false, List.of()), false);
    }

    private static HttpSeen session(int n) {
        return new HttpSeen(Instant.now(), n, "127.0.0.1:1", "GET", "/", false, 200, "OK", null);
    }

    @Test
    void aLossySinkNeverMakesTheProducerWaitAndCountsWhatItDropped() {
        StuckSink stuck = new StuckSink();
        AsyncSink sink = new AsyncSink("test", stuck, true, CAPACITY);
        int frames = 10_000;
        // Were emit() to wait for the stuck sink, this would never finish.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < frames; i++) sink.emit(frame(i));
            sink.emit(session(-1));
        });
        stuck.release.countDown();
        sink.close();
        long skipped = stuck.skippedFrames.get() + stuck.skippedOthers.get();
        assertEquals(frames + 1, stuck.records().size() + skipped, "every event is either shown or counted");
        // At most a queue's worth waits, plus the batch the stuck thread took out before it stuck.
        assertTrue(stuck.records().size() <= CAPACITY + AsyncSink.BATCH + 1, "delivered " + stuck.records().size());
        assertEquals(-1, stuck.records().get(stuck.records().size() - 1), "the session line behind a full queue is never left out");
    }

    /** A console that falls behind keeps each session's open and close, and says what it left out where it did. */
    @Test
    void aLossySinkKeepsEverySessionLineAndPutsEachNoticeWhereItsGapIs() {
        StuckSink stuck = new StuckSink();
        AsyncSink sink = new AsyncSink("test", stuck, true, CAPACITY);
        sink.emit(session(100)); // stands for session 1 opening
        for (int i = 0; i < 1000; i++) sink.emit(frame(1));
        sink.emit(session(101)); // session 1 closing, behind a full queue
        for (int i = 0; i < 500; i++) sink.emit(frame(2));
        for (int i = 0; i < 5; i++) sink.emit(frame(3)); // the tail: nothing comes after it
        // The terminal starts to move while wstap closes, as a stopped one does after Ctrl-Q.
        Thread.ofPlatform().start(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            stuck.release.countDown();
        });
        sink.close();
        List<Integer> seen = stuck.delivered;
        assertEquals(100, seen.get(0));
        int closing = seen.indexOf(101);
        assertTrue(closing > 0, "the close line came: " + seen);
        assertEquals(Integer.MIN_VALUE, seen.get(closing - 1), "a notice stands just before it, for the frames left out there");
        assertEquals(Integer.MIN_VALUE, seen.get(seen.size() - 1), "the tail left out at close has its notice too: " + seen);
        Gap first = stuck.gaps.get(0);
        assertEquals(1, first.runs().size());
        assertEquals(1, first.runs().get(0).conn());
        Gap tail = stuck.gaps.get(stuck.gaps.size() - 1);
        assertEquals(List.of(2, 3), tail.runs().stream().map(Gap.Run::conn).toList(), "the tail names its sessions");
        assertEquals(1000 + 500 + 5, stuck.records().size() - 2 + stuck.skippedFrames.get(), "every frame shown or counted");
        assertEquals(0, stuck.skippedOthers.get());
    }

    @Test
    void aDroppedMessageThatIsItsFrameIsCountedAsThatFrameIs() {
        StuckSink stuck = new StuckSink();
        AsyncSink sink = new AsyncSink("test", stuck, true, CAPACITY);
        int frames = 1_000;
        for (int i = 0; i < frames; i++) {
            FrameSeen f = frame(i);
            sink.emit(f);
            sink.emit(MessageSeen.ofFrame(f));
        }
        stuck.release.countDown();
        sink.close();
        assertEquals(0, stuck.skippedOthers.get(), "no message its frame does not show was counted");
        assertTrue(stuck.skippedFrames.get() >= frames - CAPACITY - AsyncSink.BATCH, "skipped " + stuck.skippedFrames.get());
    }

    @Test
    void aLosslessSinkMakesTheProducerWaitAndDeliversEverythingInOrder() throws Exception {
        StuckSink stuck = new StuckSink();
        AsyncSink sink = new AsyncSink("test", stuck, false, CAPACITY);
        int events = CAPACITY * 4;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < events; i++) sink.emit(frame(i));
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer waits for the full queue");
        stuck.release.countDown();
        producer.join(10_000);
        sink.close();
        assertEquals(0, stuck.skippedFrames.get());
        assertEquals(events, stuck.delivered.size());
        for (int i = 0; i < events; i++) assertEquals(i, stuck.delivered.get(i));
        assertTrue(stuck.gaps.isEmpty());
    }

    private static FrameSeen frameOf(int n, int payloadBytes) {
        FrameHeader h = new FrameHeader(true, 0, Opcode.BINARY, false, 0, payloadBytes, LengthEncoding.BITS_64);
        return new FrameSeen(Instant.now(), n, Direction.S2C, new ParsedFrame(h, new byte[payloadBytes], Opcode.BINARY, false, List.of()), false);
    }

    @Test
    void whatWaitsIsBoundedByItsPayloadBytesNotOnlyByItsCount() {
        StuckSink stuck = new StuckSink();
        int capacity = 10_000; // events: far more than the payload bound lets in at 64 KiB each
        AsyncSink sink = new AsyncSink("test", stuck, true, capacity);
        int frames = 1_000;
        for (int i = 0; i < frames; i++) sink.emit(frameOf(i, 64 * 1024));
        stuck.release.countDown();
        sink.close();
        long waited = frames - stuck.skippedFrames.get();
        // At most the payload bound's worth waits, plus the batch the stuck thread held.
        assertTrue(waited * 64 * 1024 <= AsyncSink.MAX_PAYLOAD_BYTES + 64 * 1024, "waited " + waited + " frames of 64 KiB");
        assertEquals(waited, stuck.records().size(), "what was queued was delivered");
    }

    @Test
    void aLosslessProducerWaitsForPayloadRoomAndLosesNothing() throws Exception {
        StuckSink stuck = new StuckSink();
        AsyncSink sink = new AsyncSink("test", stuck, false, 10_000);
        int frames = 2 * AsyncSink.MAX_PAYLOAD_BYTES / (64 * 1024);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < frames; i++) sink.emit(frameOf(i, 64 * 1024));
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer waits for payload room");
        stuck.release.countDown();
        producer.join(10_000);
        sink.close();
        assertEquals(frames, stuck.delivered.size());
    }

    @Test
    void closeDeliversWhatIsQueuedAndClosesTheSink() {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        AsyncSink sink = new AsyncSink("test", new TapSink() {
            @Override
            public void accept(TapEvent event) {
                delivered.add(event.conn());
            }

            @Override
            public void close() {
                closed.countDown();
            }
        }, false, CAPACITY);
        for (int i = 0; i < 10; i++) sink.emit(session(i));
        sink.close();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), delivered);
        assertEquals(0, closed.getCount());
    }

    @Test
    void closingALossySinkStuckInAWriteDoesNotWaitForIt() {
        StuckSink stuck = new StuckSink(); // never released: a terminal stopped with Ctrl-S
        AsyncSink sink = new AsyncSink("test", stuck, true, CAPACITY);
        for (int i = 0; i < 100; i++) sink.emit(frame(i));
        assertTimeoutPreemptively(Duration.ofSeconds(10), sink::close);
    }
}
