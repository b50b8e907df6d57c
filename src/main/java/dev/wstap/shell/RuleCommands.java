package dev.wstap.shell;

import dev.wstap.rules.Rule;
import dev.wstap.rules.RuleFileException;
import dev.wstap.rules.RuleParser;
import dev.wstap.rules.Rules;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The shell's commands for rules (docs/rules.md): {@code rules [reload|on|off]}, {@code rule add|rm}. */
final class RuleCommands {
    private RuleCommands() {}

    static Rules rules(ShellContext ctx) {
        if (ctx.rules == null) throw new CommandException("rules are not available here");
        return ctx.rules;
    }

    /** {@code 1  "slow server"  when dir:s2c op:text  delay 200 ms  12 hits of 40 matches}. */
    static String describe(Rules.Active a, int index) {
        Rule r = a.rule();
        String limits = (r.probability() < 1 ? "  probability " + r.probability() : "") + (r.count() > 0 ? "  count " + r.count() : "")
                + (r.after() > 0 ? "  after " + r.after() : "");
        return index + "  " + a.label() + "  when " + r.when() + "  " + r.describeActions() + limits + "  "
                + a.hits() + " hit" + (a.hits() == 1 ? "" : "s") + " of " + a.matches() + " match" + (a.matches() == 1 ? "" : "es");
    }

    /**
     * The actions of {@code rule add}: the shell splits {@code replace={regex: a, with: b}} at its
     * spaces; the words are joined again and split only at spaces outside braces, brackets and quotes.
     */
    static List<String> actionWords(List<String> words) {
        String all = String.join(" ", words);
        List<String> out = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (char c : all.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ' ' && depth == 0) {
                if (!word.isEmpty()) out.add(word.toString());
                word.setLength(0);
                continue;
            }
            word.append(c);
        }
        if (!word.isEmpty()) out.add(word.toString());
        return out;
    }

    @Command(name = "rules", description = "List the rules with their hits; rules reload reads the rule file again, "
            + "rules off stops applying them (rules on starts again).")
    static final class RulesCommand extends ShellCommands.ContextCommand {
        @Parameters(arity = "0..1", paramLabel = "reload|on|off", completionCandidates = Candidates.RuleVerbs.class,
                description = "What to do (without it, the list).")
        String verb;

        RulesCommand(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Rules rules = rules(ctx);
            if (verb != null) {
                switch (verb) {
                    case "reload" -> {
                        try {
                            rules.reload();
                        } catch (RuleFileException e) {
                            throw new CommandException(e.getMessage() + "; " + Rules.inForce(rules.active().size()));
                        }
                    }
                    case "on" -> rules.on(true);
                    case "off" -> rules.on(false);
                    default -> throw new CommandException("rules " + verb + ": say reload, on or off (or nothing, for the list)");
                }
            }
            List<Rules.Active> all = rules.active();
            out().println((rules.isOn() ? "rules on" : "rules off") + ": " + all.size() + " rule" + (all.size() == 1 ? "" : "s")
                    + (rules.file() == null ? "" : " from " + rules.file()) + " (seed " + rules.seed() + ")");
            for (int i = 0; i < all.size(); i++) out().println(describe(all.get(i), i + 1));
            out().flush();
            return 0;
        }
    }

    @Command(name = "rule", description = {"Add or remove a rule for a quick experiment: rule add 'WHEN' -- ACTION... "
            + "(each ACTION a key, or key=VALUE: drop, delay=200ms, duplicate=2, close=1001, answer_ping, "
            + "replace={regex: secret, with: x}); rule rm N. Rules added here are gone when wstap stops, "
            + "or when the rule file is read again."})
    static final class RuleCommand extends ShellCommands.ContextCommand {
        @Parameters(arity = "1..*", paramLabel = "add WHEN -- ACTION...|rm N", description = "What to do.")
        List<String> words = List.of();

        RuleCommand(ShellContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Rules rules = rules(ctx);
            switch (words.get(0)) {
                case "add" -> {
                    int dashes = words.indexOf("--");
                    if (dashes < 2 || dashes == words.size() - 1) {
                        throw new CommandException("say rule add 'WHEN' -- ACTION..., e.g. rule add 'dir:s2c op:pong' -- drop");
                    }
                    String when = String.join(" ", words.subList(1, dashes));
                    try {
                        Rule rule = RuleParser.fromWords(when, actionWords(words.subList(dashes + 1, words.size())), rules.active().size() + 1);
                        rules.add(rule);
                    } catch (RuleFileException e) {
                        throw new CommandException(e.getMessage());
                    }
                    List<Rules.Active> all = rules.active();
                    say("added " + describe(all.get(all.size() - 1), all.size()));
                }
                case "rm" -> {
                    if (words.size() != 2 || !words.get(1).matches("\\d{1,9}")) throw new CommandException("say rule rm N (see: rules)");
                    try {
                        Rule gone = rules.remove(Integer.parseInt(words.get(1)));
                        say("removed rule " + words.get(1) + (gone.name() == null ? "" : " (\"" + gone.name() + "\")") + ": when "
                                + gone.when() + ", " + gone.describeActions());
                    } catch (IllegalArgumentException e) {
                        throw new CommandException(e.getMessage());
                    }
                }
                default -> throw new CommandException("rule " + words.get(0) + ": say add or rm");
            }
            return 0;
        }
    }
}
