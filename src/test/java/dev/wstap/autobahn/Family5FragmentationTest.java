package dev.wstap.autobahn;

import java.util.List;

/** {@link Family5Fragmentation}'s cases through the proxy, both ways round. */
class Family5FragmentationTest extends AutobahnFamily {
    static List<AutobahnCase> cases() {
        return Family5Fragmentation.cases();
    }
}
