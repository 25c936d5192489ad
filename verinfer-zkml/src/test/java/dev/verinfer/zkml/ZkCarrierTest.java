package dev.verinfer.zkml;

import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carrier under a witness on top (docs/proof-system.md, "The carrier under a witness on top", branch carrier28): a
 * zero-knowledge proof whose witness (in its tail) has more variables than the weights tops its batched hiding run, as on
 * ch_ppocr_mobile_v2.0_cls, embedding_model and melspectrogram; the prover's rule at commit time predicts that the witness,
 * the weights and M share the run, so their per-proof leaves — the witness's and M's (f′, g) pairs, the weights' per-proof g
 * — are one carrier tree's: the proof's opening sends the carrier's leaves and no pair or g leaves of their own (the trace's
 * parts of the opening), and it verifies. Before carrier28 only a witness under the weights was carried, so this fails there.
 */
class ZkCarrierTest {
    @Test
    void aWitnessOnTopCarriesThePerProofLeavesOfItsRun() {
        for (QuantGraph g : List.of(TestGraphs.mlp(1), TestGraphs.conv2d(1))) {
            for (PcsSecurity s : List.of(PcsSecurity.CONJECTURED, PcsSecurity.PROVEN)) {
                ProvingKey pk = ZkMatMulProofTest.zkKey(g, s);
                String what = s + ", witness " + pk.plan().witnessPacking.numVars() + " variables, weights " + pk.plan().weightPacking.numVars();
                assertFalse(ZkWitnessBatching.narrow(pk.plan()), "the witness tops the run: " + what);
                assertTrue(ZkWitnessBatching.tail(pk.verifyingKey().pcs(), pk.plan(), pk.verifyingKey().weightOpeningBudget()) >= 0, "the witness in its tail: " + what);
                Proof p = Prover.prove(pk, ZkMatMulProofTest.run(g, 3));
                Map<String, ProverTrace.Phase> parts = ProverTrace.last();
                assertTrue(bytes(parts, "open: iteration-0 per-proof carrier leaves: Merkle siblings") > 0, "a carrier: " + what + " " + parts.keySet());
                assertEquals(0, bytes(parts, "open: iteration-0 per-proof g leaves: Merkle siblings"), "the weights' g in the carrier: " + what);
                assertEquals(0, bytes(parts, "open: iteration-0 once (f′, g) pair leaves: Merkle siblings"), "the witness's and M's pairs in the carrier: " + what);
                assertTrue(bytes(parts, "open: iteration-0 reusable f′ leaves: Merkle siblings") > 0, "the weights in the run, their f′ tree their own: " + what);
                VerificationResult r = Verifier.verify(pk.verifyingKey(), p.bytes());
                assertTrue(r.valid(), r.reason());
            }
        }
    }

    private static long bytes(Map<String, ProverTrace.Phase> parts, String part) {
        ProverTrace.Phase phase = parts.get(part);
        return phase == null ? 0 : phase.bytes();
    }
}
