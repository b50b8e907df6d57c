package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §7.4 and the IANA registry: which codes exist, and which an endpoint may send. */
class CloseCodeTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "1000, Normal Closure,             true",
            "1001, Going Away,                 true",
            "1002, Protocol Error,             true",
            "1003, Unsupported Data,           true",
            "1004, Reserved,                   false",
            "1005, No Status Received,         false",
            "1006, Abnormal Closure,           false",
            "1007, Invalid Frame Payload Data, true",
            "1008, Policy Violation,           true",
            "1009, Message Too Big,            true",
            "1010, Mandatory Extension,        true",
            "1011, Internal Error,             true",
            "1012, Service Restart,            true",
            "1013, Try Again Later,            true",
            "1014, Bad Gateway,                true",
            "1015, TLS Handshake,              false",
            "1016, invalid,                    false",
            "2000, invalid,                    false",
            "2999, invalid,                    false",
            "3000, registered,                 true",
            "3999, registered,                 true",
            "4000, private use,                true",
            "4999, private use,                true",
            "5000, invalid,                    false",
            "999,  invalid,                    false",
            "0,    invalid,                    false",
            "-1,   invalid,                    false",
            "65535, invalid,                   false",
    })
    void codeHasItsNameAndSendability(int code, String name, boolean isSendable) {
        assertEquals(name, CloseCode.name(code));
        assertEquals(isSendable, CloseCode.isSendable(code));
    }

    @Test
    void constantsHoldTheRegisteredValues() {
        assertEquals(1000, CloseCode.NORMAL);
        assertEquals(1001, CloseCode.GOING_AWAY);
        assertEquals(1002, CloseCode.PROTOCOL_ERROR);
        assertEquals(1003, CloseCode.UNSUPPORTED_DATA);
        assertEquals(1005, CloseCode.NO_STATUS);
        assertEquals(1006, CloseCode.ABNORMAL);
        assertEquals(1007, CloseCode.INVALID_PAYLOAD);
        assertEquals(1008, CloseCode.POLICY_VIOLATION);
        assertEquals(1009, CloseCode.MESSAGE_TOO_BIG);
        assertEquals(1010, CloseCode.MANDATORY_EXTENSION);
        assertEquals(1011, CloseCode.INTERNAL_ERROR);
    }

    @Test
    void sendableCodesAreExactlyTheseRanges() {
        int sendable = 0;
        for (int code = -1; code <= 70_000; code++) {
            if (CloseCode.isSendable(code)) sendable++;
        }
        // 1000-1003, 1007-1014 (12 codes), 3000-4999 (2000 codes)
        assertEquals(12 + 2000, sendable);
    }
}
