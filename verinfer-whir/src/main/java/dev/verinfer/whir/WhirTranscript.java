package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.transcript.Transcript;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The Fiat–Shamir steps of a WHIR opening, shared by prover and verifier so both walk the same sequence:
 * (1) the parameters and every claim; then per commitment, in order of first appearance: (2) its Merkle
 * root and commit-time out-of-domain answers, the claim combiner β; (3) per iteration: each sumcheck
 * message then its folding challenge, the next root and its out-of-domain points and answers (or the
 * final polynomial), the query proof of work and shift queries, and the combiner γ of the new constraints.
 * Plain commitments are opened in one batched run ({@link WhirProver}): (2) is then every component's
 * root and answers, the cross values, the batch proof of work and combiner μ, then β.
 */
final class WhirTranscript {
    private WhirTranscript() {}

    static void absorbParameters(Transcript t, WhirParameters p) {
        t.absorbField("pcs/whir/soundness", p.soundness().ordinal());
        t.absorbField("pcs/whir/log-inverse-rate", p.logInverseRate());
        t.absorbField("pcs/whir/folding-factor", p.foldingFactor());
        t.absorbField("pcs/whir/final-vars", p.finalVars());
        t.absorbField("pcs/whir/security-bits", p.securityBits());
        t.absorbField("pcs/whir/query-pow-bits", p.queryPowBits());
        // Only a truncated digest is absorbed, so the transcripts of the untruncated presets are unchanged.
        if (p.digestBytes() != MerkleHasher.DIGEST_BYTES) {
            t.absorbField("pcs/whir/digest-bytes", p.digestBytes());
        }
        // Likewise the Merkle hash only when it is not SHA-256 (MerkleHash's ordinal: KECCAK256 is 1).
        if (p.merkleHash() != MerkleHash.SHA256) {
            t.absorbField("pcs/whir/merkle-hash", p.merkleHash().ordinal());
        }
    }

    static void absorbClaims(Transcript t, WhirParameters params, List<PcsClaim> claims) {
        absorbParameters(t, params);
        t.absorbField("pcs/claims", claims.size());
        for (PcsClaim c : claims) {
            t.absorbBytes("pcs/root", c.root());
            t.absorbField("pcs/num-vars", c.numVars());
            t.absorbExts("pcs/point", c.point());
            t.absorbExt("pcs/value", c.claimedValue());
        }
    }

    /**
     * The out-of-domain points of a fresh commitment: drawn from the Merkle root alone (so the prover
     * cannot pick them), before any claim exists.
     */
    static Ext2[] commitOodPoints(WhirParameters params, int numVars, byte[] merkleRoot, int count) {
        Transcript t = new Transcript("verinfer-whir-commit-ood-v1");
        absorbParameters(t, params);
        t.absorbField("pcs/whir/num-vars", numVars);
        t.absorbBytes("pcs/whir/merkle-root", merkleRoot);
        return t.challengeExts("pcs/whir/ood-point", count);
    }

    /** The 32-byte public commitment: SHA-256 of the Merkle root and the commit-time out-of-domain answers. */
    static byte[] commitmentDigest(byte[] merkleRoot, Ext2[] oodAnswers) {
        MessageDigest sha = sha256();
        sha.update("verinfer-whir-commitment-v1".getBytes(StandardCharsets.US_ASCII));
        sha.update(merkleRoot);
        ByteBuffer buf = ByteBuffer.allocate(16 * oodAnswers.length);
        for (Ext2 a : oodAnswers) {
            buf.putLong(a.c0()).putLong(a.c1());
        }
        sha.update(buf.array());
        return sha.digest();
    }

    /**
     * The public root of a hiding commitment: SHA-256 under its own label of the table's arity n, f′'s
     * arity v, the first iteration's fold (which fixes f′'s schedule and leaves), the Merkle root and the commit-time answers. A plain root can never equal it, so a verifier
     * that reads a group as hiding (or as plain) rejects a commitment made the other way.
     */
    static byte[] hidingCommitmentDigest(int tableVars, int vars, int firstFold, boolean once, byte[] merkleRoot, Ext2[] oodAnswers) {
        return hidingCommitmentDigest(tableVars, vars, firstFold, -1, once, merkleRoot, oodAnswers);
    }

