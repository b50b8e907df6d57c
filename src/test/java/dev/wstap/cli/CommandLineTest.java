package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's contract: help that documents every option, one-line usage errors, exit codes. */
class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void proxyHelpDocumentsEveryOption() {
        assertEquals(0, run("proxy", "--help"));
        CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get("proxy").getCommandSpec();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            String name = option.negatable() ? "--[no-]" + option.longestName().substring(2) : option.longestName();
            assertTrue(out.toString().contains(name), "help lacks " + name);
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                    option.longestName() + " has no description");
        }
    }

    @Test
    void aMistypedOptionIsAUsageErrorWithSuggestions() {
        assertEquals(ExitCodes.USAGE, run("proxy", "--upstrem", "ws://127.0.0.1:9"));
        assertEquals("wstap: Unknown option: '--upstrem'\nPossible solutions: --upstream, --upstream-ca\n"
                + "Try 'wstap proxy --help' for more.", err.toString().strip());
    }

    @Test
    void anInterceptThatNothingCouldReleaseIsRefused() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--no-shell", "--intercept", "dir:c2s"));
        assertEquals("wstap: --intercept with --no-shell: no command can forward what is held; give --hold-timeout S "
                + "(and --on-timeout drop|close), or leave out --no-shell", err.toString().strip());
    }

    @Test
    void rulesOfHoldingWithoutAnInterceptAreAUsageError() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--no-shell", "--hold-timeout", "3"));
        assertEquals("wstap: --hold-control, --hold-timeout, --on-timeout and --hold-max are rules for --intercept", err.toString().strip());
    }

    @Test
    void aBadInterceptExpressionPointsAtTheMistake() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--intercept", "dir:sideways"));
        assertTrue(err.toString().contains("dir:sideways"), err.toString());
    }

    @Test
    void forwardModeOptionsInReverseModeAreAUsageError() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--proxy-auth", "u:p"));
        assertEquals("wstap: --proxy-auth, --no-intercept and --no-upstream-cert are for forward mode (no --upstream)", err.toString().strip());
    }

    @Test
    void aClientCertificateWithoutItsKeyOrForWsIsAUsageError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path cert = dir.resolve("c.pem");
        dev.wstap.testing.TlsContexts.writePem(new dev.wstap.tls.LeafCertificates(dev.wstap.tls.CertificateAuthority.loadOrCreate(dir.resolve("ca")), 2)
                .forHost("client.test"), cert, dir.resolve("k.pem"));
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "wss://127.0.0.1:9", "--client-cert", "api.test=" + cert));
        assertEquals("wstap: --client-cert api.test=" + cert + " needs --client-key api.test=FILE (or a .p12 file)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "wss://127.0.0.1:9", "--client-cert", cert.toString(), "--client-key", cert.toString()));
        assertTrue(err.toString().contains("holds no unencrypted PEM private key"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9", "--client-cert", cert.toString(), "--client-key", dir.resolve("k.pem").toString()));
        assertEquals("wstap: --insecure, --ca, --client-cert, --client-key and --keylog are for wss:// URLs", err.toString().strip());
    }

    @Test
    void aSocks5ListenerIsAForwardProxyOnly() {
        assertEquals(ExitCodes.USAGE, run("proxy", "--listen", "socks5://127.0.0.1:0", "-u", "ws://127.0.0.1:9"));
        assertEquals("wstap: a socks5:// listener is a forward proxy: it takes no --upstream and no --tls", err.toString().strip());
    }

    @Test
    void aBadUpstreamSchemeNamesTheValue() {
        assertEquals(ExitCodes.USAGE, run("proxy", "--upstream", "http//x"));
        assertTrue(err.toString().contains("'http//x' must start with ws:// or wss://"), err.toString());
    }

    @Test
    void anUnknownViewListsTheChoices() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--view", "fancy"));
        assertTrue(err.toString().contains("unknown view 'fancy' (use one of auto, text, json, hex, headers, messages)"), err.toString());
    }

    @Test
    void aBadListenPortNamesIt() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--listen", "127.0.0.1:70000"));
        assertEquals("wstap: --listen: port 70000 is outside 0-65535", err.toString().strip());
    }

    @Test
    void theProxyListensOnLoopbackUnlessToldOtherwise() {
        CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get("proxy").getCommandSpec();
        assertEquals("127.0.0.1:8080", spec.findOption("--listen").defaultValue());
        assertEquals("127.0.0.1", Addresses.listen("--listen", "9000").host(), "a bare port is on loopback too");
    }

    @Test
    void anUpstreamThatIsTheProxyItselfIsAUsageError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(ExitCodes.USAGE, run("proxy", "--listen", "127.0.0.1:" + port, "--upstream", "ws://localhost:" + port + "/chat"));
        assertEquals("wstap: --upstream: the upstream ws://localhost:" + port + "/chat is wstap's own listen address (127.0.0.1:"
                + port + "): every connection would loop back into wstap", err.toString().strip());
    }

    @Test
    void aNegativeSessionLimitIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run("proxy", "-u", "ws://127.0.0.1:9", "--max-sessions", "-1"));
        assertEquals("wstap: --max-sessions -1 is negative (0: no limit)", err.toString().strip());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        dev.wstap.tls.CertificateAuthority.loadOrCreate(dir.resolve("a"));
        dev.wstap.tls.CertificateAuthority.loadOrCreate(dir.resolve("b"));
        String cert = dir.resolve("a/ca.pem").toString();
        String otherKey = dir.resolve("b/ca-key.pem").toString();
        assertEquals(ExitCodes.FAILURE, run("proxy", "-l", "127.0.0.1:0", "--tls", "--cert", cert, "--key", otherKey, "-u", "ws://127.0.0.1:9"));
        assertTrue(err.toString().startsWith("wstap: cannot use --cert " + cert + " --key " + otherKey + ": the key in " + otherKey
                + " is not the key of the certificate in " + cert), err.toString());
    }

    @Test
    void anHttpUrlIsTakenAsItsWebSocketTwinWithANote() {
        java.io.PrintStream was = System.err;
        java.io.ByteArrayOutputStream note = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(note, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals("wss://example.com/chat", Addresses.url("--upstream", "https://example.com/chat").toString());
        } finally {
            System.setErr(was);
        }
        assertEquals("wstap: note: --upstream https://example.com/chat is taken as wss://example.com/chat (a WebSocket is "
                + "reached over HTTP; say ws:// or wss://)", note.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
    }

    @Test
    void versionNamesTheJavaRuntime() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("wstap "), out.toString());
        assertTrue(out.toString().contains("Java " + System.getProperty("java.version")), out.toString());
    }

    @Test
    void everyReplayAndProbeOptionIsDescribed() {
        for (String command : new String[] {"replay", "probe"}) {
            CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get(command).getCommandSpec();
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        command + " " + option.longestName() + " has no description");
            }
        }
    }

    @Test
    void probeUsageErrorsSayWhatToGive() {
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9/", "--only", "x.1"));
        assertEquals("wstap: 'x.1' is not a case id or pattern: say 5.*, 6.2.* or 1.1.8", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9/", "--only", "8.*"));
        assertEquals("wstap: --only and --exclude leave no case to run (a pattern names whole ids: 1.1.* for 1.1.1 to 1.1.8)",
                err.toString().strip());
        err.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9/", "--only", "1.1.1"));
        assertTrue(err.toString().startsWith("wstap: cannot probe ws://127.0.0.1:9/: "), "one line, not a failure a case: " + err);
        err.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9/", "--serve", "0"));
        assertEquals("wstap: --serve tests clients: give no URL", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe"));
        assertEquals("wstap: give the URL of the server's echo endpoint, or --serve [HOST:]PORT to test clients", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("probe", "ws://127.0.0.1:9/", "--fail-on", "warnings"));
        assertTrue(err.toString().contains("'warnings': say failed or non-strict"), err.toString());
    }

    @Test
    void replayUsageErrorsSayWhatToGive(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("empty.jsonl");
        java.nio.file.Files.writeString(log, "");
        String[][] cases = {
            {"replay", log.toString(), "--as", "client"},
            {"replay", log.toString(), "--as", "server"},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--timing", "lockstep", "--speed", "2"},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--ignore", "/ts"},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/"},
            {"replay", dir.resolve("none.jsonl").toString(), "--as", "client", "ws://127.0.0.1:9/"},
            {"replay", log.toString(), "--as", "server", "--listen", "0", "-H", "X-A: b"},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--capture", "a=/x", "--capture", "a=/y"},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--junit", dir.resolve("no/r.xml").toString()},
            {"replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--speed", "0"},
        };
        String[] said = {
            "wstap: --as client needs the URL of the server to connect to",
            "wstap: --as server needs --listen [HOST:]PORT",
            "wstap: --speed is for --timing original; --timing lockstep does not use it",
            "wstap: --ignore is for --expect-same",
            "wstap: " + log + " has no WebSocket session (no \"open\" record)",
            "wstap: there is no log " + dir.resolve("none.jsonl"),
            "wstap: -H, --subprotocol, --origin, --ca and --insecure are for --as client: --as server answers with what the "
                    + "recorded server answered",
            "wstap: --capture a is given twice: one value a name",
            "wstap: --junit " + dir.resolve("no/r.xml") + ": there is no directory " + dir.resolve("no"),
            "wstap: --speed 0 must be above 0: 2 is twice as fast, 0.5 half as fast",
        };
        for (int i = 0; i < cases.length; i++) {
            err.getBuffer().setLength(0);
            assertEquals(ExitCodes.USAGE, run(cases[i]), String.join(" ", cases[i]));
            assertEquals(said[i], err.toString().strip());
        }
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run("replay", log.toString(), "--as", "client", "ws://127.0.0.1:9/", "--capture", "sid"));
        assertTrue(err.toString().contains("'sid': say NAME=/json/pointer, e.g. token=/session/id"), err.toString());
    }

    @Test
    void logPayloadFullGivesObserversWholePayloads() {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("proxy", "-u", "ws://127.0.0.1:9", "--log-payload", "full");
        ProxyCommand proxy = cl.getSubcommands().get("proxy").getCommand();
        assertEquals(64 << 20, proxy.log.previewBytes(proxy.console));
        cl = Main.commandLine();
        cl.parseArgs("proxy", "-u", "ws://127.0.0.1:9", "--max-preview", "10");
        proxy = cl.getSubcommands().get("proxy").getCommand();
        assertEquals(10, proxy.log.previewBytes(proxy.console));
    }
}
