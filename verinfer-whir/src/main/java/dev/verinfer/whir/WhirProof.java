package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsOpeningProof;

import java.util.ArrayList;
import java.util.List;

/**
 * A WHIR opening: one {@link Group} per WHIR run, in order of first appearance among the claims: one for the hiding
 * commitments that share a run ({@link HidingBatch}), one per other hiding commitment, and one run for all plain
 * commitments together (each batch at its first member's place).
 *
 * <p>Encoding: a proof without hiding groups is the group count then each group (the format verifiers
 * of plain proofs read). A proof with a hiding group starts with {@link #HIDING_FORMAT} (−1, which a
 * plain reader refuses as a count), then the count, then per group a flag byte (1 = hiding, 2 = hiding with
 * g in f′'s tree, 3 and 4 = a hiding batch whose member 0 is as 1 or 2, 5 and 6 = as 1 and 2 with g's values
 * {@link Mask#summed summed}, 7 and 8 = as 3 and 4 with a {@link CarrierOpening} after the batch's nonce) and the group; a plain group has its {@link Batch}
 * part after the commit-time answers (a count, 0 when it opens one commitment), a hiding group its {@link Mask} (without a
 * mask root for flags 2 and 4), a hiding batch then its {@link MaskedBatch}, and each round's salts (and, in iteration 0
 * of flags 1 and 3, the mask's opened fibres) after the round; flag 2's and 4's iteration-0 fibres are the (f′, g) pairs.
 */
record WhirProof(List<Group> groups) implements PcsOpeningProof {
    static final int HIDING_FORMAT = -1;
    private static final int MAX_GROUPS = 1 << 16;
    private static final int MAX_ROUNDS = 32;
    private static final int MAX_OOD = 16;
    private static final int MAX_QUERIES = 4096;
    private static final int MAX_FIBRE = 2 << 6;
    private static final int MAX_FINAL = 1 << 10;
    private static final int MAX_CLAIMS = 1 << 16;

    /**
     * One WHIR run: the Merkle root and commit-time out-of-domain answers of its (first) commitment (hashed,
     * they must give the public root), one {@link Round} per iteration and the final polynomial's
     * coefficients; {@code mask} is null for a plain commitment, {@code batch} non-null when the run opens
     * further plain commitments with the first ({@link WhirProver}, batching).
     */
    record Group(byte[] merkleRoot, Ext2[] commitOod, List<Round> rounds, Ext2[] finalCoefficients, Mask mask, Batch batch, MaskedBatch maskedBatch) {
        Group(byte[] merkleRoot, Ext2[] commitOod, List<Round> rounds, Ext2[] finalCoefficients) {
            this(merkleRoot, commitOod, rounds, finalCoefficients, null, null, null);
        }

        Group(byte[] merkleRoot, Ext2[] commitOod, List<Round> rounds, Ext2[] finalCoefficients, Mask mask) {
            this(merkleRoot, commitOod, rounds, finalCoefficients, mask, null, null);
        }

        Group(byte[] merkleRoot, Ext2[] commitOod, List<Round> rounds, Ext2[] finalCoefficients, Mask mask, Batch batch) {
            this(merkleRoot, commitOod, rounds, finalCoefficients, mask, batch, null);
        }

        boolean hiding() {
            return mask != null;
        }

        /** A hiding group whose mask g is committed in f′'s tree (no root of its own; group flag 2). */
        boolean once() {
            return mask != null && mask.root().length == 0;
        }

        /** Commitments this run opens. */
        int components() {
            return batch != null ? 1 + batch.others().size() : maskedBatch != null ? 1 + maskedBatch.others().size() : 1;
        }
    }

    /**
     * A further member of a hiding batch ({@link HidingBatch}; member 0 is the group's own root, {@link Mask} and round 0's
     * leaves): its Merkle root and commit-time answers, its opening's {@link Mask} (nonce unused: ρ's is member 0's), and its
     * iteration-0 leaves of f′ (salted; (f′, g) pairs when g is in f′'s tree) and of g's own tree (null when it is in f′'s).
     */
    record HidingMember(byte[] merkleRoot, Ext2[] commitOod, Mask mask, Opened leaves, Opened maskLeaves) {}

