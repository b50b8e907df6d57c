package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.time.Instant;

/** A frame crossed wstap, forwarded or injected. */
public record FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected) implements TapEvent {}
