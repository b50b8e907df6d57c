package dev.wstap.cli;

/** What wstap exits with. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something went wrong at run time: a port in use, a file that cannot be written. */
    public static final int FAILURE = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** Stopped by Ctrl-C: 128 + SIGINT, as shells report a process that SIGINT ended. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
