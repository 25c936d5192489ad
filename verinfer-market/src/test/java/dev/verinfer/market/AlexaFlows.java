package dev.verinfer.market;

import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.Visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real proofs of alexa_v0.1 (compiled once, by {@link Alexa}) for batches and workflows, made once
 * per test JVM: batch proofs of three and of two audio clips, proofs with committed inputs or
 * outputs, and a two-input "head" graph (the sum of two clips' wake-word scores, at the score's
 * scale) that takes two alexa steps' committed outputs as its committed inputs. The synthetic
 * clips say no wake word, so their scores are equal (the smallest step above 0); the cheat is a head
 * proven on a forged score for clip 1 (probability one half). The market binds every proof to its
 * request (or batch) and prover ({@link ProofContext}), so the proofs are made on demand for one.
 */
final class AlexaFlows {
    /** The clips (RealInputs seeds): requests 0..3 of the batch tests, windows of the workflow. */
    static final long[] SEEDS = {2, 3, 4, 5};

    final Alexa alexa;
    final List<byte[]> inputs = new ArrayList<>();
    final List<byte[]> outputs = new ArrayList<>();
    private final List<float[]> clips = new ArrayList<>();
    private final List<Execution> runs = new ArrayList<>();
    private final String inputName;

    /** Clip 0's committed input (the client's root). */
    final byte[] inputRoot;

    /** Clips 0 and 1 with committed outputs, and the head on both roots (or on a forged score instead of clip 1's). */
    final ProvingKey headKey;
    final List<byte[]> scoreRoots = new ArrayList<>();
    final byte[] headOutput;
    final byte[] headOnForgedScoreOutput;
    final byte[] forgedScoreRoot;
    private final Execution head;
    private final Execution headOnForgedScore;

    private static AlexaFlows instance;

    private AlexaFlows() throws Exception {
        alexa = Alexa.get();
        ProvingKey key = alexa.provingKey;
        QuantGraph g = key.graph();
        inputName = g.tensor(g.inputs().getFirst()).name();
        for (long seed : SEEDS) {
            float[] clip = RealInputs.embeddings(seed).values().get(inputName);
            clips.add(clip);
            Execution ex = IntegerExecutor.execute(g, Map.of(inputName, clip));
            runs.add(ex);
            inputs.add(StatementCodec.encode(g.inputs().stream().map(ex::value).toList()));
            outputs.add(StatementCodec.encode(g.outputs().stream().map(ex::value).toList()));
        }
        QTensor in = g.tensor(g.inputs().getFirst());
        inputRoot = TensorCommitments.root(in.shape(), runs.getFirst().value(in.id()), key.verifyingKey().security());

        QTensor score = g.tensor(g.outputs().getFirst());
        headKey = Setup.setup(head(score));
        for (int clip = 0; clip < 2; clip++) {
            scoreRoots.add(TensorCommitments.root(score.shape(), runs.get(clip).value(score.id()), key.verifyingKey().security()));
        }
        head = runHead(score, runs.get(0).value(score.id()), runs.get(1).value(score.id()));
        headOutput = StatementCodec.encode(List.of(head.value(headKey.graph().outputs().getFirst())));
        long[] forged = {1L << (score.scale() - 1)};
        forgedScoreRoot = TensorCommitments.root(score.shape(), forged, headKey.verifyingKey().security());
        headOnForgedScore = runHead(score, runs.get(0).value(score.id()), forged);
        headOnForgedScoreOutput = StatementCodec.encode(List.of(headOnForgedScore.value(headKey.graph().outputs().getFirst())));
    }

    private static byte[] context(long requestId, Signer prover) {
        return ProofContext.request(MarketDriver.CHAIN, requestId, prover.accountId());
    }

    /** One proof of the first {@code clips} clips as one batch, in order, for the batch {@code requestIds} by {@code prover}. */
    byte[] batch(int count, List<Long> requestIds, Signer prover) {
        return batch(alexa.provingKey, inputName, clips.subList(0, count), ProofContext.batch(MarketDriver.CHAIN, requestIds, prover.accountId()));
    }

    /** Clip 0 on its committed input, public output, for request {@code requestId} by {@code prover}. */
    byte[] committedInputProof(long requestId, Signer prover) {
        return Prover.prove(alexa.provingKey, runs.getFirst(), Visibility.COMMITTED, Visibility.PUBLIC, context(requestId, prover)).bytes();
    }

    /** Clip {@code clip}'s score committed (root {@link #scoreRoots}), for request {@code requestId} by {@code prover}. */
    byte[] scoreProof(int clip, long requestId, Signer prover) {
        return Prover.prove(alexa.provingKey, runs.get(clip), Visibility.PUBLIC, Visibility.COMMITTED, context(requestId, prover)).bytes();
    }

    /** The head on both committed scores, or on clip 0's and the forged one. */
    byte[] headProof(boolean onForgedScore, long requestId, Signer prover) {
        return Prover.prove(headKey, onForgedScore ? headOnForgedScore : head, Visibility.COMMITTED, Visibility.PUBLIC, context(requestId, prover)).bytes();
    }

    static synchronized AlexaFlows get() throws Exception {
        if (instance == null) {
            instance = new AlexaFlows();
        }
        return instance;
    }

    /** One proof of the clips as one batch, in order. */
    private static byte[] batch(ProvingKey key, String inputName, List<float[]> clips, byte[] context) {
        ProvingKey batched = key.batched(clips.size());
        int n = clips.getFirst().length;
        float[] stacked = new float[n * clips.size()];
        for (int b = 0; b < clips.size(); b++) {
            System.arraycopy(clips.get(b), 0, stacked, b * n, n);
        }
        return Prover.prove(batched, IntegerExecutor.execute(batched.graph(), Map.of(inputName, stacked)), context).bytes();
    }

    /** y = a + b for two scores of alexa's output shape and scale. */
    private static QuantGraph head(QTensor score) {
        List<QTensor> tensors = List.of(
                new QTensor(0, "a", score.shape(), score.scale(), score.bits(), QTensor.Kind.INPUT, null),
                new QTensor(1, "b", score.shape(), score.scale(), score.bits(), QTensor.Kind.INPUT, null),
                new QTensor(2, "sum", score.shape(), score.scale(), score.bits() + 1, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(tensors, List.of(new QNode("sum", new QOp.Add(0, 1), 2)), List.of(0, 1), List.of(2));
    }

    /** The head run on two scores, handed over as the floats they dequantise to (which quantise back exactly). */
    private Execution runHead(QTensor score, long[] a, long[] b) {
        Execution ex = IntegerExecutor.execute(headKey.graph(), Map.of("a", IntegerExecutor.dequantise(score, a), "b", IntegerExecutor.dequantise(score, b)));
        if (!java.util.Arrays.equals(ex.value(0), a) || !java.util.Arrays.equals(ex.value(1), b)) {
            throw new IllegalStateException("the scores did not hand over exactly");
        }
        return ex;
    }
}
