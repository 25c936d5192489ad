package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a proof proves: the model (by id) maps these quantised inputs to these quantised outputs
 * (integers at the scales of the verifying key's input and output tensors, in graph order).
 */
public record PublicStatement(byte[] modelId, List<long[]> inputs, List<long[]> outputs) {
    static final int MAX_VALUES = 1 << 24;

    public PublicStatement {
        modelId = modelId.clone();
        inputs = inputs.stream().map(long[]::clone).toList();
        outputs = outputs.stream().map(long[]::clone).toList();
    }

    void write(ProofWriter w) {
        w.writeBytes(modelId);
        writeVectors(w, inputs);
        writeVectors(w, outputs);
    }

    static PublicStatement read(ProofReader r) throws MalformedProofException {
        byte[] id = r.readBytes(64, "model id");
        return new PublicStatement(id, readVectors(r), readVectors(r));
    }

    /** Everything the verifier sees before the first prover message goes into the transcript first. */
    void absorbInto(Transcript t) {
        t.absorbBytes("model-id", modelId);
        for (long[] v : inputs) {
            t.absorbFields("input", ProverTensors.toField(v));
        }
        for (long[] v : outputs) {
            t.absorbFields("output", ProverTensors.toField(v));
        }
    }

    private static void writeVectors(ProofWriter w, List<long[]> vectors) {
        w.writeInt(vectors.size());
        for (long[] v : vectors) {
            w.writeInt(v.length);
            for (long x : v) {
                w.writeLong(x);
            }
        }
    }

    private static List<long[]> readVectors(ProofReader r) throws MalformedProofException {
        int n = r.readLength(1024, "tensor count");
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = r.readLength(MAX_VALUES, "tensor length");
            if (r.remaining() < 8L * len) {
                throw new MalformedProofException("truncated statement tensor of " + len + " values");
            }
            long[] v = new long[len];
            for (int j = 0; j < len; j++) {
                v[j] = r.readLong();
            }
            out.add(v);
        }
        return out;
    }

    public String modelIdHex() {
        return Digests.hex(modelId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PublicStatement s) || !Arrays.equals(modelId, s.modelId) || inputs.size() != s.inputs.size()
                || outputs.size() != s.outputs.size()) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!Arrays.equals(inputs.get(i), s.inputs.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (!Arrays.equals(outputs.get(i), s.outputs.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(modelId);
    }
}
