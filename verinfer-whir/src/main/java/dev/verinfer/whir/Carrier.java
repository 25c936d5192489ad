package dev.verinfer.whir;

import dev.verinfer.merkle.InjectedMerkleTree;
import dev.verinfer.merkle.MerkleNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One salted tree for a proof's per-proof iteration-0 leaves (docs/proof-system.md, "The per-proof carrier tree" and "The carrier
 * with its parts injected at their own height"): the (f′, g) pairs of commitments for one opening and a reusable commitment's
 * per-proof g, which a hiding batch opens at the same indices q. The carrier has 2^L leaves for its largest parts' 2^L fibres;
 * query q's leaf sits at position bitrev_L(q), so the leaves whose q share q mod 2^(L−h) are the 2^h under one node at height h
 * (its class, {@link InjectedMerkleTree}).
 * A part of 2^(L−h) fibres is committed at height h: with h = 0 its fibre q in leaf q, H(0x00 ‖ parts' fibres q ‖ salt_q); with
 * h ≥ 1 its fibre j once, in the node at height h over the leaves of the q ≡ j (InjectedMerkleTree: H(0x02 ‖ left ‖ right ‖
 * parts' fibres j)). Each part's fibre is the one its own tree would hold (a pair's values interleaved); parts of one height in
 * part order. Part p is named by {@link WhirTranscript#carrierMemberRoot}(root, p).
 */
final class Carrier {
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A part: a codeword (c1 non-null: the pair (c0, c1) interleaved) on 2^logDomain points, fibres of 2^fold. */
    record Part(long[] c0, long[] c1, int logDomain, int fold) {
        int logFibres() {
            return logDomain - fold;
        }

        int fibres() {
            return 1 << logFibres();
        }

        int width() {
            return (c1 == null ? 1 : 2) << fold;
        }

        long[] fibre(int j) {
            return Codewords.fibre(c0, c1, logDomain, fold, j);
        }
    }

    /** Where a test's cheating prover may commit other values: part p's fibre j as committed (changed in place). */
    interface Edits {
        Edits HONEST = (part, j, values) -> {};

        void edit(int part, int j, long[] values);
    }

    final List<Part> parts;
    final int logLeaves;
    final long[] salts;
    final InjectedMerkleTree tree;
    private final Edits edits;

    private Carrier(List<Part> parts, int logLeaves, long[] salts, InjectedMerkleTree tree, Edits edits) {
        this.parts = parts;
        this.logLeaves = logLeaves;
        this.salts = salts;
        this.tree = tree;
        this.edits = edits;
    }

    static int logLeaves(List<Part> parts) {
        return parts.stream().mapToInt(Part::logFibres).max().orElseThrow();
    }

    /**
     * The carrier of {@code parts}: its salts drawn from {@code random}, and its tree hashed above the heights {@code random} has
     * hashed ahead ({@link #below}: the subtree under the parts that read a prover's input), else from its leaves.
     */
    static Carrier commit(List<Part> parts, MaskStream random, WhirParameters params, MerkleNode node, Edits edits) {
        int logLeaves = logLeaves(parts);
        long[] salts = random.salts(1 << logLeaves);
        InjectedMerkleTree below = edits == Edits.HONEST ? random.carrierBelow() : null;
        if (below != null && below.logLeaves() != logLeaves) {
            throw new IllegalStateException("a carrier of 2^" + logLeaves + " leaves over a subtree prepared for 2^" + below.logLeaves());
        }
        InjectedMerkleTree tree = hash(parts, logLeaves, salts, params, node, below, logLeaves, edits);
        return new Carrier(List.copyOf(parts), logLeaves, salts, tree, edits);
    }

    /**
     * The heights below {@code through} + 1 of a carrier of 2^logLeaves leaves whose parts at those heights are {@code parts} alone
     * (its input-independent ones: the reusable g on top), hashed ahead with its {@code salts} ({@link MaskStream#carrierBelow}).
     */
    static InjectedMerkleTree below(List<Part> parts, int logLeaves, long[] salts, int through, WhirParameters params, MerkleNode node) {
        return hash(parts, logLeaves, salts, params, node, null, through, Edits.HONEST);
    }

    /** The tree of {@code parts} hashed through height {@code through}, over {@code below}'s hashed heights (null: from the leaves). */
    private static InjectedMerkleTree hash(List<Part> parts, int logLeaves, long[] salts, WhirParameters params, MerkleNode node, InjectedMerkleTree below,
                                           int through, Edits edits) {
        List<List<Integer>> atHeight = new ArrayList<>();
        int[] bytes = new int[logLeaves + 1];
        for (int h = 0; h <= logLeaves; h++) {
            atHeight.add(new ArrayList<>());
        }
        for (int p = 0; p < parts.size(); p++) {
            int h = logLeaves - parts.get(p).logFibres();
            atHeight.get(h).add(p);
            bytes[h] += 8 * parts.get(p).width();
        }
        int maxInjected = Arrays.stream(bytes, 1, logLeaves + 1).max().orElse(0);
        InjectedMerkleTree tree = below != null ? below
                : InjectedMerkleTree.leaves(logLeaves, bytes[0] + Codewords.SALT_BYTES, params.merkleHash(), params.digestBytes(), node, (q, buf, at) -> {
                    int end = write(parts, atHeight.get(0), edits, q, buf, at);
                    BIG_ENDIAN.set(buf, end, salts[2 * q]);
                    BIG_ENDIAN.set(buf, end + 8, salts[2 * q + 1]);
                    return end + Codewords.SALT_BYTES - at;
                });
        return tree.hashThrough(through, maxInjected, (h, j, buf, at) -> write(parts, atHeight.get(h), edits, j, buf, at) - at);
    }

    /** The fibres j of parts {@code ps} (as {@link #fibre} gives them), big-endian from {@code at}; returns the offset after them. */
    private static int write(List<Part> parts, List<Integer> ps, Edits edits, int j, byte[] buf, int at) {
        for (int p : ps) {
            if (edits == Edits.HONEST) {
                Part part = parts.get(p);
                at = Codewords.writeFibre(buf, at, part.c0(), part.c1(), j, part.fibres(), 1 << part.fold());
            } else {
                for (long v : fibre(parts, edits, p, j)) {
                    BIG_ENDIAN.set(buf, at, v);
                    at += 8;
                }
            }
        }
        return at;
    }

    private static long[] fibre(List<Part> parts, Edits edits, int p, int j) {
        long[] values = parts.get(p).fibre(j);
        edits.edit(p, j, values);
        return values;
    }

    int leaves() {
        return 1 << logLeaves;
    }

    /** Part p's height in the tree: L − log2 of its fibre count. */
    int height(int p) {
        return logLeaves - parts.get(p).logFibres();
    }

    byte[] memberRoot(int part) {
        return WhirTranscript.carrierMemberRoot(tree.root(), part);
    }

    /**
     * The carrier's opening at the run's queries: the top parts' fibres and salts at the carrier's leaves {@code Batching.leaves(queries,
     * 2^L)} (ascending q), each injected part's fibres at its own leaves {@code Batching.leaves(queries, its count)}, in part order, and
     * one multiproof of the leaves' positions bitrev_L(q), ascending.
     */
    WhirProof.CarrierOpening open(byte[] root, int[] members, int[] queries) {
        int[] leaves = Batching.leaves(queries, leaves());
        long[][] top = new long[leaves.length][];
        long[] opened = new long[2 * leaves.length];
        for (int k = 0; k < leaves.length; k++) {
            int q = leaves[k];
            top[k] = IntStream.range(0, parts.size()).filter(p -> height(p) == 0).mapToObj(p -> fibre(parts, edits, p, q))
                    .flatMapToLong(Arrays::stream).toArray();
            opened[2 * k] = salts[2 * leaves[k]];
            opened[2 * k + 1] = salts[2 * leaves[k] + 1];
        }
        List<long[][]> injected = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            if (height(p) > 0) {
                int[] own = Batching.leaves(queries, parts.get(p).fibres());
                long[][] fibres = new long[own.length][];
                for (int k = 0; k < own.length; k++) {
                    fibres[k] = fibre(parts, edits, p, own[k]);
                }
                injected.add(fibres);
            }
        }
        return new WhirProof.CarrierOpening(root, members, new WhirProof.Opened(top, opened, tree.open(leaves)), List.copyOf(injected));
    }
}
