package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.transcript.Transcript;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.List;

/**
 * The zero-knowledge opening of a hiding commitment to f (n variables) as f′ (v variables,
 * {@link HidingLayout}). A claim f(r) = y is the claim f′(r, 0) = y. The prover commits a fresh uniformly
 * random g of v variables (salted tree), answers ĝ at f′'s commit-time out-of-domain points, f̂′ and ĝ at
 * g's own (none for a commitment for one opening in the list regimes: {@link HidingLayout#maskOod(WhirSchedule, boolean)}),
 * and g(r_j, 0) for every claim; the verifier draws ρ (after grinding the first fold's bits) and
 * WHIR runs on F = f′ + ρ·g with the constraints F(p) = f′(p) + ρ·g(p) at all those points, iteration 0
 * reading F's fibres as f′'s fibre + ρ·g's (both opened at the same indices). Every later message is a
 * functional of F, uniform through g; the only values that depend on f′ alone are its fibres and its
 * answers at g's points, which the commitment's mask ĥ covers up to the budget. A commitment made for
 * one opening ({@link WhirHidingCommitment#commitOnce}) holds that opening's g already, in f′'s own tree:
 * no mask tree is sent, and iteration 0 opens the pairs (f′, g) from f′'s tree.
 *
 * <p>Soundness: as WHIR's batching of two same-size polynomials (ACFY24 §5, batched constraints): the
 * fold of F's fibres checks F's proximity; by the proximity gap of a line (Ben-Sasson et al. FOCS 2020
 * Thm 1.4, and the conjectured list version in the capacity regime) F is close only if f′ and g are
 * both close, except with probability ≤ the first fold's error, which ρ's grinding matches. The values
 * g(p) and the out-of-domain values are fixed before ρ, so a false f′(p) gives a false F(p) except with
 * probability 1/|K| (a line through two different points meets F(p) at most once).
 */
final class HidingOpening {
    private HidingOpening() {}

    /** The opening; the trees it makes (g's unless made ahead or carried, the later oracles) have {@code node}'s inner nodes. */
    static WhirProof.Group open(Transcript t, WhirHidingCommitment c, List<PcsOpening> openings, MerkleNode node, int group, WhirProver.Deviation deviation) {
        if (c.carrier != null) {
            throw new IllegalArgumentException("a carried commitment is opened in the hiding batch of its carrier's parts (HidingBatch)");
        }
        checkAndSpend(c, openings, deviation);
        WhirSchedule schedule = c.schedule;
        Masked masked = mask(t, c, openings, node, group, deviation, deviation.sumsMaskValues());
        long nonce = WhirTranscript.grind(t, schedule.rounds().getFirst().powBits());
        Ext2 rho = WhirTranscript.maskCombiner(t);

        Ext2 beta = masked.beta() != null ? masked.beta() : WhirTranscript.claimCombiner(t);
        List<Ext2[]> points = HidingBatch.constraintPoints(masked.points(), masked.commitPoints(), masked.maskPoints(), c.layout.vars());
        ExtVector weight = Batching.constraintWeight(points, beta, c.layout.vars());
        ExtVector combined = combine(c.evaluations(), masked.maskTable(), rho);
        // Iteration 0 opens f′'s and g's leaves through the batch's reader, which fetches their codewords only then; later oracles
        // are salted unless F₁ whole hides f′ (HidingLayout.unsaltedLaterOracles).
        WhirProver.Run run = WhirProver.iterate(t, schedule, combined, null, weight, null, null,
                HidingLayout.unsaltedLaterOracles(schedule, points.size()) ? null : c.random, node, group, deviation, new HidingBatch.Leaves(new Masked[] {masked}));
        return new WhirProof.Group(c.tree.root(), c.oodAnswers.clone(), run.rounds(), run.finalCoefficients(), masked.mask(nonce));
    }

    /** Refuses an opening its layout does not hide (too many claims, or claims that nearly fix a small table) and spends its budget. */
    static void checkAndSpend(WhirHidingCommitment c, List<PcsOpening> openings, WhirProver.Deviation deviation) {
        checkAndSpend(c, openings, HidingLayout.openingUnits(c.schedule, maskReads(c.layout, openings.size(), offFace(c, openings))), deviation);
    }

