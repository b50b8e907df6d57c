package dev.wstap.shell;

import dev.wstap.proxy.Injector;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.proxy.Session;
import dev.wstap.tap.Tap;
import java.util.Comparator;

/** What the commands of a script act on: the proxy's sessions, the one in use, and what was seen. */
final class ScriptContext {
    final ProxyServer server;
    final Tap tap;
    final FrameWatch watch;
    private Integer chosen;
    int failedExpectations;

    ScriptContext(ProxyServer server, Tap tap, FrameWatch watch) {
        this.server = server;
        this.tap = tap;
        this.watch = watch;
    }

    void use(int id) {
        if (server.sessions().get(id) == null) throw new ScriptException("no open session #" + id + " (see: sessions)");
        chosen = id;
    }

    /** The session chosen with {@code use}, else the newest open one. */
    Session session() {
        if (chosen != null) {
            Session s = server.sessions().get(chosen);
            if (s == null) throw new ScriptException("session #" + chosen + " has ended");
            return s;
        }
        return server.sessions().all().stream().max(Comparator.comparingInt(Session::id))
                .orElseThrow(() -> new ScriptException("no open session (wait session first)"));
    }

    Injector injector() {
        return new Injector(session(), tap);
    }
}
