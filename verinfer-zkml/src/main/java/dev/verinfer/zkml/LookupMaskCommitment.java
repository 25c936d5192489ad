package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.logup.GkrMaskCommitter;
import dev.verinfer.logup.LeafMasks;
import dev.verinfer.transcript.Transcript;

/** A zero-knowledge look-up phase's mask commitment ({@link LookupProofMasks}). */
interface LookupMaskCommitment extends GkrMaskCommitter {
    /** Commits the masks of the leaf claims (the looked-up vectors' R), before the look-up's challenges. */
    void commitLeafMasks(Transcript transcript, LeafMasks masks);

    /** Writes what the commitment sends after the LogUp proof (nothing, for a commitment shared with the whole proof). */
    void finish(ProofWriter out);
}
