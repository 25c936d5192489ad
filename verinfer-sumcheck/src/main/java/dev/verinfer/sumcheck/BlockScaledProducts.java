package dev.verinfer.sumcheck;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The leading rounds ({@link LeadingRounds}) of Σ_x f(x)·G(x) + h(x)·H(x) — tables numbered 0 f, 1 G, 2 h, 3 H, f and h base
 * tables of n variables — when G and H vanish off disjoint aligned blocks B_k = [o_k, o_k + 2^l_k) and H = z_k·G on B_k.
 *
 * <p>Cut {0,1}^n into aligned cells of 2^L entries. While the rounds bind the L lowest variables, a pair of entries never
 * leaves its cell, so each round polynomial is the sum of the cells' own. A block of at least 2^L entries (a <em>large</em>
 * one) is a union of cells on which the folded H stays z_k times the folded G, so its part is Σ_{pairs} G_t·(f_t + z_k·h_t):
 * after round 0 (f·G and h·G, H never built) one product per pair and point on two tables, G and A = f + z_k·h, over the
 * blocks' entries only — where the statement's four tables take two products on all of 2^n and fold four tables. The cells
 * holding the smaller blocks (a scalar item's one entry, say) run the four tables exactly, on their 2^L entries each. L is the
 * largest that keeps those cells within an eighth of the large blocks' entries. After L rounds f and h are bound at
 * (r_0, …, r_{L−1}) in one pass over them, and G and H are laid out over 2^(n−L) entries for the statement's own rounds
 * (docs/proof-system.md, "The weight claims' leading rounds").
 */
public final class BlockScaledProducts implements LeadingRounds {
    /** G on one block (2^l entries from {@code offset}, aligned to 2^l) and the block's factor z: H = z·G there. */
    public record Block(int offset, ExtVector g, Ext2 z) {
        int vars() {
            return Integer.numberOfTrailingZeros(g.length());
        }
    }

    /** Points of a degree-2 round without t = 1 (the sum is known). */
    private static final int[] POINTS = {0, 2};
    private static final List<ProductTerm> TWO = List.of(ProductTerm.of(Ext2.ONE, 0, 1));
    private static final List<ProductTerm> FOUR = List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE, 2, 3));
    private static final int CHUNK = 1 << 10;

    private final long[] f;
    private final long[] h;
    private final int n;
    private final int lead;
    private final List<Block> large;
    /** The cells of the smaller blocks (ascending offsets), and their four tables side by side: f, G, h, H (c1 null: base). */
    private final int[] cells;
    private long[][] m0;
    private long[][] m1;
    private final List<Ext2> challenges = new ArrayList<>();
    /** After round 0: G and A = f + z_k·h on the large blocks side by side (block order). */
    private long[][] g;
    private long[][] a;
    /** The last challenge where not yet folded into the large blocks' tables, and into the cells' (the next pass folds it). */
    private Ext2 largePending;
    private Ext2 cellPending;

    private BlockScaledProducts(long[] f, long[] h, int lead, List<Block> large, List<Block> small) {
        this.f = f;
        this.h = h;
        this.n = Integer.numberOfTrailingZeros(f.length);
        this.lead = lead;
        this.large = large;
        this.cells = small.stream().mapToInt(b -> b.offset() >> lead).distinct().sorted().toArray();
        int cell = 1 << lead;
        int size = cells.length * cell;
        m0 = new long[][] {new long[size], new long[size], new long[size], new long[size]};
        m1 = new long[][] {null, new long[size], null, new long[size]};
        for (int c = 0; c < cells.length; c++) {
            System.arraycopy(f, cells[c] << lead, m0[0], c * cell, cell);
            System.arraycopy(h, cells[c] << lead, m0[2], c * cell, cell);
        }
        for (Block b : small) {
            int at = Arrays.binarySearch(cells, b.offset() >> lead) * cell + (b.offset() & (cell - 1));
            for (int i = 0; i < b.g().length(); i++) {
                long g0 = b.g().c0()[i];
                long g1 = b.g().c1()[i];
                m0[1][at + i] = g0;
                m1[1][at + i] = g1;
                m0[3][at + i] = ExtMath.mulC0(b.z().c0(), b.z().c1(), g0, g1);
                m1[3][at + i] = ExtMath.mulC1(b.z().c0(), b.z().c1(), g0, g1);
            }
        }
    }

    /**
     * The leading rounds for these blocks, or null when they do not apply: blocks that overlap, or no L ≥ 1 below the statement's
     * last round whose cells of smaller blocks stay within an eighth of the large blocks' entries.
     */
    public static BlockScaledProducts of(long[] f, long[] h, List<Block> blocks) {
        if (f.length != h.length || Integer.bitCount(f.length) != 1 || blocks.isEmpty()) {
            throw new IllegalArgumentException("f and h of one power-of-two length, and at least one block");
        }
        int n = Integer.numberOfTrailingZeros(f.length);
        long end = 0;
        for (Block b : blocks.stream().sorted(Comparator.comparingInt(Block::offset)).toList()) {
            int size = b.g().length();
            if (Integer.bitCount(size) != 1 || b.offset() % size != 0 || (long) b.offset() + size > f.length) {
                throw new IllegalArgumentException("a block of " + size + " entries at " + b.offset() + " is not aligned within 2^" + n);
            }
            if (b.offset() < end) {
                return null; // overlapping blocks: H is not z·G on them
            }
            end = (long) b.offset() + size;
        }
        for (int lead = n - 1; lead >= 1; lead--) {
            int l = lead;
            long largeEntries = blocks.stream().filter(b -> b.vars() >= l).mapToLong(b -> b.g().length()).sum();
            long cellEntries = (long) new TreeSet<>(blocks.stream().filter(b -> b.vars() < l).map(b -> b.offset() >> l).toList()).size() << l;
            if (largeEntries > 0 && 8 * cellEntries <= largeEntries) {
                return new BlockScaledProducts(f, h, lead, blocks.stream().filter(b -> b.vars() >= l).toList(),
                        blocks.stream().filter(b -> b.vars() < l).toList());
            }
        }
        return null;
    }

    @Override
    public int numVars() {
        return n;
    }

    @Override
    public int rounds() {
        return lead;
    }

    @Override
    public Ext2[] values() {
        Ext2[] out = challenges.isEmpty() ? firstValues() : largeValues();
        if (cells.length > 0) {
            Ext2[] v = cellValues();
            out[0] = out[0].add(v[0]);
            out[1] = out[1].add(v[1]);
        }
        return out;
    }

    /** Round 0 on the large blocks: Σ_k Σ_{pairs of B_k} f_t·G_t + z_k·h_t·G_t, f and h read in F_p. */
    private Ext2[] firstValues() {
        Ext2[] out = {Ext2.ZERO, Ext2.ZERO};
        for (Block b : large) {
            RoundKernel kernel = new RoundKernel(List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(b.z(), 2, 1)), POINTS);
            int size = b.g().length();
            long[][] c0 = {Arrays.copyOfRange(f, b.offset(), b.offset() + size), b.g().c0(), Arrays.copyOfRange(h, b.offset(), b.offset() + size)};
            long[][] c1 = {null, b.g().c1(), null};
            Ext2[] v = kernel.extRound(c0, c1, null, null, null, size / 2, null, null);
            out[0] = out[0].add(v[0]);
            out[1] = out[1].add(v[1]);
        }
        return out;
    }

    /** A later round on the large blocks: Σ G_t·A_t, folding the pending challenge in the same pass. */
    private Ext2[] largeValues() {
        RoundKernel kernel = new RoundKernel(TWO, POINTS);
        long[][] c0 = {g[0], a[0]};
        long[][] c1 = {g[1], a[1]};
        if (largePending == null) {
            return kernel.extRound(c0, c1, null, null, null, g[0].length / 2, null, null);
        }
        int half = g[0].length / 2;
        long[][] d0 = {new long[half], new long[half]};
        long[][] d1 = {new long[half], new long[half]};
        Ext2[] out = kernel.extRound(c0, c1, largePending, d0, d1, half / 2, null, null);
        g = new long[][] {d0[0], d1[0]};
        a = new long[][] {d0[1], d1[1]};
        largePending = null;
        return out;
    }

    /** The smaller blocks' cells: the statement's own four tables there, folding the pending challenge in the same pass. */
    private Ext2[] cellValues() {
        RoundKernel kernel = new RoundKernel(FOUR, POINTS);
        if (cellPending == null) {
            return kernel.extRound(m0, m1, null, null, null, m0[0].length / 2, null, null);
        }
        int half = m0[0].length / 2;
        long[][] d0 = new long[4][half];
        long[][] d1 = new long[4][half];
        Ext2[] out = kernel.extRound(m0, m1, cellPending, d0, d1, half / 2, null, null);
        m0 = d0;
        m1 = d1;
        cellPending = null;
        return out;
    }

    @Override
    public void bind(Ext2 r) {
        if (challenges.size() >= lead) {
            throw new IllegalStateException("all " + lead + " leading rounds are bound");
        }
        if (challenges.isEmpty()) {
            firstFold(r); // the large blocks' first fold, into G and A, here
        } else {
            largePending = r;
        }
        cellPending = r;
        challenges.add(r);
    }

    /** G and A = f + z_k·h at (r_0, ·) on every large block, side by side. */
    private void firstFold(Ext2 r) {
        int total = large.stream().mapToInt(b -> b.g().length() / 2).sum();
        g = new long[][] {new long[total], new long[total]};
        a = new long[][] {new long[total], new long[total]};
        long r1w = ExtMath.mulByW(r.c1());
        int at = 0;
        for (Block b : large) {
            int base = at;
            int off = b.offset();
            long[] gb0 = b.g().c0();
            long[] gb1 = b.g().c1();
            long z0 = b.z().c0();
            long z1 = b.z().c1();
            Parallelism.forEachChunk(b.g().length() / 2, CHUNK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    long lo0 = gb0[2 * i];
                    long lo1 = gb1[2 * i];
                    long e0 = BranchFree.sub(gb0[2 * i + 1], lo0);
                    long e1 = BranchFree.sub(gb1[2 * i + 1], lo1);
                    g[0][base + i] = BranchFree.mulMulAdd(r.c0(), e0, r1w, e1, lo0);
                    g[1][base + i] = BranchFree.mulMulAdd(r.c0(), e1, r.c1(), e0, lo1);
                    // f and h folded (base entries, an extension challenge), then A = f(r, ·) + z·h(r, ·)
                    long fl = f[off + 2 * i];
                    long fe = BranchFree.sub(f[off + 2 * i + 1], fl);
                    long hl = h[off + 2 * i];
                    long he = BranchFree.sub(h[off + 2 * i + 1], hl);
                    long hv0 = BranchFree.mulAdd(r.c0(), he, hl);
                    long hv1 = BranchFree.mul(r.c1(), he);
                    a[0][base + i] = BranchFree.add(BranchFree.mulAdd(r.c0(), fe, fl), ExtMath.mulC0(z0, z1, hv0, hv1));
                    a[1][base + i] = BranchFree.add(BranchFree.mul(r.c1(), fe), ExtMath.mulC1(z0, z1, hv0, hv1));
                }
            });
            at += b.g().length() / 2;
        }
    }

    @Override
    public List<MleTable> tables() {
        if (challenges.size() != lead) {
            throw new IllegalStateException(challenges.size() + " of " + lead + " leading rounds bound");
        }
        if (largePending != null) { // the last challenge, folded now
            g = fold(g[0], g[1], largePending);
            a = fold(a[0], a[1], largePending);
            largePending = null;
        }
        if (cellPending != null) {
            for (int k = 0; k < 4; k++) {
                long[][] folded = fold(m0[k], m1[k], cellPending);
                m0[k] = folded[0];
                m1[k] = folded[1];
            }
            cellPending = null;
        }
        ExtVector gl = ExtVector.zeros(1 << (n - lead));
        ExtVector hl = ExtVector.zeros(1 << (n - lead));
        int at = 0;
        for (Block b : large) {
            int size = b.g().length() >> lead;
            int to = b.offset() >> lead;
            for (int i = 0; i < size; i++) {
                long g0 = g[0][at + i];
                long g1 = g[1][at + i];
                gl.c0()[to + i] = g0;
                gl.c1()[to + i] = g1;
                hl.c0()[to + i] = ExtMath.mulC0(b.z().c0(), b.z().c1(), g0, g1);
                hl.c1()[to + i] = ExtMath.mulC1(b.z().c0(), b.z().c1(), g0, g1);
            }
            at += size;
        }
        for (int c = 0; c < cells.length; c++) { // each cell is one entry now
            gl.c0()[cells[c]] = m0[1][c];
            gl.c1()[cells[c]] = m1[1][c];
            hl.c0()[cells[c]] = m0[3][c];
            hl.c1()[cells[c]] = m1[3][c];
        }
        return List.of(new ExtTable(bound(f)), new ExtTable(gl), new ExtTable(bound(h)), new ExtTable(hl));
    }

    /** A table's lowest variable bound to r ({@code t1} null: a base table). */
    private static long[][] fold(long[] t0, long[] t1, Ext2 r) {
        int half = t0.length / 2;
        long[][] out = {new long[half], new long[half]};
        Parallelism.forEachChunk(half, CHUNK, (from, to) -> ExtMath.foldRange(t0, t1, r.c0(), r.c1(), out[0], out[1], from, to));
        return out;
    }

    /** A base table at (r_0, …, r_{L−1}, ·): Σ_b eq(r, b)·T[x·2^L + b] for every x, two dot products of 2^L each. */
    private ExtVector bound(long[] table) {
        ExtVector eq = Mle.eqTable(challenges.toArray(Ext2[]::new));
        int width = 1 << lead;
        int rows = table.length >> lead;
        ExtVector out = ExtVector.zeros(rows);
        Parallelism.forEachChunk(rows, Math.max(1, CHUNK >> lead), (from, to) -> {
            for (int x = from; x < to; x++) {
                out.c0()[x] = BranchFree.dot(table, x * width, eq.c0(), 0, width);
                out.c1()[x] = BranchFree.dot(table, x * width, eq.c1(), 0, width);
            }
        });
        return out;
    }
}
