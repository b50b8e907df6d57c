package dev.wstap.cli;

import dev.wstap.render.ConsoleSink;
import dev.wstap.shell.CommandRunner;
import dev.wstap.shell.Shell;
import dev.wstap.tls.CertificateAuthority;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Option;

/**
 * Where commands come from (a script, the interactive shell, a piped stdin, or nowhere) and running
 * them until the end; shared by {@code proxy} and {@code connect}.
 */
public final class CommandOptions {
    @Option(names = "--script", paramLabel = "FILE",
            description = "Run the commands in FILE (wait session, send, frag, ping, close, expect frame ...), then stop; "
                    + "the exit code is 0 only when every expectation held.")
    Path script;

    @Option(names = {"-e", "--execute"}, paramLabel = "'CMD; CMD'",
            description = "Run these commands, separated by semicolons, as --script does.")
    String execute;

    @Option(names = "--no-shell",
            description = "No interactive shell, and no commands read from stdin: plain output only. By default a terminal "
                    + "gets the shell, and commands are read line by line from a stdin that is not a terminal.")
    boolean isNoShell;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "" + Shutdown.DEFAULT_GRACE_SECONDS,
            description = "On quit, Ctrl-C or SIGTERM, how long peers get to answer wstap's close frames before their "
                    + "connections are dropped (default: ${DEFAULT-VALUE}). A Ctrl-C meanwhile drops them at once.")
    double shutdownGraceSeconds;

    /** Where commands come from. */
    enum Mode { SCRIPT, SHELL, PIPED, PLAIN }

    private List<String> lines;
    private boolean isQuitAtEndOfInput;

    /** {@code connect}: the end of a piped stdin ends the connection, as websocat and wscat do. */
    void quitAtEndOfInput() {
        isQuitAtEndOfInput = true;
    }

    /** How long peers get to answer wstap's closes when it stops. */
    java.time.Duration shutdownGrace() {
        return java.time.Duration.ofMillis(Math.round(shutdownGraceSeconds * 1000));
    }

    /** Decides where commands come from (and reads the script): call once, before anything starts. */
    Mode mode() {
        if (!(shutdownGraceSeconds >= 0 && shutdownGraceSeconds <= 3600)) {
            throw new WstapException(ExitCodes.USAGE, "--shutdown-grace " + shutdownGraceSeconds + ": give 0 to 3600 seconds");
        }
        if (script != null && execute != null) throw new WstapException(ExitCodes.USAGE, "--script and -e: give one of them");
        if (execute != null) {
            lines = CommandRunner.splitCommands(execute);
            return Mode.SCRIPT;
        }
        if (script != null) {
            try {
                lines = Files.readAllLines(script);
            } catch (IOException e) {
                throw new WstapException(ExitCodes.FAILURE, "cannot read --script " + script + ": " + e.getMessage(), e);
            }
            return Mode.SCRIPT;
        }
        if (isNoShell) return Mode.PLAIN;
        // A stdin that is a terminal is not read without the shell: a background job would be stopped (SIGTTIN).
        if (!Terminals.isStdinTerminal()) return Mode.PIPED;
        return Terminals.isStdoutTerminal() ? Mode.SHELL : Mode.PLAIN;
    }

    /** What the start-up line tells the user about stopping. */
    String howToStop(Mode mode) {
        return switch (mode) {
            case SHELL -> "Ctrl-D or quit to stop";
            case PIPED -> "quit or Ctrl-C to stop";
            case SCRIPT -> "the script ends it";
            case PLAIN -> "Ctrl-C to stop";
        };
    }

    /**
     * Runs commands as {@code mode} says until they are done: the script ends, {@code quit},
     * Ctrl-D, or {@code finished} counts down (a signal, or {@code connect}'s session ending).
     * Then {@code stop} runs. Returns the exit code a script earned, else {@link ExitCodes#OK}.
     */
    int run(Mode mode, CommandRunner runner, ConsoleSink console, boolean isColored, CountDownLatch finished, Runnable stop,
            Runnable dropConnections) throws InterruptedException, IOException {
        Runnable finish = () -> {
            stop.run();
            finished.countDown();
        };
        Shutdown.onSignal(finish, dropConnections);
        switch (mode) {
            case SCRIPT -> {
                int code = runner.runScript(script != null ? script.toString() : "-e", lines);
                stop.run();
                return code;
            }
            case SHELL -> {
                Shell shell = new Shell(runner, console, CertificateAuthority.defaultDir().resolve("history"), isColored);
                Thread.ofVirtual().start(() -> {
                    try {
                        finished.await();
                        shell.stop();
                    } catch (InterruptedException ignored) {
                        // The shell ended first.
                    }
                });
                shell.run(ConsoleSink.streamOutput(System.out));
            }
            case PIPED -> {
                // Commands from stdin as they come; at its end the proxy goes on until Ctrl-C, SIGTERM or quit.
                Thread.ofVirtual().start(() -> {
                    try {
                        runner.runEach(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        System.err.println("wstap: stopped reading commands from stdin: " + e.getMessage());
                    }
                    if (isQuitAtEndOfInput) runner.requestQuit();
                });
                Thread.ofVirtual().start(() -> {
                    try {
                        runner.awaitQuit();
                        finished.countDown();
                    } catch (InterruptedException ignored) {
                        // Not waiting any more.
                    }
                });
                finished.await();
            }
            case PLAIN -> finished.await();
        }
        stop.run();
        return ExitCodes.OK;
    }
}
