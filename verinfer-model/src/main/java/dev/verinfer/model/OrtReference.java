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

    /**
     * Runs the model; every output flattened, as floats. Inputs of an integer or boolean type are
     * given as floats holding integers (0/1 for booleans) and passed to ONNX Runtime in their type.
     */
    public Map<String, float[]> run(Map<String, float[]> inputs, Map<String, int[]> shapes) {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            Map<String, ai.onnxruntime.NodeInfo> infos = session.getInputInfo();
            for (var e : inputs.entrySet()) {
                long[] s = java.util.Arrays.stream(shapes.get(e.getKey())).asLongStream().toArray();
                float[] v = e.getValue();
                ai.onnxruntime.OnnxJavaType type = infos.get(e.getKey()).getInfo() instanceof ai.onnxruntime.TensorInfo ti ? ti.type : ai.onnxruntime.OnnxJavaType.FLOAT;
                OnnxTensor t = switch (type) {
                    case INT64 -> {
                        long[] l = new long[v.length];
                        for (int i = 0; i < l.length; i++) l[i] = (long) v[i];
                        yield OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(l), s);
                    }
                    case INT32 -> {
                        int[] l = new int[v.length];
                        for (int i = 0; i < l.length; i++) l[i] = (int) v[i];
                        yield OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(l), s);
                    }
                    case BOOL -> {
                        byte[] l = new byte[v.length];
                        for (int i = 0; i < l.length; i++) l[i] = (byte) (v[i] != 0 ? 1 : 0);
                        yield OnnxTensor.createTensor(env, java.nio.ByteBuffer.wrap(l), s, ai.onnxruntime.OnnxJavaType.BOOL);
                    }
                    default -> OnnxTensor.createTensor(env, FloatBuffer.wrap(v), s);
                };
                in.put(e.getKey(), t);
            }
            try (OrtSession.Result r = session.run(in)) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (var e : r) out.put(e.getKey(), floats((OnnxTensor) e.getValue()));
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] floats(OnnxTensor t) {
        switch (t.getInfo().type) {
            case INT64 -> {
                java.nio.LongBuffer b = t.getLongBuffer();
                float[] f = new float[b.remaining()];
                for (int i = 0; i < f.length; i++) f[i] = b.get(i);
                return f;
            }
            case INT32 -> {
                java.nio.IntBuffer b = t.getIntBuffer();
                float[] f = new float[b.remaining()];
                for (int i = 0; i < f.length; i++) f[i] = b.get(i);
                return f;
            }
            case BOOL, INT8, UINT8 -> {
                java.nio.ByteBuffer b = t.getByteBuffer();
                float[] f = new float[b.remaining()];
                for (int i = 0; i < f.length; i++) f[i] = b.get(i);
                return f;
            }
            default -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] f = new float[b.remaining()];
                b.get(f);
                return f;
            }
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
