package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The companion-table form of {@link VanishingMask}: T' = T̃ + x_{n−1}(1 − x_{n−1})·H̃ with H another
 * table of the sumcheck. The sum is T's, the final evaluation is T(r) + Z(r)·H(r), and every altered
 * value is rejected.
 */
class CompanionMaskTest {
    /** Σ_x a(x)·T(x) [·eq], with T masked by the companion H (table 2, read by no term). */
    record Case(List<MleTable> tables, List<ProductTerm> terms, Ext2[] eq, Ext2 sum, VanishingMask[] hiding) {
        int[] degrees() {
            return ZkSumcheckProver.roundDegrees(tables.getFirst().numVars(), terms, eq != null, hiding);
        }

        ZkSumcheckProverResult prove(SumcheckMask mask, MaskCommitter c) {
            return eq == null ? ZkSumcheckProver.prove(SumcheckTest.transcript(), sum, tables, terms, hiding, mask, c)
                    : ZkSumcheckProver.proveWithEq(SumcheckTest.transcript(), eq, sum, tables, terms, hiding, mask, c);
        }

        void verify(Ext2 claimed, ZkSumcheckProof proof, MaskVerifier masks, Ext2[] finals) throws SumcheckRejectedException {
            SubClaim sub = ZkSumcheckVerifier.verify(SumcheckTest.transcript(), claimed, eq == null ? 2 : 3, degrees(), proof, masks);
            if (eq == null) {
                sub.check(terms, finals);
            } else {
                sub.checkWithEq(eq, terms, finals);
            }
        }
    }

    static Case randomCase(SplittableRandom rng, int n, boolean withEq) {
        List<MleTable> tables = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            long[] v = new long[1 << n];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextLong(1L << 40);
            }
            tables.add(new BaseTable(v));
        }
        List<ProductTerm> terms = List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1}));
        Ext2[] eq = withEq ? SumcheckTest.eqPoint(rng, n) : null;
        Ext2 sum = withEq ? SumcheckProver.proveWithEq(SumcheckTest.transcript(), eq, tables, terms).claimedSum()
                : SumcheckProver.prove(SumcheckTest.transcript(), tables, terms).claimedSum();
        return new Case(tables, terms, eq, sum, new VanishingMask[] {null, VanishingMask.ofTable(2), null});
    }

    @Property(tries = 40)
    void theMaskedTableKeepsItsSumAndEndsOnTPlusZH(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll boolean withEq, @ForAll long seed)
            throws SumcheckRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Case c = randomCase(rng, n, withEq);
        assertEquals(4 + (withEq ? 1 : 0), c.degrees()[n - 1], "a·(T + Z·H) has degree 1 + 3 in the last variable");
        RevealingMaskCommitment commitment = new RevealingMaskCommitment();
        ZkSumcheckProverResult res = c.prove(SumcheckMask.random(c.degrees(), rng), commitment);
        Ext2[] r = res.point();
        Ext2 t = SumcheckTest.evaluateTable(c.tables().get(1), r);
        Ext2 h = SumcheckTest.evaluateTable(c.tables().get(2), r);
        assertEquals(t.add(VanishingMask.vanishing(r).mul(h)), res.finalEvaluations()[1]);
        c.verify(c.sum(), res.proof(), commitment.verifier(), res.finalEvaluations());
        // The plain T(r) no longer passes, nor does a wrong sum.
        Ext2[] plain = res.finalEvaluations();
        plain[1] = t;
        assertThrows(SumcheckRejectedException.class, () -> c.verify(c.sum(), res.proof(), commitment.verifier(), plain));
        assertThrows(SumcheckRejectedException.class, () -> c.verify(c.sum().add(Ext2.ONE), res.proof(), commitment.verifier(), res.finalEvaluations()));
    }

    @Property(tries = 20)
    void everyAlteredRoundValueIsRejected(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Case c = randomCase(rng, n, false);
        RevealingMaskCommitment commitment = new RevealingMaskCommitment();
        ZkSumcheckProverResult res = c.prove(SumcheckMask.random(c.degrees(), rng), commitment);
        Ext2[][] rounds = res.proof().rounds().rounds();
        for (int i = 0; i < rounds.length; i++) {
            for (int e = 0; e < rounds[i].length; e++) {
                Ext2[][] altered = res.proof().rounds().rounds();
                altered[i][e] = altered[i][e].add(Ext2.ONE);
                ZkSumcheckProof bad = new ZkSumcheckProof(res.proof().maskSum(), new SumcheckProof(altered), res.proof().maskEvaluation());
                assertThrows(SumcheckRejectedException.class, () -> c.verify(c.sum(), bad, commitment.verifier(), res.finalEvaluations()),
                        "round " + i + " value " + e);
            }
        }
    }
}
