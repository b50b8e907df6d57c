package dev.wstap.cli;

import dev.wstap.render.ViewMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine;

/** Lower-case view names on the command line: {@code --view hex}. */
final class ViewModeConverter implements CommandLine.ITypeConverter<ViewMode> {
    @Override
    public ViewMode convert(String value) {
        try {
            return ViewMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("unknown view '" + value + "' (use one of " + String.join(", ", new Names()) + ")");
        }
    }

    /** The names for help and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ViewMode.values()).map(ViewMode::label).iterator();
        }
    }
}
