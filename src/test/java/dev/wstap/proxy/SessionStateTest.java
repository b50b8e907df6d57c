package dev.wstap.proxy;

import static dev.wstap.wire.Direction.C2S;
import static dev.wstap.wire.Direction.S2C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.proxy.SessionState.Failure;
import dev.wstap.proxy.SessionState.FailureKind;
import dev.wstap.proxy.SessionState.Origin;
import dev.wstap.proxy.SessionState.Outcome;
import dev.wstap.proxy.SessionState.Party;
import dev.wstap.proxy.SessionState.Phase;
import dev.wstap.wire.ClosePayload;
import org.junit.jupiter.api.Test;

/**
 * The session state machine, one event script per rule: events in (closes written or not
 * forwarded, seals, streams ending, --strict, aborts), facts out. Times are milliseconds on a
 * made-up clock. Each script ends by reading the ending as one line:
 * {@code closedBy code "reason" clean|unclean answer outcome error}.
 */
class SessionStateTest {
    private final SessionState state = new SessionState(false);

    private static ClosePayload close(int code, String reason) {
        return new ClosePayload(code, reason);
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }

    private static String ending(SessionState s) {
        SessionState.Ending e = s.ending();
        return (e.closedBy() == null ? "-" : e.closedBy().label()) + " " + e.code() + " \"" + e.reason() + "\" "
                + (e.isClean() ? "clean" : "unclean") + " " + (e.closeAnswer() == null ? "-" : e.closeAnswer().toMillis() + "ms")
                + " " + e.outcome() + " " + e.error();
    }

    @Test
    void clientClosesAndServerAnswersIsClean() {
        assertEquals(Phase.OPEN, state.phase());
        state.closeWritten(C2S, Origin.PEER, close(1000, "bye"), ms(10)); // >> the client's close went to the server
        assertEquals(Phase.CLOSING, state.phase());
        assertEquals("closing: close sent by the client", state.describeState());
        state.closeWritten(S2C, Origin.PEER, close(1000, "bye"), ms(15)); // >> the server's answer went to the client
        assertEquals(Phase.CLOSED, state.phase());
        state.directionEnded(S2C, Party.SERVER, null, null);
        state.directionEnded(C2S, Party.CLIENT, null, null);
        assertEquals("client 1000 \"bye\" clean 5ms CLEAN null", ending(state));
    }

    @Test
    void serverClosesFirst() {
        state.closeWritten(S2C, Origin.PEER, close(1001, "going"), ms(0));
        state.closeWritten(C2S, Origin.PEER, close(1001, ""), ms(2));
        assertEquals(Party.SERVER, state.firstCloser());
        assertEquals("closed by the server", state.describeState());
        assertEquals("server 1001 \"going\" clean 2ms CLEAN null", ending(state));
    }

    @Test
    void closeWithoutAnswerNamesTheSilentPeer() {
        state.closeWritten(C2S, Origin.PEER, close(1000, ""), ms(0));
        state.directionEnded(S2C, Party.SERVER, null, null);
        state.directionEnded(C2S, Party.CLIENT, null, null);
        assertEquals("client 1000 \"\" unclean - UNANSWERED the server did not answer the close", ending(state));
    }

    @Test
    void noCloseFramesSaysWhoseStreamEndedFirst() {
        state.directionEnded(C2S, Party.CLIENT, null, null);
        state.directionEnded(S2C, Party.SERVER, null, null);
        assertEquals("client -1 \"\" unclean - NO_CLOSE client closed the connection without a close frame", ending(state));
    }

    @Test
    void resetBeforeTheCloseHandshakeFails() {
        state.directionEnded(S2C, Party.SERVER, new Failure(FailureKind.RESET, "Connection reset"), null);
        state.directionEnded(C2S, Party.CLIENT, null, null);
        assertEquals("server -1 \"\" unclean - FAILED server reset the connection", ending(state));
    }

    @Test
    void resetAfterACompleteCloseHandshakeIsNoFault() {
        state.closeWritten(C2S, Origin.PEER, close(1000, ""), ms(0));
        state.closeWritten(S2C, Origin.PEER, close(1000, ""), ms(1));
        state.directionEnded(C2S, Party.CLIENT, new Failure(FailureKind.RESET, "Connection reset"), null);
        assertEquals("client 1000 \"\" clean 1ms CLEAN null", ending(state));
    }

    @Test
    void aStreamCutInsideAFrameSaysWhere() {
        state.directionEnded(C2S, Party.CLIENT, null, "in the middle of a frame, after 10 of its 1000 payload bytes");
        assertEquals("client -1 \"\" unclean - FAILED client closed the connection in the middle of a frame, after 10 of its 1000"
                + " payload bytes", ending(state));
    }

    @Test
    void firstFailureIsTheOneSaid() {
        state.directionEnded(S2C, Party.SERVER, new Failure(FailureKind.BROKEN_PIPE, "Broken pipe"), null);
        state.directionEnded(C2S, Party.CLIENT, new Failure(FailureKind.OTHER, "boom"), null);
        assertEquals("server -1 \"\" unclean - FAILED server closed the connection while data was still being sent to it",
                ending(state));
    }

