package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * ReduceMax of private values in zero knowledge ({@link ZkOneHot}): the maximum of a whole tensor (one value, as melspectrogram's
 * and ch_ppocr_mobile_v2.0_cls's softmax maximum) and row maxima. One key on the real hiding WHIR commitment (conjectured, a small
 * budget).
 */
class ZkReduceMaxProofTest {
    /** The bounds proof (two units) and the class's eight proofs (two units each). */
    private static final int BUDGET = 2 + 2 * 8;

    /**
     * x[2,8]·W + b → Rescale (committed q) → top = ReduceMax over both axes ([1, 1], one value) → q − top → Rescale (public), as a
     * softmax's shift; and rows = ReduceMax over axis 1 ([2, 1]) → Rescale (public).
     */
    static QuantGraph maxima(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int top = b.node("top", new QOp.ReduceMax(q, new int[] {0, 1}, true), 4, 9, 1, 1);
        int shifted = b.node("shifted", new QOp.Sub(q, top), 4, 10, 2, 8);
        b.output(b.node("shifted_r", new QOp.Rescale(shifted, 1), 3, 9, 2, 8));
        int rows = b.node("rows", new QOp.ReduceMax(q, new int[] {1}, true), 4, 9, 2, 1);
        b.output(b.node("rows_r", new QOp.Rescale(rows, 1), 3, 8, 2, 1));
        return b.build();
    }

    /**
     * Covered and proven by masked one-hot selectors: the proof verifies; every "argmax-value" and "argmax-values" value (y′, s′(ρ),
     * x′(ρ), masked by scalars of M) differs between two proofs of one execution; the last of each altered with the rest re-derived
     * is rejected. The adversarial prover overwrites a hidden value and re-derives the rest honestly — either maximum or q (a real
     * slot + 1) — and makes no forgery.
     */
    @Test
    void maximaOfPrivateValuesAreProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(maxima(7), BUDGET);
        assertEquals(2, ZkOneHot.checks(f.key().plan()).size(), "both maxima are masked one-hot selectors");
        ZkForwardedClaimsTest.Revealed seen = f.twoProofs(Set.of("argmax-value", "argmax-values"));
        List<List<Ext2>> revealed = seen.values();
        assertEquals(6, revealed.getFirst().size(), revealed.toString());
        for (int i = 0; i < 6; i++) {
            assertNotEquals(revealed.get(0).get(i), revealed.get(1).get(i), "argmax value " + i + " is fixed by the witness");
        }
        for (String label : List.of("argmax-value", "argmax-values")) {
            f.assertAlteredRejected(seen.labels().lastIndexOf(label), label);
        }
        f.assertOverwritesRejected(List.of("top", "rows", "rescale"), List.of("top", "rows", "rescale"));
    }
}
