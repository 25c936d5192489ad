package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import java.util.List;

/**
 * Computes one round polynomial of Σ_x Σ_j c_j Π_{k ∈ S_j} P_k(x) at a list of small integer points t:
 * p(t) = Σ_i Σ_j c_j Π_k ((1 − t)·P_k[2i] + t·P_k[2i + 1]). Tables are (c0, c1) coordinate arrays,
 * {@code c1[k] == null} marking a base table. Each parallel chunk keeps primitive accumulators per
 * (term, point) and scratch for the tables' line values; nothing is allocated per pair.
 */
final class RoundKernel {
    private static final int PARALLEL_PAIRS = 1 << 11;

    private final List<ProductTerm> terms;
    private final int[] points;
    private final int maxPoint;

    RoundKernel(List<ProductTerm> terms, int[] points) {
        this.terms = terms;
        this.points = points;
        this.maxPoint = points[points.length - 1];
    }

    /** All tables base: the round runs entirely in F_p and only the final Σ_j c_j·(…) touches the extension. */
    Ext2[] baseRound(long[][] c0, int pairs) {
        int np = points.length;
        int nt = terms.size();
        List<long[]> partials = Parallelism.mapChunks(pairs, PARALLEL_PAIRS, (from, to) -> {
            long[] acc = new long[nt * np];
            long[] s = new long[c0.length * np];
            for (int i = from; i < to; i++) {
                for (int k = 0; k < c0.length; k++) {
                    long lo = c0[k][2 * i];
                    long hi = c0[k][2 * i + 1];
                    lineValues(lo, hi, Goldilocks.sub(hi, lo), s, k * np);
                }
                for (int j = 0; j < nt; j++) {
                    ProductTerm term = terms.get(j);
                    int deg = term.degree();
                    for (int e = 0; e < np; e++) {
                        long p = s[term.factor(0) * np + e];
                        for (int f = 1; f < deg; f++) {
                            p = Goldilocks.mul(p, s[term.factor(f) * np + e]);
                        }
                        acc[j * np + e] = Goldilocks.add(acc[j * np + e], p);
                    }
                }
            }
            return acc;
        });
        long[] acc = partials.getFirst();
        for (int c = 1; c < partials.size(); c++) {
            long[] q = partials.get(c);
            for (int x = 0; x < acc.length; x++) {
                acc[x] = Goldilocks.add(acc[x], q[x]);
            }
        }
        Ext2[] out = new Ext2[np];
        for (int e = 0; e < np; e++) {
            Ext2 sum = Ext2.ZERO;
            for (int j = 0; j < nt; j++) {
                sum = sum.add(terms.get(j).coefficient().mul(acc[j * np + e]));
            }
            out[e] = sum;
        }
        return out;
    }

    /** The general round over extension (and possibly some base) tables. */
    Ext2[] extRound(long[][] c0, long[][] c1, int pairs) {
        int np = points.length;
        int nt = terms.size();
        List<long[][]> partials = Parallelism.mapChunks(pairs, PARALLEL_PAIRS, (from, to) -> {
            long[] acc0 = new long[nt * np];
            long[] acc1 = new long[nt * np];
            long[] s0 = new long[c0.length * np];
            long[] s1 = new long[c0.length * np];
            for (int i = from; i < to; i++) {
                for (int k = 0; k < c0.length; k++) {
                    long lo0 = c0[k][2 * i];
                    long hi0 = c0[k][2 * i + 1];
                    lineValues(lo0, hi0, Goldilocks.sub(hi0, lo0), s0, k * np);
                    if (c1[k] == null) {
                        for (int e = 0; e < np; e++) {
                            s1[k * np + e] = 0;
                        }
                    } else {
                        long lo1 = c1[k][2 * i];
                        long hi1 = c1[k][2 * i + 1];
                        lineValues(lo1, hi1, Goldilocks.sub(hi1, lo1), s1, k * np);
                    }
                }
                for (int j = 0; j < nt; j++) {
                    ProductTerm term = terms.get(j);
                    int deg = term.degree();
                    for (int e = 0; e < np; e++) {
                        int first = term.factor(0) * np + e;
                        long p0 = s0[first];
                        long p1 = s1[first];
                        for (int f = 1; f < deg; f++) {
                            int idx = term.factor(f) * np + e;
                            long b0 = s0[idx];
                            long b1 = s1[idx];
                            // Karatsuba product in F_p[X]/(X² − 7), inlined to keep p0, p1 in registers
                            long t0 = Goldilocks.mul(p0, b0);
                            long t1 = Goldilocks.mul(p1, b1);
                            long cross = Goldilocks.mul(Goldilocks.add(p0, p1), Goldilocks.add(b0, b1));
                            p1 = Goldilocks.sub(Goldilocks.sub(cross, t0), t1);
                            p0 = Goldilocks.add(t0, mulBy7(t1));
                        }
                        acc0[j * np + e] = Goldilocks.add(acc0[j * np + e], p0);
                        acc1[j * np + e] = Goldilocks.add(acc1[j * np + e], p1);
                    }
                }
            }
            return new long[][] {acc0, acc1};
        });
        long[] acc0 = partials.getFirst()[0];
        long[] acc1 = partials.getFirst()[1];
        for (int c = 1; c < partials.size(); c++) {
            long[][] q = partials.get(c);
            for (int x = 0; x < acc0.length; x++) {
                acc0[x] = Goldilocks.add(acc0[x], q[0][x]);
                acc1[x] = Goldilocks.add(acc1[x], q[1][x]);
            }
        }
        Ext2[] out = new Ext2[np];
        for (int e = 0; e < np; e++) {
            Ext2 sum = Ext2.ZERO;
            for (int j = 0; j < nt; j++) {
                sum = sum.add(terms.get(j).coefficient().mul(new Ext2(acc0[j * np + e], acc1[j * np + e])));
            }
            out[e] = sum;
        }
        return out;
    }

    /** Writes lo + t·diff for each requested point t (ascending) to s[off …], stepping t by one. */
    private void lineValues(long lo, long hi, long diff, long[] s, int off) {
        int e = 0;
        long v = lo;
        for (int t = 0; t <= maxPoint; t++) {
            if (t == 1) {
                v = hi;
            } else if (t > 1) {
                v = Goldilocks.add(v, diff);
            }
            if (points[e] == t) {
                s[off + e++] = v;
            }
        }
    }

    private static long mulBy7(long a) {
        long a2 = Goldilocks.add(a, a);
        long a4 = Goldilocks.add(a2, a2);
        return Goldilocks.add(Goldilocks.add(a4, a2), a);
    }
}
