package dev.verinfer.model;

import dev.verinfer.model.graph.FloatExecutor;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.inputs.CtcDecoder;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class OcrRecognitionProbe {
    @Test void probe() {
        List<NamedInput> cal = List.of(RealInputs.recognitionLine("calibrate: ONNX Runtime float"));
        NamedInput in = RealInputs.recognitionLine("Hello, world 2026");
        long t0 = System.nanoTime();
        int[] c = java.util.Arrays.stream(System.getProperty("cfg", "16,12,16,15").split(",")).mapToInt(Integer::parseInt).toArray();
        QuantConfig cfg = new QuantConfig(c[0], c[1], c[2], c[3], 2.0);
        CompiledModel m = CompiledModel.compile(RealModels.OCR_REC.path(), in.shapes(), cal.stream().map(NamedInput::values).toList(), cfg);
        for (String text : List.of("Hello, world 2026", "verinfer proves 42", "The quick brown fox", "PaddleOCR v4 text", "Invoice No. 8317", "Zero-knowledge ML 0123456789", "MAXIMUM WIDTH LINE OF CAPITALS", "a")) {
            NamedInput l = RealInputs.recognitionLine(text);
            float[] r, q;
            try (OrtReference ort = new OrtReference(RealModels.OCR_REC.path())) { r = ort.run(l.values(), l.shapes()).values().iterator().next(); }
            try (IntegerExecutor ex = new IntegerExecutor()) { q = ex.run(m.quant(), l.values()).outputs().values().iterator().next(); }
            double err = 0;
            for (int i = 0; i < r.length; i++) err = Math.max(err, Math.abs(r[i] - q[i]));
            System.out.println("LINE " + cfg + " ORT '" + CtcDecoder.ppocrV4().decode(r) + "' int '" + CtcDecoder.ppocrV4().decode(q) + "' max err " + err);
        }
        System.out.printf("compiled in %.1f s, %d ops%n", (System.nanoTime() - t0) / 1e9, m.quant().nodes().size());
        CtcDecoder dec = CtcDecoder.ppocrV4();
        float[] ref;
        try (OrtReference ort = new OrtReference(RealModels.OCR_REC.path())) {
            ref = ort.run(in.values(), in.shapes()).values().iterator().next();
        }
        Execution e;
        try (IntegerExecutor ex = new IntegerExecutor()) { e = ex.run(m.quant(), in.values()); }
        float[] got = e.outputs().values().iterator().next();
        System.out.println("ORT: '" + dec.decode(ref) + "'  int: '" + dec.decode(got) + "'");
        Map<String, Tensor> fl = FloatExecutor.run(m.prepared().graph(), CompiledModel.toTensors(m.prepared(), in.values()));
        if (System.getProperty("layers") != null) for (Node n : m.prepared().graph().nodes()) {
            for (String o : n.outputs()) {
                Integer id = m.valueIds().get(o);
                Tensor f = fl.get(o);
                if (id == null || f == null) continue;
                QTensor q = m.quant().tensors().get(id);
                long[] v = e.value(id);
                double max = f.maxAbs(), err = 0;
                for (int i = 0; i < v.length && i < f.size(); i++) err = Math.max(err, Math.abs(v[i] / Math.pow(2, q.scale()) - f.data()[i]));
                System.out.printf("%-10s %-40s max %9.4f err %9.5f rel %6.3f scale %d bits %d%n", n.opType(), o, max, err, err / Math.max(max, 1e-9), q.scale(), q.bits());
            }
        }
    }
}
