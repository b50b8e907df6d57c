package dev.wstap.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.http.WsUrl;
import dev.wstap.probe.CaseDriver;
import dev.wstap.probe.CaseRun;
import dev.wstap.probe.Observed;
import dev.wstap.probe.Suite;
import dev.wstap.replay.JunitReport;
import dev.wstap.replay.Replayer;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Test a WebSocket server's conformance with the Autobahn|Testsuite's cases, and say case by case where it breaks RFC 6455.",
            "",
            "Like Autobahn's fuzzingclient, it expects an echo endpoint: every message is sent back as it came. Point it at "
                    + "your server's echo route (URL's path, -H for what the route needs). Each case runs on a connection of its "
                    + "own and is judged as Autobahn judges it: the behaviour OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED or "
                    + "FAILED, and the close OK, WRONG CODE, UNCLEAN, FAILED BY CLIENT or FAILED.",
            "",
            "Families: 1 framing, 2 ping/pong, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8 handling, "
                    + "7 close handling, 9 limits and performance, 10 miscellaneous, 12 and 13 permessage-deflate (RFC 7692; "
                    + "UNIMPLEMENTED where the server agrees to no compression): 517 cases with Autobahn's ids, 9, 12 and 13 "
                    + "scaled down unless --full. --serve tests clients instead."},
        footer = {
            "",
            "Examples:",
            "  wstap probe ws://127.0.0.1:9001/",
            "  wstap probe ws://127.0.0.1:9001/echo --only '5.*' --jobs 4 --junit probe.xml",
            "  wstap probe --serve 9001 --json clients.json    # then run your Autobahn client driver",
            "",
            "Exit code: 0 when no case FAILED (behaviour or close), 1 when one did (--fail-on non-strict: or was not strict), "
                    + "2 for a mistake in the command line."})
