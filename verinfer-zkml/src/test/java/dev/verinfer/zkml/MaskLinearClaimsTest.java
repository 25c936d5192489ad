package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.transcript.Transcript;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The linear claims on the per-proof mask commitment M ({@link MaskLinearClaims}) on the real hiding
 * WHIR: random linear functionals of M's scalars (the look-up's layer masks and blinding, laid out for
 * a graph with look-ups) with their true values are proven by one zero-knowledge sumcheck and M's
 * opening at its point; a single false value among them is rejected.
 */
class MaskLinearClaimsTest {
    private static final MultilinearPcs PCS = PcsSecurity.PROVEN.pcs();
    private static final Ext2 XI = new Ext2(0, 1);

    record Linear(int[] entries, Ext2[] weights, Ext2 value) {}

    @Property(tries = 4)
    void trueLinearClaimsVerifyAndAFalseOneIsRejected(@ForAll @IntRange(min = 1, max = 5) int count, @ForAll long seed) throws Exception {
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(ZkLookupPhaseTest.lookupsOnly(3), new ProofPlan(ZkLookupPhaseTest.lookupsOnly(3)), -1);
        ProofMasks.Committer committer = new ProofMasks.Committer(layout, PcsSecurity.PROVEN, PCS, new SplittableRandom(seed));
        Ext2[] scalars = committer.scalars();
        SplittableRandom rng = new SplittableRandom(seed + 1);
        List<Linear> claims = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int terms = 1 + rng.nextInt(4);
            int[] entries = new int[2 * terms];
            Ext2[] weights = new Ext2[2 * terms];
            Ext2 value = Ext2.ZERO;
            for (int t = 0; t < terms; t++) {
                int k = rng.nextInt(scalars.length);
                Ext2 w = Ext2.random(rng);
                entries[2 * t] = layout.scalarIndex(k);
                weights[2 * t] = w;
                entries[2 * t + 1] = layout.scalarIndex(k) + 1;
                weights[2 * t + 1] = w.mul(XI);
                value = value.add(w.mul(scalars[k]));
            }
            claims.add(new Linear(entries, weights, value));
        }
        assertEquals(0, proveAndVerify(layout, committer, claims, -1), "true claims");
        int wrong = rng.nextInt(count);
        ProofMasks.Committer again = new ProofMasks.Committer(layout, PcsSecurity.PROVEN, PCS, new SplittableRandom(seed));
        assertThrows(ProofRejectedException.class, () -> proveAndVerify(layout, again, claims, wrong));
    }

    /** Proves the claims (claim {@code wrong} with its value plus one) and verifies; 0 when accepted. */
    private static int proveAndVerify(ProofMasks.ZkLayout layout, ProofMasks.Committer committer, List<Linear> claims, int wrong) throws Exception {
        ProofWriter out = ProofWriter.begin("TEST", 1);
        ProverChannel ch = new ProverChannel(new Transcript("linear-test"), out, ProverChannel.Tamper.NONE);
        committer.send(ch);
        for (int j = 0; j < claims.size(); j++) {
            Linear c = claims.get(j);
            committer.linear().add(c.entries(), c.weights(), j == wrong ? c.value().add(Ext2.ONE) : c.value());
        }
        committer.proveLinear(ch);
        PCS.open(ch.transcript, committer.openings()).write(out);

        ProofReader in = ProofReader.open(out.toByteArray(), "TEST", 1);
        VerifierChannel vch = new VerifierChannel(new Transcript("linear-test"), in);
        ProofMasks.Verifier masks = new ProofMasks.Verifier(layout, vch);
        for (int j = 0; j < claims.size(); j++) {
            Linear c = claims.get(j);
            masks.linear().add(c.entries(), c.weights(), j == wrong ? c.value().add(Ext2.ONE) : c.value());
        }
        masks.verifyLinear(vch);
        PcsOpeningProof opening = PCS.readProof(in);
        PCS.verify(vch.transcript, masks.claims(), opening);
        return 0;
    }
}
