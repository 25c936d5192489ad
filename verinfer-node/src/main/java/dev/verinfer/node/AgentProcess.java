package dev.verinfer.node;

import dev.verinfer.client.RemoteAgent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a remote agent on this thread until SIGTERM or Ctrl-C, which lets its current step finish (up to a minute) before the JVM exits. */
final class AgentProcess {
    private AgentProcess() {}

    static void run(RemoteAgent agent) {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.println("verinfer agent: stopped");
        }));
        try {
            agent.run();
        } finally {
            done.countDown();
        }
    }
}
