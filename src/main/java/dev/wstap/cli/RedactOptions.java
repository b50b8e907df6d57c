package dev.wstap.cli;

import picocli.CommandLine.Option;

/** Whether credentials are masked in what wstap shows and writes; shared by {@code proxy}, {@code connect} and {@code view}. */
public final class RedactOptions {
    @Option(names = "--redact",
            description = "Mask credentials on the console and in the log and HAR, to share them: the values of Authorization, "
                    + "Proxy-Authorization, Cookie and Set-Cookie, and of token-like query parameters (token, access_token, "
                    + "api_key, key, secret, password, auth, sig, session...; the rule is in docs/log-format.md) are replaced "
                    + "with three asterisks. "
                    + "What is forwarded is never changed; message payloads are not redacted.")
    boolean isRedact;
}
