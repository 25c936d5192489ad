package dev.verinfer.model.graph;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Float reference of elementwise operators. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static Tensor unary(Tensor x, DoubleUnaryOperator f) {
        double[] d = new double[x.size()];
        for (int i = 0; i < d.length; i++) d[i] = f.applyAsDouble(x.data()[i]);
        return new Tensor(x.shape(), d);
    }

    static Tensor binary(Tensor a, Tensor b, DoubleBinaryOperator f) {
        int[] shape = Broadcast.shape(a.shape(), b.shape());
        int[] ia = Broadcast.indexMap(a.shape(), shape), ib = Broadcast.indexMap(b.shape(), shape);
        double[] d = new double[ia.length];
        for (int i = 0; i < d.length; i++) d[i] = f.applyAsDouble(a.data()[ia[i]], b.data()[ib[i]]);
        return new Tensor(shape, d);
    }

    /** Variadic Max/Min/Sum folded left to right. */
    static Tensor variadic(List<Tensor> xs, DoubleBinaryOperator f) {
        Tensor acc = xs.getFirst();
        for (int i = 1; i < xs.size(); i++) acc = binary(acc, xs.get(i), f);
        return acc;
    }

    static Tensor where(Tensor c, Tensor x, Tensor y) {
        int[] shape = Broadcast.shape(c.shape(), x.shape(), y.shape());
        int[] ic = Broadcast.indexMap(c.shape(), shape), ix = Broadcast.indexMap(x.shape(), shape), iy = Broadcast.indexMap(y.shape(), shape);
        double[] d = new double[ic.length];
        for (int i = 0; i < d.length; i++) d[i] = c.data()[ic[i]] != 0 ? x.data()[ix[i]] : y.data()[iy[i]];
        return new Tensor(shape, d);
    }

    static Tensor pow(Tensor a, Tensor b) {
        return binary(a, b, (x, e) -> e == 2 ? x * x : e == 1 ? x : StrictMath.pow(x, e));
    }
}
