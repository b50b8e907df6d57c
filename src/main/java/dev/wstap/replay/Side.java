package dev.wstap.replay;

import dev.wstap.wire.Direction;

/** The side of a recorded session that wstap plays; the other side is the live peer. */
public enum Side {
    client, server;

    /** The direction of the frames wstap sends when it plays this side. */
    public Direction sends() {
        return this == client ? Direction.C2S : Direction.S2C;
    }

    /** The direction of the frames the live peer sends. */
    public Direction peerSends() {
        return sends().reverse();
    }

    /** The other side's name: {@code server} for {@code client}. */
    public String peer() {
        return this == client ? "server" : "client";
    }
}
