package dev.verinfer.market;

import java.util.List;

/** The encoding of a request's input and a result's output: the proof statement's quantised tensors, in graph order. */
public final class StatementCodec {
    private StatementCodec() {
    }

    public static byte[] encode(List<long[]> tensors) {
        Wire.Writer w = new Wire.Writer().i32(tensors.size());
        for (long[] t : tensors) {
            w.i32(t.length);
            for (long v : t) {
                w.i64(v);
            }
        }
        return w.toBytes();
    }
}
