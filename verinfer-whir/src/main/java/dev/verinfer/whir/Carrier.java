package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One salted tree for a proof's per-proof iteration-0 leaves (docs/proof-system.md, "The per-proof carrier tree"): the
 * (f′, g) pairs of commitments for one opening and a reusable commitment's per-proof g, which a hiding batch opens at the
 * same indices q. Leaf q is H(part 0's fibre q mod its count ‖ part 1's ‖ … ‖ salt_q), 2^L leaves for the largest part's
 * 2^L fibres; each part's fibre is the one its own tree would hold (a pair's values interleaved). Part p is named by
 * {@link WhirTranscript#carrierMemberRoot}(root, p). The verifier reads a carried member's leaf q from carrier leaf q mod 2^L
 * (soundness of the copies: docs).
 */
final class Carrier {
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A part: a codeword (c1 non-null: the pair (c0, c1) interleaved) on 2^logDomain points, fibres of 2^fold. */
    record Part(long[] c0, long[] c1, int logDomain, int fold) {
        int fibres() {
            return 1 << (logDomain - fold);
        }

        int width() {
            return (c1 == null ? 1 : 2) << fold;
        }

        /** Its fibre j (of {@link #fibres}) written at {@code at}: the values {@link Codewords#commit} hashes for that leaf. */
        int write(byte[] buf, int at, int j) {
            return Codewords.writeFibre(buf, at, c0, c1, j, fibres(), 1 << fold);
        }

        long[] fibre(int j) {
            return Codewords.fibre(c0, c1, logDomain, fold, j);
        }
    }

    /** Where a test's cheating prover may commit other copies: the values of part p in carrier leaf q (changed in place). */
    interface Copies {
        Copies HONEST = (q, p, values) -> {};

        void edit(int q, int part, long[] values);
    }

    final List<Part> parts;
    final int logLeaves;
    final long[] salts;
    final MerkleTree tree;
    private final Copies copies;

    private Carrier(List<Part> parts, int logLeaves, long[] salts, MerkleTree tree, Copies copies) {
        this.parts = parts;
        this.logLeaves = logLeaves;
        this.salts = salts;
        this.tree = tree;
        this.copies = copies;
    }

    static Carrier commit(List<Part> parts, MaskStream random, WhirParameters params, MerkleNode node, Copies copies) {
        int logLeaves = parts.stream().mapToInt(p -> p.logDomain() - p.fold()).max().orElseThrow();
        int width = parts.stream().mapToInt(Part::width).sum();
        long[] salts = random.salts(1 << logLeaves);
        int leafBytes = 8 * width + Codewords.SALT_BYTES;
        MerkleTree tree = MerkleTree.ofLeafBytes(1 << logLeaves, leafBytes, params.merkleHash(), params.digestBytes(), node, (q, buf, start) -> {
            int at = start;
            if (copies == Copies.HONEST) {
                for (Part p : parts) {
                    at = p.write(buf, at, q & (p.fibres() - 1));
                }
            } else {
                for (long v : leaf(parts, copies, q)) {
                    BIG_ENDIAN.set(buf, at, v);
                    at += 8;
                }
            }
            BIG_ENDIAN.set(buf, at, salts[2 * q]);
            BIG_ENDIAN.set(buf, at + 8, salts[2 * q + 1]);
            return leafBytes;
        });
        return new Carrier(List.copyOf(parts), logLeaves, salts, tree, copies);
    }

    private static long[] leaf(List<Part> parts, Copies copies, int q) {
        long[] out = new long[parts.stream().mapToInt(Part::width).sum()];
        int at = 0;
        for (int p = 0; p < parts.size(); p++) {
            long[] values = parts.get(p).fibre(q & (parts.get(p).fibres() - 1));
            copies.edit(q, p, values);
            System.arraycopy(values, 0, out, at, values.length);
            at += values.length;
        }
        return out;
    }

    int leaves() {
        return 1 << logLeaves;
    }

    byte[] memberRoot(int part) {
        return WhirTranscript.carrierMemberRoot(tree.root(), part);
    }

    /** The carrier's leaves (ascending): every part's values, salts and one multiproof. */
    WhirProof.Opened open(int[] leaves) {
        long[][] fibres = new long[leaves.length][];
        for (int k = 0; k < leaves.length; k++) {
            fibres[k] = leaf(parts, copies, leaves[k]);
        }
        return WhirProver.Oracle.opened(fibres, salts, tree, leaves);
    }
}
