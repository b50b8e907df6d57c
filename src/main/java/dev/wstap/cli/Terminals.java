package dev.wstap.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** Whether wstap talks to a terminal, on Java 21 and on 22+ (where {@code System.console()} is never null). */
final class Terminals {
    private Terminals() {}

    /** Standard input and output are both a terminal (Java's console is one). */
    static boolean isStdoutTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only when both ends are a terminal.
        }
    }

    /**
     * Standard input is a terminal, whatever standard output is. Asked of JLine's exec provider
     * ({@code test -t 0}), which needs no native access; false when it cannot tell.
     */
    static boolean isStdinTerminal() {
        try {
            return TerminalProvider.load("exec").isSystemStream(SystemStream.Input);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
