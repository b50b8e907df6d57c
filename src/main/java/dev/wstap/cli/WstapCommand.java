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
        subcommands = {ProxyCommand.class, ConnectCommand.class, ViewCommand.class, EchoCommand.class, DemoCommand.class, CaCommand.class, HelpCommand.class},
        footer = {"", "Start with: wstap demo", "Then: wstap proxy --upstream ws://127.0.0.1:9001"})
public final class WstapCommand {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean isVerbose;
}
