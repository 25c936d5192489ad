package dev.verinfer.node;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AmountTest {
    @Test
    void boundsAreCheckedWithOneLineErrors() {
        assertEquals(BigInteger.TWO.pow(96).subtract(BigInteger.ONE), Amount.check("--max-fee", Amount.uintMax(96), Amount.uintMax(96), true, "uint96"));
        assertEquals(BigInteger.ZERO, Amount.check("--royalty", BigInteger.ZERO, Amount.uintMax(96), false, "uint96"));
        assertEquals("--stake must be positive, not 0",
                assertThrows(CliException.class, () -> Amount.check("--stake", BigInteger.ZERO, Amount.uintMax(128), true, "uint128")).getMessage());
        assertEquals("--royalty must be 0 or more, not -1",
                assertThrows(CliException.class, () -> Amount.check("--royalty", BigInteger.ONE.negate(), Amount.uintMax(96), false, "uint96")).getMessage());
        assertEquals(Long.MAX_VALUE, Amount.onNode("--amount", BigInteger.valueOf(Long.MAX_VALUE), true));
        assertEquals("--amount 9223372036854775808 is too large: a node's ledger holds at most 9223372036854775807",
                assertThrows(CliException.class, () -> Amount.onNode("--amount", BigInteger.TWO.pow(63), true)).getMessage());
    }
}
