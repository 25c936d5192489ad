package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A binding but NOT hiding mask commitment, for the completeness and soundness tests of the
 * zero-knowledge sumcheck: a SHA-256 digest of the coefficients, opened by revealing them. (A
 * zero-knowledge proof uses a hiding PCS instead; the sumcheck only needs the interface.) The
 * prover side records what it sends; {@link #verifier} reads those messages back, possibly altered.
 */
final class RevealingMaskCommitment implements MaskCommitter {
    byte[] digest;
    Ext2[] revealed;
    int[] committedDegrees;

    @Override
    public void commit(Transcript t, SumcheckMask mask) {
        committedDegrees = new int[mask.numVars()];
        for (int i = 0; i < committedDegrees.length; i++) {
            committedDegrees[i] = mask.degree(i);
        }
        digest = digest(flatten(mask));
        t.absorbBytes("test-mask/digest", digest);
    }

    @Override
    public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {
        revealed = flatten(mask);
        t.absorbExts("test-mask/coefficients", revealed);
    }

    /** The verifier of the recorded messages; degree −1: the degrees recorded at commitment (per variable). */
    MaskVerifier verifier(int numVars, int degree) {
        byte[] d = digest.clone();
        Ext2[] coefficients = revealed.clone();
        int[] degrees = new int[numVars];
        for (int i = 0; i < numVars; i++) {
            degrees[i] = degree >= 0 ? degree : committedDegrees[i];
        }
        return new MaskVerifier() {
            @Override
            public void receiveCommitment(Transcript t) {
                t.absorbBytes("test-mask/digest", d);
            }

            @Override
            public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
                if (coefficients.length != 1 + Arrays.stream(degrees).sum() || !Arrays.equals(digest(coefficients), d)) {
                    throw new SumcheckRejectedException("mask opening does not match its commitment");
                }
                t.absorbExts("test-mask/coefficients", coefficients);
                Ext2[][] a = new Ext2[numVars][];
                int at = 1;
                for (int i = 0; i < numVars; i++) {
                    a[i] = Arrays.copyOfRange(coefficients, at, at + degrees[i]);
                    at += degrees[i];
                }
                if (!new SumcheckMask(coefficients[0], a).evaluate(point).equals(value)) {
                    throw new SumcheckRejectedException("mask evaluation is not the committed mask's");
                }
            }
        };
    }

    static Ext2[] flatten(SumcheckMask m) {
        Ext2[][] a = m.coefficients();
        Ext2[] out = new Ext2[1 + Arrays.stream(a).mapToInt(x -> x.length).sum()];
        out[0] = m.constant();
        int at = 1;
        for (Ext2[] row : a) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        return out;
    }

    private static byte[] digest(Ext2[] values) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(16 * values.length);
            for (Ext2 v : values) {
                b.putLong(v.c0()).putLong(v.c1());
            }
            return md.digest(b.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
