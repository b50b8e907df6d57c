package dev.wstap.cli;

import picocli.CommandLine;

/** The entry point: runs the picocli command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int code = cl.execute(args);
        // picocli's writers flush on println only; whatever a command print()ed must not be lost to exit.
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
    }

    /**
     * picocli's message, except that an unknown option is named alone: picocli also lists the value
     * that followed it ({@code --upstrem ws://...}) as an unmatched argument, which it is only because
     * the option was not known.
     */
    private static String problem(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            java.util.List<String> options = u.getUnmatched().stream().filter(a -> a.startsWith("-") && a.length() > 1).toList();
            if (!options.isEmpty() && options.size() < u.getUnmatched().size()) {
                return "Unknown option" + (options.size() == 1 ? "" : "s") + ": "
                        + String.join(", ", options.stream().map(o -> "'" + o + "'").toList());
            }
        }
        return e.getMessage();
    }

    /** The whole command tree, with wstap's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new WstapCommand());
        // The filter language's reference ends the filter command's help and man page; it is kept in one place.
        cl.getSubcommands().get("filter").getCommandSpec().usageMessage().footer(FilterCommand.footer());
        // An expression may begin with '-' (wstap filter -op:ping): such a word is a term, not an unknown option.
        cl.getSubcommands().get("filter").setUnmatchedOptionsArePositionalParams(true);
        cl.setParameterExceptionHandler((e, args) -> {
            var err = e.getCommandLine().getErr();
            err.println("wstap: " + problem(e));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean isVerbose = parseResult.hasMatchedOption("--verbose");
            if (isVerbose) e.printStackTrace();
            if (e instanceof WstapException w) {
                commandLine.getErr().println("wstap: " + w.getMessage());
                return w.exitCode();
            }
            commandLine.getErr().println("wstap: " + e + (isVerbose ? "" : " (run with --verbose for details)"));
            return ExitCodes.FAILURE;
        });
        return cl;
    }
}
