package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;
import dev.verinfer.whir.WhirPcs;
import dev.verinfer.whir.WhirReveal;

import java.util.ArrayList;
import java.util.List;

/**
 * The attacker's verifier for WHIR: verifies the opening as the real verifier does and records, for
 * the first commitment (the weights, whose claims the zkml verifier lists first), every value the
 * opening sent as a functional of the committed table ({@link WhirReveal}), rewritten on the table's
 * entries (the extractor's are on its multilinear coefficients). It reads only the proof and the
 * verifier's own transcript.
 */
final class WhirOpeningRecorder implements MultilinearPcs {
    /** A revealed relation on the packed weight table's entries: Σ (c0_i + c1_i·X)·table_i = value. */
    record Relation(long[] c0, long[] c1, long value0, long value1) {}

    private final WhirPcs scheme;
    private final List<WhirReveal.Group> revealed = new ArrayList<>();

    WhirOpeningRecorder(WhirPcs scheme) {
        this.scheme = scheme;
    }

    /** The weight group of each verified proof, in order. */
    List<WhirReveal.Group> revealed() {
        return revealed;
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        throw new UnsupportedOperationException("the recorder only observes verification");
    }

    @Override
    public PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings) {
        throw new UnsupportedOperationException("the recorder only observes verification");
    }

    @Override
    public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
        return scheme.readProof(reader);
    }

    @Override
    public void verify(Transcript t, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        revealed.add(WhirReveal.verify(scheme, t, claims, proof, 0));
    }

    /**
     * A plain group's relations on the table's entries: value = Σ_S φ_S·c_S with c the Möbius transform
     * of the table e, so value = Σ_T (Σ_{S⊇T} (−1)^|S∖T| φ_S)·e_T.
     */
    static List<Relation> onEntries(WhirReveal.Group g) {
        if (g.hiding()) {
            throw new IllegalArgumentException("a hiding group's relations involve its masks");
        }
        List<Relation> out = new ArrayList<>();
        for (WhirReveal.Relation r : g.relations()) {
            out.add(new Relation(supersetMobius(r.c0()), supersetMobius(r.c1()), r.value().c0(), r.value().c1()));
        }
        return out;
    }

    private static long[] supersetMobius(long[] phi) {
        long[] a = phi.clone();
        for (int bit = 1; bit < a.length; bit <<= 1) {
            for (int i = 0; i < a.length; i++) {
                if ((i & bit) == 0) {
                    a[i] = Goldilocks.sub(a[i], a[i | bit]);
                }
            }
        }
        return a;
    }
}
