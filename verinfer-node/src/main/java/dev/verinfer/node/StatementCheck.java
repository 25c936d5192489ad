package dev.verinfer.node;

import dev.verinfer.model.inputs.NamedInput;

import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.TensorCommitments;

import java.util.Arrays;
import java.util.List;

/** Compares tensors from a file, quantised with the key's scales, with the tensors a proof states. */
final class StatementCheck {
    private StatementCheck() {}

    /**
     * Outputs against a statement that may commit to some of them: a committed output is compared by
     * recomputing the commitment to the file's quantised values (impossible for a zero-knowledge proof's hiding commitment).
     * @return null when they agree, else the first difference
     */
    static String mismatch(NamedInput file, List<TensorInfo> tensors, PublicStatement stated, PcsSecurity security, boolean zeroKnowledge, String what) {
        for (int i = 0; i < tensors.size() && i < stated.outputs().size(); i++) {
            if (!stated.outputCommitted(i)) {
                continue;
            }
            TensorInfo t = tensors.get(i);
            if (zeroKnowledge) {
                return what + " '" + t.name() + "' is committed by a zero-knowledge proof: its commitment is hiding (salted and masked), so it"
                        + " cannot be recomputed from " + file.name();
            }
            long[] q = t.quantise(file.values().get(t.name()));
            if (q.length != TensorSpec.size(t.shape()) || !Arrays.equals(TensorCommitments.root(t.shape(), q, security), stated.outputRoots().get(i))) {
                return what + " '" + t.name() + "' of " + file.name() + " is not the one the proof commits to";
            }
        }
        return mismatch(file, tensors, stated.outputs(), what);
    }

    /** @return null when they agree, else the first difference (committed tensors, with no values, are skipped) */
    static String mismatch(NamedInput file, List<TensorInfo> tensors, List<long[]> stated, String what) {
        for (int i = 0; i < tensors.size() && i < stated.size(); i++) {
            TensorInfo t = tensors.get(i);
            float[] given = file.values().get(t.name());
            long[] proven = stated.get(i);
            if (proven.length == 0 && given.length > 0) {
                continue;
            }
            if (given.length != proven.length) {
                return what + " '" + t.name() + "': " + file.name() + " has " + given.length + " values, the proof states " + proven.length;
            }
            for (int j = 0; j < given.length; j++) {
                long q = t.quantise(given[j]);
                if (q != proven[j]) {
                    return String.format("%s '%s' differs from %s at index %d: the proof states %s (raw %d), the file %s (raw %d at scale 2^-%d)",
                            what, t.name(), file.name(), j, t.dequantise(proven[j]), proven[j], given[j], q, t.scale());
                }
            }
        }
        return null;
    }
}
