package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;

class PcsPropertyTest {
    static final TensorPcs PCS = new TensorPcs();

    @Property(tries = 40)
    void honestOpeningsVerifyAndWrongValuesDoNot(@ForAll @IntRange(min = 0, max = 9) int n, @ForAll long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] table = PcsTest.randomTable(n, rng);
        PcsCommitment c = PCS.commit(table);
        Ext2[] point = PcsTest.randomPoint(n, rng);
        Ext2 value = PcsTest.naiveEvaluate(table, point);
        List<PcsOpening> openings = List.of(new PcsOpening(c, point, value), new PcsOpening(c, point, value));
        PcsOpeningProof proof = PCS.open(PcsTest.transcript(), openings);
        PCS.verify(PcsTest.transcript(), PcsTest.claims(openings), proof);
        List<PcsClaim> wrong = List.of(openings.get(0).claim(), new PcsClaim(c.root(), n, point, value.add(1)));
        assertThrows(PcsRejectedException.class, () -> PCS.verify(PcsTest.transcript(), wrong, proof));
    }
}
