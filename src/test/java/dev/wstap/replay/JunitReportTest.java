package dev.wstap.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The steps as JUnit XML that a parser reads back: counts, names, failures with their diff. */
class JunitReportTest {
    @TempDir
    Path dir;

    @Test
    void stepsBecomeTestcasesWithFailuresAndSkips() throws Exception {
        Path file = dir.resolve("replay.xml");
        JunitReport.write(file, "wstap replay chat.jsonl session 1 as client", List.of(
                new Replayer.Step("send the client's text message at line 2", Replayer.Outcome.PASSED, "", Duration.ofMillis(3)),
                new Replayer.Step("compare the server's message 1", Replayer.Outcome.FAILED,
                        "the server's message 1 differs from the recording (line 4):\n  /price: recorded 1 < 2, live \"x\"", Duration.ZERO),
                new Replayer.Step("compare the server's message 2", Replayer.Outcome.SKIPPED, "the log did not keep it whole", Duration.ZERO)),
                0.25);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element suite = doc.getDocumentElement();
        assertEquals(List.of("testsuite", "3", "1", "1", "0.250"), List.of(suite.getTagName(), suite.getAttribute("tests"),
                suite.getAttribute("failures"), suite.getAttribute("skipped"), suite.getAttribute("time")));
        Element failed = (Element) suite.getElementsByTagName("testcase").item(1);
        assertEquals("002 compare the server's message 1", failed.getAttribute("name"));
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertEquals("the server's message 1 differs from the recording (line 4): /price: recorded 1 < 2, live \"x\"", failure.getAttribute("message"));
        assertEquals("the server's message 1 differs from the recording (line 4):\n  /price: recorded 1 < 2, live \"x\"", failure.getTextContent());
        assertEquals(1, ((Element) suite.getElementsByTagName("testcase").item(2)).getElementsByTagName("skipped").getLength());
    }
}
