package dev.verinfer.whir;

import dev.verinfer.merkle.InjectedMerkleTree;
import dev.verinfer.merkle.MerkleHasher;
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
 * A part of 2^(L−h) fibres is committed at height h: with h = 0 its fibre q in leaf q; with h ≥ 1 its fibre j once, in the node
 * at height h over the leaves of the q ≡ j (InjectedMerkleTree: H(0x02 ‖ left ‖ right ‖ parts' fibres j)). Each injected part's
 * fibre is the one its own tree would hold (a pair's values interleaved); parts of one height in part order. Leaf q
 * (docs/proof-system.md, "The carrier's leaf in two halves"): when a pair (f′, g) is on top, H(0x00 ‖ the top pairs' f′ fibres
 * q ‖ R_q[0, d)), R_q = H(0x03 ‖ the top parts' mask fibres q (a pair's g, a single part's fibre) ‖ salt_q) — everything but f′
 * is a mask, so R_q is hashed ahead ({@link #halves}) and a proof hashes f′ and d bytes; else H(0x00 ‖ parts' fibres q ‖ salt_q).
 * The opening sends the top parts' fibres as their own trees would (pairs interleaved) and the salt; the verifier recomputes
 * R_q ({@link #leafHash}). Part p is named by {@link WhirTranscript#carrierMemberRoot}(root, p).
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

    /**
     * Where a test's cheating prover may commit other values: part p's fibre j as committed (changed in place; called once per
     * hash that reads it: twice for a pair on top, whose halves are hashed apart, and once more when opened).
     */
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
     * A carrier's hashing done ahead by a reserve ({@link MaskStream#carrierAhead}), from its masks and salts alone: the heights
     * below its lowest input-dependent part (the reusable g on top, the tables above it: {@link #below}), or, when a pair is on
     * top, its leaves' mask halves R_q ({@link #halves}); the other null.
     */
    record Ahead(InjectedMerkleTree below, byte[] halves) {}

    /**
     * The carrier of {@code parts}: its salts drawn from {@code random}, and its tree hashed over what {@code random}'s reserve
     * hashed ahead ({@link Ahead}), else from its leaves.
     */
    static Carrier commit(List<Part> parts, MaskStream random, WhirParameters params, MerkleNode node, Edits edits) {
        int logLeaves = logLeaves(parts);
        long[] salts = random.salts(1 << logLeaves);
        Ahead ahead = edits == Edits.HONEST ? random.carrierAhead() : null;
        InjectedMerkleTree below = ahead == null ? null : ahead.below();
        if (below != null && below.logLeaves() != logLeaves) {
            throw new IllegalStateException("a carrier of 2^" + logLeaves + " leaves over a subtree prepared for 2^" + below.logLeaves());
        }
        byte[] halves = ahead == null ? null : ahead.halves();
        if (halves != null && halves.length != MerkleHasher.DIGEST_BYTES << logLeaves) {
            throw new IllegalStateException("a carrier of 2^" + logLeaves + " leaves over " + halves.length / MerkleHasher.DIGEST_BYTES + " halves prepared");
        }
        InjectedMerkleTree tree = hash(parts, logLeaves, salts, params, node, below, halves, logLeaves, edits);
        return new Carrier(List.copyOf(parts), logLeaves, salts, tree, edits);
    }

    /**
     * The heights below {@code through} + 1 of a carrier of 2^logLeaves leaves whose parts at those heights are {@code parts} alone
     * (its input-independent ones: the reusable g on top), hashed ahead with its {@code salts} ({@link MaskStream#carrierAhead}).
     */
    static InjectedMerkleTree below(List<Part> parts, int logLeaves, long[] salts, int through, WhirParameters params, MerkleNode node) {
        return hash(parts, logLeaves, salts, params, node, null, null, through, Edits.HONEST);
    }

    /**
     * The mask halves R_q of a carrier of 2^logLeaves leaves with a pair on top, 32 bytes each at q·32, hashed ahead with its
     * {@code salts} ({@link MaskStream#carrierAhead}): they read the top parts' masks alone — a pair's g (its f′, {@code c0}, may
     * be null: it is not read) and a single part's fibre.
     */
    static byte[] halves(List<Part> parts, int logLeaves, long[] salts, WhirParameters params) {
        return halves(parts, top(parts, logLeaves), logLeaves, salts, params, Edits.HONEST);
    }

    private static byte[] halves(List<Part> parts, List<Integer> top, int logLeaves, long[] salts, WhirParameters params, Edits edits) {
        int bytes = top.stream().mapToInt(p -> 8 << parts.get(p).fold()).sum() + Codewords.SALT_BYTES;
        return InjectedMerkleTree.halves(logLeaves, bytes, params.merkleHash(), params.digestBytes(), (q, buf, at) -> {
            int end = at;
            for (int p : top) {
                end = writeHalf(parts, p, false, edits, q, buf, end);
            }
            BIG_ENDIAN.set(buf, end, salts[2 * q]);
            BIG_ENDIAN.set(buf, end + 8, salts[2 * q + 1]);
            return end + Codewords.SALT_BYTES - at;
        });
    }

    /** The parts on top (height 0), in part order. */
    private static List<Integer> top(List<Part> parts, int logLeaves) {
        return IntStream.range(0, parts.size()).filter(p -> parts.get(p).logFibres() == logLeaves).boxed().toList();
    }

    /** Whether a leaf is hashed in two halves: a pair (an input's f′ with its g) is on top. */
    static boolean split(List<Part> parts, int logLeaves) {
        return top(parts, logLeaves).stream().anyMatch(p -> parts.get(p).c1() != null);
    }

    /**
     * The tree of {@code parts} hashed through height {@code through}, over {@code below}'s hashed heights (null: from the leaves),
     * its leaves over the mask halves {@code halves} when split (null: hashed now).
     */
    private static InjectedMerkleTree hash(List<Part> parts, int logLeaves, long[] salts, WhirParameters params, MerkleNode node, InjectedMerkleTree below,
                                           byte[] halves, int through, Edits edits) {
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
        List<Integer> top = atHeight.get(0);
        InjectedMerkleTree tree;
        if (below != null) {
            tree = below;
        } else if (split(parts, logLeaves)) { // H(0x00 ‖ the top pairs' f′ fibres q ‖ R_q[0, d))
            byte[] r = halves != null ? halves : halves(parts, top, logLeaves, salts, params, edits);
            int d = params.digestBytes();
            tree = InjectedMerkleTree.leaves(logLeaves, bytes[0] + d, params.merkleHash(), d, node, (q, buf, at) -> {
                int end = at;
                for (int p : top) {
                    end = writeHalf(parts, p, true, edits, q, buf, end);
                }
                System.arraycopy(r, q * MerkleHasher.DIGEST_BYTES, buf, end, d);
                return end + d - at;
            });
        } else {
            tree = InjectedMerkleTree.leaves(logLeaves, bytes[0] + Codewords.SALT_BYTES, params.merkleHash(), params.digestBytes(), node, (q, buf, at) -> {
                int end = write(parts, top, edits, q, buf, at);
                BIG_ENDIAN.set(buf, end, salts[2 * q]);
                BIG_ENDIAN.set(buf, end + 8, salts[2 * q + 1]);
                return end + Codewords.SALT_BYTES - at;
            });
        }
        return tree.hashThrough(through, maxInjected, (h, j, buf, at) -> write(parts, atHeight.get(h), edits, j, buf, at) - at);
    }

    /** The fibres j of parts {@code ps} (as {@link #fibre} gives them), big-endian from {@code at}; returns the offset after them. */
    private static int write(List<Part> parts, List<Integer> ps, Edits edits, int j, byte[] buf, int at) {
        for (int p : ps) {
            if (edits == Edits.HONEST) {
                Part part = parts.get(p);
                at = Codewords.writeFibre(buf, at, part.c0(), part.c1(), j, part.fibres(), 1 << part.fold());
            } else {
                at = writeValues(fibre(parts, edits, p, j), 0, 1, buf, at);
            }
        }
        return at;
    }

    /**
     * Part p's values of fibre j in one half of a split leaf, big-endian from {@code at}: the input half holds a pair's f′ (c0; a
     * single part has none), the mask half a pair's g (c1) or a single part's fibre. Returns the offset after them.
     */
    private static int writeHalf(List<Part> parts, int p, boolean input, Edits edits, int j, byte[] buf, int at) {
        Part part = parts.get(p);
        boolean pair = part.c1() != null;
        if (input && !pair) {
            return at;
        }
        if (edits == Edits.HONEST) {
            return Codewords.writeFibre(buf, at, input || !pair ? part.c0() : part.c1(), null, j, part.fibres(), 1 << part.fold());
        }
        return writeValues(fibre(parts, edits, p, j), pair && !input ? 1 : 0, pair ? 2 : 1, buf, at);
    }

    /** values[first], values[first + step], … big-endian from {@code at}; returns the offset after them. */
    private static int writeValues(long[] values, int first, int step, byte[] buf, int at) {
        for (int i = first; i < values.length; i += step) {
            BIG_ENDIAN.set(buf, at, values[i]);
            at += 8;
        }
        return at;
    }

    /**
     * The verifier's hash of an opened leaf: {@code values} the top parts' fibres in part order (a pair's interleaved, {@code pairs[p]}
     * of width {@code widths[p]}), then the salt: split in two halves when a pair is on top ({@link Carrier}), else one salted leaf.
     */
    static byte[] leafHash(MerkleHasher hasher, long[] values, boolean[] pairs, int[] widths, long salt0, long salt1) {
        boolean split = false;
        for (boolean pair : pairs) {
            split |= pair;
        }
        if (!split) {
            return Codewords.saltedLeafHash(hasher, values, salt0, salt1, new byte[8 * values.length + Codewords.SALT_BYTES]);
        }
        byte[] input = new byte[8 * values.length + MerkleHasher.DIGEST_BYTES];
        byte[] mask = new byte[8 * values.length + Codewords.SALT_BYTES];
        int in = 0;
        int out = 0;
        for (int p = 0, from = 0; p < pairs.length; from += widths[p], p++) {
            long[] fibre = Arrays.copyOfRange(values, from, from + widths[p]);
            in = pairs[p] ? writeValues(fibre, 0, 2, input, in) : in;
            out = writeValues(fibre, pairs[p] ? 1 : 0, pairs[p] ? 2 : 1, mask, out);
        }
        BIG_ENDIAN.set(mask, out, salt0);
        BIG_ENDIAN.set(mask, out + 8, salt1);
        byte[] r = hasher.half(mask, 0, out + Codewords.SALT_BYTES);
        System.arraycopy(r, 0, input, in, hasher.digestBytes());
        return hasher.leaf(input, 0, in + hasher.digestBytes());
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