    /**
     * Claims whose values are functionals of ĥ (two base functionals each, charged in {@link HidingLayout#openingUnits}): the
     * off-face claims, or, with ĥ in the table's tail ({@link HidingLayout#tail}), every claim (a generic point reads the
     * block; the rank test gains f's 2 functionals when one is not charged).
     */
    static int maskReads(HidingLayout layout, int claims, int offFace) {
        return layout.inTail() ? claims : offFace;
    }

    /** {@link #checkAndSpend}, spending {@code units} (a hiding batch's reveal more leaves of a member whose t₀ is below the run's). */
    static void checkAndSpend(WhirHidingCommitment c, List<PcsOpening> openings, int units, WhirProver.Deviation deviation) {
        HidingLayout layout = c.layout;
        if (openings.size() > layout.maxClaims(c.params)) {
            throw new IllegalArgumentException(openings.size() + " claims on one hiding commitment; its mask covers at most " + layout.maxClaims(c.params));
        }
        int offFace = offFace(c, openings);
        if (layout.inTail() && offFace > 0) {
            throw new IllegalArgumentException("a claim off the table's face on a commitment with its mask in the table's tail (it has no mask face)");
        }
        if (deviation.checksHiding() && !layout.claimsHide(c.params, openings.size(), offFace > 0, c.once())) {
            throw new IllegalArgumentException(openings.size() + " claims on a hiding commitment to " + layout.tableVars()
                    + " variables nearly fix the table, or its first fold (" + layout.firstFold() + ") binds mask variables beside the whole face:"
                    + " its mask's face cannot hide the rest (HidingLayout.faceFunctionals)");
        }
        c.spend(units, offFace);
    }

    /** Claims off the table's face (one coordinate more). */
    static int offFace(WhirHidingCommitment c, List<PcsOpening> openings) {
        return (int) openings.stream().filter(o -> o.point().length > c.layout.tableVars()).count();
    }

    /**
     * One opening's mask g and what is sent about it before ρ: f′'s commitment absorbed, g drawn (or the one committed in f′'s
     * tree) and committed, g's out-of-domain points w drawn, and the values ĝ at f′'s commit points, (f̂′(w), ĝ(w)) and g at
     * each claim's embedded point absorbed. A fresh g's codeword is held softly ({@link SoftCodeword}; null when g is in f′'s
     * tree) and so is its evaluation table, made to evaluate g at the claims and recomputed only if the collector took it: a
     * hiding batch holds every member's g until iteration 0's queries, and those two were most of it (a 23-variable g at
     * R = 3: codeword 512 MB and table 64 MB of 960 MB, beside its coefficients, 64 MB, salted tree, 256 MB, and salts, 64 MB).
     */
    record Masked(WhirHidingCommitment c, long[] maskCoefficients, SoftCodeword freshCode, long[] maskSalts, MerkleTree maskTree,
                  Ext2[] commitPoints, Ext2[] maskPoints, Ext2[] ood, Ext2[] claims, Ext2[][] points, Ext2 beta,
                  SoftReference<long[]> table) {
        byte[] maskRoot() {
            return c.carriedMask != null ? c.carrier.memberRoot(c.carrierPart) : maskTree == null ? new byte[0] : maskTree.root();
        }

        WhirProof.Mask mask(long nonce) {
            return new WhirProof.Mask(c.layout.vars() - c.layout.tableVars(), maskRoot(), ood, claims, nonce, c.layout.firstFold(), beta != null,
                    c.layout.tailVars());
        }

        /** g's evaluation table (read only; the one made for the claims, or computed anew if it was collected). */
        long[] maskTable() {
            long[] t = table.get();
            return t != null ? t : maskCoefficientsTable(maskCoefficients);
        }

        /** f′'s iteration-0 leaves (ascending) of its first round {@code own}: (f′, g) pairs when g is in f′'s tree. */
        WhirProof.Opened openLeaves(WhirSchedule.Round own, int[] leaves) {
            long[][] fibres = c.fibres(own.fold(), leaves);
            if (c.once()) {
                for (int k = 0; k < leaves.length; k++) {
                    long[] g = Codewords.fibre(c.onceMaskCode, null, own.logDomain(), own.fold(), leaves[k]);
                    long[] pairs = new long[2 * g.length];
                    for (int m = 0; m < g.length; m++) {
                        pairs[2 * m] = fibres[k][m];
                        pairs[2 * m + 1] = g[m];
                    }
                    fibres[k] = pairs;
                }
            }
            return WhirProver.Oracle.opened(fibres, c.salts, c.tree, leaves);
        }

        /** g's own iteration-0 leaves (ascending; f′'s fibres of its first round {@code own}); null when g is in f′'s tree. */
        WhirProof.Opened openMask(WhirSchedule.Round own, int[] leaves) {
            return c.once() || c.carriedMask != null ? null : WhirProver.Oracle.opened(freshCode.fibres(own.fold(), leaves), maskSalts, maskTree, leaves);
        }
    }

