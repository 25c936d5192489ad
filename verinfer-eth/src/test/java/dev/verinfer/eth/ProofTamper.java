package dev.verinfer.eth;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.whir.WhirParameters;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tampers of a WHIR opening's bytes (WhirProof.write's layout), located by walking that layout: each
 * kind overwrites one value of one part of the proof, or the claims, or the bytes at random. The
 * verifier re-derives every challenge from what it reads, so overwriting a prover message is the
 * tamper-and-re-derive of the Java soundness tests as far as the verifier can tell.
 */
final class ProofTamper {
    enum Kind {
        SUMCHECK, OOD_ANSWER, CROSS_VALUE, FIBRE_VALUE, MERKLE_SIBLING, FINAL_COEFFICIENT, ROOT, NONCE, LENGTH_FIELD,
        NON_CANONICAL, BYTE_FLIP, TRUNCATE, APPEND, SWAP_BLOCKS, CLAIM_VALUE, CLAIM_POINT, CLAIM_ROOT
    }

    private final byte[] proof;
    private final List<Integer> sumcheck = new ArrayList<>();
    private final List<Integer> ood = new ArrayList<>();
    private final List<Integer> cross = new ArrayList<>();
    private final List<Integer> fibres = new ArrayList<>();
    private final List<Integer> siblings = new ArrayList<>();
    private final List<Integer> finals = new ArrayList<>();
    private final List<Integer> roots = new ArrayList<>();
    private final List<Integer> nonces = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<Integer> fields = new ArrayList<>();
    private final int digest;
    private int pos;

    ProofTamper(byte[] proof, WhirParameters params) {
        this.proof = proof;
        this.digest = params.digestBytes();
        int groups = length();
        for (int g = 0; g < groups; g++) {
            roots.add(pos + 4);
            pos += 4 + length();
            exts(ood);
            int others = length();
            if (others > 0) {
                for (int j = 0; j < others; j++) {
                    roots.add(pos + 4);
                    pos += 4 + length();
                    exts(ood);
                }
                exts(cross);
                nonces.add(pos);
                pos += 8;
                for (int j = 0; j < others; j++) {
                    opened();
                }
            }
            int rounds = length();
            for (int i = 0; i < rounds; i++) {
                exts(sumcheck);
                int n = length();
                for (int k = 0; k < n; k++) {
                    nonces.add(pos);
                    pos += 8;
                }
                int root = length();
                if (root > 0) {
                    roots.add(pos);
                }
                pos += root;
                exts(ood);
                nonces.add(pos); // the query nonce
                pos += 8;
                opened();
                nonces.add(pos);
                pos += 8;
            }
            exts(finals);
        }
        if (pos != proof.length) {
            throw new IllegalStateException("layout walk ended at " + pos + " of " + proof.length);
        }
    }

    /** Queried fibres and their Merkle multi-proof (siblings of the parameters' digest bytes). */
    private void opened() {
        int count = length();
        for (int k = 0; k < count; k++) {
            int m = length();
            for (int e = 0; e < m; e++) {
                fibres.add(pos);
                fields.add(pos);
                pos += 8;
            }
        }
        int s = length();
        for (int k = 0; k < s; k++) {
            siblings.add(pos);
            pos += digest;
        }
    }

    private int length() {
        lengths.add(pos);
        int n = ByteBuffer.wrap(proof, pos, 4).getInt();
        pos += 4;
        return n;
    }

    private void exts(List<Integer> into) {
        int n = length();
        for (int k = 0; k < 2 * n; k++) {
            into.add(pos);
            fields.add(pos);
            pos += 8;
        }
    }

