package dev.verinfer.eth;

import dev.verinfer.model.RealModels;

import java.util.List;

/**
 * {@link LayerDifferentialTest}'s tampers on ch_ppocr_mobile_v2.0_cls (53 Convs, standard and depthwise, Mul, ReduceSum, a
 * MaxPool's taps and a ReduceMax's slices among the max checks), and values of its Convs', Muls' and the pooling reduction's
 * messages altered with their sumchecks' round values: 12 per label, spread evenly. Heavy: CI runs the honest proof; the
 * tampers take {@code -Dverinfer.eth.heavy=true}.
 */
class OcrClassifierLayerDifferentialTest extends LayerDifferentialTest {
    @Override
    RealModels model() {
        return RealModels.OCR_CLS;
    }

    @Override
    List<String> targetedLabels() {
        return List.of("conv-bias", "conv-evals", "conv-input", "mul-evals", "tap-input");
    }

    @Override
    boolean heavy() {
        return true;
    }

    @Override
    int sitesPerLabel() {
        return 12;
    }
}
