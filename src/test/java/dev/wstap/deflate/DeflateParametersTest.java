package dev.wstap.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What a server's Sec-WebSocket-Extensions agreed to (RFC 7692 §7.1). */
class DeflateParametersTest {

    @Test
    void theParametersOfPermessageDeflateAreRead() {
        assertEquals(new DeflateParameters(true, false, 15, 10),
                DeflateParameters.fromResponse("permessage-deflate; server_no_context_takeover; client_max_window_bits=10"));
    }

    @Test
    void anotherExtensionAloneAgreesToNoCompression() {
        assertNull(DeflateParameters.fromResponse("x-custom; a=1"));
        assertNull(DeflateParameters.fromResponse(null));
    }

    @Test
    void anExtensionOfSemicolonsAloneIsSkipped() {
        // Found by HeadParserFuzzTest: a list element that is only ";" split into no parts at all,
        // and reading its name threw, from a Session's constructor, on an upstream's 101.
        String header = new String(HexFormat.of().parseHex("3b 2c 20 70 65 72 6d 65 73 73 61 67 65 2d 64 65 66 6c 61 74 65"
                .replace(" ", "")), StandardCharsets.ISO_8859_1); // ";, permessage-deflate"
        assertEquals(new DeflateParameters(false, false, 15, 15), DeflateParameters.fromResponse(header));
        assertNull(DeflateParameters.fromResponse(";;"));
    }
}
