package dev.wstap.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** wstap's real command line in a child JVM, as a user runs it; output goes to files. */
public final class WstapProcess implements AutoCloseable {
    final Process process;
    final Path stdout;
    final Path stderr;

    /**
     * wstap as a user's shell starts it: with SIGINT and SIGTERM handled by default. A child inherits
     * ignored signals, and a test run started from a background job ({@code bin/test &}) has SIGINT
     * ignored, so without this wstap would never see the Ctrl-C a test sends. Empty where env cannot
     * reset signals (coreutils before 8.31): there the tests run as the parent was started.
     */
    private static final List<String> DEFAULT_SIGNALS = defaultSignals();

    private static List<String> defaultSignals() {
        List<String> env = List.of("env", "--default-signal=INT,TERM");
        try {
            List<String> probe = new ArrayList<>(env);
            probe.add("true");
            return new ProcessBuilder(probe).redirectErrorStream(true).start().waitFor() == 0 ? env : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private WstapProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static WstapProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return start(dir, jvmOptions, false, args);
    }

    /** With {@code isStdoutStalled}, stdout is a pipe that nobody reads: a terminal stopped with Ctrl-S. */
    static WstapProcess start(Path dir, List<String> jvmOptions, boolean isStdoutStalled, String... args) throws IOException {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return start(dir, List.of(), launch, isStdoutStalled, args);
    }

    /**
     * The packaged jar ({@code mvn verify}: integration tests) as a shell runs it after {@code ulimit
     * -n openFiles}. The jar, not the class folders: with file descriptors gone, a class not loaded
     * yet could not be read from a folder, where the jar is open already.
     */
    static WstapProcess startJarWithOpenFilesLimit(Path dir, Path jar, int openFiles, String... args) throws IOException {
        return start(dir, List.of("sh", "-c", "ulimit -n " + openFiles + " && exec \"$0\" \"$@\""),
                List.of("-jar", jar.toString()), false, args);
    }

    private static WstapProcess start(Path dir, List<String> wrapper, List<String> launch, boolean isStdoutStalled,
                                      String... args) throws IOException {
        List<String> command = new ArrayList<>(DEFAULT_SIGNALS);
        command.addAll(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        if (!isStdoutStalled) builder.redirectOutput(out.toFile());
        Process p = builder.start();
        return new WstapProcess(p, out, err);
    }

    /** Waits until something accepts connections on {@code port}, or fails with the child's stderr. */
    public void awaitListening(int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("wstap exited early: " + Files.readString(stderr));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("wstap did not listen on " + port + " within " + limit + ": " + Files.readString(stderr));
    }

    /** Sends a signal by name (INT, TERM) the way a terminal or a supervisor would. */
    public void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + name + " failed");
    }

    public String stdoutText() throws IOException {
        return Files.readString(stdout);
    }

    public String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits for wstap to exit and returns its exit code; fails with its stderr when it runs past {@code limit}. */
    public int awaitExit(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("wstap did not exit within " + limit + ": " + stderrText());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