    /**
     * The rest of a hiding batch: members 1..m−1, the cross values of the masked words (as {@link Batch}'s), the nonce ground
     * before μ and, when per-proof leaves share a {@link Carrier} (since format 14), its opening.
     */
    record MaskedBatch(List<HidingMember> others, Ext2[] cross, long nonce, CarrierOpening carrier) {
        MaskedBatch(List<HidingMember> others, Ext2[] cross, long nonce) {
            this(others, cross, nonce, null);
        }
    }

    /**
     * A hiding batch's carrier tree ({@link Carrier}): its root, the batch member each part holds (in part order: a commitment
     * for one opening's (f′, g) pairs, or a reusable member's g), its leaves at the run's iteration-0 queries (q mod its leaf
     * count; each leaf the top parts' values — those with as many fibres as the carrier has leaves — and a salt; one multiproof of
     * the leaves' tree positions bitrev(q)) and, since format 16, each smaller part's fibres at its own leaves (q mod its count,
     * ascending), in part order: hashed once, into the carrier's nodes at the part's height. A carried member's own leaves are
     * absent: a commitment for one opening's (member flag 2; member 0's round-0 leaves empty) or a reusable member's g (flag 3;
     * member 0's round-0 mask absent).
     */
    record CarrierOpening(byte[] root, int[] members, Opened leaves, List<long[][]> injected) {}

    /** A further commitment of a batched run: its Merkle root and commit-time out-of-domain answers. */
    record Component(byte[] merkleRoot, Ext2[] commitOod) {}

    /**
     * The rest of a batched run (m ≥ 2 plain commitments): components 1..m−1 (the first is the group's own
     * root), the cross values (per lifted constraint point, in order, the value of every other component
     * there), the proof-of-work nonce ground before μ, and components 1..m−1's iteration-0 fibres (at the
     * distinct leaves the queries reach, ascending) with their Merkle multi-proofs; component 0's are in
     * round 0's {@code fibres} and {@code paths}.
     */
    record Batch(List<Component> others, Ext2[] cross, long nonce, List<Opened> openings) {}

    /**
     * A hiding opening's fresh mask g ({@link WhirProver}): f′'s extra variables (v − n), g's Merkle root,
     * the values ĝ(z) at the commitment's out-of-domain points then (f̂′(w), ĝ(w)) at g's own, g at each
     * claim's point, and the proof-of-work nonce ground before the combiner ρ. {@code firstFold}: variables folded by
     * f′'s first iteration ({@link WhirParameters#hidingSchedule}); {@code root} is empty when g is committed in f′'s tree
     * ({@link WhirHidingCommitment#commitOnce}), whose iteration-0 fibres are then the pair's: (f′, g) at each point.
     * {@code summed} (group flags 5 and 6, a run of one hiding commitment since 2026-12-05): the claim combiner β is drawn
     * before ρ, {@code ood} holds f̂′ at g's own points only and {@code claims} one value, Γ = Σ_k β^k·g(p_k) over the run's
     * constraint points in order (claims, f′'s commit points, g's points) — all the verifier's σ needs of g.
     */
    record Mask(int extraVars, byte[] root, Ext2[] ood, Ext2[] claims, long nonce, int firstFold, boolean summed, int tailVars) {
        Mask(int extraVars, byte[] root, Ext2[] ood, Ext2[] claims, long nonce, int firstFold, boolean summed) {
            this(extraVars, root, ood, claims, nonce, firstFold, summed, -1);
        }

        Mask(int extraVars, byte[] root, Ext2[] ood, Ext2[] claims, long nonce, int firstFold) {
            this(extraVars, root, ood, claims, nonce, firstFold, false);
        }

        /** This mask, summed ({@link #summed}). */
        Mask asSummed() {
            return new Mask(extraVars, root, ood, claims, nonce, firstFold, true, tailVars);
        }
    }

    /**
     * f′'s layout as written: v − n, then, when that is 0 (the mask in the table's tail, {@link HidingLayout#tail}), d.
     * Layouts with mask variables keep their bytes.
     */
    private static void writeLayout(ProofWriter w, Mask m) {
        w.writeInt(m.extraVars());
        if (m.extraVars() == 0) {
            w.writeInt(m.tailVars());
        }
    }

