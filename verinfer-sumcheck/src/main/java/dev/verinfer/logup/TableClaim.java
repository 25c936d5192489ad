package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

/**
 * What LogUp reduces the table side to: at {@code point}, table column c's MLE equals
 * {@code columnEvaluations[c]} and the multiplicity vector's MLE equals {@code multiplicityEvaluation}.
 */
public record TableClaim(Ext2[] point, Ext2[] columnEvaluations, Ext2 multiplicityEvaluation) {
    public TableClaim {
        point = point.clone();
        columnEvaluations = columnEvaluations.clone();
    }

    @Override
    public Ext2[] point() {
        return point.clone();
    }

    @Override
    public Ext2[] columnEvaluations() {
        return columnEvaluations.clone();
    }
}
