package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.Padding;

import java.util.Arrays;
import java.util.List;

/**
 * Merges several claims on one multilinear polynomial T into one:
 * Σ_k α^k·T(p_k) = Σ_x T(x)·G(x) with G = Σ_k α^k·eq(p_k, ·), proven by one degree-2 sumcheck whose
 * end point ρ leaves the single claim T(ρ); the verifier evaluates G(ρ) itself.
 * A claim may sit on a subcube (the packed polynomials of {@link dev.verinfer.zkml.layout.PolyPacking}):
 * its point is (local ‖ bits of block), and the prover spends only O(2^|local|) on its eq table.
 */
final class ClaimBatching {
    /**
     * A part of a claim: coefficient·T(local ‖ bits(block)) on the item of {@code itemVars} variables at
     * subcube {@code block}. The point must have exactly the item's variables: a shorter one would land on
     * another region of the packed polynomial (a claim on one weight read as one on its neighbour).
     */
    record Part(Ext2[] local, int itemVars, long block, Ext2 coefficient) {
        Part {
            if (local.length != itemVars || block < 0) {
                throw new IllegalStateException("a claim with " + local.length + " variables on an item of " + itemVars + " (block " + block + ")");
            }
        }

        /** Whether the item's subcube lies inside a polynomial of {@code numVars} variables. */
        void requireFits(int numVars) {
            if (itemVars > numVars || (numVars - itemVars < 63 && (block >>> (numVars - itemVars)) != 0)) {
                throw new IllegalStateException("a claim on subcube " + block + " of 2^" + itemVars + " entries does not fit 2^" + numVars);
            }
        }

        Ext2[] point(int numVars) {
            Ext2[] p = new Ext2[numVars];
            System.arraycopy(local, 0, p, 0, local.length);
            for (int j = local.length; j < numVars; j++) {
                p[j] = ((block >>> (j - local.length)) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
            }
            return p;
        }
    }

    /**
     * A claim Σ_parts coefficient·T(local ‖ bits(block)) = value: one part for an item that is a whole subcube,
     * several for a weight tensor cut into pieces ({@link dev.verinfer.zkml.layout.WeightLayout}).
     */
    record SubcubeClaim(List<Part> parts, Ext2 value) {
        SubcubeClaim {
            parts = List.copyOf(parts);
        }

        /** A claim T(local ‖ bits(block)) = value on one item. */
        SubcubeClaim(Ext2[] local, int itemVars, long block, Ext2 value) {
            this(List.of(new Part(local, itemVars, block, Ext2.ONE)), value);
        }

        void requireFits(int numVars) {
            parts.forEach(p -> p.requireFits(numVars));
        }

        /** The point, when this claim is one plain part on the whole polynomial (else null). */
        Ext2[] wholePoint(int numVars) {
            Part p = parts.getFirst();
            return parts.size() == 1 && p.local().length == numVars && p.coefficient().equals(Ext2.ONE) ? p.local() : null;
        }
    }

    private ClaimBatching() {}

    /** Claims on a whole polynomial of {@code numVars} variables (each point must have them all). */
    static List<SubcubeClaim> whole(List<Claim> claims, int numVars) {
        return claims.stream().map(c -> new SubcubeClaim(c.point(), numVars, 0, c.value())).toList();
    }

    static Claim prove(ProverChannel ch, long[] table, int numVars, List<SubcubeClaim> claims) {
        return prove(ch, table, numVars, claims, null);
    }

    /**
     * As above, and, when {@code padding} has slots, the zero-check Σ_x eq(τ, x)·pad(x)·T(x) = 0 as
     * one more term of the batch (τ drawn first): G gains α^K·eq(τ, ·)·pad, whose value at the end
     * point the verifier computes in closed form ({@link Padding#weightedSum}).
     */
    static Claim prove(ProverChannel ch, long[] table, int numVars, List<SubcubeClaim> claims, Padding padding) {
        claims.forEach(c -> c.requireFits(numVars));
        boolean padded = padding != null && !padding.isEmpty();
        if (!padded && claims.size() == 1 && claims.getFirst().wholePoint(numVars) != null) {
            return new Claim(claims.getFirst().wholePoint(numVars), claims.getFirst().value());
        }
        Ext2[] tau = padded ? ch.challenges("padding-point", numVars) : null;
        Ext2 alpha = ch.challenge("batch-alpha");
        ExtVector g = weightTable(numVars, claims, padding, tau, alpha);
        return SelectionReduction.prove(ch, table, g, "batch-eval");
    }

    static Claim verify(VerifierChannel ch, int numVars, List<SubcubeClaim> claims) throws MalformedProofException, ProofRejectedException {
        return verify(ch, numVars, claims, null, "claim batching");
    }

