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
 *
 * @param ok          the observations of an OK behaviour, in order
 * @param nonStrict   those of a NON-STRICT one, or null when the case has none
 * @param close       how the connection must end
 * @param isKilledAfterTimeout when the case times out, wstap drops the connection (Autobahn's
 *                    {@code killAfter}) rather than close it ({@code closeAfter})
 */
public record Expectation(List<Observed> ok, List<Observed> nonStrict, ExpectedClose close, boolean isKilledAfterTimeout) {
    /**
     * @param isClosedByProbe wstap sends the first close (else the endpoint fails the connection)
     * @param codes           the close codes the endpoint may send
     * @param isCleanRequired both close frames must cross before the TCP connection ends
     */
    public record ExpectedClose(boolean isClosedByProbe, Set<Integer> codes, boolean isCleanRequired) {}

    /** What {@code c} expects, sent by wstap as the client (Autobahn's fuzzingclient). */
    public static Expectation of(AutobahnCase c) {
        boolean isFailing = c.frames().stream().anyMatch(f -> !f.violations().isEmpty());
        List<Observed> answered = new ArrayList<>();
        int closeCode = 1000;
        for (AutobahnCase.Frame f : c.answer().frames()) {
            switch (f.opcode()) {
                case Opcode.TEXT -> answered.add(Observed.of(Observed.Kind.TEXT, f.payload()));
                case Opcode.BINARY -> answered.add(Observed.of(Observed.Kind.BINARY, f.payload()));
                case Opcode.PONG -> answered.add(Observed.of(Observed.Kind.PONG, f.payload()));
                case Opcode.CLOSE -> closeCode = ClosePayload.parse(f.payload()).code();
                default -> { }
            }
        }
        if (!isFailing) {
            // Family 1 drops a connection whose echo never came (killAfter); the others close it (closeAfter).
            return new Expectation(List.copyOf(answered), null, new ExpectedClose(true, Set.of(1000), true), c.id().startsWith("1."));
        }
        return new Expectation(List.copyOf(answered), answered.isEmpty() ? null : List.of(),
                new ExpectedClose(false, Set.of(closeCode), false), true);
    }
}
