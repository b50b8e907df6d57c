package dev.wstap.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule set's own logic, without sessions: chances that repeat with a seed, counts, reloading. */
class RulesTest {
    @TempDir
    Path dir;

    private static List<Boolean> hits(long seed, int matches) throws Exception {
        Rules rules = new Rules(seed, line -> { });
        rules.add(RuleParser.fromWords("op:text", List.of("drop", "probability=0.5"), 1));
        Rules.Active a = rules.active().get(0);
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < matches; i++) out.add(a.hit());
        return out;
    }

    @Test
    void aSeedGivesTheSameHitsTwice() throws Exception {
        List<Boolean> first = hits(42, 200);
        assertEquals(first, hits(42, 200));
        long n = first.stream().filter(b -> b).count();
        assertTrue(n > 60 && n < 140, "about half hit: " + n);
    }

    @Test
    void afterPassesOverTheFirstMatchesAndCountStopsTheHits() throws Exception {
        Rules rules = new Rules(1, line -> { });
        rules.add(RuleParser.fromWords("op:text", List.of("drop", "after=2", "count=3"), 1));
        Rules.Active a = rules.active().get(0);
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) out.add(a.hit());
        assertEquals(List.of(false, false, true, true, true, false, false, false), out);
        assertEquals(8, a.matches());
        assertEquals(3, a.hits());
    }

    @Test
    void anEditedFileIsReadAgainAndABrokenOneKeepsTheRulesInForce() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "- {when: op:text, drop: true}\n");
        List<String> said = new CopyOnWriteArrayList<>();
        Rules rules = new Rules(1, said::add);
        rules.load(file);
        assertEquals(1, rules.active().size());

        Files.writeString(file, "- {when: op:text, drop: true}\n- {name: two, when: op:ping, answer_ping: true}\n");
        Poll.until(Duration.ofSeconds(10), () -> rules.active().size() == 2, "the edited file read again");
        assertEquals("two", rules.active().get(1).rule().name());

        Files.writeString(file, "- {when: op:text, drop: true}\n- {when: op:ping, dela: 1}\n");
        Poll.until(Duration.ofSeconds(10), () -> said.stream().anyMatch(l -> l.contains("unknown key 'dela'")), "the mistake reported");
        assertEquals(2, rules.active().size(), "the rules in force stay");
        String line = said.stream().filter(l -> l.contains("dela")).findFirst().orElseThrow();
        assertEquals("rules: " + file + ":2: rule 2: unknown key 'dela' (did you mean delay?); the 2 rules in force stay", line);
    }
}