    /**
     * As above; {@code tailVars} ≥ 0 (the mask in the table's last 2^d slots, {@link HidingLayout#tail}; once only) takes
     * a label of its own and names d, so such a root is opened only with that layout.
     */
    static byte[] hidingCommitmentDigest(int tableVars, int vars, int firstFold, int tailVars, boolean once, byte[] merkleRoot, Ext2[] oodAnswers) {
        MessageDigest sha = sha256();
        // A root whose leaves also hold the one opening's g (WhirHidingCommitment#commitOnce) has its own label.
        String label = tailVars >= 0 ? "verinfer-whir-hiding-tail-commitment-v1"
                : once ? "verinfer-whir-hiding-once-commitment-v1" : "verinfer-whir-hiding-commitment-v2";
        sha.update(label.getBytes(StandardCharsets.US_ASCII));
        sha.update(ByteBuffer.allocate(12).putInt(tableVars).putInt(vars).putInt(firstFold).array());
        if (tailVars >= 0) {
            sha.update(ByteBuffer.allocate(4).putInt(tailVars).array());
        }
        sha.update(merkleRoot);
        ByteBuffer buf = ByteBuffer.allocate(16 * oodAnswers.length);
        for (Ext2 a : oodAnswers) {
            buf.putLong(a.c0()).putLong(a.c1());
        }
        sha.update(buf.array());
        return sha.digest();
    }

    /**
     * The root that stands for part {@code part} of a per-proof carrier tree ({@link Carrier}): SHA-256 of its label, the
     * carrier's root and the part's index. A carried member is named, absorbed and answers its commit-time out-of-domain
     * points under this root; a Merkle tree with this root would be a preimage, so a carried root is never opened as a tree.
     */
    static byte[] carrierMemberRoot(byte[] carrierRoot, int part) {
        MessageDigest sha = sha256();
        sha.update("verinfer-whir-carrier-member-v1".getBytes(StandardCharsets.US_ASCII));
        sha.update(carrierRoot);
        sha.update(ByteBuffer.allocate(4).putInt(part).array());
        return sha.digest();
    }

    /** Absorbs a hiding opening's mask root and returns the mask's out-of-domain points. */
    static Ext2[] maskOracle(Transcript t, byte[] maskRoot, int ood) {
        if (maskRoot.length > 0) { // empty: g is in f′'s tree, whose root the transcript holds
            t.absorbBytes("pcs/whir/mask-root", maskRoot);
        }
        return t.challengeExts("pcs/whir/mask-ood-point", ood);
    }

    /** Absorbs the mask's out-of-domain values and its values at the claim points. */
    static void absorbMaskValues(Transcript t, Ext2[] ood, Ext2[] claims) {
        t.absorbExts("pcs/whir/mask-ood", ood);
        t.absorbExts("pcs/whir/mask-claims", claims);
    }

    /** A {@link WhirProof.Mask#summed summed} mask's answers f̂′(w) at g's own points, absorbed before β. */
    static void absorbMaskAnswers(Transcript t, Ext2[] answers) {
        t.absorbExts("pcs/whir/mask-answers", answers);
    }

    /** A summed mask's Γ = Σ_k β^k·g(p_k), absorbed after β and before ρ's grind. */
    static void absorbMaskSum(Transcript t, Ext2 sum) {
        t.absorbExts("pcs/whir/mask-sum", new Ext2[] {sum});
    }

    /** ρ of F = f′ + ρ·g, after the proof-of-work nonce (if any). */
    static Ext2 maskCombiner(Transcript t) {
        return t.challengeExt("pcs/whir/mask-combiner");
    }

    static void absorbCommitment(Transcript t, byte[] merkleRoot, Ext2[] oodAnswers) {
        t.absorbBytes("pcs/whir/merkle-root", merkleRoot);
        t.absorbExts("pcs/whir/commit-ood", oodAnswers);
    }

    /**
     * Absorbs a batch's cross values (each lifted constraint point's value under every other component)
     * before the batch combiner μ is drawn.
     */
    static void absorbCross(Transcript t, Ext2[] values) {
        t.absorbExts("pcs/whir/batch-cross", values);
    }

    /** μ of F = Σ_j μ^j·f̃_j, after the proof-of-work nonce (if any). */
    static Ext2 batchCombiner(Transcript t) {
        return t.challengeExt("pcs/whir/batch-combiner");
    }

    static Ext2 claimCombiner(Transcript t) {
        return t.challengeExt("pcs/whir/claim-combiner");
    }

    /** Absorbs a sumcheck message (h(0), h(2)). */
    static void absorbSumcheck(Transcript t, Ext2 h0, Ext2 h2) {
        t.absorbExts("pcs/whir/sumcheck", h0, h2);
    }

