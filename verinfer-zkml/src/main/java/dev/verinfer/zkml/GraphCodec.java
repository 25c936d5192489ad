package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a quantised graph. The <em>architecture</em> form leaves out weight values (it is
 * what the verifying key holds and what the architecture digest hashes); the full form keeps them
 * (the proving key). Look-up tables are stored by description and rebuilt on reading, so a table
 * can never disagree with its description.
 */
final class GraphCodec {
    private static final String MAGIC = "VIGR";
    private static final int VERSION = 1;
    private static final int MAX_ITEMS = 1 << 24;

    private GraphCodec() {}

    static byte[] encode(QuantGraph g, boolean withWeights) {
        ProofWriter w = ProofWriter.begin(MAGIC, VERSION);
        w.writeByte(withWeights ? 1 : 0);
        w.writeInt(g.tensors().size());
        for (QTensor t : g.tensors()) {
            w.writeString(t.name()).writeInt(t.shape().length);
            for (int d : t.shape()) {
                w.writeInt(d);
            }
            w.writeInt(t.scale()).writeInt(t.bits()).writeByte(t.kind().ordinal());
            boolean data = t.kind() == QTensor.Kind.CONSTANT || (t.kind() == QTensor.Kind.WEIGHT && withWeights);
            if (data) {
                writeLongs(w, t.data());
            }
        }
        w.writeInt(g.nodes().size());
        for (QNode n : g.nodes()) {
            w.writeString(n.onnxName()).writeInt(n.output());
            writeOp(w, n.op());
        }
        writeInts(w, g.inputs().stream().mapToInt(Integer::intValue).toArray());
        writeInts(w, g.outputs().stream().mapToInt(Integer::intValue).toArray());
        return w.toByteArray();
    }

