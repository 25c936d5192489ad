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

    @Override
    public void commit(Transcript t, SumcheckMask mask) {
        digest = digest(flatten(mask));
        t.absorbBytes("test-mask/digest", digest);
    }

    @Override
    public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {
        revealed = flatten(mask);
        t.absorbExts("test-mask/coefficients", revealed);
    }

    MaskVerifier verifier(int numVars, int degree) {
        byte[] d = digest.clone();
        Ext2[] coefficients = revealed.clone();
        return new MaskVerifier() {
            @Override
            public void receiveCommitment(Transcript t) {
                t.absorbBytes("test-mask/digest", d);
            }

            @Override
            public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
                if (coefficients.length != 1 + numVars * degree || !Arrays.equals(digest(coefficients), d)) {
                    throw new SumcheckRejectedException("mask opening does not match its commitment");
                }
                t.absorbExts("test-mask/coefficients", coefficients);
                Ext2[][] a = new Ext2[numVars][degree];
                for (int i = 0; i < numVars; i++) {
                    System.arraycopy(coefficients, 1 + i * degree, a[i], 0, degree);
                }
                if (!new SumcheckMask(coefficients[0], a).evaluate(point).equals(value)) {
                    throw new SumcheckRejectedException("mask evaluation is not the committed mask's");
                }
            }
        };
    }

    static Ext2[] flatten(SumcheckMask m) {
        Ext2[] out = new Ext2[1 + m.numVars() * m.degree()];
        out[0] = m.constant();
        Ext2[][] a = m.coefficients();
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, 1 + i * m.degree(), m.degree());
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