final class ProbeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", arity = "0..1", description = "The echo endpoint to test: ws:// or wss://HOST[:PORT][/PATH].")
    String url;

    @Option(names = "--serve", paramLabel = "[HOST:]PORT",
            description = "Test clients instead: listen here and speak Autobahn's fuzzingserver protocol (/getCaseCount, "
                    + "/runCase?case=N&agent=NAME, /updateReports?agent=NAME), so that Autobahn client drivers run unchanged. "
                    + "Each agent's reports are written at /updateReports, to the report files with -AGENT before their extension. "
                    + "Runs until Ctrl-C.")
    String serve;

    @Option(names = "--only", paramLabel = "IDS", split = ",", description = "Run only these cases: ids or patterns, 5.*,2.10,1.1.*.")
    List<String> only = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "IDS", split = ",", description = "Leave these cases out (ids or patterns).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "Run N cases at once, each on its own connection (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--case-timeout", paramLabel = "SECONDS", defaultValue = "2",
            description = "How long a case waits for the server after its last frame, and for its close (default: ${DEFAULT-VALUE}).")
    double caseTimeoutSeconds;

    @Option(names = "--full", description = "Autobahn's own sizes: family 9's messages up to 16 MiB (and 1000 one at a time), "
            + "1000 messages in each case of families 12 and 13. By default family 9's sizes are divided by " + Suite.SCALE
            + " (its counts by 10), and a case of 12 or 13 sends as many messages as fit " + Suite.COMPRESSION_BUDGET_BYTES / 1024
            + " KiB (4 to 100).")
    boolean isFull;

    @Option(names = "--json", paramLabel = "FILE", description = "Write one record per case to FILE (JSON).")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the cases as a JUnit XML report to FILE, for CI.")
    Path junit;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write one self-contained page to FILE: the table, every case with its frames both ways, a filter (FILE#FAILED opens filtered).")
    Path html;

    /** How strict the exit code is. */
    enum FailOn { failed, non_strict }

    @Option(names = "--fail-on", paramLabel = "WHAT", defaultValue = "failed",
            description = "What makes the exit code 1: failed (default: a case whose behaviour or close FAILED), or non-strict "
                    + "(also a NON-STRICT behaviour, or a close that is WRONG CODE, UNCLEAN or FAILED BY CLIENT).",
            converter = FailOnConverter.class)
    FailOn failOn = FailOn.failed;

    /** {@code non-strict} as the user writes it. */
    static final class FailOnConverter implements picocli.CommandLine.ITypeConverter<FailOn> {
        @Override
        public FailOn convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "failed" -> FailOn.failed;
                case "non-strict" -> FailOn.non_strict;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "': say failed or non-strict");
            };
        }
    }

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        if (serve != null) return serveClients();
        if (url == null) throw new WstapException(ExitCodes.USAGE, "give the URL of the server's echo endpoint, or --serve [HOST:]PORT to test clients");
        WsUrl target = Addresses.url("URL", url);
        if (jobs < 1) throw new WstapException(ExitCodes.USAGE, "--jobs " + jobs + " must be at least 1");
        if (!(caseTimeoutSeconds > 0)) throw new WstapException(ExitCodes.USAGE, "--case-timeout must be above 0");
        List<AutobahnCase> cases = chosenCases();
        checkReportFiles();
        UpstreamTls tls;
        try {
            tls = client.tls(target);
        } catch (WstapException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage(), e);
        }
        CaseDriver driver = new CaseDriver(new dev.wstap.proxy.WsClient.Request(target, client.headers, client.subprotocols, client.origin),
                tls, Duration.ofMillis(Math.round(caseTimeoutSeconds * 1000)), client.timeout());
        // One case first, alone: a server that cannot be reached, or is no WebSocket server, is one line, not 301 failures.
        CaseRun.Result first = driver.run(cases.get(0));
        if (first.sent().isEmpty() && first.closeWhy().equals("the opening handshake was never completed")) {
            throw new WstapException(ExitCodes.USAGE, "cannot probe " + target + ": " + first.why().replace("no WebSocket session: ", ""));
        }
        System.err.println("wstap probe: " + target + ": " + cases.size() + " cases, " + jobs + " at a time");
        long started = System.nanoTime();
        List<CaseRun.Result> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs, Thread.ofVirtual().name("wstap-probe-", 0).factory())) {
            List<Future<CaseRun.Result>> runs = new ArrayList<>();
            runs.add(java.util.concurrent.CompletableFuture.completedFuture(first));
            for (AutobahnCase c : cases.subList(1, cases.size())) runs.add(pool.submit(() -> driver.run(c)));
            for (Future<CaseRun.Result> f : runs) {
                CaseRun.Result r = f.get();
                results.add(r);
                if (isFailing(r)) System.out.println(failure(r, cases));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<CaseRun.Result> timed = results.stream().filter(r -> r.id().startsWith("9.")).toList();
        if (!timed.isEmpty()) {
            System.out.println("family 9, time per case (ms): " + String.join("  ", timed.stream()
                    .map(r -> String.format(Locale.ROOT, "%s %.0f", r.id(), r.took().toNanos() / 1e6)).toList()));
        }
        List<CaseRun.Result> compressed = results.stream().filter(r -> r.id().startsWith("12.") || r.id().startsWith("13.")).toList();
        if (!compressed.isEmpty()) {
            System.out.printf(Locale.ROOT, "families 12 and 13: %d cases, %.1f s of case time in all; the slowest (ms): %s%n", compressed.size(),
                    compressed.stream().mapToLong(r -> r.took().toNanos()).sum() / 1e9,
                    String.join("  ", compressed.stream().sorted(java.util.Comparator.comparing(CaseRun.Result::took).reversed()).limit(5)
                            .map(r -> String.format(Locale.ROOT, "%s %.0f", r.id(), r.took().toNanos() / 1e6)).toList()));
        }
        System.out.print(table(results));
        if (json != null) writeJson(json, results);
        if (junit != null) JunitReport.write(junit, "wstap probe " + target, steps(results), seconds);
        if (html != null) dev.wstap.probe.HtmlReport.write(html, target.toString(), results, seconds);
        long failed = results.stream().filter(CaseRun.Result::isFailed).count();
        long lenient = results.stream().filter(ProbeCommand::isLenient).count();
        System.err.printf(Locale.ROOT, "wstap probe: %d of %d case%s FAILED%s (%.1f s)%n", failed, results.size(), results.size() == 1 ? "" : "s",
                lenient == 0 ? "" : "; " + lenient + " passed leniently (NON-STRICT, or a close WRONG CODE, UNCLEAN or FAILED BY CLIENT)", seconds);
        boolean isOk = failed == 0 && (failOn == FailOn.failed || lenient == 0);
        return isOk ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private List<AutobahnCase> chosenCases() {
        List<AutobahnCase> cases;
        try {
            cases = Suite.chosen(only, exclude, isFull);
        } catch (IllegalArgumentException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage());
        }
        if (cases.isEmpty()) {
            throw new WstapException(ExitCodes.USAGE, "--only and --exclude leave no case to run (a pattern names whole ids: 1.1.* for 1.1.1 to 1.1.8)");
        }
        return cases;
    }

    private void checkReportFiles() {
        LogOptions.checkReportFile("--json", json);
        LogOptions.checkReportFile("--junit", junit);
        LogOptions.checkReportFile("--html", html);
    }

    private List<Replayer.Step> steps(List<CaseRun.Result> results) {
        return results.stream().map(r -> new Replayer.Step(r.id() + " " + r.title(),
                isFailing(r) ? Replayer.Outcome.FAILED : Replayer.Outcome.PASSED,
                isFailing(r) ? "behaviour " + r.behaviour().label() + ": " + r.why() + "\nclose " + r.close().label() + ": " + r.closeWhy() : "",
                r.took())).toList();
    }

    /** {@code --serve}: a fuzzingserver for clients, until Ctrl-C. */
    private int serveClients() throws Exception {
        if (url != null) throw new WstapException(ExitCodes.USAGE, "--serve tests clients: give no URL");
        if (!client.headers.isEmpty() || !client.subprotocols.isEmpty() || client.origin != null || !client.caFiles.isEmpty() || client.isInsecure
                || client.clientCerts.isGiven()) {
            throw new WstapException(ExitCodes.USAGE, "-H, --subprotocol, --origin, --ca, --insecure and --client-cert are for testing a server (a URL)");
        }
        List<AutobahnCase> cases = chosenCases();
        checkReportFiles();
        dev.wstap.http.HostPort at = Addresses.listen("--serve", serve);
        dev.wstap.probe.CaseServer server = new dev.wstap.probe.CaseServer(at, cases, Duration.ofMillis(Math.round(caseTimeoutSeconds * 1000)),
                this::reportAgent, line -> { });
        try {
            server.start();
        } catch (IOException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage(), e);
        }
        System.err.println("wstap probe: serving " + cases.size() + " cases on ws://" + new dev.wstap.http.HostPort(at.host(), server.port())
                + "/ as Autobahn's fuzzingserver (/getCaseCount, /runCase?case=N&agent=NAME, /updateReports?agent=NAME); Ctrl-C stops");
        Shutdown.awaitSignal(server::close);
        return ExitCodes.INTERRUPTED;
    }

    /** An agent asked for its reports: its table on stdout, its files with -AGENT in their names. */
    private synchronized void reportAgent(String agent, List<CaseRun.Result> results) {
        String safe = agent.replaceAll("[^A-Za-z0-9._-]", "_");
        System.out.println("agent " + agent + ": " + results.size() + " cases, " + results.stream().filter(CaseRun.Result::isFailed).count() + " FAILED");
        for (CaseRun.Result r : results) {
            if (isFailing(r)) System.out.println(failure(r, chosenCases()));
        }
        System.out.print(table(results));
        try {
            if (json != null) writeJson(named(json, safe), results);
            if (junit != null) {
                JunitReport.write(named(junit, safe), "wstap probe agent " + agent, steps(results), 0);
            }
            if (html != null) dev.wstap.probe.HtmlReport.write(named(html, safe), "agent " + agent, results, 0);
        } catch (IOException e) {
            System.err.println("wstap: cannot write the reports of " + agent + ": " + e.getMessage());
        }
    }

    /** {@code probe.json} for agent {@code ws} is {@code probe-ws.json}. */
    private static Path named(Path file, String agent) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String named = dot > 0 ? name.substring(0, dot) + "-" + agent + name.substring(dot) : name + "-" + agent;
        return file.resolveSibling(named);
    }

    private static boolean isLenient(CaseRun.Result r) {
        return !r.isFailed() && (r.behaviour() == CaseRun.Verdict.NON_STRICT || r.close() == CaseRun.CloseVerdict.WRONG_CODE
                || r.close() == CaseRun.CloseVerdict.UNCLEAN || r.close() == CaseRun.CloseVerdict.FAILED_BY_CLIENT);
    }

    /** What fails the run: FAILED, and with --fail-on non-strict what is not strict. */
    private boolean isFailing(CaseRun.Result r) {
        return r.isFailed() || (failOn == FailOn.non_strict && isLenient(r));
    }

    /** {@code 5.15 FAILED ...}: what was sent, what came back, what the RFC requires and where. */
    private static String failure(CaseRun.Result r, List<AutobahnCase> cases) {
        AutobahnCase c = cases.stream().filter(x -> x.id().equals(r.id())).findFirst().orElseThrow();
        String rule = c.frames().stream().flatMap(f -> f.violations().stream()).findFirst().map(ProbeCommand::requirement)
                .orElse(c.compression() != null
                        ? "an echo endpoint sends each message back as it came; compressed ones inflate to it (RFC 7692 §7.2)"
                        : r.expected().ok().stream().anyMatch(o -> o.kind() == Observed.Kind.PONG)
                        ? "a pong answers each ping with the ping's payload (RFC 6455 §5.5.2, §5.5.3)"
                        : "an echo endpoint sends each message back whole, as it came (RFC 6455 §5.4, §6.2)");
        return r.id() + " " + r.title() + "\n    behaviour " + r.behaviour().label() + ": " + r.why()
                + "\n    close " + r.close().label() + ": " + r.closeWhy()
                + (rule != null ? "\n    required: " + rule : "");
    }

    /** What a violation id's rule requires of the endpoint, with its RFC section. */
    private static String requirement(String id) {
        for (Violation.Rule rule : Violation.Rule.values()) {
            if (rule.id().equals(id)) {
                return "an endpoint fails the connection on what breaks the rule " + id + " (" + rule.section() + ", §7.1.7"
                        + (id.equals("invalid-utf8") ? ", §8.1: code 1007)" : ": code 1002)");
            }
        }
        return id;
    }

    /** Per family: the cases by behaviour, and by close. */
    private static String table(List<CaseRun.Result> results) {
        Map<String, Map<CaseRun.Verdict, Integer>> behaviour = new LinkedHashMap<>();
        Map<String, Map<CaseRun.CloseVerdict, Integer>> close = new LinkedHashMap<>();
        for (CaseRun.Result r : results) {
            String family = r.id().split("\\.")[0];
            behaviour.computeIfAbsent(family, k -> new EnumMap<>(CaseRun.Verdict.class)).merge(r.behaviour(), 1, Integer::sum);
            close.computeIfAbsent(family, k -> new EnumMap<>(CaseRun.CloseVerdict.class)).merge(r.close(), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s %5s %10s %6s %5s %6s │ %8s %10s %7s %16s %6s %5s%n",
                "family", "OK", "NON-STRICT", "FAILED", "INFO", "UNIMPL", "close OK", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT", "FAILED", "INFO"));
        for (String family : behaviour.keySet()) {
            Map<CaseRun.Verdict, Integer> b = behaviour.get(family);
            Map<CaseRun.CloseVerdict, Integer> c = close.get(family);
            String name = Suite.FAMILIES.stream().filter(f -> f.startsWith(family + " ")).findFirst().orElse(family);
            out.append(String.format(Locale.ROOT, "%-18s %5d %10d %6d %5d %6d │ %8d %10d %7d %16d %6d %5d%n", name,
                    b.getOrDefault(CaseRun.Verdict.OK, 0), b.getOrDefault(CaseRun.Verdict.NON_STRICT, 0), b.getOrDefault(CaseRun.Verdict.FAILED, 0),
                    b.getOrDefault(CaseRun.Verdict.INFORMATIONAL, 0), b.getOrDefault(CaseRun.Verdict.UNIMPLEMENTED, 0),
                    c.getOrDefault(CaseRun.CloseVerdict.OK, 0), c.getOrDefault(CaseRun.CloseVerdict.WRONG_CODE, 0),
                    c.getOrDefault(CaseRun.CloseVerdict.UNCLEAN, 0), c.getOrDefault(CaseRun.CloseVerdict.FAILED_BY_CLIENT, 0),
                    c.getOrDefault(CaseRun.CloseVerdict.FAILED, 0), c.getOrDefault(CaseRun.CloseVerdict.INFORMATIONAL, 0)));
        }
        return out.toString();
    }

    private static void writeJson(Path file, List<CaseRun.Result> results) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            g.writeStartArray();
            for (CaseRun.Result r : results) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("description", r.title());
                g.writeObjectFieldStart("expectation");
                writeObserved(g, "ok", r.expected().ok());
                if (r.expected().nonStrict() != null) writeObserved(g, "non_strict", r.expected().nonStrict());
                g.writeObjectFieldStart("close");
                g.writeBooleanField("closed_by_wstap", r.expected().close().isClosedByProbe());
                g.writeArrayFieldStart("codes");
                for (int code : r.expected().close().codes()) g.writeNumber(code);
                g.writeEndArray();
                g.writeBooleanField("clean_required", r.expected().close().isCleanRequired());
                g.writeEndObject();
                g.writeEndObject();
                writeObserved(g, "observed", r.observed());
                g.writeStringField("behaviour", r.behaviour().label());
                g.writeStringField("behaviour_why", r.why());
                g.writeStringField("close", r.close().label());
                g.writeStringField("close_why", r.closeWhy());
                if (r.remoteClose() >= 0) g.writeNumberField("remote_close_code", r.remoteClose());
                else g.writeNullField("remote_close_code");
                g.writeNumberField("duration_ms", r.took().toNanos() / 1e6);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    private static void writeObserved(JsonGenerator g, String name, List<Observed> list) throws IOException {
        g.writeArrayFieldStart(name);
        for (Observed o : list) {
            g.writeStartObject();
            g.writeStringField("kind", o.kind().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("length", o.length());
            if (o.payloadHex() != null) g.writeStringField("payload_hex", o.payloadHex());
            else g.writeStringField("sha256", o.sha256());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
