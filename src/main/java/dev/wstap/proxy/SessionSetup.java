package dev.wstap.proxy;

/**
 * What every new session gets before its first frame moves: handlers on its decision points and
 * the rules for what they hold (an intercept, rules). A proxy or client with one follows every
 * session's messages whole, observed or not, so that the handlers can judge them.
 */
@FunctionalInterface
public interface SessionSetup {
    void setUp(Session session);
}
