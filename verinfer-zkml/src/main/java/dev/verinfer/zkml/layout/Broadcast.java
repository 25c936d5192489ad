package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;

/**
 * How an operand of a broadcasting elementwise op sits inside the output (numpy rules: shapes
 * right-aligned, a size-1 or missing dimension repeats). A point on the output's variables maps to a
 * point on the operand's variables by dropping the variables of broadcast dimensions; the operand's
 * contribution to the output's MLE is then its value there times the indicator of the real indices
 * of each broadcast dimension (padding of the output stays zero).
 */
public record Broadcast(PaddedShape operand, PaddedShape output) {
    public Broadcast {
        int offset = output.rank() - operand.rank();
        if (offset < 0) {
            throw new IllegalArgumentException("operand " + operand + " has higher rank than output " + output);
        }
        for (int d = 0; d < operand.rank(); d++) {
            int od = operand.dim(d);
            if (od != 1 && od != output.dim(d + offset)) {
                throw new IllegalArgumentException("operand " + operand + " does not broadcast to " + output);
            }
        }
    }

    private boolean broadcastDim(int outDim) {
        int d = outDim - (output.rank() - operand.rank());
        return d < 0 || operand.dim(d) != output.dim(outDim);
    }

    public boolean isIdentity() {
        return operand.numVars() == output.numVars() && operand.realSize() == output.realSize() && operand.rank() == output.rank();
    }

    /** The operand's point for an output point: the variables of non-broadcast dimensions, in order. */
    public Ext2[] operandPoint(Ext2[] outputPoint) {
        Ext2[] p = new Ext2[operand.numVars()];
        int k = 0;
        for (int d = output.rank() - 1; d >= 0; d--) { // low variables first
            if (broadcastDim(d)) {
                continue;
            }
            int first = output.firstVar(d);
            for (int j = 0; j < output.bits(d); j++) {
                p[k++] = outputPoint[first + j];
            }
        }
        return p;
    }

    /** Π over broadcast dimensions of the indicator of their real indices at the output point. */
    public Ext2 factor(Ext2[] outputPoint) {
        Ext2 f = Ext2.ONE;
        for (int d = 0; d < output.rank(); d++) {
            if (broadcastDim(d) && output.dim(d) > 1) {
                f = f.mul(Indicators.prefix(outputPoint, output.firstVar(d), output.bits(d), output.dim(d)));
            }
        }
        return f;
    }

    /**
     * The operand repeated over the output's whole padded hypercube (also over padding of broadcast
     * dimensions): its MLE at an output point equals the operand's MLE at {@link #operandPoint}.
     */
    public long[] expand(long[] operandPadded) {
        int n = output.numVars();
        long[] out = new long[1 << n];
        // For each output variable: its position in the operand's variables, or -1 if broadcast.
        int[] varMap = new int[n];
        int k = 0;
        for (int d = output.rank() - 1; d >= 0; d--) {
            int first = output.firstVar(d);
            for (int j = 0; j < output.bits(d); j++) {
                varMap[first + j] = broadcastDim(d) ? -1 : k++;
            }
        }
        for (int i = 0; i < out.length; i++) {
            int src = 0;
            for (int v = 0; v < n; v++) {
                if (varMap[v] >= 0 && ((i >>> v) & 1) == 1) {
                    src |= 1 << varMap[v];
                }
            }
            out[i] = operandPadded[src];
        }
        return out;
    }
}
