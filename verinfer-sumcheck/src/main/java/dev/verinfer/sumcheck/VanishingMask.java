package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A randomiser that hides a table's final evaluation (Libra, Xie et al. CRYPTO 2019, §4.2): the
 * sumcheck runs on T'(x) = T̃(x) + Z(x)·R(x) instead of the multilinear T̃, with
 * Z(x) = x_{n−1}(1 − x_{n−1}) and R(x) = Σ_{l<m} c_l·x_0^l (c uniform). Z vanishes on the hypercube,
 * so every sum — and every round polynomial but the last, whose variable x_{n−1} is the only one not
 * boolean there — is unchanged; the last round sees a factor of degree 2, and the final evaluation
 * T'(r) = T̃(r) + r_{n−1}(1 − r_{n−1})·R(r_0) is uniform given T̃(r), for up to m evaluations of the
 * same T' at points with distinct r_0 (a Vandermonde system in c). Z sits on the last-bound variable
 * and R on the first so that only one round's degree grows; with n = 1 they share the variable, and
 * only m = 1 is allowed.
 *
 * <p>The caller must then establish T'(r), not T̃(r): commit (hiding) to c beside T and open
 * T̃(r) + Z(r)·R(r) as one zero-knowledge claim, or keep T' as the polynomial that the next layer's
 * protocol proves a claim on; see docs/proof-system.md, "Zero-knowledge".
 *
 * <p><b>Companion-table form</b> ({@link #ofTable}): R is instead the multilinear extension H̃ of
 * another table of the same sumcheck (one that no term reads), T' = T̃ + x_{n−1}(1 − x_{n−1})·H̃(x).
 * The masked factor then has degree 3 in the last round and T'(r) = T̃(r) + Z(r)·H̃(r). With T the
 * weights and H the first mask face of their hiding commitment f′(x, y) = f(x) + y·h(x) + …, T'(r) is
 * f′(r, Z(r), 0, …): a claim on the committed f′ itself, masked by h (docs/proof-system.md,
 * "the weight claim").
 *
 * @param companion the index of the companion table H among the sumcheck's tables, or −1 (R is the
 *                  univariate of {@code coefficients})
 */
public record VanishingMask(Ext2[] coefficients, int companion) {
    /** A stand-in for "this table is masked" where only the pattern matters (round degrees). */
    static final VanishingMask PATTERN = new VanishingMask(new Ext2[] {Ext2.ZERO});

    public VanishingMask {
        if (coefficients.length == 0) {
            throw new IllegalArgumentException("a vanishing mask needs at least one coefficient");
        }
        if (companion < -1) {
            throw new IllegalArgumentException("companion table index " + companion);
        }
        coefficients = coefficients.clone();
    }

    /** A univariate mask R(x_0) = Σ_l c_l·x_0^l. */
    public VanishingMask(Ext2[] coefficients) {
        this(coefficients, -1);
    }

    /** R = H̃, the multilinear extension of the sumcheck's table {@code companion} (no secret: the verifier builds it too). */
    public static VanishingMask ofTable(int companion) {
        if (companion < 0) {
            throw new IllegalArgumentException("companion table index " + companion);
        }
        return new VanishingMask(new Ext2[] {Ext2.ZERO}, companion);
    }

    /** Whether R is a companion table rather than a univariate in x_0. */
    public boolean hasCompanion() {
        return companion >= 0;
    }

    @Override
    public Ext2[] coefficients() {
        return coefficients.clone();
    }

    /** A fresh mask hiding up to {@code evaluations} evaluations. */
    public static VanishingMask random(int evaluations, RandomGenerator rng) {
        Ext2[] c = new Ext2[evaluations];
        for (int l = 0; l < evaluations; l++) {
            c[l] = Ext2.random(rng);
        }
        return new VanishingMask(c);
    }

    /** R(x_0) = Σ_l c_l·x_0^l. */
    public Ext2 randomiser(Ext2 x0) {
        Ext2 acc = Ext2.ZERO;
        for (int l = coefficients.length - 1; l >= 0; l--) {
            acc = acc.mul(x0).add(coefficients[l]);
        }
        return acc;
    }

    /** Z(point)·R(point): what T' adds to T̃ at {@code point} (zero on the hypercube); univariate form only. */
    public Ext2 offset(Ext2[] point) {
        if (hasCompanion()) {
            throw new IllegalStateException("a companion-table mask's offset is Z(point)·H̃(point): see vanishing(point)");
        }
        return vanishing(point).mul(randomiser(point[0]));
    }

    /** Z(point) = x_{n−1}(1 − x_{n−1}) at the point's last coordinate. */
    public static Ext2 vanishing(Ext2[] point) {
        if (point.length == 0) {
            throw new IllegalArgumentException("a table of no variables cannot be masked off the hypercube");
        }
        Ext2 last = point[point.length - 1];
        return last.mul(Ext2.ONE.sub(last));
    }

    /**
     * The last round's degree with these masks (null entries: unmasked tables): a masked factor has
     * degree 2 in x_{n−1} (3 with a companion table); plus one with an eq factor.
     */
    static int lastRoundDegree(List<ProductTerm> terms, VanishingMask[] masks, boolean withEq) {
        int max = 0;
        for (ProductTerm term : terms) {
            int d = 0;
            for (int k : term.factors()) {
                d += masks == null || masks[k] == null ? 1 : masks[k].hasCompanion() ? 3 : 2;
            }
            max = Math.max(max, d);
        }
        return max + (withEq ? 1 : 0);
    }
}
