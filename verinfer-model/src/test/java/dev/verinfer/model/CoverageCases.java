package dev.verinfer.model;

import dev.verinfer.model.OperatorAccuracyTest.Case;

import java.util.ArrayList;
import java.util.List;

import static dev.verinfer.model.OperatorAccuracyTest.c;
import static dev.verinfer.model.OperatorAccuracyTest.unary;

/**
 * One-node (or few-node) models of the operators lowered to compositions of existing quantised ops
 * (issue 13): element-wise functions, comparisons and masks, reductions, index movement, ArgMax/TopK,
 * casts, typed inputs, constant-condition If. Shared by {@link OperatorAccuracyTest} (executor vs
 * ONNX Runtime) and verinfer-zkml's OperatorProofTest (prove, verify, tamper).
 */
final class CoverageCases {
    private CoverageCases() {}

    static OnnxBuilder binary(String op, int opset, int outType) {
        return new OnnxBuilder(opset).input("x", 2, 3, 4).input("z", 3, 4).node(op, "x,z", "y").output("y", outType);
    }

    /** A boolean-producing op followed by Cast to float (so the output is a plain float tensor). */
    static OnnxBuilder logic(String op) {
        return new OnnxBuilder(13).input("x", 2, 6).input("z", 2, 6).scalar("h", 0.3f).node("Less", "x,h", "a").node("Greater", "z,h", "b")
                .node(op, "a,b", "c").node("Cast", "c", "y", "to", 1).output("y");
    }

