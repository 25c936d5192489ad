package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * WHIR as a {@link MultilinearPcs} (Arnon–Chiesa–Fenzi–Yogev, ePrint 2024/1586): openings grow with
 * log² n instead of √n. Each commitment's claims, at any number of points, are combined by a random β
 * into one weighted sumcheck (WHIR's native multi-point constraint), so one WHIR run opens every claim
 * on a commitment; several commitments share the transcript, one run each. Parameters and soundness:
 * {@link WhirParameters}.
 */
public final class WhirPcs implements MultilinearPcs {
    private final WhirParameters params;
    /** The inner nodes of the trees it makes for one proof ({@link #withCompactProofTrees}); a reusable commitment's are padded. */
    private final MerkleNode proofTrees;

    public WhirPcs(WhirParameters params) {
        this(params, MerkleNode.PADDED);
    }

    private WhirPcs(WhirParameters params, MerkleNode proofTrees) {
        this.params = params;
        this.proofTrees = proofTrees;
    }

    public WhirParameters parameters() {
        return params;
    }

    /**
     * These parameters with {@link MerkleNode#COMPACT} per-proof trees: commitments for one opening, carriers, openings' masks g and
     * every later oracle, built by its openings and checked by its verifier (docs/proof-system.md, "Compact inner nodes").
     */
    @Override
    public WhirPcs withCompactProofTrees() {
        return new WhirPcs(params, MerkleNode.COMPACT);
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        return WhirCommitment.commit(evaluations, params);
    }

    /**
     * A hiding commitment ({@link HidingLayout}): f is committed as f′ = f + Σ y^T·h_T over v > n variables
     * with uniformly random h_T and salted leaves, v the least arity whose mask covers
     * {@code openingBudget} openings; every opening is zero-knowledge ({@link HidingOpening}). The result
     * is a {@link dev.verinfer.pcs.HidingCommitment}, which reports the budget left; plain and hiding
     * commitments can be opened in one batch.
     */
    @Override
    public PcsCommitment commitHiding(long[] evaluations, int openingBudget, RandomGenerator random) {
        return WhirHidingCommitment.commit(evaluations, openingBudget, random, params);
    }

    /** As above, the openings' masks and salts from a stream keyed by {@code openingRandom}, apart from the commitment's. */
    @Override
    public PcsCommitment commitHiding(long[] evaluations, int openingBudget, RandomGenerator commitRandom, RandomGenerator openingRandom) {
        return WhirHidingCommitment.commit(evaluations, openingBudget, commitRandom, java.util.Objects.requireNonNull(openingRandom), params);
    }

    /**
     * A hiding commitment for one opening ({@link WhirHidingCommitment#commitOnce}): that opening's mask g is
     * committed now in f′'s own salted tree, so the opening sends one tree's leaves instead of two; its first fold the
     * narrowest when {@code narrow} ({@link HidingLayout#narrow}).
     */
    @Override
    public PcsCommitment commitHidingOnce(long[] evaluations, int units, boolean narrow, RandomGenerator random) {
        return WhirHidingCommitment.commitOnce(evaluations, units, narrow, random, params, proofTrees);
    }

    /** {@link HidingLayout#tail}'s d, or {@link HidingLayout#tailNarrow}'s (under {@code top}'s layout) when {@code narrow}. */
    @Override
    public int hidingTailVars(int numVars, int units, boolean narrow, HidingShape top) {
        HidingLayout over = narrow && top != null ? WhirHidingCommitment.layout(params, top.numVars(), top.units(), top.tailVars(), top.narrow(), top.top()) : null;
        HidingLayout l = narrow ? HidingLayout.tailNarrow(params, numVars, units, over) : HidingLayout.tail(params, numVars, units);
        return l == null ? -1 : l.tailVars();
    }

    @Override
    public PcsCommitment commitHidingOnceInTail(long[] evaluations, int units, int tailVars, boolean narrow, HidingShape top, RandomGenerator random) {
        return WhirHidingCommitment.commitOnceInTail(evaluations, units, tailVars, narrow, top, random, params, proofTrees);
    }

    /**
     * Per-proof commitments for one opening whose iteration-0 leaves share one salted {@link Carrier} tree, and a per-proof view
     * of {@code reusable} (null: none) whose opening's g is drawn into it ({@link WhirHidingCommitment#commitCarried}).
     */
    @Override
    public boolean carriesLeaves() {
        return true;
    }

    @Override
    public List<PcsCommitment> commitHidingCarried(List<CarriedTable> tables, PcsCommitment reusable, RandomGenerator random) {
        if (reusable != null && !(reusable instanceof WhirHidingCommitment h && h.params.equals(params))) {
            throw new IllegalArgumentException("a carrier holds the g of a hiding commitment made by a WHIR PCS with these parameters");
        }
        List<WhirHidingCommitment.Carried> carried = tables.stream()
                .map(t -> new WhirHidingCommitment.Carried(t.evaluations(), t.units(), t.tailVars(), t.narrow(), t.top())).toList();
        return List.copyOf(WhirHidingCommitment.commitCarried(carried, (WhirHidingCommitment) reusable, random, params, proofTrees, Carrier.Edits.HONEST));
    }

    /** The first fold of the layout a hiding table of this shape is committed in ({@link WhirHidingCommitment#layout}). */
    @Override
    public int hidingFirstFold(HidingShape shape) {
        return WhirHidingCommitment.layout(params, shape.numVars(), shape.units(), shape.tailVars(), shape.narrow(), shape.top()).firstFold();
    }

    /** {@link HidingBatch#chosen} on the members' layouts (the tables' as {@link #commitHidingCarried} makes them) and claim counts. */
    @Override
    public List<Integer> sharedRun(List<RunMember> members) {
        List<HidingBatch.Candidate> candidates = new ArrayList<>();
        for (RunMember m : members) {
            if (m.shape() != null) {
                HidingShape t = m.shape();
                HidingLayout layout = WhirHidingCommitment.layout(params, t.numVars(), t.units(), t.tailVars(), t.narrow(), t.top());
                candidates.add(new HidingBatch.Candidate(layout, layout.schedule(params), m.claims(), m.offFace(), true, layout.budget()));
            } else if (m.commitment() instanceof WhirHidingCommitment h && h.params.equals(params)) {
                candidates.add(new HidingBatch.Candidate(h.layout, h.schedule, m.claims(), m.offFace(), h.once(), h.unitsLeft()));
            } else {
                throw new IllegalArgumentException("a hiding run's member is a hiding commitment made by a WHIR PCS with these parameters");
            }
        }
        return HidingBatch.chosen(candidates);
    }

    /** The commitments' stream drawn ahead, with g's codewords and tables ({@link WhirHidingCommitment#prepareMasks}). */
    @Override
    public RandomGenerator prepareHiding(List<HidingShape> tables, PcsCommitment reusable, RandomGenerator random) {
        if (reusable != null && !(reusable instanceof WhirHidingCommitment h && h.params.equals(params))) {
            throw new IllegalArgumentException("a carrier holds the g of a hiding commitment made by a WHIR PCS with these parameters");
        }
        return WhirHidingCommitment.prepareMasks(tables, (WhirHidingCommitment) reusable, random, params, proofTrees);
    }

    /** {@code reusable}'s per-proof view with its one opening's g made now ({@link WhirHidingCommitment#withPreparedOpening}). */
    @Override
    public HidingCommitment prepareOpening(HidingCommitment reusable) {
        if (!(reusable instanceof WhirHidingCommitment h && h.params.equals(params))) {
            throw new IllegalArgumentException("an opening is prepared for a hiding commitment made by a WHIR PCS with these parameters");
        }
        return h.withPreparedOpening(proofTrees);
    }

    /**
     * The arity v of f′ in a hiding commitment to an n-variable table with this budget asked for (the
     * verifier's key can record it to bound proof sizes: {@code parameters().hidingSchedule(v, firstFold).maxHidingBytes}).
     */
    public int hidingVars(int numVars, int openingBudget) {
        return HidingLayout.of(params, numVars, openingBudget).vars();
    }

    @Override
    public PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings) {
        return WhirProver.open(params, proofTrees, transcript, openings, WhirProver.Deviation.NONE);
    }

    @Override
    public void verify(Transcript transcript, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        try {
            WhirVerifier.verify(params, proofTrees, transcript, claims, proof);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PcsRejectedException("malformed WHIR opening: " + e.getMessage());
        }
    }

    @Override
    public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
        return WhirProof.read(reader, params.digestBytes());
    }

    /** {@link WhirRotation}: one zero-knowledge run on F = f′_from + μ·f′_to + ρ(1 + μ)·g, spending {@link WhirRotation#UNITS} of each budget. */
    @Override
    public PcsOpeningProof proveSameTable(Transcript transcript, PcsCommitment from, PcsCommitment to) {
        if (!(from instanceof WhirHidingCommitment a) || !(to instanceof WhirHidingCommitment b) || !a.params.equals(params) || !b.params.equals(params)) {
            throw new IllegalArgumentException("a rotation links two hiding commitments made by a WHIR PCS with these parameters");
        }
        return WhirRotation.prove(transcript, a, b);
    }

    @Override
    public void verifySameTable(Transcript transcript, byte[] from, byte[] to, int numVars, PcsOpeningProof proof) throws PcsRejectedException {
        try {
            WhirRotation.verify(params, transcript, from, to, numVars, proof);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PcsRejectedException("malformed WHIR rotation: " + e.getMessage());
        }
    }

    @Override
    public PcsOpeningProof readSameTableProof(ProofReader reader) throws MalformedProofException {
        return WhirRotation.read(reader, params.digestBytes());
    }
}
