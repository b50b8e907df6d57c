package dev.wstap.shell;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@code edit} reaches the user: runs their editor on a file, and asks a yes-or-no question.
 * The shell's version hands the terminal to the editor; in a script, the editor gets no input
 * and questions cannot be asked.
 */
interface Editing {
    /** Runs {@code $VISUAL} or {@code $EDITOR} on {@code file} and waits for it. */
    void edit(Path file) throws IOException, InterruptedException;

    /** The user's answer to {@code question}, or null when no one can be asked. */
    Boolean confirm(String question);

    /** Outside the interactive shell: the editor's output goes to the terminal, if any; its input is empty. */
    Editing SCRIPTED = new Editing() {
        @Override
        public void edit(Path file) throws IOException, InterruptedException {
            run(command(file), ProcessBuilder.Redirect.from(new File("/dev/null")));
        }

        @Override
        public Boolean confirm(String question) {
            return null;
        }
    };

    /** {@code sh -c '$EDITOR "$1"' sh FILE}: the variable may carry arguments ({@code code --wait}). */
    static List<String> command(Path file) {
        String editor = System.getenv("VISUAL");
        if (editor == null || editor.isBlank()) editor = System.getenv("EDITOR");
        if (editor == null || editor.isBlank()) {
            throw new CommandException("set $EDITOR (or $VISUAL) to your editor, or change the message with "
                    + "edit ID --text, --hex, --json-set or --replace");
        }
        return List.of("sh", "-c", editor + " \"$1\"", "sh", file.toString());
    }

    static void run(List<String> command, ProcessBuilder.Redirect input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(input).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
        if (status != 0) throw new CommandException("the editor (" + command.get(2) + ") exited with " + status + "; the message stays held");
    }
}
