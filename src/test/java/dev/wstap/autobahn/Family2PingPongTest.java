package dev.wstap.autobahn;

import java.util.List;

/** {@link Family2PingPong}'s cases through the proxy, both ways round. */
class Family2PingPongTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family2PingPong.cases();
    }
}
