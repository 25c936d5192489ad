package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
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
 * The per-proof mask commitment on the real hiding WHIR: zero-knowledge sumchecks of random products
 * (one to three per "proof", degrees 1–4, masked rounds up to 5) take their Libra masks from one
 * {@link ProofMasks} commitment; the pieces add up to g(r), every piece claim is M's value (the
 * commitment opens them), and an altered piece is rejected — by the sum check, or, when the
 * alteration keeps the sum, by M's opening.
 */
class ProofMasksTest {
    private static final MultilinearPcs PCS = PcsSecurity.PROVEN.pcs();

    record Instance(List<MleTable> tables, List<ProductTerm> terms, Ext2 sum, int[] degrees) {}

    static Instance instance(SplittableRandom rng, int n, int factors) {
        List<MleTable> tables = new ArrayList<>();
        int[] all = new int[factors];
        for (int k = 0; k < factors; k++) {
            long[] v = new long[1 << n];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextLong(1L << 30);
            }
            tables.add(new BaseTable(v));
            all[k] = k;
        }
        List<ProductTerm> terms = List.of(new ProductTerm(Ext2.ONE, all));
        Ext2 sum = SumcheckProver.prove(new Transcript("masks-test"), tables, terms).claimedSum();
        return new Instance(tables, terms, sum, ZkSumcheckProver.roundDegrees(n, terms, false, null));
    }

    @Property(tries = 6)
    void piecesOpenTheMasksOfSeveralSumchecksAndAlteredPiecesAreRejected(@ForAll @IntRange(min = 1, max = 3) int sumchecks,
                                                                       @ForAll long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Instance> instances = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int j = 0; j < sumchecks; j++) {
            Instance inst = instance(rng, 1 + rng.nextInt(4), 1 + rng.nextInt(4));
            instances.add(inst);
            outputs.add(100 + j);
            shapes.add(inst.degrees());
        }
        ProofMasks.ZkLayout layout = new ProofMasks.ZkLayout(outputs, shapes);
        ProofMasks.Committer committer = new ProofMasks.Committer(layout, PcsSecurity.PROVEN, PCS, new SplittableRandom(seed + 1));

        ProofWriter out = ProofWriter.begin("TEST", 1);
        ProverChannel ch = new ProverChannel(new Transcript("masks-test"), out, ProverChannel.Tamper.NONE);
        committer.send(ch);
        List<Ext2[]> masksAt = new ArrayList<>();
        for (int j = 0; j < sumchecks; j++) {
            Instance inst = instances.get(j);
            ZkSumcheckProverResult res = ZkSumcheckProver.prove(ch.transcript, inst.sum(), inst.tables(), inst.terms(), null,
                    committer.mask(j), committer);
            res.proof().write(out);
            committer.flush(out);
            ch.sendExts("finals", res.finalEvaluations());
            masksAt.add(res.point());
        }
        List<PcsOpening> openings = committer.openings();
        assertEquals(layout.blocks(), openings.size(), "one piece per variable of every sumcheck");
        PcsOpeningProof opening = PCS.open(ch.transcript, openings);
        opening.write(out);
        byte[] proof = out.toByteArray();

        verify(layout, instances, proof);
        // Alter one piece: its sum no longer matches g(r).
        int piece = (int) Math.floorMod(seed, (long) layout.blocks());
        assertThrows(SumcheckRejectedException.class, () -> verify(layout, instances, alterPiece(layout, instances, proof, piece, false)));
        // Move value between two pieces of one sumcheck: the sum holds, M's opening does not (with later
        // sumchecks, their challenges change first).
        if (instances.getFirst().degrees().length > 1) {
            byte[] moved = alterPiece(layout, instances, proof, 0, true);
            if (sumchecks == 1) {
                assertThrows(PcsRejectedException.class, () -> verify(layout, instances, moved));
            } else {
                assertThrows(Exception.class, () -> verify(layout, instances, moved));
            }
        }
    }

    /** Replays the verifier: M's root, each sumcheck with its pieces, then M's opening. */
    private static void verify(ProofMasks.ZkLayout layout, List<Instance> instances, byte[] proof) throws Exception {
        ProofReader in = ProofReader.open(proof, "TEST", 1);
        VerifierChannel ch = new VerifierChannel(new Transcript("masks-test"), in);
        ProofMasks.Verifier masks = new ProofMasks.Verifier(layout, ch);
        for (int j = 0; j < instances.size(); j++) {
            Instance inst = instances.get(j);
            int degree = inst.degrees()[0];
            ZkSumcheckProof p = ZkSumcheckProof.read(in, inst.degrees());
            SubClaim sub = ZkSumcheckVerifier.verify(ch.transcript, inst.sum(), degree, inst.degrees(), p, masks.sumcheck(j));
            Ext2[] finals = ch.receiveExts("finals", inst.tables().size());
            sub.check(inst.terms(), finals);
        }
        List<PcsClaim> claims = masks.claims();
        PcsOpeningProof opening = PCS.readProof(in);
        PCS.verify(ch.transcript, claims, opening);
    }

    /**
     * The proof with piece {@code index} (in layout order) plus one — and, if {@code compensate}, the
     * next piece of the same sumcheck minus one, so their sum is kept.
     */
    private static byte[] alterPiece(ProofMasks.ZkLayout layout, List<Instance> instances, byte[] proof, int index, boolean compensate)
            throws Exception {
        ProofReader in = ProofReader.open(proof, "TEST", 1);
        ProofWriter out = ProofWriter.begin("TEST", 1);
        out.writeBytes(in.readBytes(64, "root"));
        out.writeExt(in.readExt());
        int block = 0;
        for (Instance inst : instances) {
            ZkSumcheckProof.read(in, inst.degrees()).write(out);
            Ext2[] pieces = in.readExts(64, "pieces");
            for (int i = 0; i < pieces.length; i++, block++) {
                if (block == index) {
                    pieces[i] = pieces[i].add(Ext2.ONE);
                    if (compensate) {
                        pieces[i + 1] = pieces[i + 1].sub(Ext2.ONE);
                    }
                }
            }
            out.writeExts(pieces);
            out.writeExts(in.readExts(8, "finals"));
        }
        PCS.readProof(in).write(out);
        return out.toByteArray();
    }
}
