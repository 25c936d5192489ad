package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch forgery of issue 17, for tests here and in the market: the graph pattern it needs and
 * the proof the honest prover makes on the mis-stacked graph (the leading 1 of every input and
 * activation replaced by B, nothing aligned — the stacking before the fix) under the model's own
 * weights, id and key. The verifier must reject it: it stacks the graph itself, aligning the batch axes.
 */
public final class BatchForgery {
    private BatchForgery() {}

    /** x[1,2,4] → s = ReduceSum(x, axis 1, keepdims 0) [1,4] → y = x + s: the lowering of x − ReduceMean(x, keepdims=0), scale 0. */
    public static QuantGraph broadcastOfReduction() {
        TestGraphs b = new TestGraphs(171);
        int x = b.input("x", 0, 12, 1, 2, 4);
        int sum = b.node("s", new QOp.ReduceSum(x, new int[] {1}, false), 0, 14, 1, 4);
        int y = b.node("y", new QOp.Add(x, sum), 0, 15, 1, 2, 4);
        b.output(y);
        return b.build();
    }

    /** The stacking before issue 17: the leading 1 of every input and activation replaced by B, nothing aligned. */
    public static QuantGraph misStacked(QuantGraph g, int batch) {
        List<QTensor> tensors = new ArrayList<>();
        for (QTensor t : g.tensors()) {
            boolean stacked = t.kind() == QTensor.Kind.INPUT || t.kind() == QTensor.Kind.ACTIVATION;
            int[] shape = t.shape().clone();
            if (stacked) {
                shape[0] = batch;
            }
            tensors.add(stacked ? new QTensor(t.id(), t.name(), shape, t.scale(), t.bits(), t.kind(), null) : t);
        }
        return new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
    }

    /** The mis-stacked graph's run on the inferences' inputs (of the graph's one input), one after another. */
    public static Execution misStackedRun(ProvingKey key, List<float[]> inputs) {
        QuantGraph g = key.graph();
        int n = g.tensor(g.inputs().getFirst()).size();
        float[] all = new float[n * inputs.size()];
        for (int b = 0; b < inputs.size(); b++) {
            System.arraycopy(inputs.get(b), 0, all, b * n, n);
        }
        return IntegerExecutor.execute(misStacked(g, inputs.size()), Map.of(g.tensor(g.inputs().getFirst()).name(), all));
    }

    /** The honest prover on the mis-stacked graph: the proof the unchanged verifier accepted. */
    public static Proof misStackedProof(ProvingKey key, List<float[]> inputs, byte[] context) {
        QuantGraph wrong = misStacked(key.graph(), inputs.size());
        ProvingKey forger = new ProvingKey(wrong, ProofPlan.batched(wrong, false), key.packedWeights(), key.weightCommitment(), key.verifyingKey(), inputs.size());
        return Prover.prove(forger, misStackedRun(key, inputs), context);
    }
}
