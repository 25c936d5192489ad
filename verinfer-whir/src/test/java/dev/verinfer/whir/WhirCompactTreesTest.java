package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compact per-proof trees ({@link WhirPcs#withCompactProofTrees}, zero-knowledge format 16): a proof's own trees — the carrier of
 * a witness, M and the reusable weights' g, an opening's fresh g, every later oracle — are built and checked with
 * {@link MerkleNode#COMPACT} inner nodes, the registered weights' f′ tree and a plain commitment's with padded ones. A proof whose
 * per-proof trees are padded (all of them, only those made at commit time, or only those made by the opening) is rejected by the
 * compact verifier at a Merkle check, and the all-padded one is accepted by the padded verifier (the control: it is an honest
 * proof but for the node hash).
 */
class WhirCompactTreesTest {
    final WhirPcs padded = new WhirPcs(WhirParameters.PROVEN);
    final WhirPcs compact = padded.withCompactProofTrees();

    record Fixture(List<PcsClaim> claims, PcsOpeningProof proof) {}

    /**
     * The wake-word models' batch (the weights on top, 10 variables, their g carried with a witness and M of 9) beside a plain
     * table of 8 and a commitment for one opening of 14 variables (whose run has later oracles), its per-proof commitments made by {@code committer} and the proof by {@code opener}.
     */
    Fixture fixture(WhirPcs committer, WhirPcs opener) {
        SplittableRandom rng = new SplittableRandom(29);
        long[] weights = randomTable(10, rng);
        long[] witness = randomTable(9, rng);
        long[] m = randomTable(9, rng);
        long[] plain = randomTable(8, rng);
        long[] large = randomTable(14, rng);
        PcsCommitment registered = padded.commitHiding(weights, 8, new SplittableRandom(1));
        assertArrayEquals(registered.root(), compact.commitHiding(weights, 8, new SplittableRandom(1)).root(),
                "a reusable commitment's tree is padded in either view: the registered root does not change");
        List<PcsCommitment> cs = committer.commitHidingCarried(List.of(new MultilinearPcs.CarriedTable(witness, 1, -1, false),
                new MultilinearPcs.CarriedTable(m, 1, -1, true)), registered, new SplittableRandom(2));
        List<PcsOpening> os = new ArrayList<>();
        Ext2[] px = randomPoint(9, rng);
        os.add(new PcsOpening(cs.get(0), px, Mle.evaluate(witness, px)));
        Ext2[] pw = randomPoint(10, rng);
        os.add(new PcsOpening(cs.get(2), pw, Mle.evaluate(weights, pw)));
        Ext2[] pl = randomPoint(14, rng);
        os.add(new PcsOpening(committer.commitHidingOnce(large, 1, false, new SplittableRandom(3)), pl, Mle.evaluate(large, pl)));
        Ext2[] pp = randomPoint(8, rng);
        os.add(new PcsOpening(padded.commit(plain), pp, Mle.evaluate(plain, pp)));
        for (int k = 0; k < 3; k++) {
            Ext2[] p = randomPoint(9, rng);
            os.add(new PcsOpening(cs.get(1), p, Mle.evaluate(m, p)));
        }
        Fixture f = new Fixture(claims(os), opener.open(transcript(), os));
        List<WhirProof.Group> groups = ((WhirProof) f.proof()).groups();
        assertTrue(groups.stream().anyMatch(g -> g.maskedBatch() != null && g.maskedBatch().carrier() != null), "a carried batch");
        assertTrue(groups.stream().anyMatch(g -> g.rounds().size() > 1), "a run with later oracles");
        return f;
    }

    private static void verify(WhirPcs verifier, Fixture f) throws Exception {
        verifier.verify(transcript(), f.claims(), parse(verifier, bytes(f.proof())));
    }

    private static void assertRejectedAtAMerkleCheck(WhirPcs verifier, Fixture f, String what) {
        PcsRejectedException e = assertThrows(PcsRejectedException.class, () -> verify(verifier, f), what);
        assertTrue(e.getMessage().contains("recomputed root does not match"), what + ": " + e.getMessage());
    }

    @Test
    void compactProofTreesVerifyOnlyAsCompact() {
        Fixture honest = fixture(compact, compact);
        assertDoesNotThrow(() -> verify(compact, honest));
        assertRejectedAtAMerkleCheck(padded, honest, "compact trees checked as padded");
    }

    /** The adversary's proofs: per-proof trees hashed with the padded node, wholly or in part. */
    @Test
    void paddedProofTreesAreRejectedByTheCompactVerifier() {
        Fixture allPadded = fixture(padded, padded);
        assertDoesNotThrow(() -> verify(padded, allPadded), "the control: an honest proof but for the node");
        assertRejectedAtAMerkleCheck(compact, allPadded, "every per-proof tree padded");
        Fixture paddedCarrier = fixture(padded, compact);
        assertRejectedAtAMerkleCheck(compact, paddedCarrier, "the carrier padded, the opening's trees compact");
        assertRejectedAtAMerkleCheck(padded, paddedCarrier, "the carrier padded, the opening's trees compact, checked as padded");
        Fixture paddedLater = fixture(compact, padded);
        assertRejectedAtAMerkleCheck(compact, paddedLater, "the carrier compact, the later oracles padded");
        assertRejectedAtAMerkleCheck(padded, paddedLater, "the carrier compact, the later oracles padded, checked as padded");
    }

    /** A reusable commitment opened alone with its g made ahead: its g tree is the opening's kind, another kind is refused. */
    @Test
    void aPreparedMaskTakesTheOpeningsNodes() {
        SplittableRandom rng = new SplittableRandom(5);
        long[] table = randomTable(14, rng);
        HidingCommitment c = (HidingCommitment) padded.commitHiding(table, 8, new SplittableRandom(6));
        Ext2[] p = randomPoint(14, rng);
        List<PcsOpening> os = List.of(new PcsOpening(compact.prepareOpening(c), p, Mle.evaluate(table, p)));
        Fixture f = new Fixture(claims(os), compact.open(transcript(), os));
        assertDoesNotThrow(() -> verify(compact, f));
        assertRejectedAtAMerkleCheck(padded, f, "a compact g and later oracles checked as padded");
        List<PcsOpening> other = List.of(new PcsOpening(compact.prepareOpening(c), p, Mle.evaluate(table, p)));
        assertThrows(IllegalArgumentException.class, () -> padded.open(transcript(), other), "a compact g opened by a padded opening");
    }

    /** With untruncated digests (d = 32) the compact node hashes the padded node's bytes: the same proof. */
    @Test
    void untruncatedPresetsMakeTheSameProof() {
        WhirPcs full = new WhirPcs(WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(8);
        long[] table = randomTable(9, rng);
        Ext2[] p = randomPoint(9, rng);
        byte[][] proofs = new byte[2][];
        for (int k = 0; k < 2; k++) {
            WhirPcs pcs = k == 0 ? full : full.withCompactProofTrees();
            PcsCommitment c = pcs.commitHidingOnce(table, 1, false, new SplittableRandom(9));
            proofs[k] = bytes(pcs.open(transcript(), List.of(new PcsOpening(c, p, Mle.evaluate(table, p)))));
        }
        assertArrayEquals(proofs[0], proofs[1]);
        assertFalse(proofs[0].length == 0);
    }
}
