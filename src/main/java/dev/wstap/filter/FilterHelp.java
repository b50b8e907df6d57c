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
            "  op:text  op:ping,pong  op:3   opcode: cont text binary close ping pong,",
            "                                data control reserved, or a number 0-15",
            "  sess:3  sess:1,4  sess:2..5   sessions (every record of the session)",
            "  fin:0  fin:1  rsv1  masked    header bits of a frame (rsv2, rsv3 too)",
            "  len:>4k  len:10..200          payload length (k = 1024, M = 1024²);",
            "                                a message's is its inflated length",
            "  body~/regex/flags             the text of a frame or message matches",
            "                                (flags i m s x; a slash inside is \\/)",
            "  body:\"text\"  hex:\"de ad\"     the payload holds these bytes",
            "  json:/type==\"subscribe\"       the value a JSON Pointer names compares",
            "                                (== != < <= > >=); json:/user/id: exists",
            "  viol  viol:invalid-utf8       broke a rule: any, by name, or by RFC",
            "  viol:5.5                      6455 section",
            "  injected  dropped  held ...   the frame's fate at wstap (fate:a,b)",
            "  rule:\"slow server\"  rule:#2   frames a rule hit, by its name (a glob)",
            "  frame  msg  open  closed      the kind of record (http: a request",
            "                                that became no session)",
            "  url~/regex/  url:\"text\"       the session's URL",
            "  host:*.example.com            the upstream host (a glob: * and ?)",
            "  sub:chat.v2                   the agreed subprotocol",
            "  client:127.0.0.1              the client's address (:port for one port)",
            "  close:1000,1001               close frames with the code, and sessions",
            "                                that ended with it (1005: no code,",
            "                                1006: no close frame)",
            "",
            "For example:",
            "",
            "  dir:s2c op:text body~/token-[0-9]+/",
            "  json:/type==\"subscribe\" or op:ping",
            "  -op:ping,pong                 everything but pings and pongs",
            "  sess:3 (viol or len:>64k)");
}
