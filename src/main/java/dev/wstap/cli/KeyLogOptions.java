package dev.wstap.cli;

import dev.wstap.tls.KeyLog;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --keylog FILE}, or the {@code SSLKEYLOGFILE} environment variable: where TLS secrets go, for Wireshark. */
final class KeyLogOptions {
    static final String VARIABLE = "SSLKEYLOGFILE";

    @Option(names = "--keylog", paramLabel = "FILE",
            description = "Append the TLS secrets of every connection, both legs, to FILE in the NSS key log format, so that "
                    + "Wireshark or tshark can decrypt a capture of the same traffic (default: $SSLKEYLOGFILE, when set). "
                    + "Anyone who can read FILE can read that traffic.")
    Path file;

    private KeyLog log;
    private boolean isOpened;

    /** The key log, opened on first use; null when neither --keylog nor SSLKEYLOGFILE asks for one. */
    KeyLog open() {
        if (isOpened) return log;
        isOpened = true;
        String variable = System.getenv(VARIABLE);
        Path chosen = file != null ? file : variable != null && !variable.isBlank() ? Path.of(variable) : null;
        if (chosen == null) return null;
        try {
            log = KeyLog.open(chosen);
        } catch (IOException e) {
            throw new WstapException(ExitCodes.USAGE, "cannot write the key log " + chosen + (file == null ? " (" + VARIABLE + ")" : "")
                    + ": " + e.getMessage(), e);
        }
        System.err.println("wstap: TLS secrets go to " + chosen + (file == null ? " (" + VARIABLE + ")" : "")
                + ": whoever reads it can decrypt this traffic");
        return log;
    }
}
