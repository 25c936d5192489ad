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

    /**
     * Leaves that few enough reach per coset ({@link SoftCodeword#FEW_LEAVES}) are evaluated one by one from the coefficients
     * ({@link SoftCodeword#fibre}): every such fibre is the encoding's, beside the fibres of a coset many reach.
     */
    @Test
    void fibresOfFewLeavesPerCosetAreTheEncodingsFibres() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int v = 1; v <= 9; v++) {
            long[] coefficients = new long[1 << v];
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = Goldilocks.reduce(rng.nextLong());
            }
            for (int logDomain = v; logDomain <= v + 4; logDomain++) {
                long[] code = Codewords.encode(coefficients, logDomain);
                for (int fold = 0; fold <= v; fold++) {
                    int fibres = 1 << (logDomain - fold);
                    int[] leaves = rng.ints(Math.min(fibres, 3), 0, fibres).distinct().sorted().toArray();
                    for (int j = 0; j < leaves.length; j++) {
                        assertArrayEquals(Codewords.fibre(code, null, logDomain, fold, leaves[j]), SoftCodeword.fibre(coefficients, logDomain, fold, leaves[j]),
                                "v " + v + ", 2^" + logDomain + ", fold " + fold + ", leaf " + leaves[j]);
                    }
                    // A coset many leaves reach (transformed) beside cosets with one leaf (evaluated one by one).
                    int cosets = 1 << (logDomain - v);
                    int[] mixed = java.util.stream.IntStream.range(0, fibres)
                            .filter(j -> j % cosets == 0 || j < cosets).toArray();
                    SoftCodeword soft = new SoftCodeword(coefficients, logDomain, code.clone());
                    soft.clear();
                    long[][] got = soft.fibres(fold, mixed);
                    for (int k = 0; k < mixed.length; k++) {
                        assertArrayEquals(Codewords.fibre(code, null, logDomain, fold, mixed[k]), got[k], "v " + v + ", 2^" + logDomain + ", fold " + fold + ", leaf " + mixed[k]);
                    }
                }
            }
        }
    }

    /** Timing of a coset's transform against one leaf's evaluation (not a test of speed: prints, asserts nothing). */
    @Test
    void timing() {
        if (!Boolean.getBoolean("verinfer.timing")) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(7);
        for (int v = 20; v <= 23; v++) {
            long[] coefficients = new long[1 << v];
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = Goldilocks.reduce(rng.nextLong());
            }
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                long[] coset = coefficients.clone();
                dev.verinfer.dft.Ntt.cosetForward(coset, Goldilocks.pow(Goldilocks.rootOfUnity(v + 3), 1));
                long t1 = System.nanoTime();
                for (int k = 0; k < 4; k++) {
                    SoftCodeword.fibre(coefficients, v + 3, 5, 1 + 8 * k);
                }
                long t2 = System.nanoTime();
                System.out.printf("v %d: coset transform %.1f ms, one leaf %.1f ms%n", v, (t1 - t0) / 1e6, (t2 - t1) / 4e6);
            }
        }
    }
}
