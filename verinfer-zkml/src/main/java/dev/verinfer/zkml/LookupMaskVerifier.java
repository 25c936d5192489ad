package dev.verinfer.zkml;

import dev.verinfer.logup.GkrMaskVerifier;
import dev.verinfer.logup.LeafMasks;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.transcript.Transcript;

/** The verifier's side of a {@link LookupMaskCommitment}. */
interface LookupMaskVerifier extends GkrMaskVerifier {
    /** Receives the commitment to the leaf masks of {@code shape}'s vectors, before the look-up's challenges. */
    void receiveLeafMasks(Transcript transcript, LogUpShape shape) throws SumcheckRejectedException;

    /** The leaf masks, where the commitment lets the verifier remove them itself (a commitment in the clear). */
    LeafMasks leafMasks();
}
