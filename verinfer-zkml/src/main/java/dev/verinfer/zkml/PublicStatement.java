package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What a proof proves: the model (by id) maps these inputs to these outputs, for {@code batch}
 * inferences at once (each public tensor is the B inferences' values one after another). Each input
 * and output (graph order) is either public — its quantised integers, at the verifying key's scales —
 * or committed: then its values are empty and its root is the polynomial commitment to the tensor
 * (padded as in docs/proof-system.md), which a later proof can take as its input.
 * <p>{@code context} (empty, or up to {@link #MAX_CONTEXT} bytes) binds the proof to the occasion
 * it was made for — a market puts a hash of its request and the prover's account there — and is
 * absorbed before any prover message, so a proof made under one context verifies under no other.
 */
public record PublicStatement(byte[] modelId, int batch, byte[] context, List<long[]> inputs, List<long[]> outputs,
                              List<byte[]> inputRoots, List<byte[]> outputRoots) {
    static final int MAX_VALUES = 1 << 24;
    /** The longest context a statement carries (room for a hash, or a few). */
    public static final int MAX_CONTEXT = 256;
    private static final byte PUBLIC = 0;
    private static final byte COMMITTED = 1;

    public PublicStatement {
        if (batch < 1 || batch > Verifier.MAX_BATCH) {
            throw new IllegalArgumentException("a statement holds 1.." + Verifier.MAX_BATCH + " inferences, not " + batch);
        }
        if (context.length > MAX_CONTEXT) {
            throw new IllegalArgumentException("a proof context has at most " + MAX_CONTEXT + " bytes, not " + context.length);
        }
        modelId = modelId.clone();
        context = context.clone();
        inputs = inputs.stream().map(long[]::clone).toList();
        outputs = outputs.stream().map(long[]::clone).toList();
        inputRoots = inputRoots.stream().map(byte[]::clone).toList();
        outputRoots = outputRoots.stream().map(byte[]::clone).toList();
        if (inputRoots.size() != inputs.size() || outputRoots.size() != outputs.size()) {
            throw new IllegalArgumentException("one root (empty when public) per input and output");
        }
    }

    /** One inference without context. */
    public PublicStatement(byte[] modelId, List<long[]> inputs, List<long[]> outputs, List<byte[]> inputRoots, List<byte[]> outputRoots) {
        this(modelId, 1, new byte[0], inputs, outputs, inputRoots, outputRoots);
    }

    /** One inference without context, its inputs and outputs all public. */
    public PublicStatement(byte[] modelId, List<long[]> inputs, List<long[]> outputs) {
        this(modelId, inputs, outputs, Collections.nCopies(inputs.size(), new byte[0]), Collections.nCopies(outputs.size(), new byte[0]));
    }

    @Override
    public byte[] modelId() {
        return modelId.clone();
    }

    @Override
    public byte[] context() {
        return context.clone();
    }

    /** The same statement under another context (what a replayed proof would have to claim). */
    public PublicStatement withContext(byte[] newContext) {
        return new PublicStatement(modelId, batch, newContext, inputs, outputs, inputRoots, outputRoots);
    }

    /** The same statement claiming another number of inferences. */
    public PublicStatement withBatch(int newBatch) {
        return new PublicStatement(modelId, newBatch, context, inputs, outputs, inputRoots, outputRoots);
    }

    public boolean inputCommitted(int i) {
        return inputRoots.get(i).length > 0;
    }

    public boolean outputCommitted(int i) {
        return outputRoots.get(i).length > 0;
    }

    void write(ProofWriter w) {
        w.writeBytes(modelId);
        w.writeInt(batch);
        w.writeBytes(context);
        writeVectors(w, inputs, inputRoots);
        writeVectors(w, outputs, outputRoots);
    }

    static PublicStatement read(ProofReader r) throws MalformedProofException {
        byte[] id = r.readBytes(64, "model id");
        int batch = r.readInt();
        if (batch < 1 || batch > Verifier.MAX_BATCH) {
            throw new MalformedProofException("a statement holds 1.." + Verifier.MAX_BATCH + " inferences, not " + batch);
        }
        byte[] context = r.readBytes(MAX_CONTEXT, "proof context");
        List<long[]> inputs = new ArrayList<>();
        List<byte[]> inputRoots = new ArrayList<>();
        readVectors(r, inputs, inputRoots);
        List<long[]> outputs = new ArrayList<>();
        List<byte[]> outputRoots = new ArrayList<>();
        readVectors(r, outputs, outputRoots);
        return new PublicStatement(id, batch, context, inputs, outputs, inputRoots, outputRoots);
    }

    /** Everything the verifier sees before the first prover message goes into the transcript first. */
    void absorbInto(Transcript t) {
        t.absorbBytes("model-id", modelId);
        t.absorbField("batch", batch);
        t.absorbBytes("context", context);
        for (int i = 0; i < inputs.size(); i++) {
            if (inputCommitted(i)) {
                t.absorbBytes("input-root", inputRoots.get(i));
            } else {
                t.absorbFields("input", ProverTensors.toField(inputs.get(i)));
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputCommitted(i)) {
                t.absorbBytes("output-root", outputRoots.get(i));
            } else {
                t.absorbFields("output", ProverTensors.toField(outputs.get(i)));
            }
        }
    }

    private static void writeVectors(ProofWriter w, List<long[]> vectors, List<byte[]> roots) {
        w.writeInt(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            if (roots.get(i).length > 0) {
                w.writeByte(COMMITTED).writeBytes(roots.get(i));
                continue;
            }
            long[] v = vectors.get(i);
            w.writeByte(PUBLIC).writeInt(v.length).writePackedSigned(v);
        }
    }

    private static void readVectors(ProofReader r, List<long[]> vectors, List<byte[]> roots) throws MalformedProofException {
        int n = r.readLength(1024, "tensor count");
        for (int i = 0; i < n; i++) {
            int tag = r.readByte();
            if (tag == COMMITTED) {
                byte[] root = r.readBytes(64, "tensor commitment");
                if (root.length == 0) {
                    throw new MalformedProofException("empty tensor commitment");
                }
                roots.add(root);
                vectors.add(new long[0]);
                continue;
            }
            if (tag != PUBLIC) {
                throw new MalformedProofException("unknown tensor visibility " + tag);
            }
            int len = r.readLength(MAX_VALUES, "tensor length");
            long[] v = r.readPackedSigned(len, "statement tensor");
            vectors.add(v);
            roots.add(new byte[0]);
        }
    }

    public String modelIdHex() {
        return Digests.hex(modelId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicStatement s && Arrays.equals(modelId, s.modelId) && batch == s.batch
                && Arrays.equals(context, s.context) && same(inputs, s.inputs, Arrays::equals)
                && same(outputs, s.outputs, Arrays::equals) && same(inputRoots, s.inputRoots, Arrays::equals)
                && same(outputRoots, s.outputRoots, Arrays::equals);
    }

    private static <T> boolean same(List<T> a, List<T> b, java.util.function.BiPredicate<T, T> equal) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!equal.test(a.get(i), b.get(i))) {
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
