package dev.verinfer.market;

import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
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
 * proven on a forged score for clip 1 (probability one half).
 */
final class AlexaFlows {
    /** The clips (RealInputs seeds): requests 0..3 of the batch tests, windows of the workflow. */
    static final long[] SEEDS = {2, 3, 4, 5};

    final Alexa alexa;
    final List<byte[]> inputs = new ArrayList<>();
    final List<byte[]> outputs = new ArrayList<>();
    /** One proof of clips 0, 1, 2 in that order; one of clips 0, 1. */
    final byte[] batchOfThree;
    final byte[] batchOfTwo;

    /** Clip 0 on its committed input (the client's root), public output. */
    final byte[] inputRoot;
    final byte[] committedInputProof;

    /** Clips 0 and 1 with committed outputs, and the head on both roots (or on a forged score instead of clip 1's). */
    final ProvingKey headKey;
    final List<byte[]> scoreRoots = new ArrayList<>();
    final List<byte[]> scoreProofs = new ArrayList<>();
    final byte[] headOutput;
    final byte[] headProof;
    final byte[] headOnForgedScoreProof;
    final byte[] forgedScoreRoot;

    private static AlexaFlows instance;

    private AlexaFlows() throws Exception {
        alexa = Alexa.get();
        ProvingKey key = alexa.provingKey;
        QuantGraph g = key.graph();
        String inputName = g.tensor(g.inputs().getFirst()).name();
        List<Execution> runs = new ArrayList<>();
        List<float[]> clips = new ArrayList<>();
        for (long seed : SEEDS) {
            float[] clip = RealInputs.embeddings(seed).values().get(inputName);
            clips.add(clip);
            Execution ex = IntegerExecutor.execute(g, Map.of(inputName, clip));
            runs.add(ex);
            inputs.add(StatementCodec.encode(g.inputs().stream().map(ex::value).toList()));
            outputs.add(StatementCodec.encode(g.outputs().stream().map(ex::value).toList()));
        }
        batchOfThree = batch(key, inputName, clips.subList(0, 3));
        batchOfTwo = batch(key, inputName, clips.subList(0, 2));

        QTensor in = g.tensor(g.inputs().getFirst());
        inputRoot = TensorCommitments.root(in.shape(), runs.getFirst().value(in.id()), key.verifyingKey().security());
        committedInputProof = Prover.prove(key, runs.getFirst(), Visibility.COMMITTED, Visibility.PUBLIC).bytes();

        QTensor score = g.tensor(g.outputs().getFirst());
        headKey = Setup.setup(head(score));
        for (int clip = 0; clip < 2; clip++) {
            Proof p = Prover.prove(key, runs.get(clip), Visibility.PUBLIC, Visibility.COMMITTED);
            scoreProofs.add(p.bytes());
            scoreRoots.add(p.statement().outputRoots().getFirst());
        }
        Execution honest = runHead(score, runs.get(0).value(score.id()), runs.get(1).value(score.id()));
        headOutput = StatementCodec.encode(List.of(honest.value(headKey.graph().outputs().getFirst())));
        headProof = Prover.prove(headKey, honest, Visibility.COMMITTED, Visibility.PUBLIC).bytes();
        long[] forged = {1L << (score.scale() - 1)};
        forgedScoreRoot = TensorCommitments.root(score.shape(), forged, headKey.verifyingKey().security());
        headOnForgedScoreProof = Prover.prove(headKey, runHead(score, runs.get(0).value(score.id()), forged), Visibility.COMMITTED, Visibility.PUBLIC).bytes();
    }

    static synchronized AlexaFlows get() throws Exception {
        if (instance == null) {
            instance = new AlexaFlows();
        }
        return instance;
    }

    /** One proof of the clips as one batch, in order. */
    private static byte[] batch(ProvingKey key, String inputName, List<float[]> clips) {
        ProvingKey batched = key.batched(clips.size());
        int n = clips.getFirst().length;
        float[] stacked = new float[n * clips.size()];
        for (int b = 0; b < clips.size(); b++) {
            System.arraycopy(clips.get(b), 0, stacked, b * n, n);
        }
        return Prover.prove(batched, IntegerExecutor.execute(batched.graph(), Map.of(inputName, stacked))).bytes();
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
