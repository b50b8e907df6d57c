package dev.wstap.autobahn;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One Autobahn family: its cases, from a static {@code cases()} in the subclass, each run through
 * one proxy of its own with the client sending it (as Autobahn's fuzzingclient does) and with the
 * server sending it (as its fuzzingserver does).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class AutobahnFamily {
    private static AutobahnProxy proxy;

    @BeforeAll
    static void startProxy(@TempDir Path dir) throws IOException {
        proxy = AutobahnProxy.start(dir);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void clientSends(AutobahnCase c) throws Exception {
        proxy.clientSends(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void serverSends(AutobahnCase c) throws Exception {
        proxy.serverSends(c);
    }
}
