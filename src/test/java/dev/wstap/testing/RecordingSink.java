package dev.wstap.testing;

import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A tap sink that keeps every event, so that tests can wait for one and look at it. Thread safe. */
public final class RecordingSink implements TapSink {
    private final List<TapEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(TapEvent event) {
        events.add(event);
    }

    public synchronized List<TapEvent> events() {
        return List.copyOf(events);
    }

    public <T extends TapEvent> List<T> events(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The first event of {@code type} that satisfies {@code test}, waiting up to {@code limit}. */
    public <T extends TapEvent> T await(Class<T> type, Predicate<T> test, Duration limit) {
        Poll.until(limit, () -> events(type).stream().anyMatch(test), () -> "a " + type.getSimpleName()
                + " event; have " + events());
        return events(type).stream().filter(test).findFirst().orElseThrow();
    }

    public <T extends TapEvent> T await(Class<T> type, Duration limit) {
        return await(type, e -> true, limit);
    }
}
