package dev.verinfer.zkml;

import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsCommitment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A test-only stand-in for a hiding commitment, until verinfer-whir's {@code commitHiding} lands: it
 * commits in the clear with the wrapped scheme (so proofs verify with the unchanged verifier) and
 * records what zero-knowledge mode asked of it — the opening budget and the source of the masks — so
 * the protocol side of zero-knowledge mode can be tested. It hides nothing.
 */
final class HidingStandInPcs extends ForwardingPcs {
    record Request(int numVars, int openingBudget, Class<?> random) {}

    final List<Request> requests;

    HidingStandInPcs(MultilinearPcs inner) {
        this(inner, new ArrayList<>());
    }

    private HidingStandInPcs(MultilinearPcs inner, List<Request> requests) {
        super(inner);
        this.requests = requests;
    }

    /** The stand-in over the wrapped scheme's view for proofs (its requests recorded in the same list): proofs verify as the real key's. */
    @Override
    public MultilinearPcs withCompactProofTrees() {
        return new HidingStandInPcs(inner.withCompactProofTrees(), requests);
    }

    @Override
    public synchronized PcsCommitment commitHiding(long[] evaluations, int openingBudget, RandomGenerator random) {
        random.nextLong(); // a mask would be drawn here
        requests.add(new Request(Integer.numberOfTrailingZeros(evaluations.length), openingBudget, random.getClass()));
        return inner.commit(evaluations);
    }

    /** As above; the openings' generator is recorded nowhere (the stand-in opens in the clear). */
    @Override
    public PcsCommitment commitHiding(long[] evaluations, int openingBudget, RandomGenerator commitRandom, RandomGenerator openingRandom) {
        return commitHiding(evaluations, openingBudget, commitRandom);
    }
}
