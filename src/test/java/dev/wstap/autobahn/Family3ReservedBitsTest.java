package dev.wstap.autobahn;

import java.util.List;

/** {@link Family3ReservedBits}'s cases through the proxy, both ways round. */
class Family3ReservedBitsTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family3ReservedBits.cases();
    }
}
