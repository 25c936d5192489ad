package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

/**
 * What LogUp reduces one witness group to: at {@code point} (point[0] binds the lowest index bit),
 * column c's MLE equals {@code columnEvaluations[c]} and the selector's MLE equals
 * {@code selectorEvaluation} (Ext2.ONE, already checked, for a group without a selector).
 */
public record GroupClaim(Ext2[] point, Ext2[] columnEvaluations, Ext2 selectorEvaluation) {
    public GroupClaim {
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
