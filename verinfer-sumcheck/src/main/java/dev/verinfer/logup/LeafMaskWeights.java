package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

import java.util.List;

/**
 * The linear function of committed masks that a zero-knowledge LogUp's leaf check opens
 * ({@link GkrMaskCommitter#openLeafOffset}): the value is
 * Σ_k ⟨layerMasks[k], the k-th committed layer masks⟩ + Σ_j factors[j]·R_j(points[j]), where the layer
 * masks are those of {@link GkrMaskCommitter#commitLayerMasks} in call order and R_j runs over the
 * {@link LeafMasks} in their order (each group's columns then selector, then each table's multiplicities).
 */
public record LeafMaskWeights(List<Ext2[]> layerMasks, Ext2[] factors, Ext2[] points) {
    public LeafMaskWeights {
        layerMasks = layerMasks.stream().map(Ext2[]::clone).toList();
        factors = factors.clone();
        points = points.clone();
    }

    @Override
    public List<Ext2[]> layerMasks() {
        return layerMasks.stream().map(Ext2[]::clone).toList();
    }

    @Override
    public Ext2[] factors() {
        return factors.clone();
    }

    @Override
    public Ext2[] points() {
        return points.clone();
    }
}