    /** The {@link Masked} opening with its g taken now ({@link #source}) and the values evaluated on f′'s and g's coefficients and g's table. */
    static Masked mask(Transcript t, WhirHidingCommitment c, List<PcsOpening> openings, MerkleNode node, int group, WhirProver.Deviation deviation,
                       boolean summed) {
        return mask(t, c, openings, source(c, node, group, deviation), summed, null);
    }

    /**
     * One opening's g and what derives from it alone, taken before its transcript: g's coefficients, its codeword (softly; null
     * when g is in f′'s tree), salts and tree (null unless g has a tree of its own), its evaluation table (made ahead with its
     * stream, else now), ĝ at f′'s commit points when made ahead (else null), and g's contractions at those points for f′'s
     * first fold when made ahead with a carrier's stream ({@link MaskStream#contractAhead}; else null).
     */
    record Source(long[] coefficients, SoftCodeword code, long[] salts, MerkleTree tree, long[] table, Ext2[] atCommitPoints,
                  Ext2[][] contracted) {}

    /** g as {@link #mask} takes it: committed in f′'s tree, carried, made ahead, or drawn now (its table made now if not ahead). */
    static Source source(WhirHidingCommitment c, MerkleNode node, int group, WhirProver.Deviation deviation) {
        int logDomain = c.schedule.rounds().getFirst().logDomain();
        if (c.once()) {
            return new Source(c.onceMask, null, null, null, c.random.evaluations(c.onceMask), null, null);
        }
        if (c.carriedMask != null) { // drawn with the proof's carrier, committed in it
            return new Source(c.carriedMask, new SoftCodeword(c.carriedMask, logDomain, c.carriedMaskCode), null, null,
                    c.random.evaluations(c.carriedMask), null, c.random.contracted(c.carriedMask, c.commitPoints()));
        }
        Fresh f = c.prepared != null ? c.prepared.take(node) : fresh(c, node, m -> deviation.mask(group, m));
        // read by this opening's iteration 0
        return new Source(f.coefficients(), SoftCodeword.untilRead(f.coefficients(), logDomain, f.code()), f.salts(), f.tree(), f.table(),
                f.atCommitPoints(), null);
    }

    /**
     * f′'s and g's values at a member's constraint points ({@link HidingBatch#constraintPoints} order: the claims embedded, f′'s
     * commit points, g's points), as {f′'s, g's}: a hiding batch reads them off the contractions its iteration 0 makes at those
     * points anyway ({@link Contractions#value}), where {@link #mask} alone evaluates ĝ, f̂′ and g over their 2^v coefficients.
     * The first {@code claims} points are the claims, the next {@code commitPoints} f′'s commit points.
     */
    interface ConstraintValues {
        Ext2[][] at(List<Ext2[]> points, int claims, int commitPoints);
    }

