package dev.wstap.autobahn;

import java.util.List;

/** {@link Family6Utf8}'s cases through the proxy, both ways round. */
class Family6Utf8Test extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family6Utf8.cases();
    }
}
