package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the packed weight polynomial. Each weight tensor's padded cube is cut along its
 * outermost dimension of more than one entry (d of them) into the pieces of d's binary expansion:
 * rows [0, 2^a), then [2^a, 2^a + 2^b), … (a > b > …). A piece of 2^j rows starts at a multiple of
 * 2^(j+1), so it is the subcube of the tensor's cube whose high variables (the cut dimension's top
 * bits) equal {@code index} = firstRow / 2^j; the rows d … 2^⌈log d⌉ − 1, all padding, lie in no piece
 * and are not committed. The pieces are the items of a {@link PolyPacking}, so the tensor's MLE is
 * T(r) = Σ_p eq(r_high(p), index_p)·P_p(r_low(p)): a claim on the tensor is a linear combination of
 * claims on its pieces, with coefficients the verifier computes ({@link #coefficient}).
 * alexa_v0.1's first weight, [1536, 128], becomes pieces of 1024 and 512 rows: its 213,377 weights
 * fit 2^18 slots instead of 2^19.
 * A key chooses per tensor whether to cut it: a zero-knowledge key cuts only the weights its zero-knowledge MatMuls alone
 * read (their masked weight claim W′(ρ) is sent per piece, {@code LinearLayers}), and keeps every other weight whole
 * (its zero-knowledge claims are openings at one point each).
 */
public final class WeightLayout {
    /** A piece of tensor {@code tensor} (the caller's index): its own padded shape and its high variables' value in the tensor's cube. */
    public record Piece(int tensor, PaddedShape shape, long index) {}

    private final int[] tensorVars;
    private final List<Piece> pieces = new ArrayList<>();
    private final int[][] piecesOf;
    private final PolyPacking packing;

    public WeightLayout(PaddedShape[] shapes, boolean split) {
        this(shapes, filled(shapes.length, split));
    }

    /** The layout with tensor t cut where {@code split[t]}. */
    public WeightLayout(PaddedShape[] shapes, boolean[] split) {
        tensorVars = new int[shapes.length];
        piecesOf = new int[shapes.length][];
        for (int t = 0; t < shapes.length; t++) {
            tensorVars[t] = shapes[t].numVars();
            int first = pieces.size();
            cut(t, shapes[t], split[t]);
            piecesOf[t] = java.util.stream.IntStream.range(first, pieces.size()).toArray();
        }
        packing = new PolyPacking(pieces.stream().mapToInt(p -> p.shape().numVars()).toArray());
    }

    private static boolean[] filled(int n, boolean value) {
        boolean[] out = new boolean[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private void cut(int t, PaddedShape shape, boolean split) {
        int d = 0;
        while (d < shape.rank() && shape.dim(d) == 1) {
            d++;
        }
        if (!split || d == shape.rank() || Integer.bitCount(shape.dim(d)) == 1) {
            pieces.add(new Piece(t, shape, 0));
            return;
        }
        int rows = shape.dim(d);
        for (int j = 31 - Integer.numberOfLeadingZeros(rows); j >= 0; j--) {
            if (((rows >>> j) & 1) == 1) {
                int[] dims = new int[shape.rank()];
                for (int e = 0; e < dims.length; e++) {
                    dims[e] = shape.dim(e);
                }
                dims[d] = 1 << j;
                long firstRow = (long) (rows >>> (j + 1)) << (j + 1);
                pieces.add(new Piece(t, new PaddedShape(dims), firstRow >>> j));
            }
        }
    }

    public PolyPacking packing() {
        return packing;
    }

    public int numVars() {
        return packing.numVars();
    }

    /** How many pieces (items of {@link #packing()}) there are. */
    public int pieces() {
        return pieces.size();
    }

    public Piece piece(int item) {
        return pieces.get(item);
    }

    /** The pieces (items) of tensor {@code tensor}. */
    public int[] piecesOf(int tensor) {
        return piecesOf[tensor].clone();
    }

    /** The coefficient of piece {@code item} in a claim on its tensor at {@code point}: eq of the point's high variables with the piece's index. */
    public Ext2 coefficient(int item, Ext2[] point) {
        Piece p = pieces.get(item);
        if (point.length != tensorVars[p.tensor()]) {
            throw new IllegalStateException("a claim with " + point.length + " variables on a weight of " + tensorVars[p.tensor()]);
        }
        int low = p.shape().numVars();
        Ext2 c = Ext2.ONE;
        for (int j = low; j < point.length; j++) {
            c = c.mul(((p.index() >>> (j - low)) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
        }
        return c;
    }

    /** The packed polynomial of the tensors' padded tables ({@code padded[t]} with 2^numVars(t) canonical entries). */
    public long[] pack(long[][] padded) {
        long[][] tables = new long[pieces.size()][];
        for (int i = 0; i < tables.length; i++) {
            Piece p = pieces.get(i);
            if (padded[p.tensor()].length != 1 << tensorVars[p.tensor()]) {
                throw new IllegalArgumentException("tensor " + p.tensor() + " has " + padded[p.tensor()].length + " entries, expected 2^" + tensorVars[p.tensor()]);
            }
            int size = 1 << p.shape().numVars();
            int from = (int) (p.index() * size);
            tables[i] = java.util.Arrays.copyOfRange(padded[p.tensor()], from, from + size);
        }
        return packing.pack(tables);
    }

    /** Tensor {@code tensor}'s padded table read back from a packed table of this layout (the uncommitted rows zero). */
    public long[] tensor(long[] packed, int tensor) {
        long[] out = new long[1 << tensorVars[tensor]];
        for (int i : piecesOf[tensor]) {
            Piece p = pieces.get(i);
            int size = 1 << p.shape().numVars();
            System.arraycopy(packed, (int) packing.offset(i), out, (int) (p.index() * size), size);
        }
        return out;
    }
}
