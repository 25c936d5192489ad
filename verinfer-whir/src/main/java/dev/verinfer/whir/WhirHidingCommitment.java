package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.poly.Mle;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A hiding WHIR commitment ({@link HidingLayout}): the codeword of f̂′ = f̂ + X^(2^n)·ĥ, ĥ uniformly
 * random, in a Merkle tree with a fresh 16-byte salt per leaf; the public root is
 * {@link WhirTranscript#hidingCommitmentDigest}, which names the arities, so a root is opened as hiding
 * or as plain, never both. {@code table} is f (f′'s table when ĥ is in f's tail, {@link HidingLayout#tail});
 * {@code coefficients}, {@code codeword}, {@code tree}
 * and the out-of-domain answers are f′'s. The prover's generator (a PRG keyed from the caller's
 * randomness) stays with the commitment: every opening draws its mask g and salts from it.
 *
 * <p>A commitment made to be opened <em>once</em> ({@link #commitOnce}) draws that opening's g at commit time
 * and commits it in f′'s own tree: leaf j is H(f′'s fibre j ‖ g's fibre j ‖ salt_j), the extension fibre
 * of the pair (f′, g) as later oracles' leaves are, so the opening sends one salted tree's leaves where it
 * sent two. g need only be fixed before ρ (it is: before every challenge) and is spent by the one opening
 * the commitment then allows; the digest names the layout, so such a root is never opened the other way.
 */
final class WhirHidingCommitment extends WhirCommitment implements HidingCommitment {
    final HidingLayout layout;
    final long[] salts;
    final MaskStream random;
    /** The one opening's mask g (coefficients) and its codeword, committed in f′'s tree; null unless {@link #commitOnce}. */
    final long[] onceMask;
    final long[] onceMaskCode;
    /** Budget units and off-face claims spent, and (once only) whether opened: shared with {@link #withOpeningRandomness} views. */
    private final AtomicInteger used;
    private final AtomicInteger offFaceUsed;
    private final AtomicInteger opened;
    private volatile long[] face;
    /**
     * f′'s contractions at its commit-time out-of-domain points for its own first fold ({@link #contractionsAtCommitPoints}), made
     * once and shared with its views: fixed by the commitment, read by every run it tops.
     */
    private final AtomicReference<Ext2[][]> commitContractions;
    /**
     * The codeword of f̂′, softly held ({@link SoftCodeword}): it is the commitment's largest part (2^R times its coefficients,
     * e.g. 128 MB for embedding_model's weights at R = 3). A zero-knowledge bounds proof holds one such commitment per region
     * until its batched opening, and a proving key holds its weights' for its life: a few GB before (the openWakeWord chain
     * ran out of its 6 GB heap on them), of which only the run being opened needs its codeword.
     */
    private final SoftCodeword codeword;
    /**
     * The per-proof carrier tree ({@link Carrier}) holding this commitment's iteration-0 leaves (a commitment for one opening:
     * its (f′, g) pairs, {@code tree} null) or its next opening's g ({@code carriedMask}, a reusable commitment's per-proof
     * view, {@link #commitCarried}), as part {@code carrierPart}; null when not carried.
     */
    final Carrier carrier;
    final int carrierPart;
    final long[] carriedMask;
    final long[] carriedMaskCode;
    /** A reusable commitment's per-proof view ({@link #withPreparedOpening}): its one opening's g, made ahead; else null. */
    final HidingOpening.Prepared prepared;

    private WhirHidingCommitment(WhirParameters params, WhirSchedule schedule, long[] table, long[] coefficients, long[] codeword,
                                 MerkleTree tree, byte[] merkleRoot, Ext2[] oodAnswers, HidingLayout layout, long[] salts, MaskStream random, long[] onceMask,
                                 long[] onceMaskCode, Carrier carrier, int carrierPart) {
        super(params, schedule, table, coefficients, null, tree, oodAnswers,
                WhirTranscript.hidingCommitmentDigest(layout.tableVars(), layout.vars(), layout.firstFold(), layout.tailVars(), onceMask != null,
                        merkleRoot, oodAnswers));
        // opened once, in the proof that made it: held until then (SoftCodeword#untilRead)
        this.codeword = onceMask != null ? SoftCodeword.untilRead(coefficients, schedule.rounds().getFirst().logDomain(), codeword)
                : new SoftCodeword(coefficients, schedule.rounds().getFirst().logDomain(), codeword);
        this.layout = layout;
        this.salts = salts;
        this.random = random;
        this.onceMask = onceMask;
        this.onceMaskCode = onceMaskCode;
        this.used = new AtomicInteger();
        this.offFaceUsed = new AtomicInteger();
        this.opened = new AtomicInteger();
        this.commitContractions = new AtomicReference<>();
        this.carrier = carrier;
        this.carrierPart = carrierPart;
        this.carriedMask = null;
        this.carriedMaskCode = null;
        this.prepared = null;
    }

    /** {@code of}'s per-proof view whose next (and only) opening's g is part {@code part} of {@code carrier}; counts shared. */
    private WhirHidingCommitment(WhirHidingCommitment of, Carrier carrier, int part, long[] mask, long[] maskCode, MaskStream random) {
        super(of.params, of.schedule, of.table, of.coefficients, null, of.tree, of.oodAnswers, of.root());
        this.codeword = of.codeword;
        this.layout = of.layout;
        this.salts = of.salts;
        this.random = random;
        this.onceMask = null;
        this.onceMaskCode = null;
        this.used = of.used;
        this.offFaceUsed = of.offFaceUsed;
        this.commitContractions = of.commitContractions;
        this.opened = new AtomicInteger();
        this.carrier = carrier;
        this.carrierPart = part;
        this.carriedMask = mask;
        this.carriedMaskCode = maskCode;
        this.prepared = null;
    }

    /** {@code of}'s per-proof view whose next (and only) opening takes {@code prepared}'s g; counts shared, openings from {@code of}'s stream. */
    private WhirHidingCommitment(WhirHidingCommitment of, HidingOpening.Prepared prepared) {
        super(of.params, of.schedule, of.table, of.coefficients, null, of.tree, of.oodAnswers, of.root());
        this.codeword = of.codeword;
        this.layout = of.layout;
        this.salts = of.salts;
        this.random = of.random;
        this.onceMask = null;
        this.onceMaskCode = null;
        this.used = of.used;
        this.offFaceUsed = of.offFaceUsed;
        this.commitContractions = of.commitContractions;
        this.opened = new AtomicInteger();
        this.carrier = null;
        this.carrierPart = 0;
        this.carriedMask = null;
        this.carriedMaskCode = null;
        this.prepared = prepared;
    }

    /**
     * A per-proof view whose one opening's g is drawn now from this commitment's opening stream, with its codeword, salts, salted
     * tree (its nodes as {@code node} says: the opening's, {@link WhirPcs#prepareOpening}) and evaluation table
     * ({@link HidingOpening#fresh}): the draws that opening would make first, in their order, so the opening is the one it would
     * have been had nothing else drawn from the stream in between.
     */
    WhirHidingCommitment withPreparedOpening(MerkleNode node) {
        if (onceMask != null || carrier != null || prepared != null) {
            throw new IllegalStateException("a commitment for one opening, or a per-proof view, holds its opening's mask already");
        }
        return new WhirHidingCommitment(this, new HidingOpening.Prepared(HidingOpening.fresh(this, node, g -> {})));
    }

    /** f′'s commit-time out-of-domain points (WHIR's z drawn from its root) as points (z, z², z⁴, …) of its v variables. */
    List<Ext2[]> commitPoints() {
        return Arrays.stream(WhirTranscript.commitOodPoints(params, layout.vars(), merkleRoot(), schedule.commitOod()))
                .map(z -> Codewords.powers(z, layout.vars())).toList();
    }

    /**
     * f′'s contractions at {@link #commitPoints} for its own first fold ({@link Contractions#at}), made on first use and kept: a
     * run this reusable commitment tops (no lift, its fold) reads them at every proof ({@link HidingBatch#open}).
     */
    Ext2[][] contractionsAtCommitPoints() {
        if (once() || carriesLeaves()) {
            throw new IllegalStateException("a commitment for one opening is contracted in its run");
        }
        Ext2[][] c = commitContractions.get();
        if (c == null) {
            c = Contractions.at(evaluations(), commitPoints(), layout.vars(), schedule.rounds().getFirst().fold());
            commitContractions.compareAndSet(null, c);
        }
        return c;
    }

    /** The Merkle root the transcript names f′ by: its tree's, or its part's of the carrier ({@link WhirTranscript#carrierMemberRoot}). */
    byte[] merkleRoot() {
        return carriesLeaves() ? carrier.memberRoot(carrierPart) : tree.root();
    }

    /** Whether f′'s iteration-0 leaves (with its g's, a commitment for one opening) are in a carrier tree. */
    boolean carriesLeaves() {
        return carrier != null && carriedMask == null;
    }

    /** {@code of} with its openings drawn from {@code random}, its counts shared. */
    private WhirHidingCommitment(WhirHidingCommitment of, MaskStream random) {
        super(of.params, of.schedule, of.table, of.coefficients, null, of.tree, of.oodAnswers, of.root());
        this.codeword = of.codeword;
        this.layout = of.layout;
        this.salts = of.salts;
        this.random = random;
        this.onceMask = of.onceMask;
        this.onceMaskCode = of.onceMaskCode;
        this.used = of.used;
        this.offFaceUsed = of.offFaceUsed;
        this.commitContractions = of.commitContractions;
        this.opened = of.opened;
        this.carrier = of.carrier;
        this.carrierPart = of.carrierPart;
        this.carriedMask = of.carriedMask;
        this.carriedMaskCode = of.carriedMaskCode;
        this.prepared = null;
    }

    @Override
    public HidingCommitment withOpeningRandomness(RandomGenerator openingRandom) {
        if (onceMask != null || carrier != null || prepared != null) {
            throw new IllegalStateException("a commitment for one opening drew that opening's mask when it was made");
        }
        return new WhirHidingCommitment(this, new MaskStream(openingRandom));
    }

    static WhirHidingCommitment commit(long[] evaluations, int budget, RandomGenerator randomness, WhirParameters params) {
        return commit(evaluations, budget, false, false, randomness, null, params, MerkleNode.PADDED);
    }

    /**
     * As above, the openings' g and salts drawn from a stream of their own keyed by {@code openingRandomness}: f′'s mask
     * and salts stay a function of {@code randomness} alone (seeded, the root is reproducible), while openings made
     * by two processes that each rebuilt the commitment from the seed draw independent g.
     */
    static WhirHidingCommitment commit(long[] evaluations, int budget, RandomGenerator randomness, RandomGenerator openingRandomness, WhirParameters params) {
        return commit(evaluations, budget, false, false, randomness, openingRandomness, params, MerkleNode.PADDED);
    }

    /**
     * A hiding commitment opened exactly once (its opening may spend {@code units} of the layout's budget,
     * 2 with off-face claims): that opening's g is drawn now and committed beside f′, leaf by leaf. f′'s
     * layout (v, k₀) is the one {@code units} asks for, so g's functionals ({@link HidingLayout#maskFunctionals},
     * which counts wider leaves) stay within its 2^v coefficients. {@code narrow}: the narrowest first fold at that v
     * ({@link HidingLayout#narrow}), for a small member of a batched run. Its tree's nodes as {@code node} says (a per-proof tree).
     */
    static WhirHidingCommitment commitOnce(long[] evaluations, int units, boolean narrow, RandomGenerator randomness, WhirParameters params,
                                           MerkleNode node) {
        return commit(evaluations, units, true, narrow, randomness, null, params, node);
    }

    /**
     * {@link #commitOnce} with the mask ĥ in the table's last 2^tailVars slots ({@link HidingLayout#tail}): f′ is the table
     * with those slots overwritten by uniformly random values, of the table's arity. The caller's values there are
     * replaced, so no claim of the caller may read them; {@code tailVars} must be the one
     * {@link HidingLayout#tail} gives for {@code units} ({@link HidingLayout#tailNarrow} under {@code top}'s layout when {@code narrow}).
     */
    static WhirHidingCommitment commitOnceInTail(long[] evaluations, int units, int tailVars, boolean narrow, MultilinearPcs.HidingShape top,
                                                 RandomGenerator randomness, WhirParameters params, MerkleNode node) {
        checkTable(evaluations);
        return commit(evaluations, layout(params, Integer.numberOfTrailingZeros(evaluations.length), units, tailVars, narrow, top), true,
                randomness, null, params, node);
    }

    private static WhirHidingCommitment commit(long[] evaluations, int budget, boolean once, boolean narrow, RandomGenerator randomness,
                                               RandomGenerator openingRandomness, WhirParameters params, MerkleNode node) {
        checkTable(evaluations);
        int n = Integer.numberOfTrailingZeros(evaluations.length);
        HidingLayout layout = narrow ? HidingLayout.narrow(params, n, budget, null) : HidingLayout.of(params, n, budget);
        return commit(evaluations, layout, once, randomness, openingRandomness, params, node);
    }

    private static void checkTable(long[] evaluations) {
        int size = evaluations.length;
        if (size == 0 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("table length must be a power of two: " + size);
        }
        for (long v : evaluations) {
            Goldilocks.canonical(v);
        }
    }

    /**
     * A commitment of this layout (the rank tests' seam for layouts {@link HidingLayout#tail} would not give). A reusable
     * commitment's tree (opened by several proofs: registered weights, committed tensors, a key's bounds regions) has padded
     * nodes whatever {@code node} says; one for one opening, a per-proof tree, {@code node}'s.
     */
    static WhirHidingCommitment commit(long[] evaluations, HidingLayout layout, boolean once, RandomGenerator randomness,
                                       RandomGenerator openingRandomness, WhirParameters params, MerkleNode node) {
        checkTable(evaluations);
        if (layout.inTail() && !once) {
            throw new IllegalArgumentException("the mask in the table's tail is for a commitment opened once");
        }
        Prepared p = prepare(evaluations, layout, once, MaskStream.of(randomness), params);
        WhirSchedule.Round first = p.schedule.rounds().getFirst();
        long[] salts = p.random.salts(first.fibres());
        MerkleTree tree = Codewords.commit(p.codeword, p.onceMaskCode, first.logDomain(), first.fold(), params, salts, once ? node : MerkleNode.PADDED);
        return p.finish(tree, tree.root(), salts, openingRandomness == null ? p.random : new MaskStream(openingRandomness), null, 0, params);
    }

    /** f′ and, for one opening, its g: coefficients and codewords, before any tree. */
    private record Prepared(HidingLayout layout, WhirSchedule schedule, long[] table, long[] coefficients, long[] codeword, long[] onceMask,
                            long[] onceMaskCode, MaskStream random) {
        WhirHidingCommitment finish(MerkleTree tree, byte[] root, long[] salts, MaskStream openings, Carrier carrier, int part, WhirParameters params) {
            Ext2[] points = WhirTranscript.commitOodPoints(params, layout.vars(), root, schedule.commitOod());
            Ext2[] answers = new Ext2[points.length];
            for (int i = 0; i < points.length; i++) {
                answers[i] = Codewords.univariate(coefficients, points[i]);
            }
            return new WhirHidingCommitment(params, schedule, table, coefficients, codeword, tree, root, answers, layout, salts, openings, onceMask,
                    onceMaskCode, carrier, part);
        }

        Carrier.Part part() {
            WhirSchedule.Round first = schedule.rounds().getFirst();
            return new Carrier.Part(codeword, onceMaskCode, first.logDomain(), first.fold());
        }
    }

    /**
     * A per-proof table for one opening in a carrier ({@link #commitCarried}): its values, units, tail (−1: ĥ above), narrowness
     * and the top it narrows under ({@link MultilinearPcs.HidingShape#top}; null: none).
     */
    record Carried(long[] evaluations, int units, int tailVars, boolean narrow, MultilinearPcs.HidingShape top) {
        /** Without a named top. */
        Carried(long[] evaluations, int units, int tailVars, boolean narrow) {
            this(evaluations, units, tailVars, narrow, null);
        }
    }

    /**
     * Commitments for one opening of {@code tables} (as {@link #commitOnce} and {@link #commitOnceInTail} would make them) whose
     * iteration-0 leaves share one salted {@link Carrier} tree, and, when {@code reusable} is given, a per-proof view of it whose
     * one opening's g is drawn now into the same tree (its last part). The carried commitments are named by their parts' roots;
     * they must then be opened in one hiding batch holding every part ({@link HidingBatch#open}).
     */
    static List<WhirHidingCommitment> commitCarried(List<Carried> tables, WhirHidingCommitment reusable, RandomGenerator randomness,
                                                    WhirParameters params, MerkleNode node, Carrier.Edits edits) {
        MaskStream random = MaskStream.of(randomness);
        List<Prepared> prepared = new ArrayList<>();
        List<Carrier.Part> parts = new ArrayList<>();
        for (Carried c : tables) {
            checkTable(c.evaluations());
            HidingLayout layout = layout(params, Integer.numberOfTrailingZeros(c.evaluations().length), c.units(), c.tailVars(), c.narrow(), c.top());
            Prepared p = prepare(c.evaluations(), layout, true, random, params);
            prepared.add(p);
            parts.add(p.part());
        }
        long[] mask = null;
        long[] maskCode = null;
        if (reusable != null) {
            if (reusable.once() || reusable.carrier != null) {
                throw new IllegalArgumentException("a carrier holds the per-proof g of a reusable commitment");
            }
            WhirSchedule.Round r0 = reusable.schedule.rounds().getFirst();
            mask = random.fields(1 << reusable.layout.vars());
            maskCode = random.code(mask, r0.logDomain());
            parts.add(new Carrier.Part(maskCode, null, r0.logDomain(), r0.fold())); // g's leaves are f′'s (HidingLayout.maskFunctionals)
        }
        Carrier carrier = Carrier.commit(parts, random, params, node, edits);
        List<WhirHidingCommitment> out = new ArrayList<>();
        for (int j = 0; j < prepared.size(); j++) {
            out.add(prepared.get(j).finish(null, carrier.memberRoot(j), null, random, carrier, j, params));
        }
        if (reusable != null) {
            out.add(new WhirHidingCommitment(reusable, carrier, prepared.size(), mask, maskCode, random));
        }
        return List.copyOf(out);
    }

    /**
     * The layout of a per-proof table for one opening: its mask in its tail (tailVars ≥ 0) or above it, the narrowest first fold
     * or not; a narrow one no narrower than the run under {@code top}'s layout admits ({@link HidingLayout#narrowestUnder}; null: none).
     */
    static HidingLayout layout(WhirParameters params, int n, int units, int tailVars, boolean narrow, MultilinearPcs.HidingShape top) {
        HidingLayout over = narrow && top != null ? layout(params, top.numVars(), top.units(), top.tailVars(), top.narrow(), top.top()) : null;
        HidingLayout layout = tailVars >= 0 ? (narrow ? HidingLayout.tailNarrow(params, n, units, over) : HidingLayout.tail(params, n, units))
                : narrow ? HidingLayout.narrow(params, n, units, over) : HidingLayout.of(params, n, units);
        if (layout == null || layout.tailVars() != tailVars) {
            throw new IllegalArgumentException("no layout of " + n + " variables with its mask in 2^" + tailVars + " tail slots covers " + units + " units"
                    + (layout == null ? "" : ": 2^" + layout.tailVars() + " does"));
        }
        return layout;
    }

    /**
     * The stream {@link #commitCarried} (or, for one table and no {@code reusable}, {@link #commitOnce} / {@link #commitOnceInTail})
     * will draw from, keyed by {@code randomness} as it would be, with its requests drawn now in the order {@link #prepare} and
     * {@link #commitCarried} make them — per table ĥ, then g (encoded, its table made); the reusable commitment's g (encoded); the
     * salts — none of which reads a table's values: the commitment made from it is the one {@code randomness} would give.
     */
    static PreparedMasks prepareMasks(List<MultilinearPcs.HidingShape> shapes, WhirHidingCommitment reusable, RandomGenerator randomness,
                                      WhirParameters params, MerkleNode node) {
        MaskStream random = new MaskStream(randomness);
        int tableLeaves = -1;
        int topVars = 0;
        List<Carrier.Part> masks = new ArrayList<>(); // the parts' masks: each table's g (its f′ reads the input: absent), the reusable g
        for (MultilinearPcs.HidingShape shape : shapes) {
            int n = shape.numVars();
            HidingLayout layout = layout(params, n, shape.units(), shape.tailVars(), shape.narrow(), shape.top());
            WhirSchedule.Round first = layout.schedule(params).rounds().getFirst();
            random.drawAhead(layout.inTail() ? 1 << layout.tailVars() : (1 << layout.vars()) - (1 << n), -1);
            masks.add(new Carrier.Part(null, random.drawAhead(1 << layout.vars(), first.logDomain()), first.logDomain(), first.fold()));
            tableLeaves = Math.max(tableLeaves, first.logDomain() - first.fold());
            topVars = Math.max(topVars, layout.vars());
        }
        int logLeaves = Math.max(0, tableLeaves);
        Carrier.Part g = null;
        if (reusable != null) {
            WhirSchedule.Round r0 = reusable.schedule.rounds().getFirst();
            long[] code = random.drawAhead(1 << reusable.layout.vars(), r0.logDomain());
            if (reusable.layout.vars() >= topVars) {
                // It tops the run: g's and f′'s contractions at f′'s commit points are fixed now (HidingBatch#open reads them).
                random.contractAhead(code, reusable.commitPoints(), r0.fold());
                reusable.contractionsAtCommitPoints();
            }
            g = new Carrier.Part(code, null, r0.logDomain(), r0.fold());
            masks.add(g);
            logLeaves = Math.max(logLeaves, g.logFibres());
        }
        long[] salts = random.saltsAhead(1 << logLeaves);
        // The tables' f′ read the input (a part mixing input and randomness counts as input). A table on top: its leaves' mask
        // halves (the g's and the salts, docs: "The carrier's leaf in two halves") are hashed now; else the heights below the
        // lowest table hold the reusable g alone, with its salts, and are hashed now ("The carrier with its parts injected …").
        int through = logLeaves - tableLeaves - 1;
        if (masks.size() < 2) { // one table alone is committed in its own tree (commitOnce), not in a carrier
            return new PreparedMasks(random);
        }
        if (through < 0) {
            random.carrierAhead(new Carrier.Ahead(null, Carrier.halves(masks, logLeaves, salts, params)));
        } else if (g != null) {
            random.carrierAhead(new Carrier.Ahead(Carrier.below(List.of(g), logLeaves, salts, through, params, node), null));
        }
        return new PreparedMasks(random);
    }

    private static Prepared prepare(long[] evaluations, HidingLayout layout, boolean once, MaskStream random, WhirParameters params) {
        int size = evaluations.length;
        int tailVars = layout.tailVars();
        WhirSchedule schedule = layout.schedule(params);
        WhirSchedule.Round first = schedule.rounds().getFirst();
        long[] table = evaluations.clone();
        long[] coefficients = new long[1 << layout.vars()];
        if (layout.inTail()) {
            // f′ = the table with uniform values in its last 2^d slots: f̂′ = f̂ + X^(2^n − 2^d)·ĥ, ĥ uniform (a bijection of the block)
            long[] mask = random.fields(1 << tailVars);
            System.arraycopy(mask, 0, table, size - mask.length, mask.length);
            System.arraycopy(table, 0, coefficients, 0, size);
            Codewords.toCoefficients(coefficients);
        } else {
            long[] tableCoefficients = evaluations.clone();
            Codewords.toCoefficients(tableCoefficients);
            System.arraycopy(tableCoefficients, 0, coefficients, 0, size);
            long[] mask = random.fields(coefficients.length - size);
            System.arraycopy(mask, 0, coefficients, size, mask.length);
        }
        long[] codeword = Codewords.encode(coefficients, first.logDomain());
        long[] onceMask = once ? random.fields(coefficients.length) : null;
        long[] onceMaskCode = once ? random.code(onceMask, first.logDomain()) : null;
        return new Prepared(layout, schedule, table, coefficients, codeword, onceMask, onceMaskCode, random);
    }

    @Override
    public int numVars() {
        return layout.tableVars();
    }

    @Override
    long[] codeword() {
        return codeword.get();
    }

    /** f′'s fibres at these leaves of its first round's domain ({@link SoftCodeword#fibres}). */
    long[][] fibres(int fold, int[] leaves) {
        return codeword.fibres(fold, leaves);
    }

    /** Clears the codeword as the collector may under memory pressure (the test suite's seam). */
    void clearCodeword() {
        codeword.clear();
    }

    @Override
    public int openingBudget() {
        return onceMask != null ? 1 : layout.budget();
    }

    @Override
    public int openingsLeft() {
        return onceMask != null ? 1 - Math.min(1, opened.get()) : Math.max(0, layout.budget() - used.get());
    }

    /** Units of the layout's budget not yet spent (a commitment for one opening spends them in that opening). */
    int unitsLeft() {
        return Math.max(0, layout.budget() - used.get());
    }

    /** Whether the opening's mask g is committed in f′'s tree ({@link #commitOnce}). */
    boolean once() {
        return onceMask != null;
    }

    @Override
    public int offFaceClaimsLeft() {
        return Math.max(0, offFaceClaimBudget() - offFaceUsed.get());
    }

    @Override
    public int maxClaims() {
        return layout.maxClaims(params);
    }

    @Override
    public int tailVars() {
        return layout.tailVars();
    }

    @Override
    public long[] committedTable() {
        return table.clone();
    }

    @Override
    public long[] maskFace() {
        return face().clone();
    }

    /** h's evaluation table, computed once (every off-face claim reads it). */
    private long[] face() {
        if (layout.inTail()) {
            throw new IllegalStateException("a commitment with its mask in the table's tail has no mask face");
        }
        long[] f = face;
        if (f == null) {
            int size = table.length;
            f = Arrays.copyOfRange(coefficients, size, 2 * size);
            Codewords.toEvaluations(f);
            face = f;
        }
        return f;
    }

    /**
     * f′'s evaluation table, from its coefficient blocks f̂, ĥ_T (T ≠ ∅, y^T the block's mask variables): the
     * monomial-to-evaluation transform on the table's variables maps block ∅ to f's table (known) and block
     * {y_0} to the mask face h ({@link #face}, kept), so only the further blocks are transformed; the
     * transform on the mask variables is then block[T] += block[T \ {i}] (additions). A full transform of
     * f′ costs twice as much for v = n + 1.
     */
    long[] evaluations() {
        if (layout.inTail()) {
            return table.clone();
        }
        int size = table.length;
        int blocks = coefficients.length / size;
        long[] out = new long[coefficients.length];
        System.arraycopy(table, 0, out, 0, size);
        System.arraycopy(face(), 0, out, size, size);
        for (int b = 2; b < blocks; b++) {
            long[] block = Arrays.copyOfRange(coefficients, b * size, (b + 1) * size);
            Codewords.toEvaluations(block);
            System.arraycopy(block, 0, out, b * size, size);
        }
        for (int bit = 1; bit < blocks; bit <<= 1) {
            int step = bit;
            Parallelism.forEachChunk(blocks * size, 1 << 14, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (((i / size) & step) != 0) {
                        out[i] = Goldilocks.add(out[i], out[i - step * size]);
                    }
                }
            });
        }
        return out;
    }

    /**
     * f′ at a point of the table's arity (f′(r, 0, …) = f(r)) or of one more coordinate
     * (f′(r, β, 0, …) = f(r) + β·h(r)).
     */
    Ext2 evaluate(Ext2[] point) {
        int n = layout.tableVars();
        if (point.length == n) {
            return WeightKernels.evaluate(table, point);
        }
        if (point.length != n + 1 || layout.inTail()) {
            throw new IllegalArgumentException("point has " + point.length + " coordinates for a hiding commitment to " + n + " variables");
        }
        Ext2[] r = Arrays.copyOf(point, n);
        return Mle.evaluate(table, r).add(point[n].mul(Mle.evaluate(face(), r)));
    }

    /**
     * Spends one opening of the budget, and more for off-face claims: each reveals two base-field
     * functionals of the mask ĥ beyond an opening's {@link HidingLayout#tableFunctionals}, charged in
     * units of those ({@link HidingLayout#openingUnits}).
     */
    void spend(int units, int offFaceClaims) {
        if ((onceMask != null || carriedMask != null || prepared != null) && !opened.compareAndSet(0, 1)) {
            throw new IllegalStateException("the hiding commitment was made for one opening (its mask g is committed with it), and it is spent");
        }
        try {
            spendUnits(units, offFaceClaims);
        } catch (IllegalStateException e) {
            opened.set(0);
            throw e;
        }
    }

    private void spendUnits(int units, int offFaceClaims) {
        if (offFaceUsed.addAndGet(offFaceClaims) > offFaceClaimBudget()) {
            offFaceUsed.addAndGet(-offFaceClaims);
            throw new IllegalStateException("the hiding commitment's mask face covers " + offFaceClaimBudget() + " off-face claims, and they are spent;"
                    + " rotate to a fresh commitment");
        }
        if (used.addAndGet(units) > layout.budget()) {
            used.addAndGet(-units);
            offFaceUsed.addAndGet(-offFaceClaims);
            throw new IllegalStateException("the hiding commitment's budget of " + layout.budget() + " openings is spent; rotate to a fresh commitment");
        }
    }

    /**
     * Off-face claims the mask face h covers over the commitment's life: each value f(r) + β·h(r) is two
     * base-field functionals of h's 2^n coefficients (and nothing else of ĥ), so at most 2^(n−1) of them
     * can be independent.
     */
    @Override
    public int offFaceClaimBudget() {
        return layout.inTail() ? 0 : (1 << layout.tableVars()) / 2;
    }

    @Override
    public void chargeMerged(int merged) {
        spendUnits(openingUnits(merged + 1) - openingUnits(1), merged);
    }

    @Override
    public int openingUnits(int offFaceClaims) {
        return HidingLayout.openingUnits(schedule, offFaceClaims);
    }
}
