package dev.wstap.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion scripts for bash, zsh and fish, all from the picocli command model: subcommands,
 * options with their descriptions, and option values where the model names them (view modes,
 * opcodes, directions). bash comes from picocli's own generator; zsh and fish are written here
 * from the same model, since picocli has no generator for them.
 */
final class ShellCompletions {
    private ShellCompletions() {}

    static String bash(CommandLine root) {
        return AutoComplete.bash(root.getCommandName(), root);
    }

    /** A {@code #compdef} function for zsh's completion system ({@code _wstap} on the fpath). */
    static String zsh(CommandLine root) {
        StringBuilder s = new StringBuilder();
        s.append("#compdef ").append(root.getCommandName()).append("\n");
        s.append("# Generated from wstap's command model; regenerate with bin/gen-docs.\n\n");
        function(s, root, "_" + root.getCommandName());
        s.append("_").append(root.getCommandName()).append(" \"$@\"\n");
        return s.toString();
    }

    private static void function(StringBuilder s, CommandLine cl, String name) {
        Map<String, CommandLine> subs = visible(cl);
        s.append(name).append("() {\n");
        if (subs.isEmpty()) {
            s.append("  _arguments -s -S \\\n");
            for (String spec : argumentSpecs(cl.getCommandSpec())) s.append("    ").append(spec).append(" \\\n");
            s.append("    && return 0\n}\n\n");
            return;
        }
        s.append("  local curcontext=\"$curcontext\" state line\n");
        s.append("  typeset -A opt_args\n");
        s.append("  _arguments -C \\\n");
        for (String spec : argumentSpecs(cl.getCommandSpec())) s.append("    ").append(spec).append(" \\\n");
        s.append("    '1: :->command' \\\n    '*:: :->argument' && return 0\n");
        s.append("  case $state in\n    command)\n      local -a commands\n      commands=(\n");
        for (var e : subs.entrySet()) {
            s.append("        ").append(quote(e.getKey() + ":" + firstLine(e.getValue().getCommandSpec().usageMessage().description()))).append("\n");
        }
        s.append("      )\n      _describe -t commands 'command' commands\n      ;;\n    argument)\n      case $line[1] in\n");
        for (String sub : subs.keySet()) s.append("        ").append(sub).append(") ").append(name).append("_").append(sub.replace('-', '_')).append(" ;;\n");
        s.append("      esac\n      ;;\n  esac\n}\n\n");
        for (var e : subs.entrySet()) function(s, e.getValue(), name + "_" + e.getKey().replace('-', '_'));
    }

    private static List<String> argumentSpecs(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String description = escapeZsh(firstLine(o.description()));
            String value = "";
            if (o.arity().max() > 0) {
                List<String> candidates = candidates(o.completionCandidates());
                String label = escapeZsh(o.paramLabel());
                value = ":" + label + ":" + (candidates.isEmpty() ? (isFile(o) ? "_files" : " ") : "(" + String.join(" ", candidates) + ")");
            }
            String repeat = o.isMultiValue() ? "*" : "";
            if (o.names().length == 1) {
                out.add(quote(repeat + o.names()[0] + "[" + description + "]" + value));
            } else {
                String exclusion = o.isMultiValue() ? "" : "(" + String.join(" ", o.names()) + ")";
                out.add(quote(exclusion + repeat) + "{" + String.join(",", o.names()) + "}" + quote("[" + description + "]" + value));
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            List<String> candidates = candidates(p.completionCandidates());
            String action = candidates.isEmpty() ? (p.paramLabel().contains("FILE") ? "_files" : " ") : "(" + String.join(" ", candidates) + ")";
            out.add(quote((p.isMultiValue() ? "*" : "") + ":" + escapeZsh(p.paramLabel()) + ":" + action));
        }
        return out;
    }

    /** Completions for fish ({@code wstap.fish} in a {@code completions} or {@code vendor_completions.d} folder). */
    static String fish(CommandLine root) {
        StringBuilder s = new StringBuilder("# Generated from wstap's command model; regenerate with bin/gen-docs.\n");
        String name = root.getCommandName();
        s.append("complete -c ").append(name).append(" -f\n");
        fishCommand(s, name, root, List.of());
        return s.toString();
    }

    private static void fishCommand(StringBuilder s, String name, CommandLine cl, List<String> path) {
        Map<String, CommandLine> subs = visible(cl);
        String here = condition(path, subs.keySet());
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.hidden()) continue;
            s.append("complete -c ").append(name).append(" -n ").append(fishQuote(here));
            for (String n : o.names()) {
                if (n.startsWith("--")) s.append(" -l ").append(n.substring(2));
                else if (n.length() == 2) s.append(" -s ").append(n.substring(1));
                else s.append(" -o ").append(n.substring(1));
            }
            if (o.arity().max() > 0) {
                List<String> candidates = candidates(o.completionCandidates());
                if (!candidates.isEmpty()) s.append(" -x -a ").append(fishQuote(String.join(" ", candidates)));
                else if (isFile(o)) s.append(" -r -F");
                else s.append(" -x");
            }
            s.append(" -d ").append(fishQuote(firstLine(o.description()))).append("\n");
        }
        boolean isFileArgument = cl.getCommandSpec().positionalParameters().stream()
                .anyMatch(p -> p.type() == java.nio.file.Path.class || p.paramLabel().contains("FILE")
                        || (p.auxiliaryTypes().length > 0 && p.auxiliaryTypes()[0] == java.nio.file.Path.class));
        if (isFileArgument && !path.isEmpty()) {
            s.append("complete -c ").append(name).append(" -n ").append(fishQuote(here)).append(" -F\n");
        }
        for (var e : subs.entrySet()) {
            s.append("complete -c ").append(name).append(" -n ").append(fishQuote(here)).append(" -a ").append(e.getKey())
                    .append(" -d ").append(fishQuote(firstLine(e.getValue().getCommandSpec().usageMessage().description()))).append("\n");
        }
        for (var e : subs.entrySet()) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(e.getKey());
            fishCommand(s, name, e.getValue(), deeper);
        }
    }

    /** A fish condition: the subcommands on the path were typed, and none of {@code next} yet. */
    private static String condition(List<String> path, java.util.Set<String> next) {
        List<String> parts = new ArrayList<>();
        if (path.isEmpty()) {
            parts.add("__fish_use_subcommand");
        } else {
            for (String p : path) parts.add("__fish_seen_subcommand_from " + p);
            if (!next.isEmpty()) parts.add("not __fish_seen_subcommand_from " + String.join(" ", next));
        }
        return String.join("; and ", parts);
    }

    private static Map<String, CommandLine> visible(CommandLine cl) {
        Map<String, CommandLine> out = new java.util.LinkedHashMap<>();
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandSpec().usageMessage().hidden()) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static boolean isFile(OptionSpec o) {
        return o.type() == java.nio.file.Path.class || o.type() == java.io.File.class || o.paramLabel().contains("FILE")
                || o.paramLabel().contains("DIR");
    }

    private static List<String> candidates(Iterable<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) values.forEach(out::add);
        return out;
    }

    private static String firstLine(String[] description) {
        String d = String.join(" ", description).replace("%n", " ").strip();
        if (d.isEmpty()) return "";
        d = d.replace("${DEFAULT-VALUE}", "").replace("${COMPLETION-CANDIDATES}", "");
        int end = d.indexOf(". ");
        return (end > 0 ? d.substring(0, end) : d).replaceAll("\\s*\\(default: \\)", "").replaceAll("\\.$", "").strip();
    }

    private static String escapeZsh(String s) {
        return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String fishQuote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
