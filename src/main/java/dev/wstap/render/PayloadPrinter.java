package dev.wstap.render;

import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.wire.Direction;
import java.io.PrintStream;
import java.util.HexFormat;

/**
 * {@code wstap connect -P}: the server's messages on stdout and nothing else, one a line, so that
 * {@code wstap connect ... -P | jq} works: a text message as it is (inflated, fragments joined), a
 * binary one as hex digits. A message longer than {@code --max-preview} keeps was cut; that is said
 * on stderr, never on stdout.
 */
public final class PayloadPrinter implements TapSink {
    private final PrintStream out;
    private final PrintStream err;

    public PayloadPrinter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void accept(TapEvent event) {
        if (!(event instanceof MessageSeen m) || m.dir() != Direction.S2C) return;
        if (m.isText()) {
            String text = m.text();
            if (text == null) {
                err.println("wstap: a text message that is not valid UTF-8 was printed as hex");
                out.println(HexFormat.of().formatHex(m.preview()));
            } else {
                out.println(text);
            }
        } else {
            out.println(HexFormat.of().formatHex(m.preview()));
        }
        out.flush();
        if (m.isTruncated()) {
            err.println("wstap: a message of " + m.length() + " bytes was cut to its first " + m.preview().length
                    + " (--max-preview)");
            err.flush();
        }
    }
}