    /** The tampered opening, or null when the base has no site of this kind. */
    WhirVerifierDifferentialTest.Opening apply(Kind kind, WhirVerifierDifferentialTest.Opening base, SplittableRandom rng) {
        byte[] p = proof.clone();
        List<PcsClaim> claims = base.claims();
        switch (kind) {
            case SUMCHECK -> { if (!field(p, sumcheck, rng)) return null; }
            case OOD_ANSWER -> { if (!field(p, ood, rng)) return null; }
            case CROSS_VALUE -> { if (!field(p, cross, rng)) return null; }
            case FIBRE_VALUE -> { if (!field(p, fibres, rng)) return null; }
            case FINAL_COEFFICIENT -> { if (!field(p, finals, rng)) return null; }
            case MERKLE_SIBLING -> { if (!flipIn(p, siblings, digest, rng)) return null; }
            case ROOT -> { if (!flipIn(p, roots, 32, rng)) return null; }
            case NONCE -> {
                if (nonces.isEmpty()) return null;
                int at = nonces.get(rng.nextInt(nonces.size()));
                ByteBuffer.wrap(p, at, 8).putLong(ByteBuffer.wrap(p, at, 8).getLong() + (rng.nextBoolean() ? 1 : -1));
            }
            case LENGTH_FIELD -> {
                int at = lengths.get(rng.nextInt(lengths.size()));
                int[] deltas = {1, -1, 1 << 16, Integer.MIN_VALUE};
                ByteBuffer.wrap(p, at, 4).putInt(ByteBuffer.wrap(p, at, 4).getInt() + deltas[rng.nextInt(deltas.length)]);
            }
            case NON_CANONICAL -> {
                int at = fields.get(rng.nextInt(fields.size()));
                long v = ByteBuffer.wrap(p, at, 8).getLong();
                ByteBuffer.wrap(p, at, 8).putLong(rng.nextBoolean() ? v + Goldilocks.P : -1L - rng.nextInt(1000)); // v + p wraps to ≥ p only when v < ε
            }
            case BYTE_FLIP -> p[rng.nextInt(p.length)] ^= (byte) (1 << rng.nextInt(8));
            case TRUNCATE -> p = Arrays.copyOf(p, rng.nextInt(p.length));
            case APPEND -> {
                p = Arrays.copyOf(p, p.length + 1 + rng.nextInt(8));
                p[p.length - 1] = (byte) rng.nextInt(256);
            }
            case SWAP_BLOCKS -> {
                int a = rng.nextInt(p.length / 16) * 16;
                int b = rng.nextInt(p.length / 16) * 16;
                byte[] tmp = Arrays.copyOfRange(p, a, a + 16);
                System.arraycopy(p, b, p, a, 16);
                System.arraycopy(tmp, 0, p, b, 16);
            }
            case CLAIM_VALUE -> claims = claim(claims, rng, c -> new PcsClaim(c.root(), c.numVars(), c.point(), c.claimedValue().add(1)));
            case CLAIM_POINT -> {
                claims = claim(claims, rng, c -> {
                    if (c.numVars() == 0) {
                        return new PcsClaim(c.root(), c.numVars(), c.point(), c.claimedValue().add(Goldilocks.P - 1));
                    }
                    Ext2[] point = c.point().clone();
                    int j = rng.nextInt(point.length);
                    point[j] = point[j].add(1);
                    return new PcsClaim(c.root(), c.numVars(), point, c.claimedValue());
                });
            }
            case CLAIM_ROOT -> claims = claim(claims, rng, c -> {
                byte[] root = c.root().clone();
                root[rng.nextInt(32)] ^= 1;
                return new PcsClaim(root, c.numVars(), c.point(), c.claimedValue());
            });
        }
        return new WhirVerifierDifferentialTest.Opening(base.params(), claims, p);
    }

    private static List<PcsClaim> claim(List<PcsClaim> claims, SplittableRandom rng, java.util.function.UnaryOperator<PcsClaim> change) {
        List<PcsClaim> out = new ArrayList<>(claims);
        int k = rng.nextInt(out.size());
        out.set(k, change.apply(out.get(k)));
        return out;
    }

    /** Overwrites one 8-byte field element: the honest value + 1, or a random canonical element. */
    private static boolean field(byte[] p, List<Integer> sites, SplittableRandom rng) {
        if (sites.isEmpty()) {
            return false;
        }
        int at = sites.get(rng.nextInt(sites.size()));
        long v = ByteBuffer.wrap(p, at, 8).getLong();
        ByteBuffer.wrap(p, at, 8).putLong(rng.nextBoolean() ? Goldilocks.add(v, 1) : Goldilocks.random(rng));
        return true;
    }

    private static boolean flipIn(byte[] p, List<Integer> sites, int width, SplittableRandom rng) {
        if (sites.isEmpty()) {
            return false;
        }
        p[sites.get(rng.nextInt(sites.size())) + rng.nextInt(width)] ^= (byte) (1 << rng.nextInt(8));
        return true;
    }
}
