package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The masking polynomial of a zero-knowledge sumcheck (Libra, Xie et al. CRYPTO 2019, §4.1; after
 * Chiesa–Forbes–Spooner 2017): g(x) = a_0 + g_0(x_0) + … + g_{n−1}(x_{n−1}) with
 * g_i(X) = Σ_{k=1}^{d} a_{i,k}·X^k, all coefficients uniform in F_{p²}, d the round polynomials' degree.
 * Only 1 + n·d coefficients, against the 2^n·… of a random multivariate mask, because the sumcheck
 * of f + ρ·g lets the verifier see, in round i, only a univariate restriction of g in x_i:
 * M_i(X) = Σ_{x_{>i} ∈ {0,1}} g(r_{<i}, X, x_{>i}) = 2^{n−i−1}·(a_0 + Σ_{j<i} g_j(r_j) + g_i(X)) + 2^{n−i−2}·Σ_{j>i} S_j,
 * with S_j = g_j(0) + g_j(1) = Σ_k a_{j,k}. Its coefficients of X^1 … X^d are 2^{n−i−1}·a_{i,k}:
 * fresh uniform values used in no other round, which is what makes round i's message uniform.
 *
 * @param constant a_0
 * <p>Round i's degree d_i may differ per round (a {@link VanishingMask} raises the last one's); g_i
 * then has degree d_i.
 *
 * @param coefficients coefficients[i][k − 1] = a_{i,k}, for n variables and k = 1 … d_i
 */
public record SumcheckMask(Ext2 constant, Ext2[][] coefficients) {
    public SumcheckMask {
        Ext2[][] copy = new Ext2[coefficients.length][];
        for (int i = 0; i < coefficients.length; i++) {
            copy[i] = coefficients[i].clone();
        }
        coefficients = copy;
    }

    /** A fresh uniform mask for n variables and round degree d; the prover must never reuse one. */
    public static SumcheckMask random(int numVars, int degree, RandomGenerator rng) {
        int[] degrees = new int[numVars];
        Arrays.fill(degrees, degree);
        return random(degrees, rng);
    }

    /** A fresh uniform mask with degree degrees[i] in variable i. */
    public static SumcheckMask random(int[] degrees, RandomGenerator rng) {
        Ext2[][] a = new Ext2[degrees.length][];
        for (int i = 0; i < degrees.length; i++) {
            if (degrees[i] < 1) {
                throw new IllegalArgumentException("mask degree must be at least 1: " + degrees[i]);
            }
            a[i] = new Ext2[degrees[i]];
            for (int k = 0; k < degrees[i]; k++) {
                a[i][k] = Ext2.random(rng);
            }
        }
        return new SumcheckMask(Ext2.random(rng), a);
    }

    @Override
    public Ext2[][] coefficients() {
        Ext2[][] out = new Ext2[coefficients.length][];
        for (int i = 0; i < coefficients.length; i++) {
            out[i] = coefficients[i].clone();
        }
        return out;
    }

    /** Every coefficient in one row: a_0, then a_{0,1…d_0}, a_{1,1…d_1}, … (the order masks are committed in). */
    public Ext2[] flattened() {
        Ext2[] out = new Ext2[1 + Arrays.stream(coefficients).mapToInt(x -> x.length).sum()];
        out[0] = constant;
        int at = 1;
        for (Ext2[] row : coefficients) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        return out;
    }

    public int numVars() {
        return coefficients.length;
    }

    /** The degree of g_i. */
    public int degree(int i) {
        return coefficients[i].length;
    }

    /** Σ_{x ∈ {0,1}^n} g(x) = 2^n·a_0 + 2^{n−1}·Σ_i S_i. */
    public Ext2 sum() {
        int n = numVars();
        Ext2 s = constant.mul(Goldilocks.pow(2, n));
        if (n > 0) {
            Ext2 total = Ext2.ZERO;
            for (int i = 0; i < n; i++) {
                total = total.add(univariateSum(i));
            }
            s = s.add(total.mul(Goldilocks.pow(2, n - 1)));
        }
        return s;
    }

    /** g(point). */
    public Ext2 evaluate(Ext2[] point) {
        if (point.length != numVars()) {
            throw new IllegalArgumentException("point has " + point.length + " coordinates for a mask of " + numVars() + " variables");
        }
        Ext2 v = constant;
        for (int i = 0; i < point.length; i++) {
            v = v.add(univariate(i, point[i]));
        }
        return v;
    }

    /** g_i(x) = Σ_k a_{i,k}·x^k (Horner): the part of g in variable i, without the constant. */
    public Ext2 univariate(int i, Ext2 x) {
        Ext2 acc = Ext2.ZERO;
        for (int k = coefficients[i].length - 1; k >= 0; k--) {
            acc = acc.add(coefficients[i][k]).mul(x);
        }
        return acc;
    }

    /** S_i = g_i(0) + g_i(1). */
    Ext2 univariateSum(int i) {
        Ext2 s = Ext2.ZERO;
        for (Ext2 a : coefficients[i]) {
            s = s.add(a);
        }
        return s;
    }

    /**
     * The round polynomials M_i of the mask at the points 0, 2, 3, …, degree (the message layout of
     * {@link SumcheckProof}), round by round as challenges arrive.
     */
    final class Rounds {
        private final Ext2[] suffix; // suffix[i] = Σ_{j>i} S_j
        private Ext2 bound; // a_0 + Σ_{j<i} g_j(r_j)
        private int round;

        Rounds() {
            int n = numVars();
            suffix = new Ext2[n];
            Ext2 acc = Ext2.ZERO;
            for (int i = n - 1; i >= 0; i--) {
                suffix[i] = acc;
                acc = acc.add(univariateSum(i));
            }
            bound = constant;
        }

        /** M_round at 0, 2, …, degree. */
        Ext2[] message(int messageDegree) {
            int n = numVars();
            int free = n - round - 1;
            long scale = Goldilocks.pow(2, free);
            Ext2 rest = free >= 1 ? suffix[round].mul(Goldilocks.pow(2, free - 1)) : Ext2.ZERO;
            Ext2[] out = new Ext2[messageDegree];
            for (int e = 0; e < messageDegree; e++) {
                long t = e == 0 ? 0 : e + 1;
                out[e] = bound.add(univariate(round, Ext2.of(t))).mul(scale).add(rest);
            }
            return out;
        }

        /** Binds the round's variable to the verifier's challenge. */
        void bind(Ext2 r) {
            bound = bound.add(univariate(round, r));
            round++;
        }
    }
}
