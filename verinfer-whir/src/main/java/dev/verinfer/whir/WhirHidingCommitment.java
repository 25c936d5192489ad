package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.poly.Mle;
import dev.verinfer.pcs.HidingCommitment;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.Arrays;

/**
 * A hiding WHIR commitment ({@link HidingLayout}): the codeword of f̂′ = f̂ + X^(2^n)·ĥ, ĥ uniformly
 * random, in a Merkle tree with a fresh 16-byte salt per leaf; the public root is
 * {@link WhirTranscript#hidingCommitmentDigest}, which names the arities, so a root is opened as hiding
 * or as plain, never both. {@code table} is f; {@code coefficients}, {@code codeword}, {@code tree}
 * and the out-of-domain answers are f′'s. The prover's generator (a PRG keyed from the caller's
 * randomness) stays with the commitment: every opening draws its mask g and salts from it.
 */
final class WhirHidingCommitment extends WhirCommitment implements HidingCommitment {
    final HidingLayout layout;
    final long[] salts;
    final MaskStream random;
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger offFaceUsed = new AtomicInteger();
    private volatile long[] face;

    private WhirHidingCommitment(WhirParameters params, WhirSchedule schedule, long[] table, long[] coefficients, long[] codeword,
                                 MerkleTree tree, Ext2[] oodAnswers, HidingLayout layout, long[] salts, MaskStream random) {
        super(params, schedule, table, coefficients, codeword, tree, oodAnswers,
                WhirTranscript.hidingCommitmentDigest(layout.tableVars(), layout.vars(), layout.firstFold(), tree.root(), oodAnswers));
        this.layout = layout;
        this.salts = salts;
        this.random = random;
    }

    static WhirHidingCommitment commit(long[] evaluations, int budget, RandomGenerator randomness, WhirParameters params) {
        int size = evaluations.length;
        if (size == 0 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("table length must be a power of two: " + size);
        }
        for (long v : evaluations) {
            Goldilocks.canonical(v);
        }
        HidingLayout layout = HidingLayout.of(params, Integer.numberOfTrailingZeros(size), budget);
        MaskStream random = new MaskStream(randomness);
        WhirSchedule schedule = layout.schedule(params);
        WhirSchedule.Round first = schedule.rounds().getFirst();
        long[] tableCoefficients = evaluations.clone();
        Codewords.toCoefficients(tableCoefficients);
        long[] coefficients = new long[1 << layout.vars()];
        System.arraycopy(tableCoefficients, 0, coefficients, 0, size);
        long[] mask = random.fields(coefficients.length - size);
        System.arraycopy(mask, 0, coefficients, size, mask.length);
        long[] codeword = Codewords.encode(coefficients, first.logDomain());
        long[] salts = random.salts(first.fibres());
        MerkleTree tree = Codewords.commit(codeword, null, first.logDomain(), first.fold(), params.digestBytes(), salts);
        Ext2[] points = WhirTranscript.commitOodPoints(params, layout.vars(), tree.root(), schedule.commitOod());
        Ext2[] answers = new Ext2[points.length];
        for (int i = 0; i < points.length; i++) {
            answers[i] = Codewords.univariate(coefficients, points[i]);
        }
        return new WhirHidingCommitment(params, schedule, evaluations.clone(), coefficients, codeword, tree, answers, layout, salts, random);
    }

    @Override
    public int numVars() {
        return layout.tableVars();
    }

    @Override
    public int openingBudget() {
        return layout.budget();
    }

    @Override
    public int openingsLeft() {
        return Math.max(0, layout.budget() - used.get());
    }

    @Override
    public int offFaceClaimsLeft() {
        return Math.max(0, offFaceBudget() - offFaceUsed.get());
    }

    @Override
    public int maxClaims() {
        return layout.maxClaims(params);
    }

    @Override
    public long[] maskFace() {
        return face().clone();
    }

    /** h's evaluation table, computed once (every off-face claim reads it). */
    private long[] face() {
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
     * f′ at a point of the table's arity (f′(r, 0, …) = f(r)) or of one more coordinate
     * (f′(r, β, 0, …) = f(r) + β·h(r)).
     */
    Ext2 evaluate(Ext2[] point) {
        int n = layout.tableVars();
        if (point.length == n) {
            return WeightKernels.evaluate(table, point);
        }
        if (point.length != n + 1) {
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
        if (offFaceUsed.addAndGet(offFaceClaims) > offFaceBudget()) {
            offFaceUsed.addAndGet(-offFaceClaims);
            throw new IllegalStateException("the hiding commitment's mask face covers " + offFaceBudget() + " off-face claims, and they are spent;"
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
    int offFaceBudget() {
        return (1 << layout.tableVars()) / 2;
    }
}
