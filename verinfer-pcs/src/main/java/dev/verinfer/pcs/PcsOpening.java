package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;

/** The prover's side of a claim: the committed polynomial takes {@code value} at {@code point}. */
public record PcsOpening(PcsCommitment commitment, Ext2[] point, Ext2 value) {
    /** The claim the verifier checks for this opening. */
    public PcsClaim claim() {
        return new PcsClaim(commitment.root(), commitment.numVars(), point, value);
    }
}
