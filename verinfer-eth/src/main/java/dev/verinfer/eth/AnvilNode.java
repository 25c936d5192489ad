package dev.verinfer.eth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Ethereum node: the pinned anvil binary that scripts/eth-toolchain installs into
 * {@code .cache/eth-toolchain}, started on a free loopback port (anvil binds port 0 and prints the
 * port it got) and stopped by {@link #close}. For tests and the local demo; nothing is fetched.
 */
public final class AnvilNode implements AutoCloseable {
    public static final String RELATIVE_PATH = ".cache/eth-toolchain/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private AnvilNode(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The anvil binary under the repository root {@code root}; a clear error if the toolchain is not installed. */
    public static Path binary(Path root) {
        Path anvil = root.resolve(RELATIVE_PATH);
        if (!Files.isExecutable(anvil)) {
            throw new IllegalStateException("anvil is not installed at " + anvil + ": run scripts/eth-toolchain (the verinfer-eth build runs it)");
        }
        return anvil;
    }

    /** Starts {@code anvil} (chain id 31337, no pre-funded accounts; a block per transaction) and waits until it listens. */
    public static AnvilNode start(Path anvil) throws IOException {
        return start(anvil, 0);
    }

    /** The same, mining a block every {@code blockSeconds} instead when that is positive (a clock that moves by itself, as a real chain's). */
    public static AnvilNode start(Path anvil, int blockSeconds) throws IOException {
        return start(anvil, blockSeconds, 0);
    }

    /**
     * The same with a block gas limit of {@code gasLimit} when that is positive (anvil's default
     * otherwise, which also caps eth_call and eth_estimateGas) and no limit on a request's size: for measuring calls above them.
     */
    public static AnvilNode start(Path anvil, int blockSeconds, long gasLimit) throws IOException {
        return start(anvil, blockSeconds, gasLimit, false);
    }

    /** The same, refusing with {@code txGasCap} a transaction whose gas limit is over EIP-7825's cap (2^24), as Ethereum does since Osaka. */
    public static AnvilNode start(Path anvil, int blockSeconds, long gasLimit, boolean txGasCap) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(anvil.toString(), "--host", "127.0.0.1", "--port", "0", "--accounts", "1", "--chain-id", "31337"));
        if (blockSeconds > 0) {
            command.addAll(List.of("--block-time", Integer.toString(blockSeconds)));
        }
        if (gasLimit > 0) { // a measuring node: nor is a request's body held to anvil's 2 MB (a real model's key or stage-1 call can be more)
            command.addAll(List.of("--gas-limit", Long.toString(gasLimit), "--no-request-size-limit"));
        }
        if (txGasCap) {
            command.add("--enable-tx-gas-limit");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Deque<String> early = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (early) {
                        early.addLast(line);
                        if (early.size() > 20) {
                            early.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended; its exit shows in start() or is expected after close()
            }
            port.completeExceptionally(new IOException("anvil exited before listening"));
        }, "anvil-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new AnvilNode(p, port.get(30, TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            String tail;
            synchronized (early) {
                tail = String.join(" | ", early);
            }
            throw new IOException("anvil did not start listening within 30 s: " + tail, e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