    /**
     * A pre-norm transformer decoder block on x [1, 6, 16]: LayerNorm, Q/K/V projections, 2 heads of 8
     * (Reshape, Transpose), scores Q·Kᵀ / √8 plus an additive causal mask, Softmax, ·V, heads merged,
     * output projection, residual; LayerNorm, MLP 16 → 32 → 16 with GELU, residual.
     */
    static OnnxBuilder decoderBlock() {
        return new OnnxBuilder(20).input("x", 1, 6, 16)
                .random("g1", 60, 1.0, 16).random("b1", 61, 0.2, 16).random("wq", 62, 0.4, 16, 16).random("wk", 63, 0.4, 16, 16)
                .random("wv", 64, 0.4, 16, 16).random("wo", 65, 0.4, 16, 16).random("g2", 66, 1.0, 16).random("b2", 67, 0.2, 16)
                .random("w1", 68, 0.4, 16, 32).random("c1", 69, 0.2, 32).random("w2", 70, 0.3, 32, 16).random("c2", 71, 0.2, 16)
                .ints("heads", 1, 6, 2, 8).ints("merged", 1, 6, 16).scalar("scale", (float) (1 / Math.sqrt(8)))
                .weight("mask", new int[] {6, 6}, new float[] {0, -1e9f, -1e9f, -1e9f, -1e9f, -1e9f, 0, 0, -1e9f, -1e9f, -1e9f, -1e9f, 0, 0, 0, -1e9f, -1e9f, -1e9f, 0, 0, 0, 0, -1e9f, -1e9f, 0, 0, 0, 0, 0, -1e9f, 0, 0, 0, 0, 0, 0})
                .node("LayerNormalization", "x,g1,b1", "n1", "axis", -1)
                .node("MatMul", "n1,wq", "q0").node("MatMul", "n1,wk", "k0").node("MatMul", "n1,wv", "v0")
                .node("Reshape", "q0,heads", "q1").node("Transpose", "q1", "q", "perm", new int[] {0, 2, 1, 3})
                .node("Reshape", "k0,heads", "k1").node("Transpose", "k1", "kt", "perm", new int[] {0, 2, 3, 1})
                .node("Reshape", "v0,heads", "v1").node("Transpose", "v1", "v", "perm", new int[] {0, 2, 1, 3})
                .node("MatMul", "q,kt", "s0").node("Mul", "s0,scale", "s1").node("Add", "s1,mask", "s2").node("Softmax", "s2", "p", "axis", -1)
                .node("MatMul", "p,v", "a0").node("Transpose", "a0", "a1", "perm", new int[] {0, 2, 1, 3}).node("Reshape", "a1,merged", "a2")
                .node("MatMul", "a2,wo", "a3").node("Add", "x,a3", "r1")
                .node("LayerNormalization", "r1,g2,b2", "n2", "axis", -1)
                .node("MatMul", "n2,w1", "h0").node("Add", "h0,c1", "h1").node("Gelu", "h1", "h2")
                .node("MatMul", "h2,w2", "h3").node("Add", "h3,c2", "h4").node("Add", "r1,h4", "y").output("y");
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(c("Softplus", -4, 4, () -> unary("Softplus", 13)));
        cs.add(c("Elu", -3, 3, () -> unary("Elu", 13, "alpha", 0.7)));
        cs.add(c("Selu", -3, 3, () -> unary("Selu", 13)));
        cs.add(c("Celu", -3, 3, () -> unary("Celu", 13, "alpha", 1.5)));
        cs.add(c("PRelu per-channel slope", () -> new OnnxBuilder(13).input("x", 1, 3, 4, 4)
                .weight("s", new int[] {3, 1, 1}, new float[] {0.1f, -0.5f, 1.5f}).node("PRelu", "x,s", "y").output("y")));
        cs.add(c("PRelu scalar slope", () -> new OnnxBuilder(13).input("x", 2, 8).scalar("s", 0.25f).node("PRelu", "x,s", "y").output("y")));
        cs.add(c("Abs", () -> unary("Abs", 13)));
        cs.add(c("Sign", () -> unary("Sign", 13)));
        cs.add(c("Round", -3, 3, () -> unary("Round", 13)));
        cs.add(c("Floor", -3, 3, () -> unary("Floor", 13)));
        cs.add(c("Ceil", -3, 3, () -> unary("Ceil", 13)));
        cs.add(c("Round ties to even", -3, 3, () -> new OnnxBuilder(13).input("x", 2, 8)
                .weight("h", new int[] {2, 8}, new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f, -3.5f, 0, 1, -1, 2.25f, -2.75f, 0.5f, 1.5f, 2.5f})
                .scalar("zero", 0).node("Mul", "x,zero", "x0").node("Add", "x0,h", "t").node("Round", "t", "y").output("y")));
        for (String op : List.of("Less", "Greater", "LessOrEqual", "GreaterOrEqual")) {
            cs.add(c(op, () -> binary(op, 13, 9)));
        }
        cs.add(c("Less than a constant, as float", () -> new OnnxBuilder(13).input("x", 2, 8).scalar("h", 0.5f)
                .node("Less", "x,h", "b").node("Cast", "b", "y", "to", 1).output("y")));
        cs.add(c("Equal on rounded values", -3, 3, () -> new OnnxBuilder(13).input("x", 2, 8).input("z", 2, 8)
                .node("Round", "x", "rx").node("Round", "z", "rz").node("Equal", "rx,rz", "y").output("y", 9)));
        for (String op : List.of("And", "Or", "Xor")) cs.add(c(op, () -> logic(op)));
        cs.add(c("Not", () -> new OnnxBuilder(13).input("x", 2, 6).scalar("h", 0.3f).node("Less", "x,h", "a").node("Not", "a", "y").output("y", 9)));
        cs.add(c("Where computed mask", () -> new OnnxBuilder(13).input("x", 2, 3, 4).input("z", 3, 4).scalar("h", 0f)
                .node("Greater", "x,h", "m").node("Where", "m,x,z", "y").output("y")));
        cs.add(c("Where masked fill (constant branch)", () -> new OnnxBuilder(13).input("x", 2, 6).scalar("h", 0.5f).scalar("fill", -1.5f)
                .node("Less", "x,h", "m").node("Where", "m,fill,x", "y").output("y")));
        cs.add(c("Cast to int64 (truncation)", -3, 3, () -> new OnnxBuilder(13).input("x", 2, 8).node("Cast", "x", "y", "to", 7).output("y", 7)));
        cs.add(c("Cast to bool", () -> new OnnxBuilder(13).input("x", 2, 8).node("Relu", "x", "r").node("Cast", "r", "y", "to", 9).output("y", 9)));
        cs.add(c("ReduceMin", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceMin", "x", "y", "axes", new int[] {1}).output("y")));
        cs.add(c("ReduceL1", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceL1", "x", "y", "axes", new int[] {2}, "keepdims", 0).output("y")));
        cs.add(c("ReduceL2", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceL2", "x", "y", "axes", new int[] {2}).output("y")));
        cs.add(c("ReduceSumSquare", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceSumSquare", "x", "y", "axes", new int[] {1}).output("y")));
        cs.add(c("ReduceLogSumExp", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceLogSumExp", "x", "y", "axes", new int[] {2}, "keepdims", 0).output("y")));
        cs.add(c("InstanceNormalization", () -> new OnnxBuilder(13).input("x", 1, 3, 4, 5)
                .random("s", 30, 1.5, 3).random("b", 31, 0.5, 3).node("InstanceNormalization", "x,s,b", "y", "epsilon", 1e-5).output("y")));
        cs.add(c("LpPool p=2", () -> new OnnxBuilder(13).input("x", 1, 2, 6, 6)
                .node("LpPool", "x", "y", "kernel_shape", new int[] {2, 2}, "strides", new int[] {2, 2}).output("y")));
        cs.add(c("LpPool p=1 padded", () -> new OnnxBuilder(13).input("x", 1, 2, 5, 5)
                .node("LpPool", "x", "y", "kernel_shape", new int[] {3, 3}, "pads", new int[] {1, 1, 1, 1}, "p", 1).output("y")));
        cs.add(c("GlobalMaxPool", () -> new OnnxBuilder(13).input("x", 1, 3, 4, 5).node("GlobalMaxPool", "x", "y").output("y")));
        cs.add(c("GlobalAveragePool over 64x64 (a sum of 29 bits)", () -> new OnnxBuilder(13).input("x", 1, 2, 64, 64).node("GlobalAveragePool", "x", "y").output("y")));
        cs.add(c("ReduceMean over 3x1000 (not a power of two)", () -> new OnnxBuilder(13).input("x", 2, 3, 1000).node("ReduceMean", "x", "y", "axes", new int[] {1, 2}).output("y")));
        cs.add(c("MaxPool windows in padding", () -> new OnnxBuilder(13).input("x", 1, 2, 5, 5)
                .node("MaxPool", "x", "y", "kernel_shape", new int[] {3, 3}, "pads", new int[] {2, 2, 2, 2}, "strides", new int[] {2, 2}).output("y")));
        cs.add(c("Trilu upper k=1", () -> new OnnxBuilder(14).input("x", 2, 4, 5).ints("k", 1).node("Trilu", "x,k", "y").output("y")));
        cs.add(c("Trilu lower", () -> new OnnxBuilder(14).input("x", 4, 4).node("Trilu", "x", "y", "upper", 0).output("y")));
        cs.add(c("Tile", () -> new OnnxBuilder(13).input("x", 2, 3).ints("r", 2, 3).node("Tile", "x,r", "y").output("y")));
        cs.add(c("GatherElements", () -> new OnnxBuilder(13).input("x", 3, 4)
                .weight("i", new int[] {2, 4}, new float[] {0, 2, 1, -1, 2, 0, 0, 1}).node("Cast", "i", "il", "to", 7)
                .node("GatherElements", "x,il", "y", "axis", 0).output("y")));
        cs.add(c("GatherND", () -> new OnnxBuilder(13).input("x", 3, 4, 2).ints("i", 0, 1, 2, 3, 1, 0).ints("s", 3, 2)
                .node("Reshape", "i,s", "ir").node("GatherND", "x,ir", "y").output("y")));
        cs.add(c("ScatterElements", () -> new OnnxBuilder(13).input("x", 3, 4).input("u", 1, 4)
                .ints("i", 2, 0, 1, 2).ints("s", 1, 4).node("Reshape", "i,s", "ir").node("ScatterElements", "x,ir,u", "y", "axis", 0).output("y")));
        cs.add(c("ScatterND", () -> new OnnxBuilder(13).input("x", 4, 3).input("u", 2, 3)
                .ints("i", 3, 1).ints("s", 2, 1).node("Reshape", "i,s", "ir").node("ScatterND", "x,ir,u", "y").output("y")));
        cs.add(c("NonZero of a constant", () -> new OnnxBuilder(13).input("x", 3, 4)
                .weight("m", new int[] {3, 4}, new float[] {0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 0, 4})
                .ints("one", 1).node("NonZero", "m", "nz").node("Gather", "nz,one", "cols", "axis", 0)
                .node("Gather", "x,cols", "y", "axis", 1).output("y")));
        cs.add(c("ArgMax", () -> new OnnxBuilder(13).input("x", 2, 3, 6).node("ArgMax", "x", "y", "axis", 2).output("y", 7)));
        cs.add(c("ArgMin last index no keepdims", () -> new OnnxBuilder(13).input("x", 2, 5, 3)
                .node("ArgMin", "x", "y", "axis", 1, "keepdims", 0, "select_last_index", 1).output("y", 7)));
        cs.add(c("TopK k=3", () -> new OnnxBuilder(13).input("x", 2, 7).ints("k", 3).node("TopK", "x,k", "v,i", "axis", -1)
                .output("v").output("i", 7)));
        cs.add(c("TopK smallest k=2 axis 0", () -> new OnnxBuilder(13).input("x", 5, 3).ints("k", 2).node("TopK", "x,k", "v,i", "axis", 0, "largest", 0)
                .output("v").output("i", 7)));
        cs.add(c("Pow with an activation exponent", 0.2, 2, () -> new OnnxBuilder(13).input("x", 2, 6).input("z", 2, 6).node("Pow", "x,z", "y").output("y")));
        cs.add(c("int64 and bool inputs", -3, 3, () -> new OnnxBuilder(13).typedInput("n", 7, 2, 4).typedInput("b", 9, 2, 4).random("w", 32, 1, 2, 4)
                .node("Cast", "n", "nf", "to", 1).node("Mul", "nf,w", "p").node("Where", "b,p,nf", "y").output("y")));
        cs.add(c("If with a shape-constant condition", () -> {
            OnnxBuilder then = new OnnxBuilder(13).node("Relu", "x", "yt").output("yt");
            OnnxBuilder otherwise = new OnnxBuilder(13).node("Neg", "x", "ye").output("ye");
            return new OnnxBuilder(13).input("x", 2, 3).ints("i0", 0).ints("two", 2)
                    .node("Shape", "x", "s").node("Gather", "s,i0", "n", "axis", 0).node("Equal", "n,two", "c")
                    .node("If", "c", "y", "then_branch", then.graphProto(), "else_branch", otherwise.graphProto()).output("y");
        }));
        cs.add(c("LSTM forward, all outputs", () -> new OnnxBuilder(13).input("x", 5, 2, 3).random("w", 40, 0.6, 1, 16, 3).random("r", 41, 0.6, 1, 16, 4)
                .random("b", 42, 0.3, 1, 32).node("LSTM", "x,w,r,b", "y,yh,yc", "hidden_size", 4).output("y").output("yh").output("yc")));
        cs.add(c("LSTM bidirectional with peepholes and initial state", () -> new OnnxBuilder(13).input("x", 3, 1, 2).input("h0", 2, 1, 3).input("c0", 2, 1, 3)
                .random("w", 43, 0.6, 2, 12, 2).random("r", 44, 0.6, 2, 12, 3).random("b", 45, 0.3, 2, 24).random("p", 46, 0.5, 2, 9)
                .node("LSTM", List.of("x", "w", "r", "b", "", "h0", "c0", "p"), List.of("y", "yh"), "hidden_size", 3, "direction", "bidirectional")
                .output("y").output("yh")));
        cs.add(c("GRU bidirectional linear_before_reset with initial state", () -> new OnnxBuilder(13).input("x", 4, 1, 3).input("h0", 2, 1, 4)
                .random("w", 47, 0.6, 2, 12, 3).random("r", 48, 0.6, 2, 12, 4).random("b", 49, 0.3, 2, 24)
                .node("GRU", List.of("x", "w", "r", "b", "", "h0"), List.of("y", "yh"), "hidden_size", 4, "direction", "bidirectional", "linear_before_reset", 1)
                .output("y").output("yh")));
        cs.add(c("GRU forward", () -> new OnnxBuilder(13).input("x", 4, 2, 3).random("w", 50, 0.6, 1, 9, 3).random("r", 51, 0.6, 1, 9, 3)
                .random("b", 52, 0.3, 1, 18).node("GRU", "x,w,r,b", "y", "hidden_size", 3).output("y")));
        cs.add(c("RNN reverse with a Relu activation", () -> new OnnxBuilder(13).input("x", 4, 1, 3).random("w", 53, 0.5, 1, 4, 3).random("r", 54, 0.4, 1, 4, 4)
                .node("RNN", "x,w,r", ",yh", "hidden_size", 4, "direction", "reverse", "activations", new String[] {"Relu"}).output("yh")));
        cs.add(c("attention scores with an additive causal mask (-1e9) and Softmax", -3, 3, () -> new OnnxBuilder(13).input("q", 1, 4, 8).input("k", 1, 8, 4)
                .weight("mask", new int[] {4, 4}, new float[] {0, -1e9f, -1e9f, -1e9f, 0, 0, -1e9f, -1e9f, 0, 0, 0, -1e9f, 0, 0, 0, 0})
                .node("MatMul", "q,k", "s").node("Add", "s,mask", "sm").node("Softmax", "sm", "y", "axis", -1).output("y")));
        cs.add(c("attention scores masked by Where(constant causal mask, s, -inf) and Softmax", -3, 3, () -> new OnnxBuilder(14).input("q", 1, 4, 8).input("k", 1, 8, 4)
                .weight("ones", new int[] {4, 4}, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}).node("Trilu", "ones", "tril", "upper", 0)
                .node("Cast", "tril", "keep", "to", 9).scalar("ninf", Float.NEGATIVE_INFINITY)
                .node("MatMul", "q,k", "s").node("Where", "keep,s,ninf", "sm").node("Softmax", "sm", "y", "axis", -1).output("y")));
        cs.add(c("masked_fill with a computed mask (-1e9) and Softmax", -3, 3, () -> new OnnxBuilder(13).input("x", 2, 6).scalar("h", -1f).scalar("fill", -1e9f)
                .node("Less", "x,h", "m").node("Where", "m,fill,x", "xm").node("Softmax", "xm", "y", "axis", -1).output("y")));
        cs.add(c("GPT-style decoder block (2 heads, causal mask, LayerNorm, GELU, residuals)", () -> decoderBlock()));
        cs.add(c("MatMul of two batched activations (batch 2x3, K and N not powers of two)", () -> new OnnxBuilder(13).input("x", 2, 3, 4, 6)
                .input("z", 3, 6, 5).node("MatMul", "x,z", "y").output("y")));
        cs.add(c("no inputs", () -> new OnnxBuilder(13).random("w", 33, 1, 2, 3).random("v", 34, 1, 3, 2)
                .node("MatMul", "w,v", "m").node("Relu", "m", "y").output("y")));
        return cs;
    }
}
