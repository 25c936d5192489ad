package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.whir.WhirCarrierBytes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile bytes in a real model's zero-knowledge proof's carrier section (docs/proof-system.md "The per-proof carrier tree";
 * {@code WhirCarrierBytes}): alexa_v0.1's proof (the default proven preset) carries its witness, M and the weights' per-proof g
 * in one carrier (the witness's and M's pairs injected at their heights since format 16). Every byte of the carrier root and of
 * the member indices, every byte of the length prefixes and first values of its leaf values, salts, multiproof and injected
 * fibres, and a sample of the rest, flipped one at a time: each proof is unparseable
 * or rejected, with the reason of a malformed proof or a failed check — never accepted, never a throw, never the verifier's
 * last resort for an unexpected exception ("proof could not be checked"). The same for a proof whose carrier has the witness's
 * pair on top (its leaves in two halves since format 17).
 */
class ZkCarrierBytesTest {
    /** Flipped bytes per span beyond those flipped whole (a flipped proof is rejected in ≈ 10 ms). */
    private static final int SAMPLE = 300;
    /** Spans up to this long, and each span's first this many bytes (length prefixes, the first value), are flipped byte by byte. */
    private static final int WHOLE = 40;

    /** The key's scheme, keeping the opening it last read. */
    private static final class Capture extends ForwardingPcs {
        PcsOpeningProof opening;

        Capture(MultilinearPcs inner) {
            super(inner);
        }

        @Override
        public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
            opening = inner.readProof(reader);
            return opening;
        }
    }

    @Test
    void everyFlippedCarrierByteOfAlexasZeroKnowledgeProofIsRejectedWithAReason() throws Exception {
        NamedInput calibration = RealInputs.embeddings(1);
        QuantGraph graph = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT).quant();
        ProvingKey key = ZkMatMulProofTest.zkKey(graph, PcsSecurity.PROVEN, 2 + 2);
        Execution ex;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            ex = executor.run(graph, RealInputs.embeddings(2).values());
        }
        flippedCarrierBytesAreRejected("alexa_v0.1", key, Prover.prove(key, ex).bytes());
    }

    /**
     * The same flips in a proof whose carrier has a pair on top — the witness (in its tail, {@code TestGraphs.mlp}, proven), as on
     * ch_ppocr_mobile_v2.0_cls, embedding_model and melspectrogram — whose leaves are hashed in two halves since format 17 (the
     * witness's f′ fibre, then the digest of its g fibre, the other top parts' fibres and the salt: branch carrier30). A flipped
     * g value or salt byte changes the half the verifier recomputes, hence the leaf.
     */
    @Test
    void everyFlippedCarrierByteOfAProofWithAWitnessOnTopIsRejectedWithAReason() throws Exception {
        QuantGraph g = TestGraphs.mlp(1);
        ProvingKey key = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        assertFalse(ZkWitnessBatching.narrow(key.plan()), "the witness tops the run");
        flippedCarrierBytesAreRejected("mlp", key, Prover.prove(key, ZkMatMulProofTest.run(g, 3)).bytes());
    }

    private static void flippedCarrierBytesAreRejected(String model, ProvingKey key, byte[] proof) throws Exception {
        assertEquals(Proof.ZK_VERSION, Proof.open(proof).version(), "a zero-knowledge proof of the current format");
        Capture capture = new Capture(key.verifyingKey().proofPcs());
        VerificationResult honest = Verifier.verify(key.verifyingKey(), proof, capture);
        assertTrue(honest.valid(), honest.reason());
        List<WhirCarrierBytes.Span> spans = WhirCarrierBytes.spans(capture.opening, proof);

        SplittableRandom rng = new SplittableRandom(20261206L);
        Map<String, Integer> reasons = new TreeMap<>();
        int flips = 0;
        for (WhirCarrierBytes.Span s : spans) {
            int length = s.to() - s.from();
            int count = length <= WHOLE ? length : WHOLE + SAMPLE;
            for (int k = 0; k < count; k++) {
                int at = s.from() + (k < WHOLE ? k : WHOLE + rng.nextInt(length - WHOLE));
                byte[] bad = proof.clone();
                bad[at] ^= (byte) (1 + rng.nextInt(255));
                VerificationResult r;
                try {
                    r = Verifier.verify(key.verifyingKey(), bad);
                } catch (Throwable t) {
                    fail(s.part() + " byte " + (at - s.from()) + " flipped: the verifier threw " + t);
                    return;
                }
                String where = s.part() + " byte " + (at - s.from()) + " of " + length;
                assertFalse(r.valid(), where + " flipped: accepted");
                assertTrue(r.reason() != null && !r.reason().isBlank(), where + ": rejected without a reason");
                assertFalse(r.reason().startsWith("proof could not be checked"), where + ": " + r.reason());
                reasons.merge(s.part() + ": " + r.reason().replaceAll("[0-9]+", "#"), 1, Integer::sum);
                flips++;
            }
        }
        System.out.println(model + " zero-knowledge proof, " + proof.length + " bytes, carrier " + spans + ": " + flips + " flips rejected");
        reasons.forEach((reason, n) -> System.out.println("  " + n + " × " + reason));
    }
}
