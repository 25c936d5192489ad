package dev.verinfer.pcs;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.transcript.Transcript;

import java.util.List;

/**
 * The Ligero/Brakedown tensor-code PCS (Ames et al. CCS 2017; Golovnev et al. ePrint 2021/1043 §4):
 * the 2^n evaluations form a 2^a × 2^b matrix M ({@link TensorLayout}), each row is Reed–Solomon
 * encoded with the NTT at rate 2^−k and the codeword columns are committed in a SHA-256 Merkle tree.
 * An opening at r = (r_low, r_high) sends u = γᵀM (proximity) and w = eq(r_high)ᵀM (evaluation),
 * then t transcript-drawn columns that the verifier checks against Enc(u), Enc(w) and the root.
 * Soundness and parameters: {@link TensorPcsParameters}.
 */
public final class TensorPcs implements MultilinearPcs {
    private final TensorPcsParameters params;

    public TensorPcs() {
        this(TensorPcsParameters.STANDARD);
    }

    public TensorPcs(TensorPcsParameters params) {
        this.params = params;
    }

    public TensorPcsParameters parameters() {
        return params;
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        return TensorCommitment.commit(evaluations, params);
    }

    @Override
    public PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings) {
        return TensorProver.open(params, transcript, openings);
    }

    @Override
    public void verify(Transcript transcript, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        TensorVerifier.verify(params, transcript, claims, proof);
    }

    @Override
    public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
        return TensorOpeningProof.read(reader, params);
    }
}
