package dev.wstap.autobahn;

import java.util.List;

/** {@link Family1Framing}'s cases through the proxy, both ways round. */
class Family1FramingTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family1Framing.cases();
    }
}
