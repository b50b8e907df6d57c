package dev.wstap.cli;

import dev.wstap.rules.RuleFileException;
import dev.wstap.rules.Rules;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** {@code --rules FILE} and {@code --seed N}, shared by {@code proxy} and {@code connect}. */
final class RuleOptions {
    @Option(names = "--rules", paramLabel = "FILE",
            description = "Apply the match-and-replace and fault rules in this YAML file (docs/rules.md); it is read again "
                    + "when it changes, and a bad edit keeps the rules in force.")
    Path file;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed the rules' probabilities, so that a run hits the same frames again (default: a random seed, "
                    + "printed at start).")
    Long seed;

    /**
     * The rules from the file, or empty rules when there is none (the shell may add some);
     * {@code say} takes the lines about reloads.
     */
    Rules rules(Consumer<String> say) {
        long s = seed != null ? seed : new SecureRandom().nextLong();
        Rules rules = new Rules(s, say);
        if (file != null) {
            try {
                rules.load(file);
            } catch (RuleFileException e) {
                throw new WstapException(ExitCodes.USAGE, "--rules " + e.getMessage());
            }
        }
        return rules;
    }

    /** The start-up line: {@code rules: 3 from rules.yaml (seed 42)}, or null without a file. */
    String describe(Rules rules) {
        if (file == null) return null;
        int n = rules.active().size();
        return "rules: " + n + " rule" + (n == 1 ? "" : "s") + " from " + file + " (seed " + rules.seed() + ")";
    }
}
