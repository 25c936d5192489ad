package dev.verinfer.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** ONNX Runtime (CPU, float32) running the original model: the independent accuracy and speed reference. */
public final class OrtReference implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtReference(Path model) { this(model, 0); }

    /** threads ≤ 0: ONNX Runtime's default. */
    public OrtReference(Path model, int threads) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            if (threads > 0) o.setIntraOpNumThreads(threads);
            session = env.createSession(model.toString(), o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    public OrtReference(byte[] model) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            session = env.createSession(model, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Runs the model; every output flattened. */
    public Map<String, float[]> run(Map<String, float[]> inputs, Map<String, int[]> shapes) {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                long[] s = java.util.Arrays.stream(shapes.get(e.getKey())).asLongStream().toArray();
                in.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), s));
            }
            try (OrtSession.Result r = session.run(in)) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (var e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer b = t.getFloatBuffer();
                    float[] f = new float[b.remaining()];
                    b.get(f);
                    out.put(e.getKey(), f);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
