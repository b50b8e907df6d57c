package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Autobahn|Testsuite expects of an endpoint in one case: the observations that make its
 * behaviour OK (and, where the case allows one, NON-STRICT), and how the connection must end.
 *
 * <p>It follows from the case itself, as Autobahn's cases spell it out one by one: a case whose
 * frames are all valid expects what a conforming endpoint answers ({@link AutobahnCase#answer}:
 * each message echoed, each ping ponged), and then wstap closes with 1000 and expects a clean
 * close; a case with a frame that breaks a rule expects what the endpoint answers before that
 * frame, then that the endpoint fails the connection (1002, or 1007 for invalid UTF-8), cleanly or
 * not; when something was answered before the bad frame, answering nothing at all is NON-STRICT.
 * A case of families 12 and 13 expects each of its messages back, one at a time.
 *
 * @param ok          the observations of an OK behaviour, in order
 * @param nonStrict   those of a NON-STRICT one, or null when the case has none
 * @param close       how the connection must end
 * @param isKilledAfterTimeout when the case times out, wstap drops the connection (Autobahn's
 *                    {@code killAfter}) rather than close it ({@code closeAfter})
 * @param isTimeoutMarked    each pause in the case's writes is an observation when the connection is
 *                    still open then ({@code timeout A}, {@code B}...): cases 6.4.x, where failing at
 *                    the first invalid fragment is OK and failing only at the end NON-STRICT
 * @param isWrongEndpointFatal a close begun by the wrong side fails the behaviour too (6.x invalid UTF-8)
 * @param isWrongCodeFatal     a wrong close code fails the behaviour too (family 7)
 * @param isInformational      the spec leaves the outcome open: the case is only reported (7.1.6, 7.13.x)
 * @param isOneAtATime         each message goes once the one before has come back (9.7, 9.8)
 * @param timeoutFactor        the case timeout times this: family 9's large messages get ten times as long
 */
public record Expectation(List<Observed> ok, List<Observed> nonStrict, ExpectedClose close, boolean isKilledAfterTimeout,
                          boolean isTimeoutMarked, boolean isWrongEndpointFatal, boolean isWrongCodeFatal, boolean isInformational,
                          boolean isOneAtATime, int timeoutFactor) {
    /**
     * @param isClosedByProbe wstap sends the first close (else the endpoint fails the connection)
     * @param codes           the close codes the endpoint may send
     * @param isCleanRequired both close frames must cross before the TCP connection ends
     */
    public record ExpectedClose(boolean isClosedByProbe, Set<Integer> codes, boolean isCleanRequired) {}

    /** How long a pause of a timeout-marked case lasts: time for a server to fail fast, as Autobahn gives it. */
    public static final long MARKED_PAUSE_MILLIS = 500;

    /** What {@code c} expects, sent by wstap as the client (Autobahn's fuzzingclient). */
    public static Expectation of(AutobahnCase c) {
        String id = c.id();
        if (c.compression() != null) {
            // Families 12 and 13: every message back as it went, one at a time; then wstap closes (Autobahn's closeAfter).
            dev.wstap.autobahn.Compression z = c.compression();
            Observed.Kind kind = z.opcode() == Opcode.TEXT ? Observed.Kind.TEXT : Observed.Kind.BINARY;
            List<Observed> echoes = new ArrayList<>(z.count());
            for (int i = 0; i < z.count(); i++) echoes.add(Observed.of(kind, z.message(i)));
            return new Expectation(List.copyOf(echoes), null, new ExpectedClose(true, Set.of(1000), true), false, false, false, false, false,
                    true, 10);
        }
        String family = id.split("\\.")[0];
        List<Observed> answered = new ArrayList<>();
        int answerCode = 1000;
        for (AutobahnCase.Frame f : c.answer().frames()) {
            switch (f.opcode()) {
                case Opcode.TEXT -> answered.add(Observed.of(Observed.Kind.TEXT, f.payload()));
                case Opcode.BINARY -> answered.add(Observed.of(Observed.Kind.BINARY, f.payload()));
                case Opcode.PONG -> answered.add(Observed.of(Observed.Kind.PONG, f.payload()));
                case Opcode.CLOSE -> answerCode = ClosePayload.parse(f.payload()).code();
                default -> { }
            }
        }
        AutobahnCase.Frame ourClose = c.frames().stream().filter(f -> f.opcode() == Opcode.CLOSE).findFirst().orElse(null);
        if (ourClose != null) {
            // Family 7: wstap closes first, with what the case's close says; the endpoint answers it (a bad close: with 1002).
            ClosePayload sent = ClosePayload.parse(ourClose.payload());
            boolean isBad = !ourClose.violations().isEmpty();
            Set<Integer> codes = new java.util.TreeSet<>();
            if (!isBad) {
                codes.add(1000);
                if (sent.hasCode()) codes.add(sent.code());
            } else if (ourClose.violations().contains("invalid-utf8")) {
                codes.addAll(List.of(1002, 1007));
            } else {
                codes.add(1002);
                if (id.startsWith("7.13.")) codes.addAll(List.of(1000, sent.code()));
            }
            boolean isInformational = id.equals("7.1.6") || id.startsWith("7.13.");
            return new Expectation(List.copyOf(answered), isInformational ? List.of() : null, new ExpectedClose(true, Set.copyOf(codes), !isBad), true,
                    false, false, true, isInformational, false, 1);
        }
        boolean isFailing = c.frames().stream().anyMatch(f -> !f.violations().isEmpty());
        if (id.startsWith("6.4.")) {
            // The first fragment is fine, the second makes the text invalid: fail there (OK), or at the end (NON-STRICT).
            return new Expectation(List.of(Observed.timeout("A")), List.of(Observed.timeout("A"), Observed.timeout("B")),
                    new ExpectedClose(false, Set.of(1007), false), true, true, true, false, false, false, 1);
        }
        if (!isFailing) {
            // Families 1 and 6 (past 6.2) drop a connection whose echo never came (killAfter); the others close it (closeAfter).
            boolean isKilled = family.equals("1") || family.equals("7") || (family.equals("6") && !id.startsWith("6.1.") && !id.startsWith("6.2."));
            boolean isLimits = family.equals("9");
            return new Expectation(List.copyOf(answered), null, new ExpectedClose(true, Set.of(1000), true), isKilled, false, false,
                    family.equals("7"), false, id.startsWith("9.7.") || id.startsWith("9.8."), isLimits ? 10 : 1);
        }
        return new Expectation(List.copyOf(answered), answered.isEmpty() ? null : List.of(),
                new ExpectedClose(false, Set.of(answerCode), false), true, false, family.equals("6"), false, false, false, 1);
    }
}
