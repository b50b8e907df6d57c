package dev.wstap.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    private static final String EXAMPLE = """
            - name: slow server
              when: dir:s2c op:text
              delay: 200ms              # or a jitter range: 100ms..400ms
            - when: dir:c2s body~/drop-me/
              drop: true
            - name: server never answers pings
              when: dir:s2c op:pong
              drop: true
            - when: json:/type=="subscribe"
              replace: {json_set: {"/channel": "test"}}   # or {regex: "...", with: "..."}
            """;

    private static String problem(String yaml) {
        return assertThrows(RuleFileException.class, () -> RuleParser.parse("rules.yaml", yaml)).getMessage();
    }

    @Test
    void theIssuesExampleReadsAsFourRules() throws Exception {
        List<Rule> rules = RuleParser.parse("rules.yaml", EXAMPLE);
        assertEquals(4, rules.size());
        assertEquals("slow server", rules.get(0).name());
        assertEquals(1, rules.get(0).line());
        assertEquals(new Action.Delay(Duration.ofMillis(200), Duration.ofMillis(200)), rules.get(0).actions().get(0));
        assertInstanceOf(Action.Drop.class, rules.get(1).shape());
        assertEquals(4, rules.get(1).line());
        assertEquals("replace --json-set /channel=\"test\"", rules.get(3).describeActions());
    }

    @Test
    void anEmptyFileHasNoRules() throws Exception {
        assertEquals(List.of(), RuleParser.parse("rules.yaml", ""));
        assertEquals(List.of(), RuleParser.parse("rules.yaml", "# nothing yet\n"));
    }

    @Test
    void aJitterRangeAndAllTheLimitsRead() throws Exception {
        Rule r = RuleParser.parse("r", "- when: op:text\n  delay: 100ms..0.4s\n  probability: 0.5\n  count: 3\n  after: 2\n").get(0);
        assertEquals(new Action.Delay(Duration.ofMillis(100), Duration.ofMillis(400)), r.actions().get(0));
        assertEquals(0.5, r.probability());
        assertEquals(3, r.count());
        assertEquals(2, r.after());
    }

    @Test
    void everyActionReads() throws Exception {
        String yaml = """
                - {when: op:text, throttle: 64KiB/s}
                - {when: op:text, duplicate: 2}
                - {when: op:text, reorder: true}
                - {when: op:text, fragment: {parts: 3, ping_between: true}}
                - {when: op:text, set: {opcode: binary, rsv: 2, fin: false}}
                - {when: op:text, corrupt: invalid-utf8}
                - {when: op:ping, answer_ping: true}
                - {when: op:text, close: {code: 1008, reason: policy, to: client}}
                - {when: op:text, reset: true}
                - {when: op:text, stall: true}
                - {when: op:text, replace: {regex: "a(b)", with: "$1"}}
                """;
        List<String> described = RuleParser.parse("r", yaml).stream().map(Rule::describeActions).toList();
        assertEquals(List.of("throttle 65536 B/s", "duplicate 2", "reorder", "fragment 3 with pings between",
                "set opcode=2 rsv=2 fin=0", "corrupt invalid-utf8", "answer_ping", "close 1008 \"policy\" to client", "reset", "stall",
                "replace --replace /a(b)/$1/"), described);
    }

    @Test
    void mistakesNameTheFileAndLine() {
        assertEquals("rules.yaml:3: rule 2: unknown key 'dela' (did you mean delay?)",
                problem("- when: op:text\n  drop: true\n- when: op:ping\n  dela: 200ms\n"));
        assertEquals("rules.yaml:1: rule 1: no when: (a filter expression, e.g. when: dir:s2c op:text)", problem("- drop: true\n"));
        assertEquals("rules.yaml:1: rule 1: delay: 'soon' is not a duration (say 200ms, 1.5s, or 100ms..400ms)",
                problem("- {when: op:text, delay: soon}\n"));
        assertEquals("rules.yaml:1: rule 1: no action (one or more of replace, delay, throttle, drop, duplicate, reorder, fragment, "
                + "set, corrupt, answer_ping, close, reset, stall)", problem("- when: op:text\n"));
        assertEquals("rules.yaml:1: rule 1: probability 2.0 is outside 0-1", problem("- {when: op:text, drop: true, probability: 2}\n"));
        assertEquals("rules.yaml:1: rule 1: close: code 1005 may not be sent (RFC 6455 §7.4.1)", problem("- {when: op:text, close: 1005}\n"));
    }

    @Test
    void aPlainNumberIsWholeMillisecondsAndKeysComeOnce() throws Exception {
        assertEquals("delay 200 ms", RuleParser.parse("r", "- {when: op:text, delay: 200}\n").get(0).describeActions());
        assertEquals("rules.yaml:1: rule 1: delay: '1.5' is not a duration (say 200ms, 1.5s, or 100ms..400ms)",
                problem("- {when: op:text, delay: 1.5}\n"));
        assertEquals(true, problem("- when: op:text\n  drop: true\n  drop: false\n").contains("Duplicate field 'drop'"));
        assertThrows(RuleFileException.class, () -> RuleParser.fromWords("op:text", List.of("delay=1ms", "delay=2ms"), 1));
    }

    @Test
    void twoShapeActionsInOneRuleAreRefused() {
        assertEquals("rules.yaml:1: rule 1 (\"x\"): drop and duplicate cannot go together: a rule has at most one of drop, duplicate, "
                        + "reorder, fragment, set, corrupt, answer_ping, close, reset and stall (replace, delay and throttle go with any)",
                problem("- {name: x, when: op:text, drop: true, duplicate: 2}\n"));
    }

    @Test
    void aBadExpressionOrBadYamlSaysWhere() {
        String bad = problem("- when: dir:sideways\n  drop: true\n");
        assertEquals(true, bad.startsWith("rules.yaml:1: rule 1: when: "), bad);
        String yaml = problem("- when: op:text\n  drop: [true\n");
        assertEquals(true, yaml.startsWith("rules.yaml:"), yaml);
        assertEquals("rules.yaml:1: a rule file is a list of rules, each starting with '- when:'", problem("when: op:text\n"));
    }

    @Test
    void aRuleTypedInTheShellReadsLikeOneInAFile() throws Exception {
        Rule r = RuleParser.fromWords("dir:s2c op:pong", List.of("drop", "delay=100ms..200ms"), 4);
        assertEquals("drop, delay 100 ms..200 ms", r.describeActions());
        assertEquals("#4", r.label(4));
    }
}
