package dev.wstap.rules;

/** A rule file that cannot be used: where ({@code rules.yaml:12}) and what is wrong, in one sentence. */
public final class RuleFileException extends Exception {
    public RuleFileException(String where, String problem) {
        super(where + ": " + problem);
    }
}
