package dev.verinfer.market;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.zkml.CommittedTensors;
import dev.verinfer.zkml.ProofMaskReserve;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.Visibility;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Inference and proofs by verinfer-zkml for the models whose proving keys it holds. A request's
 * input is the statement's quantised input; it is run as the floats it dequantises to, which
 * quantise back to exactly the same integers. A batch of B inputs is proven under the key
 * {@link ProvingKey#batched batched} for B (which the key keeps per B), each input tensor the B
 * requests' tensors stacked along the batch axis in order.
 *
 * <p>Outputs are remembered for the latest {@link #REMEMBERED} inputs, so that the agents of one process
 * sharing it (provers that each run a request's model before they lock it, a watcher) run a model
 * once per input: the integer execution is deterministic, and agents seeing the same block at once
 * wait for the one run under way instead of repeating it.
 */
public final class ZkmlInference implements InferenceService {
    /** How many recent inputs' outputs (or failures) it remembers. */
    static final int REMEMBERED = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Run(String modelId, ByteBuffer input) {
    }

    private final Map<String, ProvingKey> keys;
    private final BoundedCache<Run, FutureTask<byte[]>> outputs = new BoundedCache<>(REMEMBERED);
    private final ReservesAhead reserves = new ReservesAhead();

    public ZkmlInference(List<ProvingKey> keys) {
        Map<String, ProvingKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(k.verifyingKey().modelIdHex(), k));
        this.keys = Map.copyOf(byId);
    }

    @Override
    public byte[] output(String modelId, byte[] input) {
        Run run = new Run(modelId, ByteBuffer.wrap(input.clone()));
        FutureTask<byte[]> mine = new FutureTask<>(() -> run(modelId, input));
        FutureTask<byte[]> task = outputs.putIfAbsent(run, mine);
        if (task == null) {
            task = mine;
            task.run();
        }
        try {
            return task.get().clone();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another agent ran the model", e);
        }
    }

    private byte[] run(String modelId, byte[] input) {
        QuantGraph g = key(modelId).graph();
        Execution ex = execute(g, input);
        return StatementCodec.encode(g.outputs().stream().map(ex::value).toList());
    }

    /**
     * A zero-knowledge key's proof takes the reserve prepared after its previous proof ({@link ReservesAhead}) and starts the
     * next one's, so the request pays the online part; the first proof of a key draws its masks itself.
     */
    @Override
    public byte[] prove(String modelId, byte[] input, byte[] context) {
        ProvingKey key = key(modelId);
        Execution ex = execute(key.graph(), input);
        ProofMaskReserve reserve = reserves.take(key);
        try {
            return (reserve != null ? Prover.prove(key, ex, Visibility.PUBLIC, Visibility.PUBLIC, context, reserve) : Prover.prove(key, ex, context)).bytes();
        } finally {
            reserves.prepareNext(key);
        }
    }

    @Override
    public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("a batch proves 2 or more inferences, not " + inputs.size());
        }
        ProvingKey batched = key(modelId).batched(inputs.size());
        List<List<long[]>> decoded = inputs.stream().map(StatementCodec::decode).toList();
        QuantGraph g = batched.graph();
        Map<String, float[]> floats = new HashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            var t = g.tensor(g.inputs().get(i));
            int part = t.size() / inputs.size();
            long[] stacked = new long[t.size()];
            for (int k = 0; k < inputs.size(); k++) {
                List<long[]> tensors = decoded.get(k);
                if (tensors.size() != g.inputs().size() || tensors.get(i).length != part) {
                    throw new IllegalArgumentException("input " + k + " of the batch is not of the model's tensor count and sizes");
                }
                System.arraycopy(tensors.get(i), 0, stacked, k * part, part);
            }
            floats.put(t.name(), IntegerExecutor.dequantise(t, stacked));
        }
        return Prover.prove(batched, IntegerExecutor.execute(g, floats), context).bytes();
    }

    @Override
    public java.util.Optional<String> refusal(String modelId) {
        return key(modelId).weightOpeningsRefusal().map(reason -> "model " + modelId + ": " + reason
                + "; then post the link to the market as the listing's owner (verinfer market rotate -m DIR --key OWNER_KEY) and restart the prover"
                + " (or run the owner's prover with --rotate-when-spent, which does both)");
    }

    /** The verifying key's bound ({@code VerifyingKey.maxBatch}: the batched plan the verifier builds stays bounded). */
    @Override
    public int maxBatch(String modelId) {
        return key(modelId).verifyingKey().maxBatch();
    }

    /**
     * A private model's committed tensors are hiding commitments derived from seeds ({@link TensorCommitments#hiding}): its
     * committed input is opened from {@code inputSeeds} (the client's, or the producing step's prover's), each committed
     * output from a fresh seed, so a proof made again after a failed one commits its outputs anew.
     */
    @Override
    public Committed proveCommitted(String modelId, byte[] input, List<byte[]> inputSeeds, boolean inputCommitted, boolean outputCommitted, byte[] context) {
        ProvingKey key = key(modelId);
        VerifyingKey vk = key.verifyingKey();
        QuantGraph g = key.graph();
        requireSeeds(vk, inputSeeds, inputCommitted, g.inputs().size());
        Execution ex = execute(g, input);
        CommittedTensors handed = new CommittedTensors();
        for (int i = 0; i < inputSeeds.size(); i++) {
            int t = g.inputs().get(i);
            handed.input(i, TensorCommitments.hiding(vk, g.tensor(t).shape(), ex.value(t), inputSeeds.get(i), new SecureRandom()));
        }
        List<long[]> outputs = g.outputs().stream().map(ex::value).toList();
        List<byte[]> roots = new ArrayList<>();
        List<byte[]> seeds = new ArrayList<>();
        for (int o = 0; outputCommitted && o < g.outputs().size(); o++) {
            int[] shape = g.tensor(g.outputs().get(o)).shape();
            if (vk.zeroKnowledge()) {
                byte[] seed = new byte[TensorCommitments.SEED_BYTES];
                RANDOM.nextBytes(seed);
                PcsCommitment c = TensorCommitments.hiding(vk, shape, outputs.get(o), seed, new SecureRandom());
                handed.output(o, c);
                roots.add(c.root());
                seeds.add(seed);
            } else {
                roots.add(TensorCommitments.root(shape, outputs.get(o), vk.security()));
            }
        }
        byte[] proof = Prover.prove(key, ex, inputCommitted ? Visibility.COMMITTED : Visibility.PUBLIC, outputCommitted ? Visibility.COMMITTED : Visibility.PUBLIC,
                context, handed).bytes();
        return new Committed(outputs, roots, seeds, proof);
    }

    /** A private model's committed input comes with one seed per tensor, anything else with none. */
    private static void requireSeeds(VerifyingKey vk, List<byte[]> seeds, boolean committed, int tensors) {
        boolean hiding = committed && vk.zeroKnowledge();
        if (seeds.size() != (hiding ? tensors : 0)) {
            throw new IllegalArgumentException(hiding ? "a private model's committed input is opened from one seed per tensor (" + tensors + "), not " + seeds.size()
                    : "seeds go with a private model's committed input only");
        }
    }

    @Override
    public Verdict checkInput(String modelId, byte[] input) {
        return ZkmlProofVerifier.checkInput(key(modelId).verifyingKey(), input);
    }

    @Override
    public List<byte[]> inputRoots(String modelId, byte[] input, List<byte[]> seeds) {
        ProvingKey key = key(modelId);
        VerifyingKey vk = key.verifyingKey();
        QuantGraph g = key.graph();
        requireSeeds(vk, seeds, true, g.inputs().size());
        List<long[]> values = StatementCodec.decode(input);
        if (values.size() != g.inputs().size()) {
            throw new IllegalArgumentException("the model takes " + g.inputs().size() + " inputs, not " + values.size());
        }
        return java.util.stream.IntStream.range(0, values.size()).mapToObj(i -> {
            var t = g.tensor(g.inputs().get(i));
            if (values.get(i).length != t.size()) {
                throw new IllegalArgumentException("input tensor " + i + " has " + t.size() + " values, not " + values.get(i).length);
            }
            return vk.zeroKnowledge() ? TensorCommitments.hidingRoot(vk, t.shape(), values.get(i), seeds.get(i))
                    : TensorCommitments.root(t.shape(), values.get(i), vk.security());
        }).toList();
    }

    private ProvingKey key(String modelId) {
        ProvingKey k = keys.get(modelId);
        if (k == null) {
            throw new IllegalArgumentException("no proving key for model " + modelId);
        }
        return k;
    }

    private static Execution execute(QuantGraph g, byte[] input) {
        List<long[]> values = StatementCodec.decode(input);
        if (values.size() != g.inputs().size()) {
            throw new IllegalArgumentException("the model takes " + g.inputs().size() + " inputs, the request has " + values.size());
        }
        Map<String, float[]> floats = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            var t = g.tensor(g.inputs().get(i));
            floats.put(t.name(), IntegerExecutor.dequantise(t, values.get(i)));
        }
        return IntegerExecutor.execute(g, floats);
    }
}
