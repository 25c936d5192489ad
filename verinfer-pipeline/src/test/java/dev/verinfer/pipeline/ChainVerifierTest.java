package dev.verinfer.pipeline;

import com.google.protobuf.ByteString;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.onnx.proto.Onnx;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.model.quant.TensorFormat;
import dev.verinfer.zkml.CommittedTensors;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.Visibility;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain rules on two small built models, A: x [1, 4] → [1, 3] and B: [1, 3] → [1, 2] (fast; the real chain is {@link OpenWakeWordPipelineTest}'s). */
class ChainVerifierTest {
    private static final float[] X = {0.5f, -1.25f, 2f, 0.75f};
    private final CompiledModel a = CompiledModel.compile(OnnxImporter.parse(dense(1, 4, 3)), Map.of(), List.of(Map.of("x", X)), QuantConfig.DEFAULT);
    private final ProvingKey keyA = Setup.setup(a.quant());
    private final Execution runA = IntegerExecutor.execute(a.quant(), Map.of("x", X));
    private final CompiledModel b = CompiledModel.compile(OnnxImporter.parse(dense(2, 3, 2)), Map.of(), List.of(Map.of("x", runA.outputs().values().iterator().next())),
            QuantConfig.DEFAULT, Map.of("x", TensorFormat.of(a.quant().tensor(a.quant().outputs().getFirst()))));
    private final ProvingKey keyB = Setup.setup(b.quant());
    private final ChainSpec spec = new ChainSpec(List.of(new ChainStep("a", keyA.verifyingKey()), new ChainStep("b", keyB.verifyingKey())),
            List.of(new Link(0, 0, 1, 0)));

    private Proof proveB(long[] input) {
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            return Prover.prove(keyB, e.runQuantised(b.quant(), Map.of("x", input)), Visibility.COMMITTED, Visibility.PUBLIC);
        }
    }

    @Test
    void anHonestChainIsValidAndComposesTheIntegerModels() {
        assertEquals(Visibility.COMMITTED, spec.outputs(0));
        assertEquals(Visibility.COMMITTED, spec.inputs(1));
        Proof pa = Prover.prove(keyA, runA, spec.inputs(0), spec.outputs(0));
        long[] handOver = runA.value(a.quant().outputs().getFirst());
        ChainVerdict v = ChainVerifier.verify(spec, List.of(pa.bytes(), proveB(handOver).bytes()));
        assertTrue(v.valid(), v.reason());
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            assertArrayEquals(e.runQuantised(b.quant(), Map.of("x", handOver)).value(b.quant().outputs().getFirst()), v.finalOutputs().getFirst());
        }
    }

    @Test
    void aLinkedOutputMustBeCommittedAndBeTheConsumersInput() {
        long[] handOver = runA.value(a.quant().outputs().getFirst());
        Proof publicA = Prover.prove(keyA, runA, Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(keyA.verifyingKey(), publicA.bytes()).valid());
        ChainVerdict v = ChainVerifier.verify(spec, List.of(publicA.bytes(), proveB(handOver).bytes()));
        assertFalse(v.valid());
        assertEquals("link 'a' output 0 -> 'b' input 0: the input is not bound to the committed output (roots differ)", v.reason());
        long[] other = handOver.clone();
        other[1] += 1;
        v = ChainVerifier.verify(spec, List.of(Prover.prove(keyA, runA, Visibility.PUBLIC, Visibility.COMMITTED).bytes(), proveB(other).bytes()));
        assertFalse(v.valid());
        assertTrue(v.reason().endsWith("(roots differ)"), v.reason());
    }

    /** A batch proof verifies against the model's own key, but its public values are not one inference of the chain. */
    @Test
    void unlinkedValuesArePublicAndOneInference() {
        ChainSpec alone = new ChainSpec(List.of(new ChainStep("a", keyA.verifyingKey())), List.of());
        ProvingKey two = keyA.batched(2);
        float[] xx = new float[8];
        System.arraycopy(X, 0, xx, 0, 4);
        System.arraycopy(X, 0, xx, 4, 4);
        Proof batch = Prover.prove(two, IntegerExecutor.execute(two.graph(), Map.of("x", xx)));
        assertTrue(Verifier.verify(keyA.verifyingKey(), batch.bytes()).valid(), "a batch proof is valid for the model");
        ChainVerdict v = ChainVerifier.verify(alone, List.of(batch.bytes()));
        assertFalse(v.valid());
        assertEquals("step 'a' is proven as a batch of 2 inferences; a chain's steps are single inferences", v.reason());
        assertTrue(ChainVerifier.verify(alone, List.of(Prover.prove(keyA, runA).bytes())).valid());
    }

    /** Gemm (random weights) then Relu: input 'x' [1, in], output 'y' [1, out]. */
    /**
     * The same chain in zero knowledge: step a's committed output is a hiding commitment that step b's prover opens itself
     * ({@link CommittedTensors}), so the roots match and the chain verifies; b's input committed afresh to the same values has
     * another (salted) root and breaks the link; a zero-knowledge step cannot feed a plain one (a hiding root is opened only as
     * hiding).
     */
    @Test
    void aZeroKnowledgeChainLinksThroughTheProducersHidingCommitment() {
        ProvingKey zkA = Setup.setup(a.quant(), PcsSecurity.CONJECTURED, true, 16);
        ProvingKey zkB = Setup.setup(b.quant(), PcsSecurity.CONJECTURED, true, 16);
        ChainSpec zk = new ChainSpec(List.of(new ChainStep("a", zkA.verifyingKey()), new ChainStep("b", zkB.verifyingKey())), List.of(new Link(0, 0, 1, 0)));
        CommittedTensors made = new CommittedTensors();
        Proof pa = Prover.prove(zkA, runA, zk.inputs(0), zk.outputs(0), new byte[0], made);
        long[] handOver = runA.value(a.quant().outputs().getFirst());
        Execution runB;
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            runB = e.runQuantised(b.quant(), Map.of("x", handOver));
        }
        Proof pb = Prover.prove(zkB, runB, zk.inputs(1), zk.outputs(1), new byte[0], new CommittedTensors().input(0, made.output(0)));
        ChainVerdict v = ChainVerifier.verify(zk, List.of(pa.bytes(), pb.bytes()));
        assertTrue(v.valid(), v.reason());
        assertArrayEquals(runB.value(b.quant().outputs().getFirst()), v.finalOutputs().getFirst());
        Proof fresh = Prover.prove(zkB, runB, Visibility.COMMITTED, Visibility.PUBLIC);
        v = ChainVerifier.verify(zk, List.of(pa.bytes(), fresh.bytes()));
        assertFalse(v.valid());
        assertTrue(v.reason().endsWith("(roots differ)"), v.reason());
        IllegalArgumentException mixed = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChainSpec(
                List.of(new ChainStep("a", zkA.verifyingKey()), new ChainStep("b", Setup.setup(b.quant(), PcsSecurity.CONJECTURED).verifyingKey())),
                List.of(new Link(0, 0, 1, 0))));
        assertTrue(mixed.getMessage().contains("zero knowledge"), mixed.getMessage());
    }

    private static byte[] dense(long seed, int in, int out) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer w = ByteBuffer.allocate(4 * in * out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < in * out; i++) w.putFloat((float) (r.nextDouble() * 2 - 1));
        Onnx.TensorProto weights = Onnx.TensorProto.newBuilder().setName("w").setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).addDims(in).addDims(out)
                .setRawData(ByteString.copyFrom(w.flip())).build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("dense").addInput(OnnxEdits.floatValue("x", new int[] {1, in})).addInitializer(weights)
                .addNode(OnnxEdits.node("MatMul", "matmul", List.of("x", "w"), "h")).addNode(OnnxEdits.node("Relu", "relu", List.of("h"), "y"))
                .addOutput(OnnxEdits.floatValue("y", new int[] {1, out})).build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }
}