    /**
     * The verifier's side of {@link #prove(ProverChannel, long[], int, List, Padding)}; {@code what}
     * names the polynomial in rejections.
     */
    static Claim verify(VerifierChannel ch, int numVars, List<SubcubeClaim> claims, Padding padding, String what)
            throws MalformedProofException, ProofRejectedException {
        claims.forEach(c -> c.requireFits(numVars));
        boolean padded = padding != null && !padding.isEmpty();
        if (!padded && claims.size() == 1 && claims.getFirst().wholePoint(numVars) != null) {
            return new Claim(claims.getFirst().wholePoint(numVars), claims.getFirst().value());
        }
        Ext2[] tau = padded ? ch.challenges("padding-point", numVars) : null;
        Ext2 alpha = ch.challenge("batch-alpha");
        Ext2 sum = batchedValue(claims, alpha);
        // The padding term's claimed sum is 0: it adds nothing to the batch's sum.
        String label = padded ? "padding zero-check and claim batching of " + what : what;
        SelectionReduction.Reduced red = SelectionReduction.verify(ch, sum, numVars, "batch-eval", label);
        Ext2 g = weightAt(numVars, claims, padding, tau, alpha, red.point());
        red.check(g, label);
        return red.claim();
    }

    /** The batch's weight table G = Σ_k α^k·Σ_parts coefficient·eq(p_part, ·), plus α^K·eq(τ, ·)·pad with {@code padding} (τ null without). */
    static ExtVector weightTable(int numVars, List<SubcubeClaim> claims, Padding padding, Ext2[] tau, Ext2 alpha) {
        ExtVector g = ExtVector.zeros(1 << numVars);
        Ext2 power = Ext2.ONE;
        long[] g0 = g.c0();
        long[] g1 = g.c1();
        for (SubcubeClaim c : claims) {
            for (Part part : c.parts()) {
                // α^k·coefficient·eq(p_k, ·) on the part's subcube
                Mle.addEqTable(part.local(), power.mul(part.coefficient()), g, (int) (part.block() << part.local().length), 1);
            }
            power = power.mul(alpha);
        }
        if (tau != null) {
            // α^K·eq(τ, i) at the padding slots only: with i = h·2^l + x, it is (α^K·eq(τ_high, h))·eq(τ_low, x),
            // the same element as the whole table's entry, from two tables of 2^(n/2) entries instead of 2^n.
            int low = (numVars + 1) / 2;
            int mask = (1 << low) - 1;
            ExtVector eqLow = Mle.eqTable(Arrays.copyOfRange(tau, 0, low));
            ExtVector eqHigh = Mle.eqTable(Arrays.copyOfRange(tau, low, numVars), power);
            long[] l0 = eqLow.c0();
            long[] l1 = eqLow.c1();
            long[] h0 = eqHigh.c0();
            long[] h1 = eqHigh.c1();
            padding.forEachSlot(i -> {
                int h = i >>> low;
                int x = i & mask;
                // g += eq_high·eq_low: g0 + h0·l0 + 7·(h1·l1) and g1 + h0·l1 + h1·l0, each reduced once
                g0[i] = BranchFree.mulMulAdd(h0[h], l0[x], BranchFree.mul(h1[h], l1[x]), Ext2.W, g0[i]);
                g1[i] = BranchFree.mulMulAdd(h0[h], l1[x], h1[h], l0[x], g1[i]);
            });
        }
        return g;
    }

    /** Σ_k α^k·v_k (the padding term adds 0). */
    static Ext2 batchedValue(List<SubcubeClaim> claims, Ext2 alpha) {
        return powerCombination(claims.stream().map(SubcubeClaim::value).toList(), alpha);
    }

    /** Σ_k α^k·v_k of values in order. */
    static Ext2 powerCombination(List<Ext2> values, Ext2 alpha) {
        Ext2 sum = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (Ext2 v : values) {
            sum = sum.add(v.mul(power));
            power = power.mul(alpha);
        }
        return sum;
    }

    /** G(ρ), which the verifier computes itself. */
    static Ext2 weightAt(int numVars, List<SubcubeClaim> claims, Padding padding, Ext2[] tau, Ext2 alpha, Ext2[] rho) {
        Ext2 g = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (SubcubeClaim c : claims) {
            for (Part part : c.parts()) {
                g = g.add(Mle.eq(part.point(numVars), rho).mul(power.mul(part.coefficient())));
            }
            power = power.mul(alpha);
        }
        if (tau != null) {
            g = g.add(padding.weightedSum(tau, rho).mul(power));
        }
        return g;
    }
}
