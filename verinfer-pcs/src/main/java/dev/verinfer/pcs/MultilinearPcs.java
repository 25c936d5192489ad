package dev.verinfer.pcs;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.transcript.Transcript;

import java.util.List;

/**
 * A commitment scheme for multilinear polynomials given by their evaluation tables over {0,1}^n
 * (index bit j ↔ variable j, so {@code point[0]} is the least significant index bit).
 *
 * <p>The caller absorbs {@link PcsCommitment#root()} into its own transcript when the commitment is
 * sent. {@link #open} and {@link #verify} then run the same transcript steps on a transcript in the
 * same state, and leave it in the same state; both absorb every claim themselves as well.
 */
public interface MultilinearPcs {
    /** Commits to the table {@code evaluations} (length 2^n, canonical elements); n = 0 is allowed. */
    PcsCommitment commit(long[] evaluations);

    /**
     * A hiding commitment to {@code evaluations}: salted Merkle leaves and a random mask, so that up to
     * {@code openingBudget} openings reveal nothing about the table beyond the claimed values.
     * Masks come from {@code random} (a SecureRandom in production; seeded in tests).
     *
     * @throws UnsupportedOperationException if this scheme has no hiding variant
     */
    default PcsCommitment commitHiding(long[] evaluations, int openingBudget, java.util.random.RandomGenerator random) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no hiding commitments");
    }

    /**
     * As {@link #commitHiding(long[], int, java.util.random.RandomGenerator)}, its masks and salts drawn from {@code commitRandom}
     * and every opening's fresh randomness from {@code openingRandom}: a seeded {@code commitRandom} makes the root
     * reproducible by whoever holds the seed (a committed input handed to another process), while each process's
     * openings stay independent (the zero-knowledge argument takes each opening's mask fresh; two drawn alike from one seed are not covered by it).
     *
     * @throws UnsupportedOperationException if this scheme has no hiding variant
     */
    default PcsCommitment commitHiding(long[] evaluations, int openingBudget, java.util.random.RandomGenerator commitRandom,
                                       java.util.random.RandomGenerator openingRandom) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no hiding commitments");
    }

    /**
     * A hiding commitment to {@code evaluations} for exactly one opening, which may spend {@code units} of
     * budget (off-face claims spend more than one): the scheme may fix that opening's masks at commit time,
     * and refuses a second opening. {@code narrow}: with opened units (leaves) as narrow as the scheme allows, for a small
     * table that the scheme opens as a member of a larger table's batched run, which reads one value of each opened unit.
     * By default {@link #commitHiding} with a budget of {@code units}, whatever {@code narrow}.
     *
     * @throws UnsupportedOperationException if this scheme has no hiding variant
     */
    default PcsCommitment commitHidingOnce(long[] evaluations, int units, boolean narrow, java.util.random.RandomGenerator random) {
        return commitHiding(evaluations, units, random);
    }

    /**
     * d ≥ 0 when a commitment for one opening of an n-variable table, spending {@code units}, can keep the table's arity
     * by writing its mask into the table's last 2^d slots ({@link #commitHidingOnceInTail}); −1 when the scheme has no
     * such layout or the table is too small for it. {@code narrow}: for opened units as narrow as the scheme allows
     * ({@link #commitHidingOnce} with {@code narrow}: a table opened as a small member of a larger table's batched run), no
     * narrower than that run needs under {@code top} (null: none named; {@link HidingShape#top}). A function of the scheme's
     * parameters, n, units, {@code narrow} and {@code top} alone, so a verifier derives it as the prover does.
     */
    default int hidingTailVars(int numVars, int units, boolean narrow, HidingShape top) {
        return -1;
    }

    /**
     * {@link #commitHidingOnce} with the mask in the table's last 2^tailVars slots ({@link #hidingTailVars} with the same
     * {@code narrow} and {@code top}): the committed polynomial is the table with those slots replaced by uniformly random values
     * ({@link HidingCommitment#committedTable}), of the table's arity; its opening takes claims of that arity only, which
     * must not read those slots for the caller to learn anything about its table.
     *
     * @throws UnsupportedOperationException if this scheme has no such layout
     */
    default PcsCommitment commitHidingOnceInTail(long[] evaluations, int units, int tailVars, boolean narrow, HidingShape top,
                                                 java.util.random.RandomGenerator random) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no hiding commitments with the mask in the table");
    }

    /**
     * A per-proof table for one opening in {@link #commitHidingCarried}: its values, the units of budget its opening spends,
     * the mask's tail slots ({@link #hidingTailVars}; −1: a mask above the table), {@code narrow} as in {@link #commitHidingOnce} and
     * {@code top} as in {@link HidingShape}.
     */
    record CarriedTable(long[] evaluations, int units, int tailVars, boolean narrow, HidingShape top) {
        /** Without a named top. */
        public CarriedTable(long[] evaluations, int units, int tailVars, boolean narrow) {
            this(evaluations, units, tailVars, narrow, null);
        }
    }

    /** Whether this scheme has {@link #commitHidingCarried}. */
    default boolean carriesLeaves() {
        return false;
    }

    /**
     * Commitments for one opening of {@code tables} (each as {@link #commitHidingOnce} or {@link #commitHidingOnceInTail} would
     * make it) whose opened leaves share one per-proof tree, in order, then — when {@code reusable} is a hiding commitment of this
     * scheme — a view of it whose one opening's mask is drawn now into the same tree. All of them are then opened in one batch.
     *
     * @throws UnsupportedOperationException if this scheme has no carrier trees ({@link #carriesLeaves})
     */
    default List<PcsCommitment> commitHidingCarried(List<CarriedTable> tables, PcsCommitment reusable, java.util.random.RandomGenerator random) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no carrier trees");
    }

    /**
     * A per-proof table's shape for {@link #prepareHiding}: a {@link CarriedTable} without its values. {@code top}: for a
     * {@code narrow} table, the reusable hiding commitment (an n-variable table committed for {@code units} openings, its mask
     * above it, not narrow) whose batched run it will join as a small member, so that its opened units are no narrower than
     * that run's rule needs to admit it under that top (2026-12-07, branch heyfold31); null: as narrow as the scheme allows.
     */
    record HidingShape(int numVars, int units, int tailVars, boolean narrow, HidingShape top) {
        /** Without a named top. */
        public HidingShape(int numVars, int units, int tailVars, boolean narrow) {
            this(numVars, units, tailVars, narrow, null);
        }
    }

    /**
     * The randomness of per-proof hiding commitments for one opening, drawn before their tables are known, with what derives from
     * it alone made now (the openings' masks g, their codewords and evaluation tables, the salts): the generator returned is handed
     * to {@link #commitHidingOnce} / {@link #commitHidingOnceInTail} (one shape, no {@code reusable}) or {@link #commitHidingCarried}
     * (these shapes in order, this {@code reusable}) in place of {@code random}, and the commitment is then the one {@code random}
     * would have made, value for value. It serves one commitment (a second is refused). By default {@code random} itself: nothing
     * is made ahead (its first draw is then taken when the commitment is made).
     */
    default java.util.random.RandomGenerator prepareHiding(List<HidingShape> tables, PcsCommitment reusable, java.util.random.RandomGenerator random) {
        return random;
    }

    /**
     * A per-proof view of the hiding commitment {@code reusable} (same root, counts shared) for exactly one opening by this scheme,
     * whose mask g — and what derives from it alone: its codeword, salts and salted tree, its evaluation table — is drawn now from
     * the commitment's opening randomness, as that opening would draw it first: made ahead of the proof that opens it. By default
     * {@code reusable} itself (nothing made ahead).
     */
    default HidingCommitment prepareOpening(HidingCommitment reusable) {
        return reusable;
    }

    /**
     * This scheme for zero-knowledge proofs: every Merkle tree it makes for one proof — commitments for one opening, carriers, an
     * opening's mask g, the later oracles of every run — and checks in its openings hashes inner nodes over the digests' kept bytes
     * only, not their zero padding (one SHA-256 block where the padded node takes two, at digests of ≤ 27 bytes); a commitment made
     * to be opened by several proofs ({@link #commit}, {@link #commitHiding}: registered weights, committed tensors) keeps the padded
     * node, as do rotations ({@link #proveSameTable}). Prover and verifier must take the same view (the proof format names it). By
     * default this scheme itself (a scheme without truncated Merkle trees).
     */
    default MultilinearPcs withCompactProofTrees() {
        return this;
    }

    /**
     * How many variables an opening of a hiding table of this {@code shape} folds first (k₀), by this scheme's rule: a smaller
     * opening budget may buy a wider first fold, and with it smaller later oracles. 0 for a scheme without hiding openings.
     */
    default int hidingFirstFold(HidingShape shape) {
        return 0;
    }

    /**
     * A member a zero-knowledge proof's batched hiding run may hold, as its prover knows it before any challenge: a per-proof
     * table of this {@code shape} to be committed by {@link #commitHidingCarried} ({@code commitment} null), or a hiding
     * commitment made earlier ({@code shape} null), with the claims its one opening will carry, {@code offFace} of them off its face.
     */
    record RunMember(HidingShape shape, PcsCommitment commitment, int claims, int offFace) {}

    /**
     * The indices (ascending) of the {@code members}, in the order {@link #open} will be given their openings, that one batched
     * hiding run would hold by this scheme's rule for these layouts and claim counts — empty when fewer than two would, and for
     * a scheme without carrier trees. A prover carries exactly those members' per-proof leaves ({@link #commitHidingCarried});
     * {@link #open} then forms the run from the carried members (it checks that they share one) and adds others by the rule.
     */
    default List<Integer> sharedRun(List<RunMember> members) {
        return List.of();
    }

    /**
     * One batched proof that each opening's polynomial takes its value at its point. Openings may
     * share commitments and points; openings of one commitment share their column queries. On a
     * {@link HidingCommitment} a point may have one coordinate more than the table: the claim is then
     * on f′(r, β, 0, …) = f(r) + β·h(r) ({@link HidingCommitment#maskFace}).
     *
     * @throws IllegalArgumentException if a value is not the polynomial's value at its point, or a
     *     commitment or point does not belong to this scheme or arity
     */
    PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings);

    /** Accepts only if the proof shows every claim (in the order {@link #open} was given them). */
    void verify(Transcript transcript, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException;

    /** Reads a proof written by {@link PcsOpeningProof#write}; sizes are bounded before allocation. */
    PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException;

    /**
     * A zero-knowledge proof that the hiding commitment {@code to} holds the same table as {@code from} (both reusable, of one
     * layout): the rotation of a commitment whose opening budget is spent to a fresh one of the same table. It spends budget
     * units of both and reveals nothing about the table; a table of a few variables, whose mask face could not hide it, is
     * refused.
     */
    default PcsOpeningProof proveSameTable(Transcript transcript, PcsCommitment from, PcsCommitment to) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rotation of hiding commitments");
    }

    /** Checks {@link #proveSameTable}'s proof for the public roots {@code from} and {@code to} of tables of {@code numVars} variables. */
    default void verifySameTable(Transcript transcript, byte[] from, byte[] to, int numVars, PcsOpeningProof proof) throws PcsRejectedException {
        throw new PcsRejectedException(getClass().getSimpleName() + " has no rotation of hiding commitments");
    }

    /** Reads {@link #proveSameTable}'s proof. */
    default PcsOpeningProof readSameTableProof(ProofReader reader) throws MalformedProofException {
        throw new MalformedProofException(getClass().getSimpleName() + " has no rotation of hiding commitments");
    }
}
