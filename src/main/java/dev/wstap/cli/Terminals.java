package dev.wstap.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, on Java 21 and on 22+ (where {@code System.console()} is never null). */
final class Terminals {
    private Terminals() {}

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
}
