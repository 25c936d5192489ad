package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.util.List;

/** The LogUp Fiat–Shamir schedule, shared by prover and verifier. */
final class LogUpTranscript {
    private LogUpTranscript() {}

    /** Absorbs the shape and draws (β, α): β combines a tuple's columns, α is the look-up point. */
    static Ext2[] begin(Transcript t, LogUpShape shape) {
        shape.absorb(t);
        Ext2 beta = t.challengeExt("logup/beta");
        Ext2 alpha = t.challengeExt("logup/alpha");
        return new Ext2[] {beta, alpha};
    }

    static void absorbRoots(Transcript t, List<LogUpProof.Fraction> roots) {
        Ext2[] flat = new Ext2[2 * roots.size()];
        for (int i = 0; i < roots.size(); i++) {
            flat[2 * i] = roots.get(i).numerator();
            flat[2 * i + 1] = roots.get(i).denominator();
        }
        t.absorbExts("logup/roots", flat);
    }

    static Ext2 layerLambda(Transcript t) {
        return t.challengeExt("logup/lambda");
    }

    /** Absorbs a layer's tree evaluations and draws μ, the new lowest coordinate of the next layer's point. */
    static Ext2 layerEnd(Transcript t, Ext2[] evaluations) {
        t.absorbExts("logup/layer", evaluations);
        return t.challengeExt("logup/mu");
    }

    /** Absorbs the blinding step's evaluations (zero knowledge only; its point is the step's own). */
    static void blindingEnd(Transcript t, Ext2[] evaluations) {
        t.absorbExts("logup/blinding", evaluations);
    }

    static void absorbLeaves(Transcript t, List<Ext2[]> groupEvaluations, List<Ext2[]> tableEvaluations) {
        for (Ext2[] e : groupEvaluations) {
            t.absorbExts("logup/group-leaves", e);
        }
        for (Ext2[] e : tableEvaluations) {
            t.absorbExts("logup/table-leaves", e);
        }
    }

    /** η, batching the masked leaf check's differences (drawn after the leaf values are absorbed). */
    static Ext2 leafEta(Transcript t) {
        return t.challengeExt("logup/leaf-eta");
    }

    /**
     * The look-up point of table k's tuples, α − k·β^C with C the widest table's column count: tagging
     * each tuple with its table keeps tuples of different tables distinct (as polynomials in β), so one
     * balanced sum over all tables implies each table's own LogUp identity. Table 0's point is α.
     */
    static Ext2 tablePoint(Ext2 alpha, Ext2 beta, LogUpShape shape, int table) {
        return alpha.sub(beta.pow(shape.maxColumns()).mul(Ext2.of(table)));
    }
}
