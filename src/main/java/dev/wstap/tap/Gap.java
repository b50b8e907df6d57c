package dev.wstap.tap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames and messages a lossy sink (the console) never got in one stretch, where they would
 * have been: per session, how many, and the times of the first and the last. A skip notice is
 * printed from it at the place of the gap.
 *
 * @param runs each session's part, in the order its first skipped record came
 */
public record Gap(List<Run> runs) {
    /** What one session lost in the gap. */
    public record Run(int conn, long frames, long messages, Instant first, Instant last) {}

    public long frames() {
        return runs.stream().mapToLong(Run::frames).sum();
    }

    public long messages() {
        return runs.stream().mapToLong(Run::messages).sum();
    }

    /** A gap as records are left out of it; not thread safe (AsyncSink holds its lock). */
    static final class Builder {
        private final Map<Integer, long[]> counts = new LinkedHashMap<>();
        private final Map<Integer, Instant[]> times = new LinkedHashMap<>();

        void add(TapEvent event) {
            long[] c = counts.computeIfAbsent(event.conn(), k -> new long[2]);
            c[event instanceof FrameSeen ? 0 : 1]++;
            Instant[] t = times.computeIfAbsent(event.conn(), k -> new Instant[] {event.time(), event.time()});
            if (event.time().isBefore(t[0])) t[0] = event.time();
            if (event.time().isAfter(t[1])) t[1] = event.time();
        }

        void addAll(Gap gap) {
            for (Run r : gap.runs()) {
                long[] c = counts.computeIfAbsent(r.conn(), k -> new long[2]);
                c[0] += r.frames();
                c[1] += r.messages();
                Instant[] t = times.computeIfAbsent(r.conn(), k -> new Instant[] {r.first(), r.last()});
                if (r.first().isBefore(t[0])) t[0] = r.first();
                if (r.last().isAfter(t[1])) t[1] = r.last();
            }
        }

        boolean isEmpty() {
            return counts.isEmpty();
        }

        /** The gap so far, and a fresh start. */
        Gap take() {
            List<Run> runs = new ArrayList<>(counts.size());
            counts.forEach((conn, c) -> runs.add(new Run(conn, c[0], c[1], times.get(conn)[0], times.get(conn)[1])));
            counts.clear();
            times.clear();
            return new Gap(List.copyOf(runs));
        }
    }
}
