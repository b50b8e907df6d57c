package dev.wstap.filter;

import java.util.List;

/** The filter language in brief, for the shell's {@code help filter} and the {@code wstap filter} help and man page. */
public final class FilterHelp {
    private FilterHelp() {}

    /** Paragraphs are one line each (help and man pages wrap them); the table's lines are indented and kept as they are. */
    public static final List<String> LINES = List.of(
            "A filter is terms side by side (all must match), joined with 'or', negated with 'not' or '-', grouped with ( ). "
                    + "Every record is tested: frames, whole messages, sessions opening and closing, HTTP requests. A term about "
                    + "something a record does not have (an opcode, for a session's open record) is false for it, so 'op:text' "
                    + "hides open and close lines, 'sess:3' keeps them, and 'op:text or open' shows both.",
            "",
            "  dir:c2s  dir:s2c              direction",
            "  op:text  op:ping,pong  op:0x3 opcode: cont text binary close ping pong, data control reserved, or 0-15",
            "  sess:3  sess:1,4  sess:2..5   session numbers (every record of the session)",
            "  fin:0  fin:1  rsv1 rsv2 rsv3  header bits of a frame",
            "  masked                        masked frames",
            "  len:>4k  len:<=125  len:10..200  payload length (k = 1024, M = 1024²); a message's inflated length",
            "  body~/regex/flags             the text of a frame or whole message contains a match (flags i m s x;",
            "                                a slash inside is \\/)",
            "  body:\"substring\"              the payload contains this text (binary payloads too)",
            "  hex:\"de ad be ef\"             the payload contains these bytes",
            "  json:/type==\"subscribe\"       the JSON value a JSON Pointer (RFC 6901) names compares: == != < <= > >=",
            "  json:/user/id                 the payload is JSON with a value there",
            "  viol  viol:invalid-utf8  viol:5.5  broke a rule: any, by name, by RFC 6455 section",
            "  injected forwarded dropped edited held released delayed duplicated inserted replaced after-close",
            "  fate:dropped,held             what happened to the frame at wstap",
            "  frame  msg  open  closed  http   the kind of record",
            "  url~/regex/  url:\"text\"       the session's URL",
            "  host:*.example.com            the upstream host (a glob: * and ?)",
            "  sub:chat.v2                   the agreed subprotocol",
            "  client:127.0.0.1              the client's address (with :port to match one port)",
            "  close:1000,1001               close frames with the code, and sessions that ended with it",
            "                                (1005: a close without a code, 1006: no close frame at all)",
            "",
            "For example:",
            "",
            "  dir:s2c op:text body~/token-[0-9]+/",
            "  json:/type==\"subscribe\" or op:ping",
            "  -op:ping,pong                 everything but pings and pongs",
            "  sess:3 (viol or len:>64k)");
}
