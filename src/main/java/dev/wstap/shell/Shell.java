package dev.wstap.shell;

import dev.wstap.render.ConsoleSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * The interactive shell: a JLine prompt while frames stream above it. Every line the console
 * prints goes through {@link LineReader#printAbove}, so a half-typed command is redrawn below it,
 * never garbled. Completion comes from the picocli command model (command names, options, option
 * values) plus live state (session numbers with their client, URL and state; close codes with
 * their names). History is kept in a file. Ctrl-C clears the line; Ctrl-D or {@code quit} leaves.
 */
public final class Shell {
    private final CommandRunner runner;
    private final ConsoleSink console;
    private final Path historyFile;
    private final boolean isColored;
    private volatile Terminal terminal;

    public Shell(CommandRunner runner, ConsoleSink console, Path historyFile, boolean isColored) {
        this.runner = runner;
        this.console = console;
        this.historyFile = historyFile;
        this.isColored = isColored;
    }

    /** Runs until Ctrl-D or {@code quit}; the console prints to {@code fallback} again afterwards. */
    public void run(ConsoleSink.Output fallback) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("wstap").build()) {
            this.terminal = terminal;
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("wstap")
                    .parser(new DefaultParser())
                    .completer(new AggregateCompleter(new PicocliJLineCompleter(runner.commandLine().getCommandSpec()),
                            new LiveCompleter(runner.context())))
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                    .build();
            createHistoryFolder();
            console.redirect(new ConsoleSink.Output() {
                @Override
                public void print(AttributedString line, boolean isLineColored) {
                    // A session that opened or ended changes the prompt: the line printed above redraws it.
                    if (reader.isReading() && reader instanceof LineReaderImpl impl) impl.setPrompt(prompt());
                    reader.printAbove(isLineColored ? line : new AttributedString(line.toString()));
                }

                /** A frame's header and payload lines in one printAbove: a command's answer never lands between them. */
                @Override
                public void printTogether(java.util.List<AttributedString> lines, boolean isLineColored) {
                    AttributedStringBuilder all = new AttributedStringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        if (i > 0) all.append('\n');
                        all.append(lines.get(i));
                    }
                    print(all.toAttributedString(), isLineColored);
                }
            });
            // Ctrl-C while a command runs (a wait, a slow frag) stops that command, not wstap.
            Thread shellThread = Thread.currentThread();
            // Only while the shell runs: once it has ended, its thread goes on to close the sessions and
            // flush the console, which an interrupt would cut short (the closing line was lost so).
            java.util.concurrent.atomic.AtomicBoolean isRunning = new java.util.concurrent.atomic.AtomicBoolean(true);
            terminal.handle(Terminal.Signal.INT, signal -> {
                if (!isRunning.get()) return;
                // A command was running (readLine takes its own Ctrl-C): what it says next starts a line
                // of its own, not after the ^C the terminal echoed.
                if (!reader.isReading()) {
                    terminal.writer().println();
                    terminal.flush();
                }
                shellThread.interrupt();
            });
            runner.context().editing = new TerminalEditing(terminal, reader);
            PrintWriter above = new PrintWriter(new LinesAbove(reader), true);
            runner.setOutput(above, above);
            try {
                above.println("wstap shell: type help for the commands, Tab to complete, Ctrl-D or quit to leave");
                while (!runner.isQuitRequested()) {
                    String line;
                    try {
                        line = reader.readLine(prompt());
                    } catch (UserInterruptException e) {
                        // Ctrl-C: the line is dropped, the shell stays (unless stop() asked); at an empty
                        // prompt, where a user may have meant to leave, one line says how.
                        if (e.getPartialLine().isBlank() && !runner.isQuitRequested()) above.println("(Ctrl-D or quit to leave)");
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    runner.runLine(line);
                    Thread.interrupted(); // a Ctrl-C that came as the command ended is spent
                }
            } finally {
                isRunning.set(false);
                runner.context().editing = Editing.SCRIPTED;
                Thread.interrupted(); // a Ctrl-C (or stop()) that came as the shell ended is spent
                console.redirect(fallback);
                try {
                    reader.getHistory().save();
                } catch (IOException e) {
                    terminal.writer().println("wstap: cannot save the history in " + historyFile + ": " + e.getMessage());
                }
                this.terminal = null;
            }
        }
    }

    /** Ends the shell from another thread (the session of {@code connect} is over): as {@code quit} does. */
    public void stop() {
        runner.requestQuit();
        Terminal t = terminal;
        if (t != null) t.raise(Terminal.Signal.INT); // readLine gives up, or the running command is interrupted
    }

    /** {@code wstap #3> }: the session commands act on, when there is one ({@code #3 ended} when the one chosen has). */
    private AttributedString promptText() {
        String target = runner.context().target();
        AttributedStringBuilder b = new AttributedStringBuilder().style(AttributedStyle.BOLD).append("wstap");
        if (target != null) b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)).append(" " + target);
        return b.style(AttributedStyle.DEFAULT).append("> ").toAttributedString();
    }

    private String prompt() {
        AttributedString p = promptText();
        return isColored ? p.toAnsi() : p.toString();
    }

    private void createHistoryFolder() {
        try {
            Path parent = historyFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException ignored) {
            // Saving will say what is wrong.
        }
    }

    /**
     * The editor gets the terminal: the display holds its lines (they follow once the editor is
     * gone) and JLine stops reading keys until it ends.
     */
    private final class TerminalEditing implements Editing {
        private final Terminal terminal;
        private final LineReader reader;

        TerminalEditing(Terminal terminal, LineReader reader) {
            this.terminal = terminal;
            this.reader = reader;
        }

        @Override
        public void edit(Path file) throws IOException, InterruptedException {
            java.util.List<String> command = Editing.command(file);
            boolean wasPaused = console.isPaused();
            console.pause();
            terminal.pause(true);
            try {
                Editing.run(command, ProcessBuilder.Redirect.INHERIT);
            } finally {
                terminal.resume();
                if (!wasPaused) console.resume();
            }
        }

        @Override
        public Boolean confirm(String question) {
            try {
                String answer = reader.readLine(question).trim().toLowerCase(java.util.Locale.ROOT);
                return answer.equals("y") || answer.equals("yes");
            } catch (UserInterruptException | EndOfFileException e) {
                return false;
            }
        }
    }

    /** A writer whose every line goes above the prompt. */
    private static final class LinesAbove extends Writer {
        private final LineReader reader;
        private final StringBuilder line = new StringBuilder();

        LinesAbove(LineReader reader) {
            this.reader = reader;
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = cbuf[i];
                if (c == '\n') {
                    emit();
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        private void emit() {
            reader.printAbove(line.toString());
            line.setLength(0);
        }

        @Override
        public synchronized void flush() {
            if (!line.isEmpty()) emit();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
