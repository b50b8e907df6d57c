package dev.wstap.cli;

import dev.wstap.filter.Explain;
import dev.wstap.filter.Expr;
import dev.wstap.filter.FilterHelp;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wstap filter EXPR}: checks a filter expression, says it back, and with --explain how it was read. */
@Command(name = "filter", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Check a filter expression before using it with --filter (proxy, connect, view) or in the shell (filter, wait frame, "
                    + "expect frame): say it back as wstap reads it, or with --explain, term by term. A mistake is shown with a "
                    + "caret under it, and the exit code is 2.",
            ""})
final class FilterCommand implements Callable<Integer> {
    @Option(names = "--explain", description = "Say how the expression is read: its structure and what each term matches.")
    boolean isExplain;

    @Parameters(arity = "1..*", paramLabel = "EXPR", description = "The expression; several words are joined with spaces.")
    List<String> words = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String text = String.join(" ", words);
        Expr expr;
        try {
            expr = FilterParser.parse(text);
        } catch (FilterSyntaxException e) {
            throw new WstapException(ExitCodes.USAGE, "bad filter: " + e.pointing());
        }
        var out = spec.commandLine().getOut();
        if (isExplain) {
            for (String line : Explain.lines(expr)) out.println(line);
        } else {
            out.println(expr == null ? "everything (an empty filter)" : expr.text());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The language itself, as the command's help and man page end. */
    static String[] footer() {
        List<String> lines = new ArrayList<>(List.of("", "The filter language:"));
        lines.addAll(FilterHelp.LINES);
        lines.addAll(List.of("", "More in docs/filters.md (installed: PREFIX/share/doc/wstap/filters.md).", "", "Examples:",
                "  wstap filter --explain 'dir:s2c op:text body~/token-[0-9]+/'",
                "  wstap filter 'json:/type==\"subscribe\" or op:ping'",
                "  wstap view traffic.jsonl --filter 'sess:3 (viol or len:>64k)'"));
        return lines.toArray(new String[0]);
    }
}
