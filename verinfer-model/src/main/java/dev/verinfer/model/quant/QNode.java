package dev.verinfer.model.quant;

import java.util.Arrays;

/** One op of the quantised graph; {@code onnxName} is the ONNX node it was lowered from. */
public record QNode(String onnxName, QOp op, int[] inputs, int output) {
    public QNode {
        if (!Arrays.equals(inputs, op.inputs())) throw new IllegalArgumentException("node inputs must be the op's inputs");
    }

    public QNode(String onnxName, QOp op, int output) { this(onnxName, op, op.inputs(), output); }

    @Override public boolean equals(Object o) {
        return o instanceof QNode n && onnxName.equals(n.onnxName) && op.equals(n.op) && output == n.output;
    }

    @Override public int hashCode() { return 31 * output + onnxName.hashCode(); }

    @Override public String toString() { return "QNode[" + onnxName + " " + op + " -> " + output + "]"; }
}