    /**
     * One iteration: the sumcheck messages (h(0), h(2)) and proof-of-work nonces (none without grinding) per bound variable, the next oracle's root (empty
     * in the last iteration) and out-of-domain answers, the nonce ground before the queries (0 without query grinding), and the queried fibres of this iteration's oracle
     * (ascending index; base elements in iteration 0, (c0, c1) pairs after) with their Merkle multi-proof.
     * A hiding group's rounds also carry the opened leaves' salts (two longs each) and, in iteration 0,
     * the mask g's fibres at the same indices; a plain group's have no salts and a null {@code mask}.
     */
    record Round(Ext2[] sumcheck, long[] powNonces, byte[] nextRoot, Ext2[] ood, long[][] fibres, MerkleMultiProof paths, long combineNonce,
                 long[] salts, Opened mask, long queryNonce) {
        Round(Ext2[] sumcheck, long[] powNonces, byte[] nextRoot, Ext2[] ood, long[][] fibres, MerkleMultiProof paths, long combineNonce) {
            this(sumcheck, powNonces, nextRoot, ood, fibres, paths, combineNonce, new long[0], null, 0);
        }

        Round(Ext2[] sumcheck, long[] powNonces, byte[] nextRoot, Ext2[] ood, long[][] fibres, MerkleMultiProof paths, long combineNonce,
              long[] salts, Opened mask) {
            this(sumcheck, powNonces, nextRoot, ood, fibres, paths, combineNonce, salts, mask, 0);
        }

        /** This round with another query nonce (the rest unchanged). */
        Round withQueryNonce(long nonce) {
            return new Round(sumcheck, powNonces, nextRoot, ood, fibres, paths, combineNonce, salts, mask, nonce);
        }
    }

    /** Opened salted leaves of one oracle: fibres, salts (two longs each) and their Merkle multi-proof. */
    record Opened(long[][] fibres, long[] salts, MerkleMultiProof paths) {}

    @Override
    public void write(ProofWriter w) {
        boolean hiding = groups.stream().anyMatch(Group::hiding);
        if (hiding) {
            w.writeInt(HIDING_FORMAT);
        }
        w.writeInt(groups.size());
        for (Group g : groups) {
            if (hiding) {
                w.writeByte(g.maskedBatch() != null ? (g.once() ? 4 : 3) + (g.maskedBatch().carrier() != null ? 4 : 0)
                        : !g.hiding() ? 0 : (g.once() ? 2 : 1) + (g.mask().summed() ? 4 : 0));
            }
            w.writeBytes(g.merkleRoot());
            w.writeExts(g.commitOod());
            if (!g.hiding()) {
                writeBatch(w, g.batch());
            }
            if (g.hiding()) {
                Mask m = g.mask();
                writeLayout(w, m);
                w.writeInt(m.firstFold());
                if (!g.once()) {
                    w.writeBytes(m.root());
                }
                w.writeExts(m.ood());
                w.writeExts(m.claims());
                w.writeLong(m.nonce());
                if (g.maskedBatch() != null) {
                    writeMaskedBatch(w, g.maskedBatch());
                }
            }
            w.writeInt(g.rounds().size());
            for (Round r : g.rounds()) {
                w.writeExts(r.sumcheck());
                w.writeInt(r.powNonces().length);
                for (long nonce : r.powNonces()) {
                    w.writeLong(nonce);
                }
                w.writeBytes(r.nextRoot());
                w.writeExts(r.ood());
                w.writeLong(r.queryNonce());
                writeFibres(w, r.fibres());
                r.paths().write(w);
                w.writeLong(r.combineNonce());
                if (g.hiding()) {
                    writeLongs(w, r.salts());
                    w.writeByte(r.mask() == null ? 0 : 1);
                    if (r.mask() != null) {
                        writeFibres(w, r.mask().fibres());
                        writeLongs(w, r.mask().salts());
                        r.mask().paths().write(w);
                    }
                }
            }
            w.writeExts(g.finalCoefficients());
        }
    }

