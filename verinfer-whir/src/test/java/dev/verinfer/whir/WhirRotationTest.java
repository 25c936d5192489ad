package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link WhirRotation}: a rotated commitment holds the same table; one weight changed, or any sent value altered, is rejected. */
class WhirRotationTest {
    private static final int N = 9;
    private static final int BUDGET = 12;

    private record Fixture(WhirPcs pcs, long[] table, HidingCommitment from, HidingCommitment to, WhirRotation.Proof proof) {}

    private static Fixture fixture(WhirParameters params, long seed, UnaryOperator<long[]> owner) {
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(seed);
        long[] table = randomTable(N, rng);
        HidingCommitment from = (HidingCommitment) pcs.commitHiding(table, BUDGET, new SplittableRandom(seed + 1), new SplittableRandom(seed + 2));
        HidingCommitment to = (HidingCommitment) pcs.commitHiding(owner.apply(table.clone()), BUDGET, new SplittableRandom(seed + 3), new SplittableRandom(seed + 4));
        WhirRotation.Proof proof = WhirRotation.prove(transcript(), (WhirHidingCommitment) from, (WhirHidingCommitment) to, false, WhirProver.Deviation.NONE);
        return new Fixture(pcs, table, from, to, proof);
    }

    private static void verify(Fixture f, PcsOpeningProof proof) throws PcsRejectedException {
        f.pcs().verifySameTable(transcript(), f.from().root(), f.to().root(), N, proof);
    }

