package dev.verinfer.eth;

import dev.verinfer.model.RealModels;

import java.util.List;

/**
 * {@link LayerDifferentialTest}'s tampers on hey_mycroft_v0.1 (alexa's sibling: its layer program adds Mul's sumcheck and
 * ReduceSum's claim at ½), and every value a Mul reads altered: its sumcheck's round values and both operands' evaluations.
 * ReduceSum reads nothing from the proof; its claims are checked by the honest proof's opening claims, bit for bit.
 */
class HeyMycroftLayerDifferentialTest extends LayerDifferentialTest {
    @Override
    RealModels model() {
        return RealModels.HEY_MYCROFT;
    }

    /** Fewer windows than alexa's (whose sweep covers the same layer kinds but Mul's, which every Mul value altered covers here). */
    @Override
    int windows() {
        return 48;
    }

    /** 48 of the 150 values Mul reads (its evaluations and sumcheck rounds), evenly spread over its messages. */
    @Override
    int sitesPerLabel() {
        return 48;
    }

    @Override
    List<String> targetedLabels() {
        return List.of("mul-evals");
    }
}
