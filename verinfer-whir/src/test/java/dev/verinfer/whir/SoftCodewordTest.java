package dev.verinfer.whir;

import dev.verinfer.field.Goldilocks;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftCodewordTest {
    /**
     * A cleared codeword's fibres, computed coset by coset, are the whole encoding's, for every leaf, at rates 1/2 to 1/16 and
     * folds from 1 to the coefficients' arity (the coset of a fibre: its index mod 2^(L − v)).
     */
    @Test
    void fibresOfAClearedCodewordAreTheEncodingsFibres() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int v = 1; v <= 8; v++) {
            long[] coefficients = new long[1 << v];
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = Goldilocks.reduce(rng.nextLong());
            }
            for (int logDomain = v + 1; logDomain <= v + 4; logDomain++) {
                long[] code = Codewords.encode(coefficients, logDomain);
                for (int fold = 1; fold <= v; fold++) {
                    int[] leaves = new int[1 << (logDomain - fold)];
                    for (int j = 0; j < leaves.length; j++) {
                        leaves[j] = j;
                    }
                    SoftCodeword soft = SoftCodeword.untilRead(coefficients, logDomain, code.clone()); // read once: by cosets
                    soft.clear();
                    long[][] fibres = soft.fibres(fold, leaves);
                    for (int j = 0; j < leaves.length; j++) {
                        assertArrayEquals(Codewords.fibre(code, null, logDomain, fold, j), fibres[j], "v " + v + ", 2^" + logDomain + ", fold " + fold + ", leaf " + j);
                    }
                }
            }
        }
    }

    /**
     * A per-proof codeword ({@link SoftCodeword#untilRead}) is held strongly until iteration 0 reads its leaves, softly after;
     * a key's ({@code new SoftCodeword}) softly throughout, and encoded again and kept when a proof finds it cleared. Read or
     * cleared, the fibres are the encoding's.
     */
    @Test
    void aPerProofCodewordIsHeldUntilItsLeavesAreRead() {
        long[] coefficients = new long[1 << 6];
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] = Goldilocks.reduce(31L * i + 7);
        }
        long[] code = Codewords.encode(coefficients, 9);
        int[] leaves = {0, 5, 17, 63};
        assertFalse(new SoftCodeword(coefficients, 9, code).pinned(), "a key's codeword stays soft");
        SoftCodeword once = SoftCodeword.untilRead(coefficients, 9, code);
        assertTrue(once.pinned(), "held until read");
        long[][] fibres = once.fibres(3, leaves);
        assertFalse(once.pinned(), "soft once read");
        for (int k = 0; k < leaves.length; k++) {
            assertArrayEquals(Codewords.fibre(code, null, 9, 3, leaves[k]), fibres[k]);
        }
        SoftCodeword cleared = SoftCodeword.untilRead(coefficients, 9, code.clone());
        cleared.clear();
        assertFalse(cleared.pinned());
        long[][] again = cleared.fibres(3, leaves);
        assertFalse(cleared.held(), "read once: its cosets, not kept");
        SoftCodeword key = new SoftCodeword(coefficients, 9, code.clone());
        key.clear();
        long[][] keys = key.fibres(3, leaves);
        assertTrue(key.held(), "a key's codeword, read by every proof, is encoded again and kept");
        for (int k = 0; k < leaves.length; k++) {
            assertArrayEquals(fibres[k], again[k]);
            assertArrayEquals(fibres[k], keys[k]);
        }
    }
}
