package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binding but NOT hiding mask commitment, for the completeness and soundness tests of the
 * zero-knowledge sumcheck: a SHA-256 digest of the coefficients, opened by revealing them. (A
 * zero-knowledge proof uses a hiding PCS instead; the sumcheck only needs the interface.) The
 * prover side records what it sends, one entry per mask; {@link #verifier} reads those messages
 * back in order, possibly altered by a test.
 */
public final class RevealingMaskCommitment implements MaskCommitter {
    public final List<byte[]> digests = new ArrayList<>();
    public final List<Ext2[]> revealed = new ArrayList<>();
    private final List<int[]> degrees = new ArrayList<>();

    @Override
    public void commit(Transcript t, SumcheckMask mask) {
        int[] d = new int[mask.numVars()];
        for (int i = 0; i < d.length; i++) {
            d[i] = mask.degree(i);
        }
        degrees.add(d);
        byte[] digest = digest(mask.flattened());
        digests.add(digest);
        t.absorbBytes("test-mask/digest", digest);
    }

    @Override
    public void open(Transcript t, SumcheckMask mask, Ext2[] point, Ext2 value) {
        Ext2[] coefficients = mask.flattened();
        revealed.add(coefficients);
        t.absorbExts("test-mask/coefficients", coefficients);
    }

    /** The verifier of the recorded messages (each mask's shape as committed). */
    public MaskVerifier verifier() {
        List<byte[]> d = digests.stream().map(byte[]::clone).toList();
        List<Ext2[]> coefficients = revealed.stream().map(Ext2[]::clone).toList();
        List<int[]> shapes = List.copyOf(degrees);
        return new MaskVerifier() {
            private int commitments;
            private int openings;

            @Override
            public void receiveCommitment(Transcript t) throws SumcheckRejectedException {
                if (commitments >= d.size()) {
                    throw new SumcheckRejectedException("no mask commitment left");
                }
                t.absorbBytes("test-mask/digest", d.get(commitments++));
            }

            @Override
            public void verifyOpening(Transcript t, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
                int k = openings++;
                if (k >= coefficients.size() || k >= commitments) {
                    throw new SumcheckRejectedException("no mask opening left");
                }
                int[] shape = shapes.get(k);
                Ext2[] c = coefficients.get(k);
                if (c.length != 1 + Arrays.stream(shape).sum() || !Arrays.equals(digest(c), d.get(k))) {
                    throw new SumcheckRejectedException("mask opening does not match its commitment");
                }
                t.absorbExts("test-mask/coefficients", c);
                Ext2[][] a = new Ext2[shape.length][];
                int at = 1;
                for (int i = 0; i < shape.length; i++) {
                    a[i] = Arrays.copyOfRange(c, at, at + shape[i]);
                    at += shape[i];
                }
                if (point.length != shape.length || !new SumcheckMask(c[0], a).evaluate(point).equals(value)) {
                    throw new SumcheckRejectedException("mask evaluation is not the committed mask's");
                }
            }
        };
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
