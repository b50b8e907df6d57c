package dev.wstap.proxy;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ordered frame handlers of one direction: the decision point between the parser and the
 * writer. A frame's need is the largest any handler has; its verdict is the first that is not
 * {@link Verdict#PASS}. Empty (the default), or with idle handlers only, it costs forwarding a volatile read per handler per chunk.
 * Thread safe: handlers may come and go while frames flow; a frame already being decided keeps
 * the handlers it was asked of.
 */
public final class HandlerChain {
    private final List<FrameHandler> handlers = new CopyOnWriteArrayList<>();

    public void add(FrameHandler handler) {
        handlers.add(handler);
    }

    /** Adds a handler that is asked before the others. */
    public void addFirst(FrameHandler handler) {
        handlers.add(0, handler);
    }

    public boolean remove(FrameHandler handler) {
        return handlers.remove(handler);
    }

    /** No handler, or none that wants to see anything of {@code dir} now ({@link FrameHandler#isIdle}). */
    public boolean isIdle(Direction dir) {
        if (handlers.isEmpty()) return true; // the usual case, without an iterator per read
        for (FrameHandler h : handlers) {
            if (!h.isIdle(dir)) return false;
        }
        return true;
    }

    FrameHandler.Need need(Direction dir, FrameHeader header) {
        FrameHandler.Need need = FrameHandler.Need.NOTHING;
        for (FrameHandler h : handlers) {
            FrameHandler.Need n = h.need(dir, header);
            if (n.compareTo(need) > 0) need = n;
        }
        return need;
    }

    Verdict decide(Direction dir, Arrival arrival) {
        FrameHeader first = arrival.frames().get(0).header();
        for (FrameHandler h : handlers) {
            if (h.need(dir, first) == FrameHandler.Need.NOTHING) continue; // it did not ask to see this one
            Verdict v = h.decide(dir, arrival);
            if (!(v instanceof Verdict.Pass)) return v;
        }
        return Verdict.PASS;
    }
}
