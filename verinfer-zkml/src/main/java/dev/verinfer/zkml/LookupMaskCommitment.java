package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.logup.GkrMaskCommitter;

/** A zero-knowledge look-up phase's mask commitment ({@link LookupPhase#maskCommitter}). */
interface LookupMaskCommitment extends GkrMaskCommitter {
    /** Writes what the commitment sends after the LogUp proof (nothing, for a commitment shared with the whole proof). */
    void finish(ProofWriter out);
}
