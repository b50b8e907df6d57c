package dev.wstap.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every thread of this JVM, virtual ones included, written to a file under {@code target/}, so
 * that a test that waited in vain leaves the evidence of what everyone was doing.
 */
public final class ThreadDumps {
    private ThreadDumps() {}

    /** Writes the dump; returns a phrase naming the file, or why there is none. */
    public static String write(String why) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "thread-dumps"));
            Path file = dir.resolve(why.replaceAll("[^A-Za-z0-9-]+", "-") + "-" + System.nanoTime() + ".txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toAbsolutePath().toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return "threads dumped to " + file + " (load average " + String.format(java.util.Locale.ROOT, "%.1f", load) + " on "
                    + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException | RuntimeException e) {
            return "no thread dump: " + e;
        }
    }
}
