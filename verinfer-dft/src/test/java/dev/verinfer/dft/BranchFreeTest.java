package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BranchFreeTest {
    @Provide
    Arbitrary<Long> element() {
        return Arbitraries.oneOf(Arbitraries.longs().filter(Goldilocks::isCanonical),
                Arbitraries.of(0L, 1L, 2L, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFL, 1L << 32, (1L << 32) + 1,
                        Goldilocks.HALF, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFEL << 32));
    }

    @Property(tries = 5000)
    void branchFreeArithmeticMatchesTheField(@ForAll("element") long a, @ForAll("element") long b) {
        assertEquals(Goldilocks.add(a, b), BranchFree.add(a, b));
        assertEquals(Goldilocks.sub(a, b), BranchFree.sub(a, b));
        assertEquals(Goldilocks.mul(a, b), BranchFree.mul(a, b));
    }
}
