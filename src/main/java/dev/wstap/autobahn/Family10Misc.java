package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.fragments;
import static dev.wstap.autobahn.AutobahnCase.of;

import dev.wstap.wire.Opcode;
import java.util.List;

/** Autobahn|Testsuite family 10, miscellaneous: a 64 KiB text message sent in fragments of 1300 octets (10.1.1). */
public final class Family10Misc {
    private Family10Misc() {}

    public static List<AutobahnCase> cases() {
        return List.of(of("10.1.1", "text message of 64 KiB in fragments of 1300 octets",
                fragments(Opcode.TEXT, Family9Limits.pattern(new byte[] {'*'}, 65536), 1300)));
    }
}