    /** {@link #mask} with g taken ({@link #source}) and, when {@code values} is not null, the values at the points read from it. */
    static Masked mask(Transcript t, WhirHidingCommitment c, List<PcsOpening> openings, Source g, boolean summed, ConstraintValues values) {
        int v = c.layout.vars();
        WhirTranscript.absorbCommitment(t, c.merkleRoot(), c.oodAnswers);
        byte[] maskRoot = c.carriedMask != null ? c.carrier.memberRoot(c.carrierPart) : g.tree() == null ? new byte[0] : g.tree().root();
        Ext2[] commitPoints = WhirTranscript.commitOodPoints(c.params, v, c.merkleRoot(), c.schedule.commitOod());
        Ext2[] maskPoints = WhirTranscript.maskOracle(t, maskRoot, HidingLayout.maskOod(c.schedule, c.once())); // none for a once g in the list regimes
        Ext2[][] points = new Ext2[openings.size()][];
        for (int j = 0; j < points.length; j++) {
            points[j] = embed(openings.get(j).point(), v);
        }
        Ext2[] ood = new Ext2[commitPoints.length + 2 * maskPoints.length];
        Ext2[] claims = new Ext2[openings.size()];
        long[] gTable = g.table();
        if (values != null) {
            Ext2[][] fg = values.at(HidingBatch.constraintPoints(points, commitPoints, maskPoints, v), points.length, commitPoints.length);
            System.arraycopy(fg[1], 0, claims, 0, claims.length);
            for (int k = 0; k < commitPoints.length; k++) {
                ood[k] = fg[1][claims.length + k];
            }
            for (int k = 0; k < maskPoints.length; k++) {
                ood[commitPoints.length + 2 * k] = fg[0][claims.length + commitPoints.length + k];
                ood[commitPoints.length + 2 * k + 1] = fg[1][claims.length + commitPoints.length + k];
            }
        } else {
            for (int k = 0; k < commitPoints.length; k++) {
                ood[k] = g.atCommitPoints() != null ? g.atCommitPoints()[k] : Codewords.univariate(g.coefficients(), commitPoints[k]);
            }
            for (int k = 0; k < maskPoints.length; k++) {
                ood[commitPoints.length + 2 * k] = Codewords.univariate(c.coefficients, maskPoints[k]);
                ood[commitPoints.length + 2 * k + 1] = Codewords.univariate(g.coefficients(), maskPoints[k]);
            }
            Batching.Evaluator at = new Batching.Evaluator(gTable);
            for (int j = 0; j < points.length; j++) {
                claims[j] = at.at(points[j]);
            }
        }
        SoftReference<long[]> table = new SoftReference<>(gTable);
        if (!summed) {
            WhirTranscript.absorbMaskValues(t, ood, claims);
            return new Masked(c, g.coefficients(), g.code(), g.salts(), g.tree(), commitPoints, maskPoints, ood, claims, points, null, table);
        }
        // Summed (WhirProof.Mask#summed): f̂′(w) sent, β drawn, then g's values at every constraint point in one Γ.
        Ext2[] answers = new Ext2[maskPoints.length];
        for (int k = 0; k < answers.length; k++) {
            answers[k] = ood[commitPoints.length + 2 * k];
        }
        WhirTranscript.absorbMaskAnswers(t, answers);
        Ext2 beta = WhirTranscript.claimCombiner(t);
        Ext2 sum = sum(beta, claims, ood, commitPoints.length);
        WhirTranscript.absorbMaskSum(t, sum);
        return new Masked(c, g.coefficients(), g.code(), g.salts(), g.tree(), commitPoints, maskPoints, answers, new Ext2[] {sum}, points, beta, table);
    }

    /**
     * A fresh g for one opening of a reusable commitment and what derives from it alone: drawn from the commitment's opening stream
     * ({@code edit}: the tests' deviation, before it is encoded), its codeword, salts (g's leaves are f′'s fibres,
     * {@link HidingLayout#maskFunctionals}), salted tree (its inner nodes {@code node}'s), evaluation table, and ĝ at f′'s
     * commit-time out-of-domain points (fixed by f′'s root, so by the commitment: made ahead with g,
     * {@link WhirHidingCommitment#withPreparedOpening}, they are input-independent work off the proof's path).
     */
    record Fresh(long[] coefficients, long[] code, long[] salts, MerkleTree tree, long[] table, MerkleNode node, Ext2[] atCommitPoints) {}