    /**
     * Where the encoded bytes go: the queried fibres (iteration 0, over the base field, of every component;
     * later iterations over K), their Merkle siblings, the final polynomial, and the rest (sumcheck
     * messages, roots, out-of-domain answers, cross values, nonces, salts, lengths).
     */
    @Override
    public java.util.Map<String, Long> sections() {
        if (groups.stream().anyMatch(Group::hiding)) {
            return hidingSections();
        }
        long fibres0 = 0, fibres = 0, merkle = 0, last = 0;
        for (Group g : groups) {
            for (int i = 0; i < g.rounds().size(); i++) {
                Round r = g.rounds().get(i);
                long f = encoded(w -> writeFibres(w, r.fibres())) + (r.mask() == null ? 0 : encoded(w -> writeFibres(w, r.mask().fibres())));
                if (i == 0) fibres0 += f; else fibres += f;
                merkle += encoded(r.paths()::write) + (r.mask() == null ? 0 : encoded(r.mask().paths()::write));
            }
            List<Opened> others = new ArrayList<>(g.batch() != null ? g.batch().openings() : List.of());
            if (g.maskedBatch() != null) {
                for (HidingMember m : g.maskedBatch().others()) {
                    others.add(m.leaves());
                    if (m.maskLeaves() != null) {
                        others.add(m.maskLeaves());
                    }
                }
            }
            for (Opened o : others) {
                fibres0 += encoded(w -> writeFibres(w, o.fibres()));
                merkle += encoded(o.paths()::write);
            }
            last += encoded(w -> w.writeExts(g.finalCoefficients()));
        }
        long total = encoded(this::write);
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("iteration-0 fibres", fibres0);
        out.put("later fibres", fibres);
        out.put("Merkle siblings", merkle);
        out.put("final polynomial", last);
        out.put("sumchecks, roots, nonces, other", total - fibres0 - fibres - merkle - last);
        return out;
    }

