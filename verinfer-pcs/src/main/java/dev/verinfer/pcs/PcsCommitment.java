package dev.verinfer.pcs;

/**
 * A committed polynomial as the prover holds it: the public root and arity plus private prover data.
 * Open (not sealed) so schemes in other modules (verinfer-whir) can implement it; each scheme refuses
 * commitments it did not make.
 */
public interface PcsCommitment {
    /** The 32-byte commitment the verifier sees (a fresh copy). */
    byte[] root();

    int numVars();
}
