package dev.wstap.proxy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** The sessions that are open now, by number. Thread safe. */
public final class SessionRegistry {
    private final ConcurrentSkipListMap<Integer, Session> open = new ConcurrentSkipListMap<>();

    void add(Session s) {
        open.put(s.id(), s);
    }

    void remove(Session s) {
        open.remove(s.id(), s);
    }

    public Session get(int id) {
        return open.get(id);
    }

    /** Open sessions, oldest first. */
    public Collection<Session> all() {
        return List.copyOf(open.values());
    }

    public int size() {
        return open.size();
    }
}
