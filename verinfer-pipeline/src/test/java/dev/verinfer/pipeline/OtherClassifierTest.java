package dev.verinfer.pipeline;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hey_mycroft_v0.1 (LayerNorm spelled out) as the chain's classifier: its step takes the same
 * committed embeddings (the mel and embedding steps are the same models, calibrated alike); only
 * the classifier step is proven here, the rest of the chain is {@link OpenWakeWordPipelineTest}'s.
 */
class OtherClassifierTest {
    @Test
    void heyMycroftTakesTheCommittedEmbeddings() {
        OpenWakeWordPipeline p = OpenWakeWordPipeline.compile(RealModels.MELSPECTROGRAM.path(), RealModels.EMBEDDING.path(), RealModels.HEY_MYCROFT.path(),
                RealInputs.audio(1).values().get("input"));
        assertEquals(18, p.spec().steps().size());
        OpenWakeWordRun run = p.execute(RealInputs.audio(2).values().get("input"));
        int last = p.windows() + 1;
        ProvingKey classifier = p.provingKey(last);
        QuantGraph g = classifier.graph();
        Map<String, long[]> inputs = new HashMap<>();
        for (int k = 0; k < p.windows(); k++) {
            inputs.put(g.tensor(g.inputs().get(k)).name(), run.embeddings()[k]);
        }
        Proof proof;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            proof = Prover.prove(classifier, executor.runQuantised(g, inputs), p.spec().inputs(last), p.spec().outputs(last));
        }
        VerificationResult r = Verifier.verify(classifier.verifyingKey(), proof.bytes());
        assertTrue(r.valid(), r.reason());
        assertArrayEquals(run.score(), r.statement().outputs().getFirst());
        QuantGraph embedding = p.provingKey(1).graph();
        for (int k = 0; k < p.windows(); k++) {
            assertArrayEquals(TensorCommitments.root(embedding.tensor(embedding.outputs().getFirst()).shape(), run.embeddings()[k], PcsSecurity.PROVEN),
                    r.statement().inputRoots().get(k), "classifier input " + k + " is embedding step " + k + "'s committed output");
        }
    }
}
