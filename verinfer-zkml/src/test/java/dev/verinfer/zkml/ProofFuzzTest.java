package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutates real proofs and checks the verifier: every mutation is rejected with a reason (or, if it is
 * accepted, states exactly the original statement), and nothing escapes {@link Verifier#verify} — not
 * even an {@link Error}. Mutations: bit flips, byte overwrites, truncations, appended bytes, a random
 * canonical field element or a non-canonical one (≥ p) written over any 8 bytes, swapped 16-byte blocks.
 *
 * <p>CI fuzzes 300 mutations of one alexa proof. scripts/fuzz-proofs runs the full campaign:
 * {@code -Dverinfer.fuzz.models=ALEXA:40000,HEY_MYCROFT,... -Dverinfer.fuzz.mutations=N} (N per model
 * unless the model names its own count).
 */
class ProofFuzzTest {
    /** Counts of one campaign. */
    record Counts(String model, long mutations, long rejected, long acceptedSame, long acceptedOther, long errors, List<String> firstErrors) {
        @Override
        public String toString() {
            return String.format("fuzz %s: %d mutations, %d rejected, %d accepted with the original statement, %d accepted with another (must be 0), %d errors escaping the verifier (must be 0)",
                    model, mutations, rejected, acceptedSame, acceptedOther, errors);
        }
    }

    @Test
    void mutatedAlexaProofsAreRejected() {
        int defaultMutations = Integer.getInteger("verinfer.fuzz.mutations", 300);
        for (String entry : System.getProperty("verinfer.fuzz.models", "ALEXA").split(",")) {
            String[] parts = entry.trim().split(":"); // MODEL or MODEL:MUTATIONS
            RealModelProofTest.Case c = RealModelProofTest.Case.valueOf(parts[0]);
            int mutations = parts.length > 1 ? Integer.parseInt(parts[1]) : defaultMutations;
            Counts counts = fuzz(c, mutations, 20261202L + c.ordinal());
            System.out.println(counts);
            assertEquals(0, counts.acceptedOther(), counts.toString());
            assertEquals(0, counts.errors(), counts + " " + counts.firstErrors());
            assertTrue(counts.rejected() + counts.acceptedSame() == mutations);
        }
    }

    static Counts fuzz(RealModelProofTest.Case c, int mutations, long seed) {
        NamedInput calibration = c.input(1);
        CompiledModel m = CompiledModel.compile(c.model.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProvingKey pk = Setup.setup(m.quant());
        Execution ex;
        try (IntegerExecutor e = new IntegerExecutor()) {
            ex = e.run(m.quant(), c.input(2).values());
        }
        Proof proof = Prover.prove(pk, ex);
        VerifyingKey vk = pk.verifyingKey();
        if (!Verifier.verify(vk, proof.bytes()).valid()) {
            throw new AssertionError("the honest proof of " + c + " is rejected");
        }
        SplittableRandom r = new SplittableRandom(seed);
        long rejected = 0;
        long same = 0;
        long other = 0;
        long errors = 0;
        List<String> firstErrors = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < mutations; i++) {
            byte[] bad = mutate(proof.bytes(), r);
            if (Arrays.equals(bad, proof.bytes())) {
                bad = Arrays.copyOf(bad, bad.length - 1); // a no-op mutation becomes a truncation
            }
            try {
                VerificationResult v = Verifier.verify(vk, bad);
                if (!v.valid()) {
                    if (v.reason() == null || v.reason().isBlank()) {
                        throw new AssertionError("rejected without a reason");
                    }
                    rejected++;
                } else if (v.statement().equals(proof.statement())) {
                    same++;
                } else {
                    other++;
                }
            } catch (Throwable t) {
                errors++;
                if (firstErrors.size() < 5) {
                    firstErrors.add(t.toString());
                }
            }
            if (i > 0 && i % 5000 == 0) {
                System.out.printf("fuzz %s: %d/%d mutations (%.0f s)%n", c.model.modelName, i, mutations, (System.nanoTime() - start) / 1e9);
            }
        }
        return new Counts(c.model.modelName, mutations, rejected, same, other, errors, firstErrors);
    }

    /** One random mutation of {@code proof}. */
    static byte[] mutate(byte[] proof, SplittableRandom r) {
        byte[] b = proof.clone();
        int at = r.nextInt(b.length);
        switch (r.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> {
                for (int k = 0; k < 1 + r.nextInt(4) && at + k < b.length; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> {
                b = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                for (int k = proof.length; k < b.length; k++) {
                    b[k] = (byte) r.nextInt(256);
                }
            }
            case 4 -> writeLong(b, at, Goldilocks.fromSigned(r.nextLong())); // a random canonical field element
            case 5 -> writeLong(b, at, r.nextBoolean() ? -1L : Goldilocks.P + r.nextLong(1L << 32)); // non-canonical (≥ p)
            default -> {
                int other = r.nextInt(b.length);
                for (int k = 0; k < 16 && at + k < b.length && other + k < b.length; k++) {
                    byte t = b[at + k];
                    b[at + k] = b[other + k];
                    b[other + k] = t;
                }
            }
        }
        return b;
    }

    private static void writeLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8 && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * (7 - i)));
        }
    }
}