    /**
     * A proof with hiding groups, by part: iteration 0's opened leaves per kind of tree — a reusable commitment's f′ tree,
     * a per-proof g's own (wide-leaf) tree, a commitment for one opening's (f′, g) pair tree (its values split into f′'s
     * and g's halves) and a plain commitment's — each as values, salts and Merkle siblings; later iterations' fibres,
     * salts and siblings; the mask values (ĝ and f̂′ out of domain, g at the claims); cross values; sumcheck messages;
     * the final polynomial; and the rest (roots, commit-time answers, nonces, lengths, flags). The parts sum to the size.
     */
    private java.util.Map<String, Long> hidingSections() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        java.util.function.BiConsumer<String, Long> add = (k, v) -> out.merge(k, v, Long::sum);
        for (Group g : groups) {
            Round r0 = g.rounds().getFirst();
            if (g.hiding()) {
                leafParts(add, g.once() ? "once (f′, g) pair" : "reusable f′", new Opened(r0.fibres(), r0.salts(), r0.paths()), g.once());
                if (r0.mask() != null) {
                    leafParts(add, "per-proof g", r0.mask(), false);
                }
                add.accept("mask values (out of domain, at the claims)", 16L * (g.mask().ood().length + g.mask().claims().length));
            } else {
                leafParts(add, "plain", new Opened(r0.fibres(), new long[0], r0.paths()), false);
                if (g.batch() != null) {
                    for (Opened o : g.batch().openings()) {
                        leafParts(add, "plain", o, false);
                    }
                    add.accept("cross values", 16L * g.batch().cross().length);
                }
            }
            if (g.maskedBatch() != null) {
                for (HidingMember m : g.maskedBatch().others()) {
                    if (m.leaves() != null) {
                        leafParts(add, m.mask().root().length == 0 ? "once (f′, g) pair" : "reusable f′", m.leaves(), m.mask().root().length == 0);
                    }
                    if (m.maskLeaves() != null) {
                        leafParts(add, "per-proof g", m.maskLeaves(), false);
                    }
                    add.accept("mask values (out of domain, at the claims)", 16L * (m.mask().ood().length + m.mask().claims().length));
                }
                add.accept("cross values", 16L * g.maskedBatch().cross().length);
                if (g.maskedBatch().carrier() != null) {
                    leafParts(add, "per-proof carrier", g.maskedBatch().carrier().leaves(), false);
                    add.accept("iteration-0 per-proof carrier injected values",
                            8L * g.maskedBatch().carrier().injected().stream().flatMap(java.util.Arrays::stream).mapToLong(f -> f.length).sum());
                }
            }
            for (int i = 0; i < g.rounds().size(); i++) {
                Round r = g.rounds().get(i);
                add.accept("sumcheck messages", 16L * r.sumcheck().length);
                if (i > 0) {
                    add.accept("later iterations: values", 8L * java.util.Arrays.stream(r.fibres()).mapToLong(f -> f.length).sum());
                    add.accept("later iterations: salts", 8L * r.salts().length);
                    add.accept("later iterations: Merkle siblings", encoded(r.paths()::write) - 4);
                }
            }
            add.accept("final polynomial", 16L * g.finalCoefficients().length);
        }
        long parts = out.values().stream().mapToLong(Long::longValue).sum();
        out.put("roots, answers, nonces, lengths", encoded(this::write) - parts);
        return out;
    }

    /** An opened tree's values (f′'s and g's halves of a pair tree apart), salts and siblings, without length prefixes. */
    private static void leafParts(java.util.function.BiConsumer<String, Long> add, String tree, Opened o, boolean pairs) {
        long values = 8L * java.util.Arrays.stream(o.fibres()).mapToLong(f -> f.length).sum();
        String prefix = "iteration-0 " + tree + " leaves: ";
        if (pairs) {
            add.accept(prefix + "f′ values", values / 2);
            add.accept(prefix + "g values", values / 2);
        } else {
            add.accept(prefix + "values", values);
        }
        if (o.salts().length > 0) {
            add.accept(prefix + "salts", 8L * o.salts().length);
        }
        add.accept(prefix + "Merkle siblings", encoded(o.paths()::write) - 4);
    }

    private static long encoded(java.util.function.Consumer<ProofWriter> part) {
        ProofWriter w = new ProofWriter();
        part.accept(w);
        return w.size();
    }

    /** A plain group's batch part: the further components' count (0: none), then each one's root and answers, the cross values, nonce and fibres. */
    private static void writeBatch(ProofWriter w, Batch b) {
        w.writeInt(b == null ? 0 : b.others().size());
        if (b == null) {
            return;
        }
        for (Component c : b.others()) {
            w.writeBytes(c.merkleRoot());
            w.writeExts(c.commitOod());
        }
        w.writeExts(b.cross());
        w.writeLong(b.nonce());
        for (Opened o : b.openings()) {
            writeFibres(w, o.fibres());
            o.paths().write(w);
        }
    }

    /** A hiding batch's members 1..m−1 (each: a once flag, root, answers, mask part, f′'s leaves, g's leaves unless once), cross values, nonce. */
    private static void writeMaskedBatch(ProofWriter w, MaskedBatch b) {
        w.writeInt(b.others().size());
        for (HidingMember m : b.others()) {
            boolean once = m.mask().root().length == 0;
            w.writeByte(once ? (m.leaves() == null ? 2 : 1) : (m.maskLeaves() == null ? 3 : 0));
            w.writeBytes(m.merkleRoot());
            w.writeExts(m.commitOod());
            writeLayout(w, m.mask());
            w.writeInt(m.mask().firstFold());
            if (!once) {
                w.writeBytes(m.mask().root());
            }
            w.writeExts(m.mask().ood());
            w.writeExts(m.mask().claims());
            if (m.leaves() != null) {
                writeOpened(w, m.leaves());
            }
            if (m.maskLeaves() != null) {
                writeOpened(w, m.maskLeaves());
            }
        }
        w.writeExts(b.cross());
        w.writeLong(b.nonce());
        CarrierOpening c = b.carrier();
        if (c != null) { // group flags 7 and 8 say it is there
            w.writeBytes(c.root());
            w.writeInt(c.members().length);
            for (int j : c.members()) {
                w.writeInt(j);
            }
            writeOpened(w, c.leaves());
            w.writeInt(c.injected().size());
            for (long[][] fibres : c.injected()) {
                writeFibres(w, fibres);
            }
        }
    }

    private static void writeOpened(ProofWriter w, Opened o) {
        writeFibres(w, o.fibres());
        writeLongs(w, o.salts());
        o.paths().write(w);
    }

    private static Opened readOpened(ProofReader r, int digestBytes) throws MalformedProofException {
        return new Opened(readFibres(r), readLongs(r), readPaths(r, digestBytes));
    }

    /**
     * A hiding run's mask values as written: g's extra variables, the first fold, g's root (none when g shares f′'s tree),
     * the out-of-domain and claim values, then ρ's grinding nonce if the run grinds it (a batch's further members do not).
     */
    private static Mask readMask(ProofReader r, boolean once, boolean withNonce) throws MalformedProofException {
        int extraVars = r.readLength(MAX_ROUNDS, "WHIR mask variables");
        int tailVars = extraVars == 0 ? r.readLength(MAX_ROUNDS, "WHIR mask tail variables") : -1;
        int firstFold = r.readLength(MAX_ROUNDS, "WHIR mask first fold");
        byte[] root = once ? new byte[0] : r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR mask root");
        if (!once && root.length != MerkleHasher.DIGEST_BYTES) {
            throw new MalformedProofException("WHIR mask root of " + root.length + " bytes");
        }
        Ext2[] ood = r.readExts(3 * MAX_OOD, "WHIR mask out-of-domain values");
        Ext2[] claims = r.readExts(MAX_CLAIMS, "WHIR mask claim values");
        return new Mask(extraVars, root, ood, claims, withNonce ? r.readLong() : 0, firstFold, false, tailVars);
    }

    private static MaskedBatch readMaskedBatch(ProofReader r, int digestBytes, boolean carried) throws MalformedProofException {
        int others = r.readLength(MAX_GROUPS, "WHIR hiding batch members");
        if (others == 0) {
            throw new MalformedProofException("WHIR hiding batch without further members");
        }
        List<HidingMember> members = new ArrayList<>();
        for (int j = 0; j < others; j++) {
            int flag = r.readByte();
            if (flag > 3) {
                throw new MalformedProofException("WHIR hiding batch member flag " + flag);
            }
            boolean once = flag == 1 || flag == 2;
            byte[] root = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR Merkle root");
            Ext2[] commitOod = r.readExts(MAX_OOD, "WHIR commitment out-of-domain answers");
            Mask mask = readMask(r, once, false);
            Opened leaves = flag == 2 ? null : readOpened(r, digestBytes);
            Opened maskLeaves = flag == 0 ? readOpened(r, digestBytes) : null;
            members.add(new HidingMember(root, commitOod, mask, leaves, maskLeaves));
        }
        Ext2[] cross = r.readExts(MAX_CLAIMS, "WHIR batch cross values");
        long nonce = r.readLong();
        CarrierOpening carrier = null;
        if (carried) {
            byte[] root = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR carrier root");
            int[] parts = new int[r.readLength(MAX_GROUPS, "WHIR carrier parts")];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = r.readInt();
            }
            Opened leaves = readOpened(r, digestBytes);
            List<long[][]> injected = new ArrayList<>();
            for (int p = r.readLength(parts.length, "WHIR carrier injected parts"); p > 0; p--) {
                injected.add(readFibres(r));
            }
            carrier = new CarrierOpening(root, parts, leaves, List.copyOf(injected));
        }
        return new MaskedBatch(List.copyOf(members), cross, nonce, carrier);
    }

    private static Batch readBatch(ProofReader r, int digestBytes) throws MalformedProofException {
        int others = r.readLength(MAX_GROUPS, "WHIR batched commitments");
        if (others == 0) {
            return null;
        }
        List<Component> components = new ArrayList<>();
        for (int j = 0; j < others; j++) {
            components.add(new Component(r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR Merkle root"), r.readExts(MAX_OOD, "WHIR commitment out-of-domain answers")));
        }
        Ext2[] cross = r.readExts(MAX_CLAIMS, "WHIR batch cross values");
        long nonce = r.readLong();
        List<Opened> openings = new ArrayList<>();
        for (int j = 0; j < others; j++) {
            openings.add(new Opened(readFibres(r), new long[0], readPaths(r, digestBytes)));
        }
        return new Batch(List.copyOf(components), cross, nonce, List.copyOf(openings));
    }

    static void writeFibres(ProofWriter w, long[][] fibres) {
        w.writeInt(fibres.length);
        for (long[] f : fibres) {
            w.writeFields(f);
        }
    }

    static void writeLongs(ProofWriter w, long[] values) {
        w.writeInt(values.length);
        for (long v : values) {
            w.writeLong(v);
        }
    }

    /** Reads a proof whose Merkle siblings are {@code digestBytes} long ({@link WhirParameters#digestBytes()}). */
    static WhirProof read(ProofReader r, int digestBytes) throws MalformedProofException {
        int first = r.readInt();
        boolean hidingFormat = first == HIDING_FORMAT;
        int groupCount = hidingFormat ? r.readLength(MAX_GROUPS, "WHIR commitment groups") : first;
        if (groupCount < 0 || groupCount > MAX_GROUPS) {
            throw new MalformedProofException("WHIR commitment groups: length " + groupCount + " outside [0, " + MAX_GROUPS + "]");
        }
        List<Group> groups = new ArrayList<>();
        boolean anyHiding = false;
        for (int g = 0; g < groupCount; g++) {
            boolean hiding = false;
            boolean once = false;
            boolean batched = false;
            boolean summed = false;
            boolean carried = false;
            if (hidingFormat) {
                int flag = r.readByte();
                if (flag > 8) {
                    throw new MalformedProofException("WHIR group flag " + flag);
                }
                hiding = flag >= 1;
                once = flag % 2 == 0 && flag > 0;
                batched = flag == 3 || flag == 4 || flag >= 7;
                summed = flag == 5 || flag == 6;
                carried = flag >= 7;
                anyHiding |= hiding;
            }
            byte[] merkleRoot = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR Merkle root");
            Ext2[] commitOod = r.readExts(MAX_OOD, "WHIR commitment out-of-domain answers");
            Batch batch = hiding ? null : readBatch(r, digestBytes);
            Mask mask = null;
            if (hiding) {
                mask = readMask(r, once, true);
                if (summed) {
                    mask = mask.asSummed();
                }
            }
            MaskedBatch maskedBatch = batched ? readMaskedBatch(r, digestBytes, carried) : null;
            int roundCount = r.readLength(MAX_ROUNDS, "WHIR iterations");
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < roundCount; i++) {
                Ext2[] sumcheck = r.readExts(2 * MAX_ROUNDS, "WHIR sumcheck messages");
                long[] powNonces = new long[r.readLength(MAX_ROUNDS, "WHIR proof-of-work nonces")];
                for (int k = 0; k < powNonces.length; k++) {
                    powNonces[k] = r.readLong();
                }
                byte[] nextRoot = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR oracle root");
                Ext2[] ood = r.readExts(MAX_OOD, "WHIR out-of-domain answers");
                long queryNonce = r.readLong();
                long[][] fibres = readFibres(r);
                MerkleMultiProof paths = readPaths(r, digestBytes);
                long combineNonce = r.readLong();
                if (!hiding) {
                    rounds.add(new Round(sumcheck, powNonces, nextRoot, ood, fibres, paths, combineNonce, new long[0], null, queryNonce));
                    continue;
                }
                long[] salts = readLongs(r);
                Opened opened = null;
                int flag = r.readByte();
                if (flag > 1) {
                    throw new MalformedProofException("WHIR mask-fibre flag " + flag);
                }
                if (flag == 1) {
                    opened = new Opened(readFibres(r), readLongs(r), readPaths(r, digestBytes));
                }
                rounds.add(new Round(sumcheck, powNonces, nextRoot, ood, fibres, paths, combineNonce, salts, opened, queryNonce));
            }
            Ext2[] finalCoefficients = r.readExts(MAX_FINAL, "WHIR final polynomial");
            groups.add(new Group(merkleRoot, commitOod, List.copyOf(rounds), finalCoefficients, mask, batch, maskedBatch));
        }
        if (hidingFormat && !anyHiding) {
            throw new MalformedProofException("WHIR proof in the hiding format without a hiding group");
        }
        return new WhirProof(List.copyOf(groups));
    }

    static long[][] readFibres(ProofReader r) throws MalformedProofException {
        long[][] fibres = new long[r.readLength(MAX_QUERIES, "WHIR queried fibres")][];
        for (int k = 0; k < fibres.length; k++) {
            fibres[k] = r.readFields(MAX_FIBRE, "WHIR fibre");
        }
        return fibres;
    }

    static MerkleMultiProof readPaths(ProofReader r, int digestBytes) throws MalformedProofException {
        return MerkleMultiProof.read(r, MerkleMultiProof.maxSiblings(MerkleTree.MAX_LEAVES, MAX_QUERIES), digestBytes);
    }

    static long[] readLongs(ProofReader r) throws MalformedProofException {
        long[] out = new long[r.readLength(2 * MAX_QUERIES, "WHIR leaf salts")];
        for (int k = 0; k < out.length; k++) {
            out[k] = r.readLong();
        }
        return out;
    }
}
