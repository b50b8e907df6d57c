package dev.wstap.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A replay's steps as a JUnit XML report (the format CI systems read: one {@code testsuite}, a
 * {@code testcase} for each step, {@code failure} and {@code skipped} where they apply).
 */
public final class JunitReport {
    private JunitReport() {}

    /** Writes the report for {@code steps} to {@code file}; {@code suite} names the replay. */
    public static void write(Path file, String suite, List<Replayer.Step> steps, double seconds) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", String.valueOf(steps.size()));
            xml.writeAttribute("failures", String.valueOf(steps.stream().filter(s -> s.outcome() == Replayer.Outcome.FAILED).count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", String.valueOf(steps.stream().filter(s -> s.outcome() == Replayer.Outcome.SKIPPED).count()));
            xml.writeAttribute("time", secondsText(seconds));
            xml.writeCharacters("\n");
            int n = 0;
            for (Replayer.Step step : steps) {
                xml.writeCharacters("  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", suite);
                xml.writeAttribute("name", String.format(Locale.ROOT, "%03d %s", ++n, step.name()));
                xml.writeAttribute("time", secondsText(step.took().toNanos() / 1e9));
                switch (step.outcome()) {
                    case FAILED -> {
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", oneLine(step.detail()));
                        xml.writeCharacters(step.detail());
                        xml.writeEndElement();
                    }
                    case SKIPPED -> {
                        xml.writeEmptyElement("skipped");
                        xml.writeAttribute("message", step.detail());
                    }
                    case PASSED -> { }
                }
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The detail on one line, as CI systems show a failure's message: the first two lines (what, and the first difference), joined. */
    static String oneLine(String detail) {
        String line = String.join(" ", detail.lines().limit(2).map(String::strip).toList());
        return line.length() <= 300 ? line : line.substring(0, 299) + "…";
    }

    private static String secondsText(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
