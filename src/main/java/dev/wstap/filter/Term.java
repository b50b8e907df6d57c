package dev.wstap.filter;

/** One condition of the filter language, such as {@code dir:c2s} or {@code body~/error/i}. */
public non-sealed interface Term extends Expr {
    /** What it matches, in words, for {@code explain}. */
    String describe();

    @Override
    default boolean needsSession() {
        return false;
    }
}
