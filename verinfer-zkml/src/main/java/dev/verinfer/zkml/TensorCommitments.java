package dev.verinfer.zkml;

import dev.verinfer.zkml.layout.PaddedShape;

/** The commitment a statement holds for a committed input or output, recomputed from the tensor's values. */
public final class TensorCommitments {
    private TensorCommitments() {}

    /**
     * The root of the commitment to a tensor of this shape and these quantised values (deterministic),
     * as a model set up with {@code security} commits it.
     */
    public static byte[] root(int[] shape, long[] values, PcsSecurity security) {
        PaddedShape padded = new PaddedShape(shape.length == 0 ? new int[] {1} : shape);
        return security.pcs().commit(ProverTensors.toField(padded.pad(values))).root();
    }
}