    /** Accepted in every regime, read back from its bytes; each budget spends {@link WhirRotation#UNITS}; the new commitment then opens as usual. */
    @Test
    void aRotationOfTheSameTableIsAcceptedAndTheNewCommitmentOpens() throws Exception {
        for (WhirParameters params : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED)) {
            Fixture f = fixture(params, 7, t -> t);
            assertEquals(f.from().openingBudget() - WhirRotation.UNITS, f.from().openingsLeft());
            assertEquals(f.to().openingBudget() - WhirRotation.UNITS, f.to().openingsLeft());
            byte[] encoded = bytes(f.proof());
            ProofReader r = ProofReader.open(encoded, "WHRT", 1);
            PcsOpeningProof read = f.pcs().readSameTableProof(r);
            r.finish();
            assertDoesNotThrow(() -> verify(f, read), params.toString());
            Ext2[] p = randomPoint(N, new SplittableRandom(3));
            List<PcsOpening> openings = List.of(new PcsOpening(f.to(), p, Mle.evaluate(f.table(), p)));
            Transcript t = transcript();
            PcsOpeningProof opening = f.pcs().open(t, openings);
            assertDoesNotThrow(() -> f.pcs().verify(transcript(), claims(openings), opening));
            // The roots are ordered: the proof does not verify as a rotation the other way, nor to a third commitment.
            assertThrows(PcsRejectedException.class, () -> f.pcs().verifySameTable(transcript(), f.to().root(), f.from().root(), N, read));
            HidingCommitment third = (HidingCommitment) f.pcs().commitHiding(f.table(), BUDGET, new SplittableRandom(99));
            assertThrows(PcsRejectedException.class, () -> f.pcs().verifySameTable(transcript(), f.from().root(), third.root(), N, read));
            Transcript other = transcript();
            other.absorbBytes("epoch", new byte[] {1});
            assertThrows(PcsRejectedException.class, () -> f.pcs().verifySameTable(other, f.from().root(), f.to().root(), N, read));
        }
    }

    /** The new commitment holds the weights with one entry changed (its first, its last, or one padding slot): rejected. */
    @Test
    void oneChangedWeightIsRejected() {
        for (WhirParameters params : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED)) {
            for (int slot : new int[] {0, 77, (1 << N) - 1}) {
                Fixture f = fixture(params, 11 + slot, t -> {
                    t[slot] = Goldilocks.add(t[slot], 1);
                    return t;
                });
                assertThrows(PcsRejectedException.class, () -> verify(f, f.proof()), params + " slot " + slot);
            }
            WhirPcs pcs = new WhirPcs(params);
            long[] t = randomTable(N, new SplittableRandom(5));
            long[] u = t.clone();
            u[3] = Goldilocks.add(u[3], 1);
            HidingCommitment a = (HidingCommitment) pcs.commitHiding(t, BUDGET, new SplittableRandom(6));
            HidingCommitment b = (HidingCommitment) pcs.commitHiding(u, BUDGET, new SplittableRandom(7));
            assertThrows(IllegalArgumentException.class, () -> pcs.proveSameTable(transcript(), a, b), "the honest prover refuses");
            HidingCommitment wider = (HidingCommitment) pcs.commitHiding(t, 4 * BUDGET, new SplittableRandom(8));
            if (((WhirHidingCommitment) wider).layout.vars() != ((WhirHidingCommitment) a).layout.vars()) {
                assertThrows(IllegalArgumentException.class, () -> pcs.proveSameTable(transcript(), a, wider), "layouts differ");
            }
        }
    }

    /** Every value the proof sends, altered: rejected. */
    @Test
    void everyAlteredValueIsRejected() {
        Fixture f = fixture(WhirParameters.PROVEN, 21, t -> t);
        WhirRotation.Proof p = f.proof();
        WhirProof.Group g = p.run();
        WhirProof.Mask m = g.mask();
        List<WhirRotation.Proof> forged = new ArrayList<>();
        forged.add(new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z().add(1), p.muNonce(), p.toLeaves()));
        forged.add(new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z(), p.muNonce() + 1, p.toLeaves()));
        for (int k = 0; k < p.toOod().length; k++) {
            forged.add(new WhirRotation.Proof(g, p.toRoot(), bumped(p.toOod(), k), p.z(), p.muNonce(), p.toLeaves()));
        }
        byte[] root = p.toRoot().clone();
        root[0] ^= 1;
        forged.add(new WhirRotation.Proof(g, root, p.toOod(), p.z(), p.muNonce(), p.toLeaves()));
        for (int k = 0; k < m.ood().length; k++) {
            forged.add(withGroup(p, withMask(g, new WhirProof.Mask(m.extraVars(), m.root(), bumped(m.ood(), k), m.claims(), m.nonce(), m.firstFold()))));
        }
        forged.add(withGroup(p, withMask(g, new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce() + 1, m.firstFold()))));
        byte[] maskRoot = m.root().clone();
        maskRoot[3] ^= 4;
        forged.add(withGroup(p, withMask(g, new WhirProof.Mask(m.extraVars(), maskRoot, m.ood(), m.claims(), m.nonce(), m.firstFold()))));
        // b's leaves: a fibre value, a salt, a dropped leaf.
        WhirProof.Opened b = p.toLeaves();
        forged.add(new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z(), p.muNonce(), new WhirProof.Opened(bumpedFibre(b.fibres()), b.salts(), b.paths())));
        forged.add(new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z(), p.muNonce(), new WhirProof.Opened(b.fibres(), bumpedLong(b.salts()), b.paths())));
        forged.add(new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z(), p.muNonce(),
                new WhirProof.Opened(java.util.Arrays.copyOf(b.fibres(), b.fibres().length - 1), b.salts(), b.paths())));
        // a's and g's iteration-0 leaves, sumcheck messages, later oracles and the final polynomial.
        WhirProof.Round r0 = g.rounds().getFirst();
        forged.add(withGroup(p, withRound(g, 0, new WhirProof.Round(r0.sumcheck(), r0.powNonces(), r0.nextRoot(), r0.ood(), bumpedFibre(r0.fibres()), r0.paths(),
                r0.combineNonce(), r0.salts(), r0.mask(), r0.queryNonce()))));
        forged.add(withGroup(p, withRound(g, 0, new WhirProof.Round(r0.sumcheck(), r0.powNonces(), r0.nextRoot(), r0.ood(), r0.fibres(), r0.paths(),
                r0.combineNonce(), bumpedLong(r0.salts()), r0.mask(), r0.queryNonce()))));
        WhirProof.Opened gm = r0.mask();
        forged.add(withGroup(p, withRound(g, 0, new WhirProof.Round(r0.sumcheck(), r0.powNonces(), r0.nextRoot(), r0.ood(), r0.fibres(), r0.paths(),
                r0.combineNonce(), r0.salts(), new WhirProof.Opened(bumpedFibre(gm.fibres()), gm.salts(), gm.paths()), r0.queryNonce()))));
        forged.add(withGroup(p, withRound(g, 0, new WhirProof.Round(r0.sumcheck(), r0.powNonces(), r0.nextRoot(), r0.ood(), r0.fibres(), r0.paths(),
                r0.combineNonce(), r0.salts(), new WhirProof.Opened(gm.fibres(), bumpedLong(gm.salts()), gm.paths()), r0.queryNonce()))));
        for (int i = 0; i < g.rounds().size(); i++) {
            WhirProof.Round r = g.rounds().get(i);
            for (int s = 0; s < r.sumcheck().length; s++) {
                forged.add(withGroup(p, withRound(g, i, new WhirProof.Round(bumped(r.sumcheck(), s), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                        r.combineNonce(), r.salts(), r.mask(), r.queryNonce()))));
            }
            for (int k = 0; k < r.ood().length; k++) {
                forged.add(withGroup(p, withRound(g, i, new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), bumped(r.ood(), k), r.fibres(), r.paths(),
                        r.combineNonce(), r.salts(), r.mask(), r.queryNonce()))));
            }
            if (i > 0) {
                forged.add(withGroup(p, withRound(g, i, new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), bumpedFibre(r.fibres()), r.paths(),
                        r.combineNonce(), r.salts(), r.mask(), r.queryNonce()))));
            }
        }
        for (int k = 0; k < g.finalCoefficients().length; k++) {
            forged.add(withGroup(p, new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), bumped(g.finalCoefficients(), k), g.mask())));
        }
        for (int k = 0; k < g.commitOod().length; k++) {
            forged.add(withGroup(p, new WhirProof.Group(g.merkleRoot(), bumped(g.commitOod(), k), g.rounds(), g.finalCoefficients(), g.mask())));
        }
        assertDoesNotThrow(() -> verify(f, p));
        for (int k = 0; k < forged.size(); k++) {
            WhirRotation.Proof q = forged.get(k);
            assertThrows(PcsRejectedException.class, () -> verify(f, q), "forgery " + k);
        }
    }

    /** 300 byte flips of the encoded proof: each is refused when read or rejected when verified. */
    @Test
    void byteFlipsAreRejected() {
        Fixture f = fixture(WhirParameters.CONJECTURED, 31, t -> t);
        byte[] encoded = bytes(f.proof());
        SplittableRandom rng = new SplittableRandom(4);
        for (int k = 0; k < 300; k++) {
            byte[] flipped = encoded.clone();
            int at = 8 + rng.nextInt(flipped.length - 8);
            flipped[at] ^= (byte) (1 << rng.nextInt(8));
            try {
                ProofReader r = ProofReader.open(flipped, "WHRT", 1);
                PcsOpeningProof read = f.pcs().readSameTableProof(r);
                r.finish();
                assertThrows(PcsRejectedException.class, () -> verify(f, read), "flip at " + at);
            } catch (MalformedProofException | RuntimeException refusedWhenRead) {
                // the reader refuses it: as good as a rejection
            }
        }
    }

    private static WhirRotation.Proof withGroup(WhirRotation.Proof p, WhirProof.Group g) {
        return new WhirRotation.Proof(g, p.toRoot(), p.toOod(), p.z(), p.muNonce(), p.toLeaves());
    }

    private static WhirProof.Group withMask(WhirProof.Group g, WhirProof.Mask m) {
        return new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), m);
    }

    private static WhirProof.Group withRound(WhirProof.Group g, int i, WhirProof.Round r) {
        List<WhirProof.Round> rounds = new ArrayList<>(g.rounds());
        rounds.set(i, r);
        return new WhirProof.Group(g.merkleRoot(), g.commitOod(), List.copyOf(rounds), g.finalCoefficients(), g.mask());
    }

    private static Ext2[] bumped(Ext2[] values, int k) {
        Ext2[] out = values.clone();
        out[k] = out[k].add(1);
        return out;
    }

    private static long[][] bumpedFibre(long[][] fibres) {
        long[][] out = fibres.clone();
        out[0] = out[0].clone();
        out[0][0] = Goldilocks.add(out[0][0], 1);
        return out;
    }

    private static long[] bumpedLong(long[] values) {
        long[] out = values.clone();
        out[0] ^= 1;
        return out;
    }
}
