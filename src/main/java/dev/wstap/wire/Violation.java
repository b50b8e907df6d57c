package dev.wstap.wire;

/**
 * A broken protocol rule, seen in a frame. The parser never throws on these: it reports them and
 * goes on, because a debugging proxy forwards what it sees. {@link #rule()} names the rule and its
 * RFC section; {@link #detail()} says what this frame did, with the values in it.
 */
public record Violation(Rule rule, String detail) {

    /** The rules wstap checks, each with the section that states it. */
    public enum Rule {
        CONTROL_FRAME_TOO_LONG("control-frame-too-long", "RFC 6455 §5.5"),
        CONTROL_FRAME_FRAGMENTED("control-frame-fragmented", "RFC 6455 §5.5"),
        RESERVED_OPCODE("reserved-opcode", "RFC 6455 §5.2"),
        RSV_WITHOUT_EXTENSION("rsv-without-extension", "RFC 6455 §5.2"),
        CLIENT_FRAME_UNMASKED("client-frame-unmasked", "RFC 6455 §5.1"),
        SERVER_FRAME_MASKED("server-frame-masked", "RFC 6455 §5.1"),
        NON_MINIMAL_LENGTH("non-minimal-length", "RFC 6455 §5.2"),
        LENGTH_TOP_BIT_SET("length-top-bit-set", "RFC 6455 §5.2"),
        CONTINUATION_WITHOUT_START("continuation-without-start", "RFC 6455 §5.4"),
        DATA_FRAME_INSIDE_MESSAGE("data-frame-inside-message", "RFC 6455 §5.4"),
        INVALID_UTF8("invalid-utf8", "RFC 6455 §8.1"),
        INVALID_CLOSE_CODE("invalid-close-code", "RFC 6455 §7.4"),
        CLOSE_PAYLOAD_ONE_BYTE("close-payload-one-byte", "RFC 6455 §5.5.1"),
        FRAME_AFTER_CLOSE("frame-after-close", "RFC 6455 §5.5.1"),
        /** A message rule: found when a compressed message is inflated, not by the frame parser. */
        INFLATE_FAILED("inflate-failed", "RFC 7692 §7.2.2");

        private final String id;
        private final String section;

        Rule(String id, String section) {
            this.id = id;
            this.section = section;
        }

        /** True for the rules the frame parser checks; false for those checked on whole messages. */
        public boolean isFrameRule() {
            return this != INFLATE_FAILED;
        }

        /** The stable name used in the log's {@code violations} list. */
        public String id() {
            return id;
        }

        public String section() {
            return section;
        }
    }

    /** The whole sentence: detail and section, e.g. {@code ping of 126 bytes exceeds 125 (RFC 6455 §5.5)}. */
    public String message() {
        return detail + " (" + rule.section() + ")";
    }

    @Override
    public String toString() {
        return rule.id() + ": " + message();
    }
}
