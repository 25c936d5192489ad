package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;

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
     * A claim T(local ‖ bits(block)) = value on the item of {@code itemVars} variables at subcube
     * {@code block}. The point must have exactly the item's variables: a shorter one would land on
     * another region of the packed polynomial (a claim on one weight read as one on its neighbour).
     */
    record SubcubeClaim(Ext2[] local, int itemVars, long block, Ext2 value) {
        SubcubeClaim {
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

    private ClaimBatching() {}

    /** Claims on a whole polynomial of {@code numVars} variables (each point must have them all). */
    static List<SubcubeClaim> whole(List<Claim> claims, int numVars) {
        return claims.stream().map(c -> new SubcubeClaim(c.point(), numVars, 0, c.value())).toList();
    }

    static Claim prove(ProverChannel ch, long[] table, int numVars, List<SubcubeClaim> claims) {
        claims.forEach(c -> c.requireFits(numVars));
        if (claims.size() == 1 && claims.getFirst().local().length == numVars) {
            return new Claim(claims.getFirst().local(), claims.getFirst().value());
        }
        Ext2 alpha = ch.challenge("batch-alpha");
        ExtVector g = ExtVector.zeros(1 << numVars);
        Ext2 power = Ext2.ONE;
        for (SubcubeClaim c : claims) {
            ExtVector eq = Mle.eqTable(c.local());
            int offset = (int) (c.block() << c.local().length);
            long p0 = power.c0();
            long p1 = power.c1();
            long[] e0 = eq.c0();
            long[] e1 = eq.c1();
            for (int i = 0; i < e0.length; i++) {
                g.c0()[offset + i] = Goldilocks.add(g.c0()[offset + i], ExtMath.mulC0(e0[i], e1[i], p0, p1));
                g.c1()[offset + i] = Goldilocks.add(g.c1()[offset + i], ExtMath.mulC1(e0[i], e1[i], p0, p1));
            }
            power = power.mul(alpha);
        }
        return SelectionReduction.prove(ch, table, g, "batch-eval");
    }

    static Claim verify(VerifierChannel ch, int numVars, List<SubcubeClaim> claims) throws MalformedProofException, ProofRejectedException {
        claims.forEach(c -> c.requireFits(numVars));
        if (claims.size() == 1 && claims.getFirst().local().length == numVars) {
            return new Claim(claims.getFirst().local(), claims.getFirst().value());
        }
        Ext2 alpha = ch.challenge("batch-alpha");
        Ext2 sum = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (SubcubeClaim c : claims) {
            sum = sum.add(c.value().mul(power));
            power = power.mul(alpha);
        }
        SelectionReduction.Reduced red = SelectionReduction.verify(ch, sum, numVars, "batch-eval", "claim batching");
        Ext2 g = Ext2.ZERO;
        power = Ext2.ONE;
        for (SubcubeClaim c : claims) {
            g = g.add(Mle.eq(c.point(numVars), red.point()).mul(power));
            power = power.mul(alpha);
        }
        red.check(g, "claim batching");
        return red.claim();
    }
}
