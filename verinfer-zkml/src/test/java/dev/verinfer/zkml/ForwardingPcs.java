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

import java.util.List;

/** A scheme that forwards every call to {@code inner}: the tests' recorders override the calls they watch. */
class ForwardingPcs implements MultilinearPcs {
    final MultilinearPcs inner;

    ForwardingPcs(MultilinearPcs inner) {
        this.inner = inner;
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        return inner.commit(evaluations);
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
