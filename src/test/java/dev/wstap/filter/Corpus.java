package dev.wstap.filter;

import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.TapEvent;
import dev.wstap.view.LogView;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The records of corpus.jsonl (src/test/resources/dev/wstap/filter; make-corpus there says how
 * it was made) as {@code wstap view} reads them: real sessions through wstap with Node's ws at both
 * ends (compressed, fragmented, JSON, binary, pings), a client that breaks rules, frames wstap's
 * shell injected, and an HTTP request. Records are numbered from 0 in the order they come.
 */
final class Corpus {
    static final List<TapEvent> EVENTS = load();

    private Corpus() {}

    private static List<TapEvent> load() {
        List<TapEvent> events = new ArrayList<>();
        try (InputStream in = Corpus.class.getResourceAsStream("corpus.jsonl")) {
            if (in == null) throw new IllegalStateException("corpus.jsonl is missing");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            if (!new LogView(e -> true, events::add, new PrintStream(err)).read("corpus.jsonl", in) || err.size() > 0) {
                throw new IllegalStateException("corpus.jsonl does not read cleanly: " + err);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.copyOf(events);
    }

    /** The numbers of the records {@code filter} chooses, read in order as a stream (a fresh filter each time). */
    static List<Integer> matches(Predicate<TapEvent> filter) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < EVENTS.size(); i++) {
            if (filter.test(EVENTS.get(i))) chosen.add(i);
        }
        return chosen;
    }

    /** Every record with its number, as the console shows its headers: for a failure message. */
    static String listing() {
        ConsoleView view = new ConsoleView(ViewMode.HEADERS, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < EVENTS.size(); i++) {
            List<String> lines = view.render(EVENTS.get(i)).stream().map(Object::toString).toList();
            b.append(String.format("%3d %s%n", i, lines.isEmpty() ? EVENTS.get(i).getClass().getSimpleName() : lines.get(0).substring(16)));
        }
        return b.toString();
    }
}
