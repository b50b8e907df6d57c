package dev.wstap.filter;

import java.util.ArrayList;
import java.util.List;

/** How an expression was read, as indented lines: {@code explain EXPR} in the shell, {@code wstap filter --explain}. */
public final class Explain {
    private Explain() {}

    /** The lines; the first says the expression back as the language writes it. */
    public static List<String> lines(Expr expr) {
        List<String> out = new ArrayList<>();
        if (expr == null) {
            out.add("everything (an empty filter)");
            return out;
        }
        out.add(expr.text());
        tree(expr, "  ", out);
        out.add("Every record is tested; a term about something a record does not have (an opcode, for a session's open "
                + "record) is false for it.");
        return out;
    }

    private static void tree(Expr e, String indent, List<String> out) {
        switch (e) {
            case Expr.All all -> {
                out.add(indent + "all of:");
                for (Expr p : all.parts()) tree(p, indent + "  ", out);
            }
            case Expr.Any any -> {
                out.add(indent + "any of:");
                for (Expr p : any.parts()) tree(p, indent + "  ", out);
            }
            case Expr.Not not -> {
                out.add(indent + "not:");
                tree(not.inner(), indent + "  ", out);
            }
            case Term t -> out.add(indent + t.text() + "  — " + t.describe());
        }
    }
}