    @Test
    void connectionClosedOnWstapsSideAfterACleanCloseIsNoError() {
        state.closeWritten(S2C, Origin.PEER, close(1000, ""), ms(0));
        state.closeWritten(C2S, Origin.PEER, close(1000, ""), ms(3));
        state.directionEnded(S2C, Party.SERVER, new Failure(FailureKind.CONNECTION_CLOSED, null), null);
        assertEquals("server 1000 \"\" clean 3ms CLEAN null", ending(state));
    }

    @Test
    void wstapClosesBothWaysAndBothPeersAnswer() {
        state.sealed(C2S); // >> wstap's close is committed towards the server
        state.sealed(S2C); // >> and towards the client
        assertTrue(state.isSealed(C2S) && state.isSealed(S2C));
        state.closeWritten(C2S, Origin.WSTAP, close(1001, "wstap is stopping"), ms(0));
        state.closeWritten(S2C, Origin.WSTAP, close(1001, "wstap is stopping"), ms(0));
        assertEquals(Phase.CLOSING, state.phase());
        state.closeNotForwarded(S2C, close(1001, ""), ms(4)); // << the server's answer stays at wstap
        state.closeNotForwarded(C2S, close(1001, ""), ms(7)); // << so does the client's
        assertEquals(Phase.CLOSED, state.phase());
        assertEquals("wstap 1001 \"wstap is stopping\" clean 7ms CLEAN null", ending(state));
    }

    @Test
    void wstapClosesAndTheClientStaysSilent() {
        state.sealed(S2C);
        state.closeWritten(S2C, Origin.WSTAP, close(1001, ""), ms(0));
        state.sealed(C2S);
        state.closeWritten(C2S, Origin.WSTAP, close(1001, ""), ms(0));
        state.closeNotForwarded(S2C, close(1001, ""), ms(1));
        state.aborted("wstap was stopped");
        assertEquals("wstap 1001 \"\" unclean - ABORTED wstap was stopped; the client did not answer the close", ending(state));
    }

    @Test
    void onlyASealedDirectionStopsForwarding() {
        assertFalse(state.isSealed(C2S));
        state.sealed(S2C);
        assertFalse(state.isSealed(C2S));
        assertTrue(state.isSealed(S2C));
        assertFalse(state.hasSentClose(S2C)); // sealed, the close not written yet
        state.closeWritten(S2C, Origin.WSTAP, close(1000, ""), ms(0));
        assertTrue(state.hasSentClose(S2C));
    }

    @Test
    void abortAfterACleanCloseChangesNothing() {
        state.closeWritten(C2S, Origin.PEER, close(1000, ""), ms(0));
        state.closeWritten(S2C, Origin.PEER, close(1000, ""), ms(2));
        state.aborted("wstap was stopped");
        assertEquals("client 1000 \"\" clean 2ms CLEAN null", ending(state));
    }

    @Test
    void abortWithoutAnyCloseBlamesWstap() {
        state.aborted("the server did not end the connection within 2 s");
        state.directionEnded(C2S, Party.CLIENT, new Failure(FailureKind.CONNECTION_CLOSED, null), null);
        assertEquals("wstap -1 \"\" unclean - ABORTED the server did not end the connection within 2 s", ending(state));
    }

    @Test
    void strictFailureEndsItWithTheRulesCodeWhateverThePeersAnswer() {
        state.strictFailure(1002, "unmasked-client-frame", "--strict: the client broke the rule unmasked-client-frame");
        state.closeWritten(S2C, Origin.WSTAP, close(1002, "unmasked-client-frame"), ms(0));
        state.closeWritten(C2S, Origin.WSTAP, close(1001, "the client broke the protocol"), ms(0));
        state.closeNotForwarded(C2S, close(1002, ""), ms(1));
        state.closeNotForwarded(S2C, close(1001, ""), ms(1));
        assertEquals("wstap 1002 \"unmasked-client-frame\" unclean - STRICT --strict: the client broke the rule unmasked-client-frame",
                ending(state));
    }

    @Test
    void aLocalClientsClosesAreTheClientsOwn() {
        SessionState local = new SessionState(true); // wstap connect: wstap is the client
        local.sealed(C2S);
        local.closeWritten(C2S, Origin.WSTAP, close(1000, "done"), ms(0));
        local.closeWritten(S2C, Origin.PEER, close(1000, "done"), ms(9));
        assertEquals("wstap 1000 \"done\" clean 9ms CLEAN null", ending(local));
    }

    @Test
    void theFirstCloseIsTheOneReportedEvenWhenTheOtherAnswersWithAnotherCode() {
        state.closeWritten(S2C, Origin.PEER, close(4000, "custom"), ms(0));
        state.closeWritten(C2S, Origin.PEER, close(1000, ""), ms(1));
        assertEquals("server 4000 \"custom\" clean 1ms CLEAN null", ending(state));
    }
}
