package dev.wstap.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "wstap", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "A WebSocket man-in-the-middle debugging proxy for the terminal.",
            "",
            "wstap sits between a WebSocket client and its server, forwards every frame byte for byte, and shows it: "
                    + "opcode, FIN, RSV bits, mask key, length, protocol violations, and the payload as text, JSON or hex."},
        subcommands = {ProxyCommand.class, ConnectCommand.class, ReplayCommand.class, ProbeCommand.class, ViewCommand.class, FilterCommand.class, EchoCommand.class, DemoCommand.class, CaCommand.class, HelpCommand.class},
        footer = {
            "",
            "Examples:",
            "  wstap demo",
            "  wstap proxy --upstream ws://127.0.0.1:9001 --log traffic.jsonl",
            "  wstap connect ws://127.0.0.1:9001/chat",
            "  wstap view traffic.jsonl --filter 'dir:s2c body~/error/i'",
            "  wstap replay traffic.jsonl --as client ws://127.0.0.1:9001/ --expect-same",
            "  wstap probe ws://127.0.0.1:9001/ --html probe.html",
            "",
            "Files:",
            "  ~/.wstap/ca.pem, ~/.wstap/ca-key.pem",
            "      the CA that signs the certificates of intercepted hosts",
            "  ~/.wstap/history",
            "      the shell's command history",
            "",
            "Environment:",
            "  WSTAP_HOME   where wstap keeps its files instead of ~/.wstap",
            "  NO_COLOR     when set and not empty, no colours",
            "  JAVA_HOME    the Java 21+ that bin/wstap runs wstap with (else java on",
            "               PATH, else the newest under /usr/lib/jvm)",
            "  WSTAP_JAVA_OPTS  more options for that Java, after the launcher's own:",
            "               -Xmx1g raises the 300 MB heap ceiling, for more than about",
            "               10,000 sessions at once"})
public final class WstapCommand {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean isVerbose;
}
