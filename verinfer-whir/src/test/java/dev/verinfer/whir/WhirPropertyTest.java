package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;

class WhirPropertyTest {
    /** Random sizes, commitments and point counts: honest batches verify, and any one wrong value is rejected. */
    @Property(tries = 30)
    void honestBatchesVerifyAndAWrongValueDoesNot(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 0, max = 12) int m,
                                                  @ForAll @IntRange(min = 1, max = 3) int points, @ForAll boolean proven, @ForAll long seed) throws Exception {
        WhirPcs pcs = new WhirPcs(proven ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(seed);
        List<PcsOpening> openings = new ArrayList<>();
        for (int size : new int[] {n, m}) {
            long[] table = WhirPcsTest.randomTable(size, rng);
            PcsCommitment c = pcs.commit(table);
            for (int k = 0; k < points; k++) {
                Ext2[] point = WhirPcsTest.randomPoint(size, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        PcsOpeningProof proof = WhirPcsTest.parse(pcs, WhirPcsTest.bytes(pcs.open(WhirPcsTest.transcript(), openings)));
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        pcs.verify(WhirPcsTest.transcript(), claims, proof);
        int victim = rng.nextInt(claims.size());
        List<PcsClaim> wrong = new ArrayList<>(claims);
        PcsClaim v = claims.get(victim);
        wrong.set(victim, new PcsClaim(v.root(), v.numVars(), v.point(), v.claimedValue().add(1)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), wrong, proof));
    }

    /** Hiding and plain commitments of random sizes (0 and 1 included) opened in one batch: honest proofs verify, a wrong value does not. */
    @Property(tries = 12)
    void hidingBatchesVerifyAndAWrongValueDoesNot(@ForAll @IntRange(min = 0, max = 9) int n, @ForAll @IntRange(min = 0, max = 9) int m,
                                                  @ForAll @IntRange(min = 1, max = 3) int points, @ForAll @IntRange(min = 1, max = 4) int budget,
                                                  @ForAll boolean proven, @ForAll long seed) throws Exception {
        WhirPcs pcs = new WhirPcs(proven ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(seed);
        List<PcsOpening> openings = new ArrayList<>();
        int[] sizes = {n, m, m};
        for (int t = 0; t < sizes.length; t++) {
            int size = sizes[t];
            long[] table = WhirPcsTest.randomTable(size, rng);
            PcsCommitment c = t == 1 ? pcs.commit(table) : pcs.commitHiding(table, budget, rng.split()); // hiding, plain, hiding
            for (int k = 0; k < points; k++) {
                Ext2[] point = WhirPcsTest.randomPoint(size, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        PcsOpeningProof proof = WhirPcsTest.parse(pcs, WhirPcsTest.bytes(pcs.open(WhirPcsTest.transcript(), openings)));
        List<PcsClaim> claims = WhirPcsTest.claims(openings);
        pcs.verify(WhirPcsTest.transcript(), claims, proof);
        int victim = rng.nextInt(claims.size());
        List<PcsClaim> wrong = new ArrayList<>(claims);
        PcsClaim v = claims.get(victim);
        wrong.set(victim, new PcsClaim(v.root(), v.numVars(), v.point(), v.claimedValue().add(1)));
        assertThrows(PcsRejectedException.class, () -> pcs.verify(WhirPcsTest.transcript(), wrong, proof));
    }
}
