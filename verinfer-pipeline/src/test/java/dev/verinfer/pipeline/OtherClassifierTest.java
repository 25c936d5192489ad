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
 * committed embeddings (the mel and embedding steps are the same keys: {@link OpenWakeWordPipeline#withClassifier}
 * on the test JVM's compiled alexa pipeline); only the classifier step is proven here, the rest of the
 * chain is {@link OpenWakeWordPipelineTest}'s.
 */
class OtherClassifierTest {
    @Test
    void heyMycroftTakesTheCommittedEmbeddings() {
        OpenWakeWordPipeline alexa = OpenWakeWordChain.compiled();
        OpenWakeWordPipeline p = alexa.withClassifier(RealModels.HEY_MYCROFT.path());
        assertEquals(18, p.spec().steps().size());
        for (int m = 0; m < 2; m++) {
            assertEquals(alexa.models().get(m).key().modelIdHex(), p.models().get(m).key().modelIdHex(), "the same mel and embedding steps");
        }
        assertEquals("hey_mycroft_v0.1", p.models().getLast().name());
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
