package dev.verinfer.pcs;

/** A committed polynomial as the prover holds it: the public root and arity plus private prover data. */
public sealed interface PcsCommitment permits TensorCommitment {
    /** The 32-byte commitment the verifier sees (a fresh copy). */
    byte[] root();

    int numVars();
}
