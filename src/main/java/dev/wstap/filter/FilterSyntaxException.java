package dev.wstap.filter;

/**
 * A filter expression that does not parse: where (a column of the expression) and what was
 * expected there. {@link #pointing} renders it as the expression with a caret under that column.
 */
public final class FilterSyntaxException extends IllegalArgumentException {
    private final String expression;
    private final int column;
    private final String problem;

    FilterSyntaxException(String expression, int column, String problem) {
        super(problem + " (at column " + (column + 1) + " of '" + expression + "')");
        this.expression = expression;
        this.column = Math.max(0, Math.min(column, expression.length()));
        this.problem = problem;
    }

    public String expression() {
        return expression;
    }

    /** Where the expression went wrong, counted from 0; the expression's length when it ended too soon. */
    public int column() {
        return column;
    }

    /** What is wrong and what was expected, without the position. */
    public String problem() {
        return problem;
    }

    /**
     * What is wrong and what was expected, then two lines indented by two spaces: the expression,
     * and a caret under the offending column.
     */
    public String pointing() {
        return problem + "\n  " + expression + "\n  " + " ".repeat(column) + "^";
    }
}
