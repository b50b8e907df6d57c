package dev.wstap.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.testing.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child process whose stdout lines are JSON records, read as they come. */
final class Reporter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Process process;
    final List<JsonNode> records = Collections.synchronizedList(new ArrayList<>());
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    Reporter(String readyPrefix, String... command) throws IOException, InterruptedException {
        process = new ProcessBuilder(command).directory(Peers.DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("{")) records.add(JSON.readTree(line));
                    else ready.complete(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
            ready.complete("(ended)");
        });
        if (readyPrefix != null) {
            try {
                String first = ready.get(Waits.scaledMillis(20_000), TimeUnit.MILLISECONDS);
                if (!first.startsWith(readyPrefix)) throw new IOException(String.join(" ", command) + " did not start: " + first);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException(String.join(" ", command) + " did not start", e);
            }
        }
    }

    List<JsonNode> where(String field, String value) {
        synchronized (records) {
            return records.stream().filter(r -> value.equals(r.path(field).asText(null))).toList();
        }
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(Waits.scaledMillis(60_000), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the client did not finish: " + lines);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

