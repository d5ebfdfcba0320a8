package io.userhub.shared.config;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes that are hints, not part of any answer (a key's day of use, a minute's count of refused
 * logins): one daemon thread per function instance runs them after the request that noted them,
 * so they never delay an answer. Lambda may freeze the instance before one is done; it then
 * finishes when the instance thaws, or is lost with the instance.
 */
public final class BackgroundWrites {
    private BackgroundWrites() {}

    private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "userhub-background-writes");
        thread.setDaemon(true);
        return thread;
    });

    public static void submit(Runnable write) {
        WRITER.execute(write);
    }

    /**
     * Waits until the writes submitted so far are done: before a SnapStart snapshot (no write in
     * flight on a connection the snapshot would freeze), and in tests that count requests.
     */
    public static void awaitAll() {
        try {
            WRITER.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // Hints: a slow one is left to finish on its own.
        }
    }
}