    /** The folding challenge, after the proof-of-work nonce (if any) was absorbed. */
    static Ext2 foldChallenge(Transcript t) {
        return t.challengeExt("pcs/whir/fold");
    }

    /**
     * Proof of work: the least nonce with SHA-256(seed ‖ nonce) starting with {@code bits} zero bits, the
     * seed squeezed from the transcript; the nonce is then absorbed. Nothing happens for 0 bits.
     */
    static long grind(Transcript t, int bits) {
        if (bits == 0) {
            return 0;
        }
        byte[] seed = t.challengeBytes("pcs/whir/pow-seed");
        long nonce = search(seed, bits);
        t.absorbField("pcs/whir/pow-nonce", nonce);
        return nonce;
    }

    private static final int POW_BLOCK = 1 << 11;

    /**
     * The least valid nonce: blocks of {@link #POW_BLOCK} nonces searched in parallel a wave at a time,
     * the least hit of the first wave with one (so the result does not depend on the thread count).
     * The waves run on verinfer's own workers ({@link Parallelism}: a parallel stream started inside a
     * pool's task runs in that pool), so {@code --threads} bounds the grinding as it bounds the rest.
     */
    private static long search(byte[] seed, int bits) {
        if (bits <= 10) {
            return firstIn(seed, bits, 0, Long.MAX_VALUE);
        }
        java.util.concurrent.ForkJoinPool pool = Parallelism.pool();
        int lanes = 4 * Math.max(1, pool.getParallelism());
        for (long start = 0; ; start += (long) lanes * POW_BLOCK) {
            long from = start;
            java.util.OptionalLong hit = pool.submit(() -> java.util.stream.LongStream.range(0, lanes).parallel()
                    .map(l -> firstIn(seed, bits, from + l * POW_BLOCK, POW_BLOCK)).filter(x -> x >= 0).min()).join();
            if (hit.isPresent()) {
                return hit.getAsLong();
            }
        }
    }

    /** The first nonce in [from, from + count) reaching {@code bits}, or −1 (one buffer, one digest array: no allocation per try). */
    private static long firstIn(byte[] seed, int bits, long from, long count) {
        MessageDigest sha = sha256();
        byte[] in = Arrays.copyOf(seed, seed.length + 8);
        byte[] out = new byte[32];
        for (long nonce = from; nonce - from < count; nonce++) {
            for (int b = 0; b < 8; b++) {
                in[seed.length + b] = (byte) (nonce >>> (56 - 8 * b));
            }
            sha.update(in);
            try {
                sha.digest(out, 0, out.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            if (leadingZeros(out) >= bits) {
                return nonce;
            }
        }
        return -1;
    }

    private static int leadingZeros(byte[] h) {
        int zeros = 0;
        for (byte b : h) {
            if (b != 0) {
                return zeros + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
            }
            zeros += 8;
        }
        return zeros;
    }

    /** Whether {@code nonce} is a valid proof of work here; absorbs it like {@link #grind}. */
    static boolean checkGrind(Transcript t, int bits, long nonce) {
        if (bits == 0) {
            return nonce == 0;
        }
        byte[] seed = t.challengeBytes("pcs/whir/pow-seed");
        boolean ok = nonce >= 0 && leadingZeros(sha256(), seed, nonce) >= bits;
        t.absorbField("pcs/whir/pow-nonce", nonce);
        return ok;
    }

    private static int leadingZeros(MessageDigest sha, byte[] seed, long nonce) {
        sha.update(seed);
        sha.update(ByteBuffer.allocate(8).putLong(nonce).array());
        return leadingZeros(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Absorbs the next oracle's root and returns its out-of-domain points. */
    static Ext2[] nextOracle(Transcript t, byte[] root, int ood) {
        t.absorbBytes("pcs/whir/root", root);
        return t.challengeExts("pcs/whir/ood-point", ood);
    }

    static void absorbOodAnswers(Transcript t, Ext2[] answers) {
        t.absorbExts("pcs/whir/ood-answer", answers);
    }

    static void absorbFinal(Transcript t, Ext2[] coefficients) {
        t.absorbExts("pcs/whir/final", coefficients);
    }

    /** t_i fibre indices, uniform and independent, then sorted without repeats (a repeat only wastes a query). */
    static int[] queries(Transcript t, WhirSchedule.Round r) {
        return java.util.Arrays.stream(t.challengeIndices("pcs/whir/queries", r.queries(), r.fibres())).sorted().distinct().toArray();
    }

    static Ext2 constraintCombiner(Transcript t) {
        return t.challengeExt("pcs/whir/combiner");
    }
}
