package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10: hostile bytes are a rejection with a reason, never a throw, and never build anything large. */
class HostileProofTest {
    private final QuantGraph g = TestGraphs.mlp(7);
    private final ProvingKey pk = Setup.setup(g);
    private final byte[] honest = Prover.prove(pk, IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(8, 8, 3.9)))).bytes();

    private VerificationResult check(byte[] proof, String what) {
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof);
        assertFalse(r.valid(), what + " was accepted");
        assertTrue(r.reason() != null && !r.reason().isBlank(), what);
        return r;
    }

    @Test
    void aProofOfAnOlderFormatAsksToReprove() {
        byte[] old = honest.clone();
        old[Proof.MAGIC.length()] = (byte) (Proof.VERSION - 1);
        VerificationResult r = check(old, "a proof of the previous format");
        assertTrue(r.reason().contains("older verinfer") && r.reason().contains("re-prove"), r.reason());
    }

    @Test
    void aProofLargerThanTheKeyAllowsIsRejectedUnread() {
        long max = pk.verifyingKey().maxProofBytes();
        assertTrue(honest.length < max);
        VerificationResult r = check(new byte[(int) max + 1], "an oversized proof");
        assertTrue(r.reason().contains("exceeds"), r.reason());
    }

    @Test
    void lengthFieldsClaimingHugeSizesAreRejected() {
        // A statement whose public input claims 2^24 values and carries none.
        ProofWriter w = ProofWriter.begin(Proof.MAGIC, Proof.VERSION);
        w.writeBytes(pk.verifyingKey().modelId()).writeInt(1).writeByte(0).writeInt(1 << 24);
        check(w.toByteArray(), "a statement claiming 2^24 values");
        // Every 4-byte window of an honest proof overwritten with a huge length, one at a time (sampled).
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 400; i++) {
            int pos = i < 120 ? i : rng.nextInt(honest.length - 4);
            for (int huge : new int[] {Integer.MAX_VALUE, 1 << 30, 0xFFFFFF}) {
                byte[] bad = honest.clone();
                bad[pos] = (byte) (huge >>> 24);
                bad[pos + 1] = (byte) (huge >>> 16);
                bad[pos + 2] = (byte) (huge >>> 8);
                bad[pos + 3] = (byte) huge;
                if (!java.util.Arrays.equals(bad, honest)) {
                    check(bad, "length " + huge + " at byte " + pos);
                }
            }
        }
    }

    @Test
    void aBatchBeyondTheKeysLimitIsRejected() throws Exception {
        int limit = pk.verifyingKey().maxBatch();
        PublicStatement s = Proof.fromBytes(honest).statement();
        long[] inputs = new long[(limit + 1) * g.tensor(g.inputs().getFirst()).size()];
        PublicStatement big = new PublicStatement(s.modelId(), List.of(inputs), s.outputs());
        byte[] bad = ProofSoundnessTest.withStatement(honest, big);
        // The statement says how many inferences it holds (an int after the model id): claim limit + 1.
        int at = dev.verinfer.codec.ProofWriter.begin(Proof.MAGIC, Proof.VERSION).toByteArray().length + 4 + s.modelId().length;
        java.nio.ByteBuffer.wrap(bad, at, 4).putInt(limit + 1);
        VerificationResult r = check(bad, "a batch of " + (limit + 1));
        assertTrue(r.reason().contains("limit") || r.reason().contains("1.." + Verifier.MAX_BATCH + " inferences"), r.reason());
    }
}
