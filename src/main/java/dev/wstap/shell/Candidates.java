package dev.wstap.shell;

import dev.wstap.render.ViewMode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.util.ArrayList;
import java.util.List;

/** Values picocli offers for completion (in the shell, and in the generated shell completions). */
public final class Candidates {
    private Candidates() {}

    /** Completion candidates: where a frame can go. */
    public static final class Peers extends ArrayList<String> {
        public Peers() {
            super(List.of("server", "client"));
        }
    }

    /** Completion candidates: directions. */
    public static final class Directions extends ArrayList<String> {
        public Directions() {
            super(Direction.LABELS);
        }
    }

    /** Completion candidates: opcode names. */
    public static final class OpcodeNames extends ArrayList<String> {
        public OpcodeNames() {
            super(Opcode.NAMES);
        }
    }

    /** Completion candidates: view modes. */
    public static final class ViewModes extends ArrayList<String> {
        public ViewModes() {
            super(java.util.Arrays.stream(ViewMode.values()).map(ViewMode::label).toList());
        }
    }

    /** Completion candidates: mask choices. */
    public static final class MaskChoices extends ArrayList<String> {
        public MaskChoices() {
            super(List.of("random", "none"));
        }
    }

    /** Completion candidates: length encodings. */
    public static final class LengthEncodings extends ArrayList<String> {
        public LengthEncodings() {
            super(List.of("minimal", "16", "64"));
        }
    }

    /** Completion candidates: what {@code wait} and {@code expect} wait for. */
    public static final class WaitTargets extends ArrayList<String> {
        public WaitTargets() {
            super(List.of("session", "frame", "held"));
        }
    }

    /** Completion candidates: what {@code rules} does. */
    public static final class RuleVerbs extends ArrayList<String> {
        public RuleVerbs() {
            super(List.of("reload", "on", "off"));
        }
    }
}
