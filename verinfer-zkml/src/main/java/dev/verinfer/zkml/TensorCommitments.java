package dev.verinfer.zkml;

import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.random.RandomGenerator;

/** The commitment a statement holds for a committed input or output, recomputed from the tensor's values. */
public final class TensorCommitments {
    /** Bytes of the secret seed a hiding tensor commitment is derived from ({@link #hiding}). */
    public static final int SEED_BYTES = SeededMasks.SEED_BYTES;

    private TensorCommitments() {}

    /**
     * The root of the commitment to a tensor of this shape and these quantised values (deterministic),
     * as a model set up with {@code security} commits it.
     */
    public static byte[] root(int[] shape, long[] values, PcsSecurity security) {
        return security.pcs().commit(table(shape, values)).root();
    }

    /**
     * The hiding commitment a zero-knowledge proof of {@code key}'s model opens for a committed tensor of this shape and
     * these values, derived from a secret 32-byte {@code seed}: its mask and salts are the {@link SeededMasks} stream of
     * the seed (domain "verinfer-committed-tensor-v1"), so whoever holds (values, seed) rebuilds the same commitment and
     * root, and nobody else learns anything of the values from the root (the mask is uniform up to the PRG). It is hiding
     * for {@link ZeroKnowledge#LINKED_OPENING_BUDGET} units, the producer's proof and the consumer's; each process's
     * openings draw their own randomness from {@code openings} (a SecureRandom), not from the seed. Hand it to
     * {@link Prover#prove(ProvingKey, dev.verinfer.model.quant.Execution, Visibility, Visibility, byte[], CommittedTensors)}
     * through {@link CommittedTensors#input(int, PcsCommitment)} or {@link CommittedTensors#output(int, PcsCommitment)}.
     *
     * @throws IllegalArgumentException if the key is not zero-knowledge or the seed is not {@link #SEED_BYTES} bytes
     */
    public static PcsCommitment hiding(VerifyingKey key, int[] shape, long[] values, byte[] seed, RandomGenerator openings) {
        if (!key.zeroKnowledge()) {
            throw new IllegalArgumentException("a hiding tensor commitment is opened by zero-knowledge proofs only; this key's commit by root()");
        }
        return ZeroKnowledge.commitHiding(key.security(), key.pcs(), table(shape, values), ZeroKnowledge.LINKED_OPENING_BUDGET,
                new SeededMasks("verinfer-committed-tensor-v1", seed), openings);
    }

    /** The root of {@link #hiding}: what a statement names for the tensor, computed without opening anything. */
    public static byte[] hidingRoot(VerifyingKey key, int[] shape, long[] values, byte[] seed) {
        return hiding(key, shape, values, seed, new SeededMasks("verinfer-committed-tensor-root-v1", seed)).root();
    }

    private static long[] table(int[] shape, long[] values) {
        PaddedShape padded = new PaddedShape(shape.length == 0 ? new int[] {1} : shape);
        return ProverTensors.toField(padded.pad(values));
    }
}
