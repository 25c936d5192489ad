package dev.verinfer.eth;

import dev.verinfer.model.RealModels;

import java.util.List;

/**
 * {@link LayerDifferentialTest}'s tampers on embedding_model (twenty Convs and five MaxPools: the layer program's Conv sumcheck
 * with its window selections, and the max checks' pooling-tap reduction), and values of the Convs' and the pooling reduction's
 * messages altered with their sumchecks' round values: 40 per label, spread evenly over all of them. Heavy: CI runs the honest
 * proof; the tampers (about 6 minutes on a loaded 2-core machine) take {@code -Dverinfer.eth.heavy=true}.
 */
class EmbeddingLayerDifferentialTest extends LayerDifferentialTest {
    @Override
    RealModels model() {
        return RealModels.EMBEDDING;
    }

    @Override
    List<String> targetedLabels() {
        return List.of("conv-bias", "conv-evals", "conv-input", "tap-input");
    }

    @Override
    boolean heavy() {
        return true;
    }

    @Override
    int sitesPerLabel() {
        return 40;
    }
}
