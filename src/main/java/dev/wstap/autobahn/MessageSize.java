package dev.wstap.autobahn;

import java.util.List;

/**
 * One line of {@code MSG_SIZES}, the sizes Autobahn's families 12 and 13 run through
 * ({@code case/case12_x_x.py}): subcase {@code N} of 12.x and 13.x sends messages of {@code bytes}
 * each, their compressed payload cut into frames of {@code fragmentBytes} (0: one frame each).
 *
 * <p>Autobahn sends 1000 messages a case, each once the one before came back. {@code wstap probe}
 * does so with {@code --full}; by default it sends fewer ({@link #count}), as the proxy's tests do,
 * so that the two families run in seconds. Even the fewest are several messages in a row through
 * one compression context.
 */
public record MessageSize(int subcase, int bytes, int fragmentBytes) {
    public static final int MAX_MESSAGES = 100;

    public static final List<MessageSize> AUTOBAHN = List.of(
            new MessageSize(1, 16, 0),
            new MessageSize(2, 64, 0),
            new MessageSize(3, 256, 0),
            new MessageSize(4, 1024, 0),
            new MessageSize(5, 4096, 0),
            new MessageSize(6, 8192, 0),
            new MessageSize(7, 16384, 0),
            new MessageSize(8, 32768, 0),
            new MessageSize(9, 65536, 0),
            new MessageSize(10, 131072, 0),
            new MessageSize(11, 8192, 256),
            new MessageSize(12, 16384, 256),
            new MessageSize(13, 32768, 256),
            new MessageSize(14, 65536, 256),
            new MessageSize(15, 131072, 256),
            new MessageSize(16, 131072, 1024),
            new MessageSize(17, 131072, 4096),
            new MessageSize(18, 131072, 32768));

    public static MessageSize subcase(int n) {
        return AUTOBAHN.get(n - 1);
    }

    /** How many messages to send: as many as fit {@code budgetBytes}, at most 100, at least {@code fewest}. */
    public int count(int budgetBytes, int fewest) {
        return Math.max(fewest, Math.min(MAX_MESSAGES, budgetBytes / bytes));
    }

    /** {@code 100 messages of 256 bytes} or {@code 3 messages of 131072 bytes, auto-fragment to 1024 octets}. */
    public String describe(int count) {
        return count + " messages of " + bytes + " bytes" + (fragmentBytes > 0 ? ", auto-fragment to " + fragmentBytes + " octets" : "");
    }
}
