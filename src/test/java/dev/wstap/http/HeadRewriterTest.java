package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadRewriterTest {
    private static String rewrite(String head) {
        return new String(HeadRewriter.rewriteRequest(head.getBytes(StandardCharsets.ISO_8859_1), "/base/chat?x=1", "up:9"),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyTheTargetAndHostChange() {
        assertEquals("GET /base/chat?x=1 HTTP/1.1\r\nHost: up:9\r\nsec-websocket-key:   AAAAAAAAAAAAAAAAAAAAAA==  \r\nX-Odd:\tv\r\n\r\n",
                rewrite("GET /chat?x=1 HTTP/1.1\r\nhOsT:  proxy:8080\r\nsec-websocket-key:   AAAAAAAAAAAAAAAAAAAAAA==  \r\nX-Odd:\tv\r\n\r\n"));
    }

    @Test
    void duplicateHostLinesBecomeOne() {
        assertEquals("GET /base/chat?x=1 HTTP/1.1\r\nHost: up:9\r\nA: b\r\n\r\n",
                rewrite("GET / HTTP/1.1\r\nHost: a\r\nA: b\r\nHost: c\r\n\r\n"));
    }

    @Test
    void aMissingHostIsAddedAtTheEnd() {
        assertEquals("GET /base/chat?x=1 HTTP/1.1\r\nA: b\r\nHost: up:9\r\n\r\n", rewrite("GET / HTTP/1.1\r\nA: b\r\n\r\n"));
    }

    @Test
    void bareLineFeedsStayBare() {
        assertEquals("GET /base/chat?x=1 HTTP/1.1\nHost: up:9\nA: b\n\n", rewrite("GET / HTTP/1.1\nHost: x\nA: b\n\n"));
    }
}
