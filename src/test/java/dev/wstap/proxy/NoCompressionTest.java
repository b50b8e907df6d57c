package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --no-compression}: the client's compression offers never reach the server; other offers do. */
class NoCompressionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private String offerSeenUpstream(boolean isNoCompression, String offer) throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port())
                     .withNoCompression(isNoCompression), dir)) {
            try (RawClient client = RawClient.connect(proxy.port())) {
                client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of(new Header("Sec-WebSocket-Extensions", offer))));
                client.readHead();
            }
            return upstream.exchange(0, WAIT).request().headers().get("Sec-WebSocket-Extensions");
        }
    }

    @Test
    void byDefaultEveryOfferIsPassedOn() throws Exception {
        assertEquals("permessage-deflate; client_max_window_bits", offerSeenUpstream(false, "permessage-deflate; client_max_window_bits"));
    }

    @Test
    void compressionOffersAreTakenOutAndTheOthersKept() throws Exception {
        assertEquals("x-custom; level=2",
                offerSeenUpstream(true, "permessage-deflate; client_max_window_bits, x-custom; level=2, x-webkit-deflate-frame"));
    }

    @Test
    void aHeaderWithOnlyCompressionOffersIsDropped() throws Exception {
        assertEquals(null, offerSeenUpstream(true, "permessage-deflate; client_max_window_bits"));
    }
}
