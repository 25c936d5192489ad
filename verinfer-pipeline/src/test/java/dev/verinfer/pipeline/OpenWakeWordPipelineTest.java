package dev.verinfer.pipeline;

import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.onnx.proto.Onnx;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.Visibility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The openWakeWord pipeline (melspectrogram → 16 × embedding_model → alexa_v0.1) proven step by
 * step on real audio, once (about 100 s on 2 cores); the soundness tests reuse that chain and
 * re-prove only the steps they alter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenWakeWordPipelineTest {
    private OpenWakeWordPipeline pipeline;
    private float[] audio;
    private ChainProof proof;
    private ChainVerdict verdict;

    @BeforeAll
    void proveTheChainOnce() {
        OpenWakeWordChain chain = OpenWakeWordChain.get();
        pipeline = chain.pipeline();
        audio = chain.audio();
        proof = chain.proof();
        verdict = chain.verdict();
    }


    @Test
    void theChainVerifiesAndItsScoreIsTheComposedIntegerComputation() {
        assertTrue(verdict.valid(), verdict.reason());
        OpenWakeWordRun run = pipeline.execute(audio);
        assertArrayEquals(run.score(), verdict.finalOutputs().getFirst(), "the proven score is the chained integer executor's, exactly");
        List<QuantGraph> graphs = List.of(0, 1, pipeline.windows() + 1).stream().map(s -> pipeline.provingKey(s).graph()).toList();
        for (int k = 0; k < pipeline.windows(); k++) {
            byte[] window = TensorCommitments.root(graphs.get(0).tensor(graphs.get(0).outputs().get(k)).shape(), run.windows()[k], PcsSecurity.PROVEN);
            assertArrayEquals(window, proof.steps().getFirst().proof().statement().outputRoots().get(k), "mel window " + k);
            assertArrayEquals(window, proof.steps().get(1 + k).proof().statement().inputRoots().getFirst(), "embedding input " + k);
            byte[] embedding = TensorCommitments.root(graphs.get(1).tensor(graphs.get(1).outputs().getFirst()).shape(), run.embeddings()[k], PcsSecurity.PROVEN);
            assertArrayEquals(embedding, proof.steps().get(1 + k).proof().statement().outputRoots().getFirst(), "embedding " + k);
            assertArrayEquals(embedding, proof.steps().getLast().proof().statement().inputRoots().get(k), "classifier input " + k);
        }
        for (int s = 0; s < verdict.steps().size(); s++) {
            var st = verdict.steps().get(s).result().statement();
            for (int i = 0; i < st.inputs().size(); i++) {
                assertEquals(s > 0, st.inputCommitted(i), "only the audio is a public input");
            }
            for (int o = 0; o < st.outputs().size(); o++) {
                assertEquals(s < verdict.steps().size() - 1, st.outputCommitted(o), "only the score is a public output");
            }
        }
        reportAccuracy(run, graphs);
    }

    /** The integer chain against openWakeWord's float pipeline in ONNX Runtime (RealInputs: ORT melspectrogram, x/10 + 2, ORT embeddings, ORT classifier). */
    private void reportAccuracy(OpenWakeWordRun run, List<QuantGraph> graphs) {
        NamedInput embeddings = RealInputs.embeddings(2);
        float[] floatEmbeddings = embeddings.values().values().iterator().next();
        QTensor embOut = graphs.get(1).tensor(graphs.get(1).outputs().getFirst());
        double embError = 0, embRange = 0;
        for (int k = 0; k < pipeline.windows(); k++) {
            for (int i = 0; i < 96; i++) {
                double f = floatEmbeddings[k * 96 + i];
                embError = Math.max(embError, Math.abs(Math.scalb((double) run.embeddings()[k][i], -embOut.scale()) - f));
                embRange = Math.max(embRange, Math.abs(f));
            }
        }
        double floatScore, floatLogit;
        try (OrtReference ort = new OrtReference(withLogitOutput(RealModels.ALEXA))) {
            var out = ort.run(embeddings.values(), embeddings.shapes()).values().iterator();
            floatScore = out.next()[0];
            floatLogit = out.next()[0];
        }
        double score = pipeline.score(run.score()[0]);
        double logit = integerLogit(run);
        System.out.printf("accuracy vs ONNX Runtime: embeddings max |error| %.3g (range ±%.3g); logit %.4f vs %.4f; score %.6f vs %.6f (|error| %.2g)%n",
                embError, embRange, logit, floatLogit, score, floatScore, Math.abs(score - floatScore));
        assertTrue(embError < 0.02 * embRange, "embeddings drift from the float pipeline: " + embError);
        assertTrue(Math.abs(logit - floatLogit) < 0.1 * Math.max(1, Math.abs(floatLogit)), "logit " + logit + " vs ONNX Runtime " + floatLogit);
        assertTrue(Math.abs(score - floatScore) < 0.01, "score " + score + " vs ONNX Runtime " + floatScore);
    }

    /** The classifier's logit in the integer chain: the input of its final sigmoid look-up, dequantised. */
    private double integerLogit(OpenWakeWordRun run) {
        ProvingKey classifier = pipeline.provingKey(pipeline.windows() + 1);
        Execution e = runQuantised(classifier.graph(), classifierInputs(classifier, run));
        QuantGraph g = classifier.graph();
        int x = g.nodes().stream().filter(n -> n.op() instanceof QOp.Lookup).reduce((a, b) -> b).orElseThrow().inputs()[0];
        return Math.scalb((double) e.value(x)[0], -g.tensor(x).scale());
    }

    /** The classifier with the input of its final Sigmoid (the logit) as a second output. */
    private static byte[] withLogitOutput(RealModels classifier) {
        Onnx.ModelProto m = OnnxEdits.parse(read(classifier.path()));
        Onnx.NodeProto last = m.getGraph().getNode(m.getGraph().getNodeCount() - 1);
        assertEquals("Sigmoid", last.getOpType());
        return m.toBuilder().setGraph(m.getGraph().toBuilder().addOutput(OnnxEdits.floatValue(last.getInput(0), null))).build().toByteArray();
    }

    private static byte[] read(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The classifier proven (validly) on embeddings of which one value differs from what embedding step 5 committed to. */
    @Test
    void aStepProvenOnAnotherInputBreaksItsLink() {
        ProvingKey classifier = pipeline.provingKey(pipeline.windows() + 1);
        Map<String, long[]> inputs = classifierInputs(classifier, pipeline.execute(audio));
        inputs.get(classifier.graph().tensor(classifier.graph().inputs().get(5)).name())[7] += 1;
        Proof other = Prover.prove(classifier, runQuantised(classifier.graph(), inputs), Visibility.COMMITTED, Visibility.PUBLIC);
        assertTrue(Verifier.verify(classifier.verifyingKey(), other.bytes()).valid(), "the classifier proof alone is valid");
        ChainVerdict v = ChainVerifier.verify(pipeline.spec(), replace(proof.bytes(), proof.steps().size() - 1, other.bytes()));
        assertFalse(v.valid());
        assertTrue(v.reason().contains("'embedding_model[5]' output 0 -> 'alexa_v0.1' input 5") && v.reason().contains("roots differ"), v.reason());
    }

    /**
     * A prover changes one value of mel window 3 and carries the change on consistently: a mel
     * proof committing to the changed window, an embedding proof on it and a classifier proof on
     * that embedding. Every link holds, and the mel proof is rejected: the changed window is not
     * the melspectrogram of the audio.
     */
    @Test
    void aChangedIntermediateOutputIsRejected() {
        ProvingKey mel = pipeline.provingKey(0), embedding = pipeline.provingKey(1), classifier = pipeline.provingKey(pipeline.windows() + 1);
        Execution melRun;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            melRun = executor.run(mel.graph(), Map.of("input", audio));
        }
        long[] window = melRun.values()[mel.graph().outputs().get(3)];
        window[500] += 1;
        Proof changedMel = Prover.prove(mel, melRun, Visibility.PUBLIC, Visibility.COMMITTED);
        String embInput = embedding.graph().tensor(embedding.graph().inputs().getFirst()).name();
        Execution embRun = runQuantised(embedding.graph(), Map.of(embInput, window));
        Proof changedEmbedding = Prover.prove(embedding, embRun, Visibility.COMMITTED, Visibility.COMMITTED);
        OpenWakeWordRun run = pipeline.execute(audio);
        run.embeddings()[3] = embRun.value(embedding.graph().outputs().getFirst());
        Proof changedClassifier = Prover.prove(classifier, runQuantised(classifier.graph(), classifierInputs(classifier, run)),
                Visibility.COMMITTED, Visibility.PUBLIC);
        List<byte[]> forged = replace(replace(replace(proof.bytes(), 0, changedMel.bytes()), 4, changedEmbedding.bytes()),
                proof.steps().size() - 1, changedClassifier.bytes());
        assertFalse(Verifier.verify(mel.verifyingKey(), changedMel.bytes()).valid(), "a mel proof committing to a changed window");
        ChainVerdict v = ChainVerifier.verify(pipeline.spec(), forged);
        assertFalse(v.valid());
        assertTrue(v.reason().startsWith("step 'melspectrogram': "), "the links hold, the mel proof fails: " + v.reason());
    }

    @Test
    void reorderedMissingOrForeignStepsAreRejected() {
        List<byte[]> swapped = replace(replace(proof.bytes(), 4, proof.bytes().get(5)), 5, proof.bytes().get(4));
        ChainVerdict v = ChainVerifier.verify(pipeline.spec(), swapped);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("roots differ"), v.reason());
        v = ChainVerifier.verify(pipeline.spec(), proof.bytes().subList(0, proof.steps().size() - 1));
        assertFalse(v.valid());
        assertTrue(v.reason().contains("17 proofs for a chain of 18 steps"), v.reason());
        v = ChainVerifier.verify(pipeline.spec(), replace(proof.bytes(), 1, proof.bytes().getLast()));
        assertFalse(v.valid());
        assertTrue(v.reason().startsWith("step 'embedding_model[0]' is proven for model "), v.reason());
        byte[] flipped = proof.bytes().get(9).clone();
        flipped[flipped.length / 2] ^= 1;
        v = ChainVerifier.verify(pipeline.spec(), replace(proof.bytes(), 9, flipped));
        assertFalse(v.valid());
        assertTrue(v.reason().startsWith("step 'embedding_model[8]': "), v.reason());
    }

    /** A committed input that no link binds is unconstrained: alone, the classifier step proves nothing about its embeddings. */
    @Test
    void committedValuesMustBeBoundByLinks() {
        ChainSpec classifierAlone = new ChainSpec(List.of(pipeline.spec().steps().getLast()), List.of());
        var failure = ChainVerifier.linkFailure(classifierAlone, List.of(proof.steps().getLast().proof().statement()));
        assertTrue(failure.isPresent() && failure.get().equals("step 'alexa_v0.1': input 0 is committed but no link binds it"), failure.toString());
        ChainSpec melAlone = new ChainSpec(List.of(pipeline.spec().steps().getFirst()), List.of());
        failure = ChainVerifier.linkFailure(melAlone, List.of(proof.steps().getFirst().proof().statement()));
        assertTrue(failure.isPresent() && failure.get().equals("step 'melspectrogram': output 0 is committed but no link binds it"), failure.toString());
    }

    @Test
    void linksMustJoinTensorsOfOneFormat() {
        List<ChainStep> steps = pipeline.spec().steps();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChainSpec(List.of(steps.getFirst(), steps.getLast()), List.of(new Link(0, 0, 1, 0))));
        assertTrue(e.getMessage().contains("has shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ChainSpec(steps.subList(0, 2), List.of(new Link(0, 0, 1, 0))));
        assertTrue(e.getMessage().contains("1 of its 16 outputs are linked"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ChainSpec(steps.subList(0, 2),
                java.util.stream.IntStream.range(0, 16).mapToObj(k -> new Link(0, k, 1, 0)).toList()));
        assertTrue(e.getMessage().contains("several sources"), e.getMessage());
    }

    private Map<String, long[]> classifierInputs(ProvingKey classifier, OpenWakeWordRun run) {
        Map<String, long[]> inputs = new HashMap<>();
        for (int k = 0; k < pipeline.windows(); k++) {
            inputs.put(classifier.graph().tensor(classifier.graph().inputs().get(k)).name(), run.embeddings()[k].clone());
        }
        return inputs;
    }

    private static Execution runQuantised(QuantGraph g, Map<String, long[]> inputs) {
        try (IntegerExecutor executor = new IntegerExecutor()) {
            return executor.runQuantised(g, inputs);
        }
    }

    private static List<byte[]> replace(List<byte[]> proofs, int step, byte[] by) {
        List<byte[]> r = new ArrayList<>(proofs);
        r.set(step, by);
        return r;
    }
}
