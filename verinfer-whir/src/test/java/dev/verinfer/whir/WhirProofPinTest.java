package dev.verinfer.whir;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Parallelism;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the bytes of WHIR openings: prover optimisations must not change the proof format or the
 * transcript (a Solidity verifier is written against them), so the SHA-256 of an opening of fixed
 * tables and points must stay what it was when this test was written, with one or two worker threads.
 */
class WhirProofPinTest {
    @ParameterizedTest
    @CsvSource({
            "PROVEN, 13, 3",
            "PROVEN, 18, 2",
            "CONJECTURED, 13, 3",
            "CONJECTURED, 18, 2",
    })
    void openingBytesArePinned(String security, int numVars, int claims) throws Exception {
        WhirPcs pcs = new WhirPcs(security.equals("PROVEN") ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        String expected = switch (security + "/" + numVars) {
            case "PROVEN/13" -> "c0cb3c08166d4a5062cf912c0d007a0569b645c23e05b12072437f55004c7930";
            case "PROVEN/18" -> "f2e66e89bc7c96444d33ab3778969d7dbaee5a8636d8dd224d5ee435971ec876";
            case "CONJECTURED/13" -> "e9b9df83edff14e9b5cd45a7b7593fba48e5decebe9cae529f4d8a9564be2729";
            case "CONJECTURED/18" -> "5aef832cae14a5e6a6988e8ec7b614f1a0af91c0936f5d2c448651adbf2f3d54";
            default -> throw new IllegalArgumentException(security + "/" + numVars);
        };
        int threads = Parallelism.threads();
        try {
            for (int t : new int[] {1, 2}) {
                Parallelism.setThreads(t);
                assertEquals(expected, digest(pcs, numVars, claims), security + " n=" + numVars + " with " + t + " threads");
            }
        } finally {
            Parallelism.setThreads(threads);
        }
    }

    /** Two commitments (one opened at several points) in one transcript, as the zkml prover uses them. */
    private static String digest(WhirPcs pcs, int numVars, int claims) throws Exception {
        SplittableRandom rng = new SplittableRandom(1000 + numVars);
        long[] a = WhirPcsTest.randomTable(numVars, rng);
        long[] b = WhirPcsTest.randomTable(numVars - 3, rng);
        PcsCommitment ca = pcs.commit(a);
        PcsCommitment cb = pcs.commit(b);
        Transcript t = WhirPcsTest.transcript();
        t.absorbBytes("a", ca.root());
        t.absorbBytes("b", cb.root());
        List<PcsOpening> openings = new java.util.ArrayList<>();
        for (int c = 0; c < claims; c++) {
            Ext2[] p = WhirPcsTest.randomPoint(numVars, rng);
            openings.add(new PcsOpening(ca, p, Mle.evaluate(a, p)));
        }
        Ext2[] q = WhirPcsTest.randomPoint(numVars - 3, rng);
        openings.add(new PcsOpening(cb, q, Mle.evaluate(b, q)));
        byte[] proof = WhirPcsTest.bytes(pcs.open(t, openings));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(ca.root());
        sha.update(cb.root());
        sha.update(proof);
        sha.update(t.challengeBytes("after"));
        return HexFormat.of().formatHex(sha.digest());
    }
}
