package dev.verinfer.market;

import java.util.ArrayList;
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

    /** The tensors, or {@link IllegalArgumentException} saying why the bytes are not an encoding. */
    public static List<long[]> decode(byte[] bytes) {
        try {
            Wire.Reader r = new Wire.Reader(bytes);
            int n = r.i32();
            if (n < 0 || n > bytes.length / 4) {
                throw new IllegalArgumentException("tensor count " + n + " does not fit " + bytes.length + " bytes");
            }
            List<long[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int len = r.i32();
                if (len < 0 || len > bytes.length / 8) {
                    throw new IllegalArgumentException("tensor length " + len + " does not fit " + bytes.length + " bytes");
                }
                long[] t = new long[len];
                for (int j = 0; j < len; j++) {
                    t[j] = r.i64();
                }
                out.add(t);
            }
            r.end();
            return out;
        } catch (Wire.MalformedException e) {
            throw new IllegalArgumentException("not an encoding of tensors: " + e.getMessage());
        }
    }
}
