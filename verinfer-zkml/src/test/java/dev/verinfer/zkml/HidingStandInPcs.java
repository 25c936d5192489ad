package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
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
 * A test-only stand-in for a hiding commitment, until verinfer-whir's {@code commitHiding} lands: it
 * commits in the clear with the wrapped scheme (so proofs verify with the unchanged verifier) and
 * records what zero-knowledge mode asked of it — the opening budget and the source of the masks — so
 * the protocol side of zero-knowledge mode can be tested. It hides nothing.
 */
final class HidingStandInPcs implements MultilinearPcs {
    record Request(int numVars, int openingBudget, Class<?> random) {}

    private final MultilinearPcs inner;
    final List<Request> requests = new ArrayList<>();

    HidingStandInPcs(MultilinearPcs inner) {
        this.inner = inner;
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        return inner.commit(evaluations);
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

    @Override
    public PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings) {
        return inner.open(transcript, openings);
    }

    @Override
    public void verify(Transcript transcript, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        inner.verify(transcript, claims, proof);
    }

    @Override
    public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
        return inner.readProof(reader);
    }
}