    static Fresh fresh(WhirHidingCommitment c, MerkleNode node, java.util.function.Consumer<long[]> edit) {
        WhirSchedule.Round r0 = c.schedule.rounds().getFirst();
        long[] g = c.random.fields(1 << c.layout.vars());
        edit.accept(g);
        long[] code = Codewords.encode(g, r0.logDomain());
        long[] salts = c.random.salts(r0.fibres());
        MerkleTree tree = Codewords.commit(code, null, r0.logDomain(), r0.fold(), c.params, salts, node);
        Ext2[] commitPoints = WhirTranscript.commitOodPoints(c.params, c.layout.vars(), c.merkleRoot(), c.schedule.commitOod());
        Ext2[] atCommitPoints = new Ext2[commitPoints.length];
        for (int k = 0; k < commitPoints.length; k++) {
            atCommitPoints[k] = Codewords.univariate(g, commitPoints[k]);
        }
        return new Fresh(g, code, salts, tree, maskCoefficientsTable(g), node, atCommitPoints);
    }

    /** A {@link Fresh} made ahead of its opening ({@link WhirHidingCommitment#withPreparedOpening}), handed to that one opening. */
    static final class Prepared {
        private Fresh fresh;

        Prepared(Fresh fresh) {
            this.fresh = fresh;
        }

        /** The prepared g, for an opening whose trees have {@code node}'s inner nodes (g's tree was made with them). */
        synchronized Fresh take(MerkleNode node) {
            Fresh f = fresh;
            if (f == null) {
                throw new IllegalStateException("the opening's prepared mask g is spent: a mask serves one opening");
            }
            if (f.node() != node) {
                throw new IllegalArgumentException("the opening's mask g was prepared with " + f.node() + " inner nodes, the opening makes " + node);
            }
            fresh = null;
            return f;
        }
    }

    /**
     * Γ = Σ_k β^k·g(p_k) over the constraint points in {@link HidingBatch#constraintPoints} order: g at each claim, ĝ at f′'s
     * commit points ({@code ood}'s first {@code commitCount}), then ĝ at g's own points (every second value after them).
     */
    static Ext2 sum(Ext2 beta, Ext2[] claims, Ext2[] ood, int commitCount) {
        Ext2 sum = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        List<Ext2> values = new java.util.ArrayList<>(Arrays.asList(claims));
        values.addAll(Arrays.asList(ood).subList(0, commitCount));
        for (int k = commitCount + 1; k < ood.length; k += 2) {
            values.add(ood[k]);
        }
        for (Ext2 value : values) {
            sum = sum.add(power.mul(value));
            power = power.mul(beta);
        }
        return sum;
    }

    private static long[] maskCoefficientsTable(long[] coefficients) {
        long[] table = coefficients.clone();
        Codewords.toEvaluations(table);
        return table;
    }

    /**
     * (r, 0, …, 0): the point of f′ = f + Σ y^T·h_T where f′ equals f; with r of n + 1 coordinates, an
     * off-face claim on f′(r, β, 0, …) = f + β·h (costs budget: {@link HidingLayout#openingUnits}).
     */
    static Ext2[] embed(Ext2[] point, int vars) {
        if (point.length > vars) {
            throw new IllegalArgumentException("a point of " + point.length + " coordinates on f′ of " + vars + " variables");
        }
        Ext2[] out = Arrays.copyOf(point, vars);
        Arrays.fill(out, point.length, vars, Ext2.ZERO);
        return out;
    }

    /** a + ρ·b over the base field, as an extension table. */
    static ExtVector combine(long[] a, long[] b, Ext2 rho) {
        long[] c0 = new long[a.length];
        long[] c1 = new long[a.length];
        Parallelism.forEachChunk(a.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                c0[i] = Goldilocks.add(a[i], Goldilocks.mul(rho.c0(), b[i]));
                c1[i] = Goldilocks.mul(rho.c1(), b[i]);
            }
        });
        return new ExtVector(c0, c1);
    }
}
