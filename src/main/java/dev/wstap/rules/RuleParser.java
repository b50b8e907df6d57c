package dev.wstap.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wstap.filter.Expr;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import dev.wstap.filter.Spelling;
import dev.wstap.intercept.PayloadEdit;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a rule file (YAML: a list of rules, docs/rules.md) into {@link Rule}s. Every mistake is
 * one sentence that names the file and line: {@code rules.yaml:7: rule 2: unknown action 'dela'
 * (did you mean delay?)}. Pure: text in, rules out.
 */
public final class RuleParser {
    /** Every key a rule may have, for messages and "did you mean". */
    public static final List<String> KEYS = List.of("name", "when", "probability", "count", "after", "replace", "delay",
            "throttle", "drop", "duplicate", "reorder", "fragment", "set", "corrupt", "answer_ping", "close", "reset", "stall");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s)?");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib)\\s*(?:/s)?");
    private static final YAMLFactory YAML = (YAMLFactory) new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper TREE = new ObjectMapper(YAML);

    private RuleParser() {}

    /** The rules of a file's {@code text}; {@code source} names it in messages. */
    public static List<Rule> parse(String source, String text) throws RuleFileException {
        List<Rule> rules = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return rules; // an empty file: no rules
            if (t != JsonToken.START_ARRAY) {
                throw new RuleFileException(source + ":" + p.currentTokenLocation().getLineNr(),
                        "a rule file is a list of rules, each starting with '- when:'");
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                int line = p.currentTokenLocation().getLineNr();
                JsonNode node = TREE.readTree(p);
                String where = source + ":" + line;
                if (t != JsonToken.START_OBJECT) throw new RuleFileException(where, "rule " + (rules.size() + 1) + " is not a map of when: and actions");
                rules.add(rule(where, line, rules.size() + 1, node));
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new RuleFileException(source + ":" + line, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new RuleFileException(source, "cannot be read: " + e.getMessage());
        }
        return rules;
    }

    /**
     * A rule typed in the shell: {@code rule add 'dir:s2c op:pong' -- drop} or
     * {@code -- delay=100ms..400ms replace={regex: x, with: y}}: each action a key, or
     * {@code key=VALUE} with VALUE in YAML.
     */
    public static Rule fromWords(String when, List<String> actions, int index) throws RuleFileException {
        com.fasterxml.jackson.databind.node.ObjectNode node = TREE.createObjectNode();
        node.put("when", when);
        for (String word : actions) {
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq);
            if (node.has(key)) throw new RuleFileException("rule add", key + " is given twice");
            if (eq < 0) {
                node.put(key, true);
                continue;
            }
            try {
                JsonNode value = TREE.readTree(word.substring(eq + 1));
                node.set(key, value == null || value.isMissingNode() ? TREE.getNodeFactory().textNode("") : value);
            } catch (JsonProcessingException e) {
                throw new RuleFileException("rule add", key + ": '" + word.substring(eq + 1) + "' is not a YAML value");
            }
        }
        return rule("rule add", 0, index, node);
    }

    /** One rule from its node; {@code index} counts from 1. */
    static Rule rule(String where, int line, int index, JsonNode node) throws RuleFileException {
        String what = "rule " + index;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw new RuleFileException(where, what + ": unknown key '" + key + "'" + suggestion(key));
        }
        String name = node.hasNonNull("name") ? node.get("name").asText() : null;
        if (name != null) what = "rule " + index + " (\"" + name + "\")";
        if (!node.hasNonNull("when")) throw new RuleFileException(where, what + ": no when: (a filter expression, e.g. when: dir:s2c op:text)");
        String when = node.get("when").asText();
        Expr expr;
        try {
            expr = FilterParser.parse(when);
        } catch (FilterSyntaxException e) {
            throw new RuleFileException(where, what + ": when: " + e.getMessage());
        }
        double probability = node.has("probability") ? number(node.get("probability"), where, what, "probability") : 1.0;
        if (!(probability >= 0 && probability <= 1)) throw new RuleFileException(where, what + ": probability " + probability + " is outside 0-1");
        long count = node.has("count") ? whole(node.get("count"), where, what, "count", 1) : 0;
        long after = node.has("after") ? whole(node.get("after"), where, what, "after", 0) : 0;
        List<Action> actions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            Action a = action(e.getKey(), e.getValue(), where, what);
            if (a != null) actions.add(a);
        }
        if (actions.isEmpty()) {
            throw new RuleFileException(where, what + ": no action (one or more of replace, delay, throttle, drop, duplicate, reorder, "
                    + "fragment, set, corrupt, answer_ping, close, reset, stall)");
        }
        List<String> shapes = actions.stream().filter(a -> a instanceof Action.Shape).map(a -> a.describe().split(" ")[0]).toList();
        if (shapes.size() > 1) {
            throw new RuleFileException(where, what + ": " + String.join(" and ", shapes) + " cannot go together: a rule has at most one of "
                    + "drop, duplicate, reorder, fragment, set, corrupt, answer_ping, close, reset and stall (replace, delay and throttle go with any)");
        }
        return new Rule(line, name, when, expr, probability, count, after, actions);
    }

    /** The action a key stands for, or null for a key that is not an action (or an action set to false). */
    static Action action(String key, JsonNode v, String where, String what) throws RuleFileException {
        String at = what + ": " + key;
        return switch (key) {
            case "name", "when", "probability", "count", "after" -> null;
            case "drop" -> flag(v, where, at) ? new Action.Drop() : null;
            case "reorder" -> flag(v, where, at) ? new Action.Reorder() : null;
            case "answer_ping" -> flag(v, where, at) ? new Action.AnswerPing() : null;
            case "reset" -> flag(v, where, at) ? new Action.Reset() : null;
            case "stall" -> flag(v, where, at) ? new Action.Stall() : null;
            case "duplicate" -> new Action.Duplicate((int) whole(v, where, what, key, 1));
            case "delay" -> delay(v.asText(), where, at);
            case "throttle" -> new Action.Throttle(rate(v.asText(), where, at));
            case "fragment" -> {
                int parts = (int) whole(v.isObject() ? v.path("parts") : v, where, what, "fragment parts", 2);
                boolean ping = v.isObject() && v.path("ping_between").asBoolean(false);
                yield new Action.Fragment(parts, ping);
            }
            case "set" -> {
                if (!v.isObject()) throw new RuleFileException(where, at + ": say {opcode: NAME, rsv: 0-7, fin: true|false}");
                Integer opcode = null;
                if (v.has("opcode")) {
                    try {
                        opcode = Opcode.parse(v.get("opcode").asText());
                    } catch (IllegalArgumentException e) {
                        throw new RuleFileException(where, at + ": " + e.getMessage());
                    }
                }
                Integer rsv = v.has("rsv") ? (int) whole(v.get("rsv"), where, what, "set rsv", 0) : null;
                if (rsv != null && rsv > 7) throw new RuleFileException(where, at + ": rsv " + rsv + " is outside 0-7");
                Boolean fin = v.has("fin") ? v.get("fin").asBoolean() || v.get("fin").asInt(0) == 1 : null;
                yield new Action.SetHeader(opcode, rsv, fin);
            }
            case "corrupt" -> {
                String how = v.asText();
                for (Action.Corruption c : Action.Corruption.values()) {
                    if (c.label().equals(how)) yield new Action.Corrupt(c);
                }
                throw new RuleFileException(where, at + ": '" + how + "': say invalid-utf8, bad-rsv, bad-length or flip-mask");
            }
            case "close" -> {
                int code = (int) whole(v.isObject() ? v.path("code") : v, where, what, "close code", 1000);
                if (!CloseCode.isSendable(code)) throw new RuleFileException(where, at + ": code " + code + " may not be sent (RFC 6455 §7.4.1)");
                String reason = v.isObject() ? v.path("reason").asText("") : "";
                String to = v.isObject() ? v.path("to").asText("both") : "both";
                Action.Peer peer;
                try {
                    peer = Action.Peer.valueOf(to.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new RuleFileException(where, at + ": to: '" + to + "': say client, server or both");
                }
                yield new Action.Close(code, reason, peer);
            }
            case "replace" -> replace(v, where, at);
            default -> throw new RuleFileException(where, what + ": unknown key '" + key + "'" + suggestion(key));
        };
    }

    private static Action.Replace replace(JsonNode v, String where, String at) throws RuleFileException {
        List<PayloadEdit> edits = new ArrayList<>();
        if (!v.isObject()) throw new RuleFileException(where, at + ": say {json_set: {\"/pointer\": VALUE}} or {regex: \"...\", with: \"...\"}");
        if (v.has("json_set")) {
            if (!v.get("json_set").isObject()) throw new RuleFileException(where, at + ": json_set is a map of JSON Pointers to values");
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) v.get("json_set")::fields) {
                try {
                    edits.add(new PayloadEdit.JsonSet(JsonPointer.compile(e.getKey()), e.getValue()));
                } catch (IllegalArgumentException ex) {
                    throw new RuleFileException(where, at + ": '" + e.getKey() + "' is no JSON Pointer (RFC 6901): it starts with /");
                }
            }
        }
        if (v.has("regex")) {
            String regex = v.get("regex").asText();
            String with = v.path("with").asText("");
            try {
                edits.add(new PayloadEdit.Replace(Pattern.compile(regex), with, "/" + regex + "/" + with + "/"));
            } catch (PatternSyntaxException e) {
                throw new RuleFileException(where, at + ": bad regular expression: " + e.getDescription());
            }
        }
        if (v.has("text")) edits.add(new PayloadEdit.SetText(v.get("text").asText()));
        if (edits.isEmpty()) throw new RuleFileException(where, at + ": say json_set, regex (with with) or text");
        return new Action.Replace(edits);
    }

    private static boolean flag(JsonNode v, String where, String at) throws RuleFileException {
        if (!v.isBoolean()) throw new RuleFileException(where, at + ": say true (or leave it out)");
        return v.asBoolean();
    }

    /** {@code 200ms}, {@code 1.5s}, {@code 200} (ms), or a range {@code 100ms..400ms}. */
    static Action.Delay delay(String text, String where, String at) throws RuleFileException {
        String[] parts = text.trim().split("\\.\\.", 2);
        Duration min = duration(parts[0], where, at);
        Duration max = parts.length == 2 ? duration(parts[1], where, at) : min;
        if (max.compareTo(min) < 0) throw new RuleFileException(where, at + ": the range " + text + " ends before it starts");
        return new Action.Delay(min, max);
    }

    private static Duration duration(String text, String where, String at) throws RuleFileException {
        Matcher m = DURATION.matcher(text.trim());
        // A plain number is milliseconds, whole ones only: 1.5 alone could mean seconds.
        if (!m.matches() || (m.group(2) == null && m.group(1).contains("."))) {
            throw new RuleFileException(where, at + ": '" + text + "' is not a duration (say 200ms, 1.5s, or 100ms..400ms)");
        }
        double value = Double.parseDouble(m.group(1));
        return Duration.ofNanos((long) (value * ("s".equals(m.group(2)) ? 1e9 : 1e6)));
    }

    /** Bytes per second: {@code 10000}, {@code 64KiB/s}, {@code 1MiB/s}. */
    static long rate(String text, String where, String at) throws RuleFileException {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new RuleFileException(where, at + ": '" + text + "' is not a rate (say 64KiB/s or 10000)");
        int shift = switch (m.group(2)) {
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1)) << shift;
        if (n < 1) throw new RuleFileException(where, at + ": the rate must be at least 1 byte per second");
        return n;
    }

    private static double number(JsonNode v, String where, String what, String key) throws RuleFileException {
        if (!v.isNumber()) throw new RuleFileException(where, what + ": " + key + " '" + v.asText() + "' is not a number");
        return v.asDouble();
    }

    private static long whole(JsonNode v, String where, String what, String key, long min) throws RuleFileException {
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new RuleFileException(where, what + ": " + key + " '" + v.asText() + "' is not a whole number");
        }
        long n = v.asLong();
        if (n < min) throw new RuleFileException(where, what + ": " + key + " " + n + " must be at least " + min);
        return n;
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String k : KEYS) {
            int d = Spelling.distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? " (keys: " + String.join(", ", KEYS) + ")" : " (did you mean " + best + "?)";
    }
}
