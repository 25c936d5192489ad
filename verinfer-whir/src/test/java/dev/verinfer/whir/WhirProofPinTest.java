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
            "PROVEN_UNIQUE, 13, 3",
            "PROVEN_UNIQUE, 18, 2",
            "CONJECTURED, 13, 3",
            "CONJECTURED, 18, 2",
    })
    void openingBytesArePinned(String security, int numVars, int claims) throws Exception {
        WhirPcs pcs = new WhirPcs(switch (security) {
            case "PROVEN" -> WhirParameters.PROVEN;
            case "PROVEN_UNIQUE" -> WhirParameters.PROVEN_UNIQUE;
            default -> WhirParameters.CONJECTURED;
        });
        // PROVEN: the Johnson-bound preset (new bytes on purpose; since its 25-byte Merkle digests, again); PROVEN_UNIQUE keeps the pins of the proven preset before it.
        String expected = switch (security + "/" + numVars) {
            case "PROVEN/13" -> "3ef9dff51ce976257ed88910986f2e24876d24a5555dcafd986ea8cbc93120f1";
            case "PROVEN/18" -> "a299dec9f8ad69b537dec83e931cf8c60ea61a50ada334f7569f4c279608d179";
            case "PROVEN_UNIQUE/13" -> "fae11d88d197336a8aa1511345613eb23d3c515f35535d4a90cca0fe5f21c745";
            case "PROVEN_UNIQUE/18" -> "60f12ab24e65a358ad87531b51467946258bb824676f33616274b660b7250a74";
            case "CONJECTURED/13" -> "40c6822d2deb7cf7e4b5b2ab18efb3fdced7eb1739b1bf2a159f5f898fcc9073";
            case "CONJECTURED/18" -> "39d6b0b446ff9fe3f2ff19cefd71dced8532f60e7d0b5d7699cac2873d84f74e";
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
