package dev.wstap.autobahn;

import java.util.List;

/** {@link Family4Opcodes}'s cases through the proxy, both ways round. */
class Family4OpcodesTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family4Opcodes.cases();
    }
}
