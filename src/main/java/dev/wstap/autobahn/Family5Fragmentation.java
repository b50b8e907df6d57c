package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.PAUSE;
import static dev.wstap.autobahn.AutobahnCase.binary;
import static dev.wstap.autobahn.AutobahnCase.cont;
import static dev.wstap.autobahn.AutobahnCase.fragments;
import static dev.wstap.autobahn.AutobahnCase.frame;
import static dev.wstap.autobahn.AutobahnCase.hex;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.ping;
import static dev.wstap.autobahn.AutobahnCase.text;
import static dev.wstap.autobahn.AutobahnCase.utf8;

import dev.wstap.autobahn.AutobahnCase.Step;
import dev.wstap.wire.Opcode;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 5, fragmentation (RFC 6455 §5.4): control frames MUST NOT be
 * fragmented (§5.5), a continuation needs a message to continue, a new data frame may not start
 * inside an unfinished message, and control frames may come between fragments. Cases marked
 * "variant" are not in Autobahn: they add binary messages and many tiny fragments.
 */
public final class Family5Fragmentation {
    private Family5Fragmentation() {}

    private static final String CONTROL_FRAGMENTED = "control-frame-fragmented";
    private static final String NO_START = "continuation-without-start";
    private static final String INSIDE = "data-frame-inside-message";

    public static List<AutobahnCase> cases() {
        return List.of(
                of("5.1", "ping fragmented into 2 fragments",
                        frame(0x09, utf8("fragment1")).flagged(CONTROL_FRAGMENTED), // ping, no FIN
                        cont(true, "fragment2").flagged(NO_START)), // a ping starts no message to continue
                of("5.2", "pong fragmented into 2 fragments",
                        frame(0x0a, utf8("fragment1")).flagged(CONTROL_FRAGMENTED), // pong, no FIN
                        cont(true, "fragment2").flagged(NO_START)),
                of("5.3", "text message fragmented into 2 fragments", twoFragments()),
                of("5.4", "text message fragmented into 2 fragments, in frame-wise chops", twoFragments()).frameWise(),
                of("5.5", "text message fragmented into 2 fragments, in octet-wise chops", twoFragments()).octetWise(),
                of("5.6", "text message in 2 fragments, one ping with payload in between", pingBetween()),
                of("5.7", "text message in 2 fragments, ping in between, in frame-wise chops", pingBetween()).frameWise(),
                of("5.8", "text message in 2 fragments, ping in between, in octet-wise chops", pingBetween()).octetWise(),
                of("5.9", "continuation with FIN and nothing to continue, then text message, in one chop",
                        continuationWithNothingToContinue(true)),
                of("5.10", "continuation with FIN and nothing to continue, then text message, in frame-wise chops",
                        continuationWithNothingToContinue(true)).frameWise(),
                of("5.11", "continuation with FIN and nothing to continue, then text message, in octet-wise chops",
                        continuationWithNothingToContinue(true)).octetWise(),
                of("5.12", "continuation without FIN and nothing to continue, then text message, in one chop",
                        continuationWithNothingToContinue(false)),
                of("5.13", "continuation without FIN and nothing to continue, then text message, in frame-wise chops",
                        continuationWithNothingToContinue(false)).frameWise(),
                of("5.14", "continuation without FIN and nothing to continue, then text message, in octet-wise chops",
                        continuationWithNothingToContinue(false)).octetWise(),
                of("5.15", "text in 2 fragments, then a continuation without FIN and nothing to continue, then text",
                        text(false, "fragment1"),
                        cont(true, "fragment2"),
                        cont(false, "fragment3").flagged(NO_START), // the message ended with fragment2
                        text(true, "fragment4")),
                of("5.16", "twice: continuation without FIN and nothing to continue, then text in 2 fragments",
                        repeatedOrphanThenMessage(false)),
                of("5.17", "twice: continuation with FIN and nothing to continue, then text in 2 fragments",
                        repeatedOrphanThenMessage(true)),
                of("5.18", "text message in 2 fragments, both with opcode text",
                        text(false, "fragment1"),
                        text(true, "fragment2").flagged(INSIDE)), // 81: must have been 80, a continuation
                of("5.19", "text in 5 fragments with 2 pings in between, with a pause", fivePiecesTwoPings()),
                of("5.20", "text in 5 fragments with 2 pings in between, with a pause, in frame-wise chops",
                        fivePiecesTwoPings()).frameWise(),
                of("5.3", "variant: binary message fragmented into 2 fragments",
                        binary(false, hex("00 ff fe")),
                        cont(true, hex("fd fc fb 00 ff"))),
                of("5.6", "variant: binary message in 2 fragments, ping and pong in between",
                        binary(false, hex("00 ff fe")),
                        ping("ping payload"),
                        frame(0x8a, utf8("unsolicited")), // FIN pong
                        cont(true, hex("fd fc fb 00 ff"))),
                of("5.6", "variant: text message in 2 fragments that split a character, ping in between",
                        text(false, hex("ce ba e1")), // κ, then the first byte of ό
                        ping("ping payload"),
                        cont(true, hex("bd b9 cf 83 ce bc ce b5"))), // the rest of ό, then σμε
                of("5.18", "variant: binary message in 2 fragments, the second with opcode text",
                        binary(false, hex("00 ff")),
                        text(true, "fragment2").flagged(INSIDE)),
                of("5.1", "variant: fragmented ping between the fragments of a text message",
                        text(false, "fragment1"),
                        frame(0x09, utf8("ping")).flagged(CONTROL_FRAGMENTED), // ping, no FIN
                        cont(true, "fragment2")), // continues the text message: the ping was no message
                of("5.19", "variant: binary message in 1000 fragments of 1 byte",
                        fragments(Opcode.BINARY, AutobahnCase.repeat(0xfe, 1000), 1)),
                of("5.19", "variant: text message in 100 fragments of 1 byte, a ping after every tenth",
                        tinyTextFragmentsWithPings()));
    }

    private static List<Step> twoFragments() {
        return List.of(text(false, "fragment1"), cont(true, "fragment2"));
    }

    private static List<Step> pingBetween() {
        return List.of(text(false, "fragment1"), ping("ping payload"), cont(true, "fragment2"));
    }

    private static List<Step> continuationWithNothingToContinue(boolean isFinal) {
        return List.of(cont(isFinal, "non-continuation payload").flagged(NO_START), text("Hello, world!"));
    }

    private static List<Step> repeatedOrphanThenMessage(boolean isOrphanFinal) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            out.add(cont(isOrphanFinal, "fragment1").flagged(NO_START));
            out.add(text(false, "fragment2")); // starts a message: no unfinished one came before
            out.add(cont(true, "fragment3"));
        }
        return out;
    }

    private static List<Step> fivePiecesTwoPings() {
        return List.of(
                text(false, "fragment1"),
                cont(false, "fragment2"),
                ping("pongme 1!"),
                PAUSE,
                cont(false, "fragment3"),
                cont(false, "fragment4"),
                ping("pongme 2!"),
                cont(true, "fragment5"));
    }

    private static List<Step> tinyTextFragmentsWithPings() {
        List<Step> out = new ArrayList<>();
        List<AutobahnCase.Frame> pieces = fragments(Opcode.TEXT, utf8("0123456789".repeat(10)), 1);
        for (int i = 0; i < pieces.size(); i++) {
            out.add(pieces.get(i));
            if (i % 10 == 9 && i != pieces.size() - 1) out.add(ping("after " + (i + 1)));
        }
        return out;
    }
}
