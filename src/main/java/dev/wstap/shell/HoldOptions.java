package dev.wstap.shell;

import dev.wstap.filter.Expr;
import dev.wstap.intercept.Intercept;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The rules of holding (docs/intercept.md), as options of {@code wstap proxy} and of the shell's
 * {@code intercept} (a picocli mixin): options not given keep what was set before.
 */
public final class HoldOptions {
    @Option(names = "--hold-control", negatable = true,
            description = "Hold matching pings, pongs and closes too, and let no control frame pass a held message "
                    + "(by default they keep flowing, so peers' keep-alives go on).")
    Boolean isControlHeld;

    @Option(names = "--hold-timeout", paramLabel = "S",
            description = "Release (or, with --on-timeout, drop or close) a message held longer than S seconds (default: no limit).")
    Double holdTimeoutSeconds;

    @Option(names = "--on-timeout", paramLabel = "release|drop|close", converter = OnTimeoutConverter.class,
            completionCandidates = OnTimeoutConverter.Names.class,
            description = "What --hold-timeout does: release the message (the default), drop it, or drop it and close the session with 1001.")
    Intercept.OnTimeout onTimeout;

    @Option(names = "--hold-max", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Bytes that may wait per direction, held or behind a held message, before the oldest held "
                    + "messages are released (default: 16MiB).")
    Long holdMaxBytes;

    /** The settings that hold {@code expr} (null: nothing), with these options over {@code before}'s. */
    public Intercept.Settings settings(Expr expr, Intercept.Settings before) {
        Duration timeout = before.holdTimeout();
        if (holdTimeoutSeconds != null) {
            if (!(holdTimeoutSeconds > 0)) throw new IllegalArgumentException("--hold-timeout " + holdTimeoutSeconds + ": give more than 0 seconds");
            timeout = Duration.ofNanos((long) (holdTimeoutSeconds * 1e9));
        }
        if (onTimeout != null && timeout == null) {
            throw new IllegalArgumentException("--on-timeout " + onTimeout.name().toLowerCase(Locale.ROOT) + " needs --hold-timeout S");
        }
        if (holdMaxBytes != null && holdMaxBytes < 1) throw new IllegalArgumentException("--hold-max " + holdMaxBytes + ": give at least 1 byte");
        return new Intercept.Settings(expr, isControlHeld != null ? isControlHeld : before.isControlHeld(), timeout,
                onTimeout != null ? onTimeout : before.onTimeout(), holdMaxBytes != null ? holdMaxBytes : before.holdMaxBytes());
    }

    public boolean isGiven() {
        return isControlHeld != null || holdTimeoutSeconds != null || onTimeout != null || holdMaxBytes != null;
    }

    /** {@code release}, {@code drop}, {@code close}, in any case. */
    public static final class OnTimeoutConverter implements CommandLine.ITypeConverter<Intercept.OnTimeout> {
        @Override
        public Intercept.OnTimeout convert(String value) {
            try {
                return Intercept.OnTimeout.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': say release, drop or close");
            }
        }

        /** Completion candidates. */
        public static final class Names extends java.util.ArrayList<String> {
            public Names() {
                super(List.of("release", "drop", "close"));
            }
        }
    }
}
