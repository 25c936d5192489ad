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

    static Masked mask(Transcript t, WhirHidingCommitment c, List<PcsOpening> openings, MerkleNode node, int group, WhirProver.Deviation deviation,
                       boolean summed) {
        int v = c.layout.vars();
        WhirSchedule schedule = c.schedule;
        WhirSchedule.Round r0 = schedule.rounds().getFirst();
        WhirTranscript.absorbCommitment(t, c.merkleRoot(), c.oodAnswers);

        // g: committed beside f′ in its tree (a commitment made for one opening), or fresh with a salted tree of its own.
        long[] maskCoefficients;
        SoftCodeword freshCode = null;
        long[] maskSalts = null;
        MerkleTree maskTree = null;
        long[] gTable = null;
        Ext2[] gAtCommitPoints = null;
        if (c.once()) {
            maskCoefficients = c.onceMask;
        } else if (c.carriedMask != null) { // drawn with the proof's carrier, committed in it
            maskCoefficients = c.carriedMask;
            freshCode = new SoftCodeword(maskCoefficients, r0.logDomain(), c.carriedMaskCode);
        } else {
            Fresh f = c.prepared != null ? c.prepared.take(node) : fresh(c, node, m -> deviation.mask(group, m));
            maskCoefficients = f.coefficients();
            maskSalts = f.salts();
            maskTree = f.tree();
            gTable = f.table();
            gAtCommitPoints = f.atCommitPoints();
            freshCode = SoftCodeword.untilRead(maskCoefficients, r0.logDomain(), f.code()); // read by this opening's iteration 0
        }
        byte[] maskRoot = c.carriedMask != null ? c.carrier.memberRoot(c.carrierPart) : maskTree == null ? new byte[0] : maskTree.root();
        Ext2[] commitPoints = WhirTranscript.commitOodPoints(c.params, v, c.merkleRoot(), schedule.commitOod());
        Ext2[] maskPoints = WhirTranscript.maskOracle(t, maskRoot, HidingLayout.maskOod(schedule, c.once())); // none for a once g in the list regimes
        Ext2[] ood = new Ext2[commitPoints.length + 2 * maskPoints.length];
        for (int k = 0; k < commitPoints.length; k++) {
            ood[k] = gAtCommitPoints != null ? gAtCommitPoints[k] : Codewords.univariate(maskCoefficients, commitPoints[k]);
        }
        for (int k = 0; k < maskPoints.length; k++) {
            ood[commitPoints.length + 2 * k] = Codewords.univariate(c.coefficients, maskPoints[k]);
            ood[commitPoints.length + 2 * k + 1] = Codewords.univariate(maskCoefficients, maskPoints[k]);
        }
        Ext2[][] points = new Ext2[openings.size()][];
        Ext2[] claims = new Ext2[openings.size()];
        if (gTable == null) { // made ahead with g when its stream was prepared (MaskStream#drawAhead), else now
            gTable = c.random.evaluations(maskCoefficients);
        }
        SoftReference<long[]> table = new SoftReference<>(gTable);
        Batching.Evaluator g = new Batching.Evaluator(gTable);
        for (int j = 0; j < points.length; j++) {
            points[j] = embed(openings.get(j).point(), v);
            claims[j] = g.at(points[j]);
        }
        if (!summed) {
            WhirTranscript.absorbMaskValues(t, ood, claims);
            return new Masked(c, maskCoefficients, freshCode, maskSalts, maskTree, commitPoints, maskPoints, ood, claims, points, null, table);
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
        return new Masked(c, maskCoefficients, freshCode, maskSalts, maskTree, commitPoints, maskPoints, answers, new Ext2[] {sum}, points, beta, table);
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