    /** Decodes either form; in the architecture form WEIGHT tensors carry an empty value array. */
    static QuantGraph decode(byte[] bytes) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, MAGIC, VERSION);
        boolean withWeights = r.readByte() == 1;
        int nt = r.readLength(MAX_ITEMS, "tensor count");
        List<QTensor> tensors = new ArrayList<>();
        for (int i = 0; i < nt; i++) {
            String name = r.readString(1 << 16, "tensor name");
            int rank = r.readLength(16, "rank");
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = r.readLength(MAX_ITEMS, "dimension");
            }
            int scale = r.readInt();
            int bits = r.readInt();
            int kindIndex = r.readByte();
            if (kindIndex >= QTensor.Kind.values().length) {
                throw new MalformedProofException("unknown tensor kind " + kindIndex);
            }
            QTensor.Kind kind = QTensor.Kind.values()[kindIndex];
            boolean hasData = kind == QTensor.Kind.CONSTANT || (kind == QTensor.Kind.WEIGHT && withWeights);
            long[] data = hasData ? readLongs(r) : kind == QTensor.Kind.WEIGHT ? new long[0] : null;
            try {
                tensors.add(new QTensor(i, name, shape, scale, bits, kind, data));
            } catch (IllegalArgumentException e) {
                throw new MalformedProofException("tensor " + i + ": " + e.getMessage());
            }
        }
        int nn = r.readLength(MAX_ITEMS, "node count");
        List<QNode> nodes = new ArrayList<>();
        for (int i = 0; i < nn; i++) {
            String name = r.readString(1 << 16, "node name");
            int output = r.readInt();
            QOp op = readOp(r);
            try {
                nodes.add(new QNode(name, op, output));
            } catch (IllegalArgumentException e) {
                throw new MalformedProofException("node " + i + ": " + e.getMessage());
            }
        }
        List<Integer> inputs = boxed(readInts(r));
        List<Integer> outputs = boxed(readInts(r));
        r.finish();
        QuantGraph g;
        try {
            g = new QuantGraph(tensors, nodes, inputs, outputs);
        } catch (IllegalArgumentException e) {
            throw new MalformedProofException("graph: " + e.getMessage());
        }
        validateReferences(g);
        return g;
    }

    private static void validateReferences(QuantGraph g) throws MalformedProofException {
        int n = g.tensors().size();
        for (QNode node : g.nodes()) {
            if (node.output() < 0 || node.output() >= n) {
                throw new MalformedProofException("node '" + node.onnxName() + "' writes unknown tensor " + node.output());
            }
            for (int in : node.inputs()) {
                if (in < 0 || in >= n) {
                    throw new MalformedProofException("node '" + node.onnxName() + "' reads unknown tensor " + in);
                }
            }
        }
        for (int t : g.inputs()) {
            if (t < 0 || t >= n) {
                throw new MalformedProofException("unknown input tensor " + t);
            }
        }
        for (int t : g.outputs()) {
            if (t < 0 || t >= n) {
                throw new MalformedProofException("unknown output tensor " + t);
            }
        }
    }

    private static void writeOp(ProofWriter w, QOp op) {
        switch (op) {
            case QOp.MatMul m -> { w.writeByte(0).writeInt(m.a()).writeInt(m.b()).writeInt(m.bias()); }
            case QOp.Conv c -> {
                w.writeByte(1).writeInt(c.x()).writeInt(c.w()).writeInt(c.bias());
                writeInts(w, c.strides());
                writeInts(w, c.pads());
                writeInts(w, c.dilations());
                w.writeInt(c.group());
            }
            case QOp.Add a -> w.writeByte(2).writeInt(a.a()).writeInt(a.b());
            case QOp.Sub s -> w.writeByte(3).writeInt(s.a()).writeInt(s.b());
            case QOp.Mul m -> w.writeByte(4).writeInt(m.a()).writeInt(m.b());
            case QOp.MulConst m -> w.writeByte(5).writeInt(m.x()).writeLong(m.c()).writeInt(m.cScale());
            case QOp.Rescale r -> w.writeByte(6).writeInt(r.x()).writeInt(r.k());
            case QOp.Lookup l -> {
                LookupTable t = l.table();
                w.writeByte(7).writeInt(l.x()).writeString(t.function()).writeInt(t.inScale()).writeInt(t.outScale())
                        .writeInt(t.outBits()).writeLong(t.inMin()).writeInt(t.size());
            }
            case QOp.Max m -> w.writeByte(8).writeInt(m.a()).writeInt(m.b());
            case QOp.Min m -> w.writeByte(9).writeInt(m.a()).writeInt(m.b());
            case QOp.ReduceSum r -> {
                w.writeByte(10).writeInt(r.x());
                writeInts(w, r.axes());
                w.writeByte(r.keepdims() ? 1 : 0);
            }
            case QOp.ReduceMax r -> {
                w.writeByte(11).writeInt(r.x());
                writeInts(w, r.axes());
                w.writeByte(r.keepdims() ? 1 : 0);
            }
            case QOp.MaxPool p -> {
                w.writeByte(12).writeInt(p.x());
                writeInts(w, p.kernel());
                writeInts(w, p.strides());
                writeInts(w, p.pads());
                writeInts(w, p.dilations());
            }
            case QOp.Gather g -> {
                w.writeByte(13);
                writeInts(w, g.sources());
                writeInts(w, g.srcInput());
                writeInts(w, g.srcIndex());
            }
            case QOp.Reshape r -> w.writeByte(14).writeInt(r.x());
        }
    }

    private static QOp readOp(ProofReader r) throws MalformedProofException {
        int kind = r.readByte();
        try {
            return switch (kind) {
                case 0 -> new QOp.MatMul(r.readInt(), r.readInt(), r.readInt());
                case 1 -> new QOp.Conv(r.readInt(), r.readInt(), r.readInt(), readInts(r), readInts(r), readInts(r), r.readInt());
                case 2 -> new QOp.Add(r.readInt(), r.readInt());
                case 3 -> new QOp.Sub(r.readInt(), r.readInt());
                case 4 -> new QOp.Mul(r.readInt(), r.readInt());
                case 5 -> new QOp.MulConst(r.readInt(), r.readLong(), r.readInt());
                case 6 -> new QOp.Rescale(r.readInt(), r.readInt());
                case 7 -> {
                    int x = r.readInt();
                    String f = r.readString(1024, "table function");
                    int inScale = r.readInt();
                    int outScale = r.readInt();
                    int outBits = r.readInt();
                    long inMin = r.readLong();
                    int size = r.readInt();
                    yield new QOp.Lookup(x, LookupTable.build(f, inScale, outScale, outBits, inMin, size));
                }
                case 8 -> new QOp.Max(r.readInt(), r.readInt());
                case 9 -> new QOp.Min(r.readInt(), r.readInt());
                case 10 -> new QOp.ReduceSum(r.readInt(), readInts(r), r.readByte() == 1);
                case 11 -> new QOp.ReduceMax(r.readInt(), readInts(r), r.readByte() == 1);
                case 12 -> new QOp.MaxPool(r.readInt(), readInts(r), readInts(r), readInts(r), readInts(r));
                case 13 -> new QOp.Gather(readInts(r), readInts(r), readInts(r));
                case 14 -> new QOp.Reshape(r.readInt());
                default -> throw new MalformedProofException("unknown op kind " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new MalformedProofException("op: " + e.getMessage());
        }
    }

    private static void writeInts(ProofWriter w, int[] values) {
        w.writeInt(values.length);
        for (int v : values) {
            w.writeInt(v);
        }
    }

    private static int[] readInts(ProofReader r) throws MalformedProofException {
        int n = r.readLength(MAX_ITEMS, "int array");
        if (r.remaining() < 4L * n) {
            throw new MalformedProofException("truncated int array of " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.readInt();
        }
        return out;
    }

    private static void writeLongs(ProofWriter w, long[] values) {
        w.writeFields(values); // the length, then each value's 8 bytes big-endian: writeLong's bytes, in one write
    }

    private static long[] readLongs(ProofReader r) throws MalformedProofException {
        int n = r.readLength(MAX_ITEMS, "value array");
        if (r.remaining() < 8L * n) {
            throw new MalformedProofException("truncated value array of " + n);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.readLong();
        }
        return out;
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> out = new ArrayList<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
