package dev.verinfer.node;

import dev.verinfer.api.TxResult;
import dev.verinfer.client.KeyFile;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.InferenceService;
import dev.verinfer.market.Signer;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.market.Tx;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the market tests over HTTP share: key files, the workspace's alexa model and input as a request, a cheat, waiting. */
final class MarketFixture {
    final Workspace w = Workspace.get();
    final Path dir;
    final ProvingKey alexa;
    final String model;
    final byte[] input;
    private final java.util.Map<String, float[]> inputValues;

    MarketFixture(Path dir) {
        this.dir = dir;
        try {
            alexa = ProvingKey.fromBytes(Files.readAllBytes(w.alexa.resolve(ModelDir.PROVING_KEY)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        model = alexa.verifyingKey().modelIdHex();
        inputValues = TensorFiles.read(w.input, TensorInfo.specs(TensorInfo.inputs(alexa.graph())), "input_data").values();
        input = inputFor(alexa);
    }

    /** The workspace's alexa input as a request's input to a model compiled with {@code key} (quantised by its graph). */
    byte[] inputFor(ProvingKey key) {
        TensorInfo first = TensorInfo.inputs(key.graph()).getFirst();
        return StatementCodec.encode(List.of(first.quantise(inputValues.get(first.name()))));
    }

    /** A new key pair written to {@code NAME.key}. */
    KeyPair key(String name) {
        KeyPair k = KeyFile.generate();
        try {
            KeyFile.write(keyFile(name), k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return k;
    }

    Path keyFile(String name) {
        return dir.resolve(name + ".key");
    }

    static String id(KeyPair k) {
        return new Signer(k, "").accountId();
    }

    static void ok(TxResult r) {
        assertTrue(r.accepted(), r::toString);
    }

    /** A market parameters file for the node's first start. */
    Path params(String json) {
        try {
            return Files.writeString(dir.resolve("params.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean allFinal(MarketClient client, String query) {
        return client.requests(query).stream().allMatch(r -> r.status().isFinal());
    }

    static void await(String what, long maxMillis, BooleanSupplier done) throws InterruptedException {
        await(what, maxMillis, done, () -> "");
    }

    /** As {@link #await(String, long, BooleanSupplier)}, the timeout's message followed by {@code context} (e.g. a process's stderr). */
    static void await(String what, long maxMillis, BooleanSupplier done, java.util.function.Supplier<String> context) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out after " + maxMillis + " ms waiting for " + what + "; " + context.get());
            Thread.sleep(100);
        }
    }

    /** A cheating prover's inference: always the model's output plus one, with its (invalid) proof. */
    InferenceService cheat() {
        Execution ex = IntegerExecutor.execute(alexa.graph(), inputValues);
        ex.values()[alexa.graph().outputs().getFirst()][0] += 1;
        byte[] proof = Prover.prove(alexa, ex).bytes();
        byte[] output;
        try {
            output = StatementCodec.encode(Proof.fromBytes(proof).statement().outputs());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return new InferenceService() {
            @Override public byte[] output(String modelId, byte[] in) {
                return output;
            }

            @Override public byte[] prove(String modelId, byte[] in, byte[] context) {
                return proof;
            }

            @Override public byte[] proveBatch(String modelId, List<byte[]> in, byte[] context) {
                return proof;
            }
        };
    }

    /** Funds accounts in one batch signed by the operator. */
    static void fund(RemoteAccount operator, long amount, KeyPair... keys) {
        for (KeyPair k : keys) operator.send(new Tx.Deposit(id(k), amount));
        operator.flush().forEach(s -> ok(s.result()));
    }
}
