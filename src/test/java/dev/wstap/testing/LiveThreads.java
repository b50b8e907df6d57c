package dev.wstap.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names of the threads alive in this JVM, virtual ones included. wstap runs connections and,
 * by default, session pumps on virtual threads, which {@link Thread#getAllStackTraces} does not
 * list; the JDK's JSON thread dump does ({@code jdk.trackAllThreads} is on by default), so a test
 * can check that a connection's threads ({@code wstap-7}, {@code wstap-7-c2s}, ...) have ended.
 * A dump takes some tens of milliseconds: for checks, not for loops.
 */
public final class LiveThreads {
    private LiveThreads() {}

    /** Every live thread's name, platform and virtual. */
    public static List<String> names() {
        Path file;
        try {
            Path dir = Files.createTempDirectory("wstap-threads");
            file = dir.resolve("dump.json"); // dumpThreads refuses a file that exists
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return namesIn(Json.object(Files.readString(file, StandardCharsets.UTF_8)));
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump threads", e);
        }
    }

    /** The names of connection {@code conn}'s threads: its handshake thread and its session's pumps. */
    public static List<String> ofConnection(int conn) {
        String own = "wstap-" + conn;
        return names().stream().filter(n -> n.equals(own) || n.startsWith(own + "-")).toList();
    }

    /** Waits until connection {@code conn} has no thread left. */
    public static void awaitNoneOfConnection(int conn, Duration limit) {
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        Poll.until(limit, () -> {
            last.set(0, ofConnection(conn));
            return last.get(0).isEmpty();
        }, () -> "the threads of connection " + conn + " to end; still alive: " + last.get(0));
    }

    @SuppressWarnings("unchecked")
    private static List<String> namesIn(Map<String, Object> dump) {
        List<String> names = new ArrayList<>();
        Map<String, Object> threadDump = (Map<String, Object>) dump.get("threadDump");
        for (Object container : (List<Object>) threadDump.get("threadContainers")) {
            for (Object thread : (List<Object>) ((Map<String, Object>) container).get("threads")) {
                names.add((String) ((Map<String, Object>) thread).get("name"));
            }
        }
        return names;
    }
}
