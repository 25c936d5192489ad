package dev.verinfer.whir;

import dev.verinfer.field.Goldilocks;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
                    SoftCodeword soft = new SoftCodeword(coefficients, logDomain, code.clone());
                    soft.clear();
                    long[][] fibres = soft.fibres(fold, leaves);
                    for (int j = 0; j < leaves.length; j++) {
                        assertArrayEquals(Codewords.fibre(code, null, logDomain, fold, j), fibres[j], "v " + v + ", 2^" + logDomain + ", fold " + fold + ", leaf " + j);
                    }
                }
            }
        }
    }
}
