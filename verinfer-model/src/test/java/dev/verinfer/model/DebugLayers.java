package dev.verinfer.model;

import dev.verinfer.model.graph.FloatExecutor;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.*;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class DebugLayers {
    static void trace(RealModels model, NamedInput cal, NamedInput in) {
        CompiledModel m = CompiledModel.compile(model.path(), in.shapes(), List.of(cal.values()), QuantConfig.DEFAULT);
        Execution e = IntegerExecutor.execute(m.quant(), in.values());
        Map<String, Tensor> f = FloatExecutor.run(m.prepared().graph(), CompiledModel.toTensors(m.prepared(), in.values()));
        for (Node n : m.prepared().graph().nodes()) {
            String o = n.output();
            Integer id = m.valueIds().get(o);
            if (id == null) continue;
            QTensor t = m.quant().tensor(id);
            float[] q = IntegerExecutor.dequantise(t, e.value(id));
            AccuracyReport r = AccuracyReport.compare(f.get(o).toFloats(), q, false);
            System.out.printf("%-40s %-12s s=%d b=%d abs=%.3g rel=%.3g max=%.3g%n", n.name(), n.opType(), t.scale(), t.bits(), r.maxAbsError(), r.maxRelError(), r.referenceMaxAbs());
        }
    }

    @Test void embedding() { trace(RealModels.EMBEDDING, RealInputs.melWindow(1), RealInputs.melWindow(2)); }
}
