package dev.verinfer.pipeline;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The openWakeWord chain in zero knowledge (`verinfer pipeline prove --zk`): keys compiled with zero knowledge, each step's
 * hiding commitments handed to its consumers' provers, the classifier step's Concat of 16 committed embeddings a
 * zero-knowledge Gather of several sources. Proven and verified, the score the composed integer computation's; the classifier
 * re-proven with its inputs committed afresh (salted roots) breaks its links. About twelve minutes on 2 cores at load 5–11 (the
 * keys' weight bounds proofs made at compile), within the tests' 6 GB heap, so opt-in ({@code -Dverinfer.pipeline.zk=true}).
 */
@EnabledIfSystemProperty(named = "verinfer.pipeline.zk", matches = "true")
class ZkOpenWakeWordPipelineTest {
    @Test
    void theChainIsProvenAndLinkedInZeroKnowledge() {
        OpenWakeWordPipeline pipeline = OpenWakeWordPipeline.compile(RealModels.MELSPECTROGRAM.path(), RealModels.EMBEDDING.path(), RealModels.ALEXA.path(),
                RealInputs.audio(1).values().get("input"), PcsSecurity.PROVEN, true);
        float[] audio = RealInputs.audio(2).values().get("input");
        assertTrue(pipeline.models().stream().allMatch(m -> m.key().zeroKnowledge()));
        ChainProof proof = pipeline.prove(audio);
        ChainVerdict verdict = pipeline.verify(proof);
        assertTrue(verdict.valid(), verdict.reason());
        System.out.printf("zero-knowledge chain: %d proofs, %.1f KB, prove %.1f s, verify %.0f ms%n", proof.steps().size(), proof.totalBytes() / 1024.0,
                proof.totalProveNanos() / 1e9, verdict.totalVerifyNanos() / 1e6);
        OpenWakeWordRun run = pipeline.execute(audio);
        assertArrayEquals(run.score(), verdict.finalOutputs().getFirst());

        ProvingKey classifier = pipeline.provingKey(pipeline.windows() + 1);
        Map<String, long[]> inputs = new HashMap<>();
        for (int k = 0; k < pipeline.windows(); k++) {
            inputs.put(classifier.graph().tensor(classifier.graph().inputs().get(k)).name(), run.embeddings()[k]);
        }
        Proof fresh;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            fresh = Prover.prove(classifier, executor.runQuantised(classifier.graph(), inputs), Visibility.COMMITTED, Visibility.PUBLIC);
        }
        List<byte[]> forged = new ArrayList<>(proof.bytes());
        forged.set(forged.size() - 1, fresh.bytes());
        ChainVerdict v = ChainVerifier.verify(pipeline.spec(), forged);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("roots differ"), v.reason());
    }
}
