package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Every mask a zero-knowledge LogUp-GKR of one shape draws, known before the argument starts (it depends
 * on the shape alone), so that a caller can commit them all in advance and hand them out through
 * {@link GkrMaskCommitter#drawMask}, {@link GkrMaskCommitter#drawLayerMask} and
 * {@link GkrMaskCommitter#drawBlinding}. In proving order: the blinding of {@code blindedTrees} trees;
 * then per zero-knowledge sumcheck (layer 0, the blinding step, layers 1 … maxDepth − 1) the
 * one-coefficient layer masks committed just before it ({@code layerMasks}, possibly none) and its own
 * Libra mask's round degrees ({@code sumchecks}).
 */
public record LogUpMaskLayout(int blindedTrees, List<int[]> sumchecks, List<Integer> layerMasks) {
    public LogUpMaskLayout {
        sumchecks = sumchecks.stream().map(int[]::clone).toList();
        layerMasks = List.copyOf(layerMasks);
    }

    @Override
    public List<int[]> sumchecks() {
        return sumchecks.stream().map(int[]::clone).toList();
    }

    /** How many zero-knowledge sumchecks the argument runs. */
    public int sumcheckCount() {
        return sumchecks.size();
    }

    /** Sumcheck {@code k}'s variables (its mask's rounds), without copying the layout. */
    public int sumcheckVars(int k) {
        return sumchecks.get(k).length;
    }

    /** Whether sumcheck {@code k}'s mask has round degrees {@code degrees}. */
    public boolean sumcheckHasDegrees(int k, int[] degrees) {
        return java.util.Arrays.equals(sumchecks.get(k), degrees);
    }

    /** The masks of {@code shape}'s argument, with or without the caller's leaf masks. */
    public static LogUpMaskLayout of(LogUpShape shape, boolean leaves) {
        List<int[]> sumchecks = new ArrayList<>();
        List<Integer> layerMasks = new ArrayList<>();
        for (int i = 0; i < shape.maxDepth(); i++) {
            layerMasks.add(GkrLayerMasks.maskedHalves(shape, leaves, i));
            sumchecks.add(GkrLayerMasks.roundDegrees(shape, leaves, i));
            if (i == 0) {
                layerMasks.add(GkrBlinding.layerMasks(shape, leaves));
                sumchecks.add(GkrBlinding.roundDegrees(shape, leaves));
            }
        }
        return new LogUpMaskLayout(GkrBlinding.blindedTrees(shape).length, sumchecks, layerMasks);
    }

    /** Values per blinded tree: b_0, b_1, c_0, c_1, B's and C's vanishing-mask coefficients. */
    public static int blindingValues() {
        return GkrBlinding.VALUES_PER_TREE;
    }

    /** A fresh blinding for this layout's trees (Σ b/c = 0, no c zero), as the prover would draw it. */
    public Ext2[][] drawBlinding(RandomGenerator random) {
        return GkrBlinding.draw(blindedTrees, random);
    }

    /** All layer masks, in commitment order. */
    public int totalLayerMasks() {
        int total = 0; // a loop: the prover asks once per mask drawn
        for (int m : layerMasks) {
            total += m;
        }
        return total;
    }
}
