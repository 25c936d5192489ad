package dev.verinfer.model;

import dev.verinfer.model.graph.Node;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quantised real models obey docs/quantised-ir.md: what the prover relies on, checked structurally. */
class ContractInvariantsTest {

    @TestFactory Stream<DynamicTest> realModelsObeyTheContract() {
        Map<RealModels, NamedInput> inputs = Map.of(
                RealModels.ALEXA, RealInputs.embeddings(1), RealModels.HEY_MYCROFT, RealInputs.embeddings(1),
                RealModels.EMBEDDING, RealInputs.melWindow(1), RealModels.MELSPECTROGRAM, RealInputs.audio(1),
                RealModels.OCR_CLS, RealInputs.textLine("verinfer", false));
        return inputs.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().modelName, () -> check(e.getKey(), e.getValue())));
    }

    static void check(RealModels model, NamedInput input) {
        CompiledModel m = CompiledModel.compile(model.path(), input.shapes(), List.of(input.values()), QuantConfig.DEFAULT);
        for (Node n : m.prepared().graph().nodes()) {
            assertFalse(Set.of("Shape", "ConstantOfShape", "BatchNormalization", "LayerNormalization").contains(n.opType()),
                    "shape subgraphs folded, norms fused or spelled out: " + n);
        }
        QuantGraph g = m.quant();
        Execution e = IntegerExecutor.execute(g, input.values());
        for (QNode n : g.nodes()) {
            for (int in : n.inputs()) assertTrue(in < n.output() || g.tensor(in).data() != null || g.inputs().contains(in), "topological: " + n);
            QTensor out = g.tensor(n.output());
            assertTrue(out.bits() <= QuantGraph.MAX_BITS, out.toString());
            assertEquals(out.size(), e.value(n.output()).length, out.toString());
            switch (n.op()) {
                case QOp.Rescale r -> assertTrue(out.bits() <= QuantGraph.MAX_RESCALE_BITS, "Rescale output " + out);
                case QOp.Lookup l -> {
                    assertTrue(l.table().size() <= 1 << 16, l.table().toString());
                    assertTrue(l.table().isCanonical(), l.table().toString());
                }
                default -> { }
            }
        }
        for (QTensor t : g.tensors()) {
            if (t.kind() == QTensor.Kind.WEIGHT || t.kind() == QTensor.Kind.CONSTANT) {
                for (long v : t.data()) assertTrue(Math.abs(v) < 1L << t.bits(), t.toString());
            }
        }
        assertEquals(m.onnx().outputs(), g.outputs().stream().map(id -> g.tensor(id).name()).toList());
    }
}
