package dev.wstap.autobahn;

import java.util.List;

/** {@link Family7Close}'s cases through the proxy, both ways round. */
class Family7CloseTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family7Close.cases();
    }
}
