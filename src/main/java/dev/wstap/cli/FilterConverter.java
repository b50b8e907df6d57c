package dev.wstap.cli;

import dev.wstap.filter.Expr;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import java.util.Iterator;
import picocli.CommandLine;

/** {@code --filter EXPR}: the filter language, compiled as the option is read; a mistake is shown with a caret under it. */
final class FilterConverter implements CommandLine.ITypeConverter<Expr> {
    @Override
    public Expr convert(String value) {
        try {
            return FilterParser.parse(value);
        } catch (FilterSyntaxException e) {
            throw new CommandLine.TypeConversionException(e.pointing());
        }
    }

    /** The field names, for completion after {@code --filter}. */
    static final class Fields implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return FilterParser.FIELDS.iterator();
        }
    }
}
