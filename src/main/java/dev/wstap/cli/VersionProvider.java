package dev.wstap.cli;

import picocli.CommandLine;

/** {@code wstap 0.1.0 (Java 21.0.5, Eclipse Adoptium)}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"wstap " + version() + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")"};
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
