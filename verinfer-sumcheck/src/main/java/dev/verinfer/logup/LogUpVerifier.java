package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies a {@link LogUpProof} (GKR for fractional sums, Papini–Haböck ePrint 2023/1284 §3; see
 * {@link GkrLayers} for the layer relation). It checks that the trees' root fractions sum to zero
 * with no denominator zero (the groups' fractions minus the tables' balance), every GKR layer, and
 * that each tree's leaf claim is its leaves' MLE given the blocks' claimed evaluations: at the
 * tree's final point r, block b (2^d entries at offset o in the tree) contributes
 * eq(o/2^d, r_high)·(its p, q at r_low), with p = selector, 1 or −m and q = α_k − Σ_c β^c·col_c
 * for its table k (the blocks fill each tree exactly).
 *
 * <p><b>What the caller must still check</b>, on the returned {@link LogUpClaims} — the argument is
 * sound only if all of these hold:
 * <ul>
 *   <li>each table: {@code columnEvaluations[c]} is the MLE of public table column c at {@code point}
 *       (evaluate the table, or use a closed form such as {@link RangeTable#evaluate});</li>
 *   <li>each table: {@code multiplicityEvaluation} is the committed multiplicity vector's MLE at
 *       {@code point} (a PCS opening);</li>
 *   <li>each group: {@code columnEvaluations[c]} and, if the group has a selector,
 *       {@code selectorEvaluation} are the true MLEs of those witness vectors at the group's
 *       {@code point} (openings, or claims handed to the protocols that produce those tensors).</li>
 * </ul>
 * The witness, selectors and multiplicities must have been bound in the transcript (committed) before
 * this call. The claims themselves are already absorbed here.
 */
public final class LogUpVerifier {
    private LogUpVerifier() {}

    public static LogUpClaims verify(Transcript transcript, LogUpShape shape, LogUpProof proof) throws LogUpRejectedException {
        return verify(transcript, shape, proof, null);
    }

    /**
     * As {@link #verify(Transcript, LogUpShape, LogUpProof)} for a proof whose layer sumchecks are
     * zero-knowledge ({@link LogUpMasking}) when {@code masks} is given; a proof of the other kind is rejected.
     */
    public static LogUpClaims verify(Transcript transcript, LogUpShape shape, LogUpProof proof, GkrMaskVerifier masks) throws LogUpRejectedException {
        boolean leaves = masks != null && masks.masksLeaves();
        if (leaves) {
            for (int b = 0; b < shape.numBlocks(); b++) {
                if (shape.blockVars(b) == 0) {
                    throw new LogUpRejectedException("zero-knowledge look-ups need every group and table to have at least two rows");
                }
            }
        }
        int[] blinded = GkrBlinding.blindedTrees(shape);
        if ((proof.blinding() != null) != (masks != null && blinded.length > 0)) {
            throw new LogUpRejectedException(proof.blinding() == null ? "the roots are not blinded" : "a blinding step the statement does not expect");
        }
        if (masks != null) {
            try {
                masks.receiveBlinding(transcript, blinded.length);
            } catch (SumcheckRejectedException e) {
                throw new LogUpRejectedException("blinding: " + e.getMessage(), e);
            }
        }
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];
        int[] treeVars = shape.treeVars();
        int numTrees = treeVars.length;
        if (proof.roots().size() != numTrees || proof.layers().size() != shape.maxDepth()
                || proof.groupEvaluations().size() != shape.groups().size() || proof.tableEvaluations().size() != shape.tables().size()) {
            throw new LogUpRejectedException("proof does not have the shape's tree, layer, group or table count");
        }
        LogUpTranscript.absorbRoots(transcript, proof.roots());
        checkBalance(proof.roots());

        Ext2[] claimP = new Ext2[numTrees];
        Ext2[] claimQ = new Ext2[numTrees];
        for (int t = 0; t < numTrees; t++) {
            claimP[t] = proof.roots().get(t).numerator();
            claimQ[t] = proof.roots().get(t).denominator();
        }
        Ext2[][] leafPoints = new Ext2[numTrees][];
        Ext2[] point = new Ext2[0];
        LogUpProver.markFinished(shape, 0, point, leafPoints);
        for (int i = 0; i < shape.maxDepth(); i++) {
            int[] active = shape.activeTrees(i);
            LogUpProof.GkrLayer layer = proof.layers().get(i);
            Ext2[] evals = layer.evaluations();
            if (evals.length != 4 * active.length) {
                throw new LogUpRejectedException("layer " + i + " has " + evals.length + " evaluations for " + active.length + " trees");
            }
            Ext2 lambda = LogUpTranscript.layerLambda(transcript);
            Ext2[] p = ofTrees(claimP, active);
            Ext2[] q = ofTrees(claimQ, active);
            if ((masks == null) != (layer.mask().length == 0)) {
                throw new LogUpRejectedException("layer " + i + (masks == null ? " carries a mask the statement does not expect" : " is not zero-knowledge"));
            }
            try {
                Ext2 claim = GkrLayers.combine(p, q, lambda);
                SubClaim sub;
                if (masks == null) {
                    sub = SumcheckVerifier.verify(transcript, claim, i, GkrLayers.DEGREE, layer.sumcheck());
                } else {
                    boolean offset = GkrLayerMasks.hasOffset(shape, i);
                    if (offset) {
                        masks.offsetWeights(GkrLayerMasks.offsetWeights(shape, leaves, i, lambda, point));
                    }
                    int masked = GkrLayerMasks.maskedHalves(shape, leaves, i);
                    if (masked > 0) {
                        masks.receiveLayerMasks(transcript, masked);
                    }
                    Ext2[] mask = layer.mask();
                    ZkSumcheckProof zk = new ZkSumcheckProof(mask[0], layer.sumcheck(), mask[1]);
                    int[] degrees = GkrLayerMasks.roundDegrees(shape, leaves, i);
                    if (offset) {
                        sub = ZkSumcheckVerifier.verifyWithHiddenOffset(transcript, claim, GkrLayers.DEGREE, degrees, zk, masks);
                    } else {
                        sub = ZkSumcheckVerifier.verify(transcript, claim, GkrLayers.DEGREE, degrees, zk, masks);
                    }
                }
                sub.checkWithEq(point, GkrLayers.terms(active.length, lambda), evals);
                point = LogUpProver.prepend(LogUpTranscript.layerEnd(transcript, evals), sub.point());
            } catch (SumcheckRejectedException e) {
                throw new LogUpRejectedException("GKR layer " + i + ": " + e.getMessage(), e);
            }
            Ext2 mu = point[0];
            for (int a = 0; a < active.length; a++) {
                Ext2 p0 = evals[4 * a];
                Ext2 p1 = evals[4 * a + 1];
                Ext2 q0 = evals[4 * a + 2];
                Ext2 q1 = evals[4 * a + 3];
                claimP[active[a]] = p0.add(mu.mul(p1.sub(p0)));
                claimQ[active[a]] = q0.add(mu.mul(q1.sub(q0)));
            }
            if (masks != null && i == 0) {
                point = verifyBlindingStep(transcript, shape, leaves, proof.blinding(), point, active, claimP, claimQ, masks);
            }
            LogUpProver.markFinished(shape, i + 1, point, leafPoints);
        }

        List<Ext2[]> groupEvaluations = proof.groupEvaluations();
        List<Ext2[]> tableEvaluations = proof.tableEvaluations();
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);
        Ext2[][] leaf = leafFractions(shape, alpha, beta, leafPoints, groupEvaluations, tableEvaluations);
        if (leaves) {
            Ext2 eta = LogUpTranscript.leafEta(transcript);
            Ext2 difference = GkrLeafMasks.difference(claimP, claimQ, leaf[0], leaf[1], eta);
            try {
                masks.verifyLeafOffset(transcript, GkrLeafMasks.weights(shape, leafPoints, beta, eta), difference);
            } catch (SumcheckRejectedException e) {
                throw new LogUpRejectedException("the masked GKR leaves do not match the masked claims: " + e.getMessage(), e);
            }
        } else {
            for (int t = 0; t < numTrees; t++) {
                if (!claimP[t].equals(leaf[0][t])) {
                    throw new LogUpRejectedException("tree " + t + ": the GKR leaf numerators do not match the claimed selector/multiplicity evaluations");
                }
                if (!claimQ[t].equals(leaf[1][t])) {
                    throw new LogUpRejectedException("tree " + t + ": the GKR leaf denominators do not match the claimed column evaluations");
                }
            }
        }
        return claims(shape, leafPoints, groupEvaluations, tableEvaluations);
    }

    /**
     * Each tree's leaf fraction (leafP, leafQ) at its final point from the blocks' claimed evaluations:
     * block b (2^d entries at offset o in the tree) contributes eq(o/2^d, r_high)·(its p, q at r_low).
     */
    static Ext2[][] leafFractions(LogUpShape shape, Ext2 alpha, Ext2 beta, Ext2[][] leafPoints, List<Ext2[]> groupEvaluations,
                                  List<Ext2[]> tableEvaluations) throws LogUpRejectedException {
        int numTrees = shape.treeVars().length;
        long[] offsets = shape.offsets();
        long[] starts = shape.treeStarts();
        Ext2[] leafP = new Ext2[numTrees];
        Ext2[] leafQ = new Ext2[numTrees];
        Arrays.fill(leafP, Ext2.ZERO);
        Arrays.fill(leafQ, Ext2.ZERO);
        for (int b = 0; b < shape.numBlocks(); b++) {
            boolean group = b < shape.groups().size();
            Ext2[] e = group ? groupEvaluations.get(b) : tableEvaluations.get(b - shape.groups().size());
            int cols = shape.blockColumns(b);
            boolean hasNumerator = !group || shape.groups().get(b).hasSelector();
            if (e.length != cols + (hasNumerator ? 1 : 0)) {
                throw new LogUpRejectedException((group ? "group " + b : "table " + (b - shape.groups().size())) + " has " + e.length + " leaf evaluations");
            }
            int vars = shape.blockVars(b);
            int tree = shape.treeOf(offsets[b]);
            Ext2[] treePoint = leafPoints[tree];
            Ext2[] columns = Arrays.copyOf(e, cols);
            Ext2 numerator = hasNumerator ? e[cols] : Ext2.ONE;
            Ext2 weight = GkrLeafMasks.blockWeight((offsets[b] - starts[tree]) >>> vars, treePoint, vars);
            Ext2 q = GkrLayers.denominator(LogUpTranscript.tablePoint(alpha, beta, shape, shape.blockTable(b)), beta, columns);
            leafP[tree] = leafP[tree].add(weight.mul(group ? numerator : numerator.neg()));
            leafQ[tree] = leafQ[tree].add(weight.mul(q));
        }
        return new Ext2[][] {leafP, leafQ};
    }

    private static LogUpClaims claims(LogUpShape shape, Ext2[][] leafPoints, List<Ext2[]> groupEvaluations, List<Ext2[]> tableEvaluations) {
        long[] offsets = shape.offsets();
        List<GroupClaim> groups = new ArrayList<>(shape.groups().size());
        List<TableClaim> tables = new ArrayList<>(shape.tables().size());
        for (int b = 0; b < shape.numBlocks(); b++) {
            boolean group = b < shape.groups().size();
            Ext2[] e = group ? groupEvaluations.get(b) : tableEvaluations.get(b - shape.groups().size());
            int cols = shape.blockColumns(b);
            Ext2[] at = Arrays.copyOf(leafPoints[shape.treeOf(offsets[b])], shape.blockVars(b));
            Ext2[] columns = Arrays.copyOf(e, cols);
            if (group) {
                groups.add(new GroupClaim(at, columns, shape.groups().get(b).hasSelector() ? e[cols] : Ext2.ONE));
            } else {
                tables.add(new TableClaim(at, columns, e[cols]));
            }
        }
        return new LogUpClaims(groups, tables);
    }

    /**
     * The blinding step ({@link GkrBlinding}): reduces the claims on layer 1' at (μ) to layer 1's at the
     * step's point r, which it returns, replacing the active trees' claims; B'(r) and C'(r) are checked
     * against the committed blinding.
     */
    private static Ext2[] verifyBlindingStep(Transcript transcript, LogUpShape shape, boolean leaves, LogUpProof.GkrLayer step, Ext2[] point, int[] active,
                                             Ext2[] claimP, Ext2[] claimQ, GkrMaskVerifier masks) throws LogUpRejectedException {
        Ext2[] evals = step.evaluations();
        if (evals.length != 4 * active.length || step.mask().length != 2) {
            throw new LogUpRejectedException("the blinding step has " + evals.length + " evaluations for " + active.length + " trees");
        }
        Ext2 lambda = LogUpTranscript.layerLambda(transcript);
        Ext2[] p = ofTrees(claimP, active);
        Ext2[] q = ofTrees(claimQ, active);
        try {
            int masked = GkrBlinding.layerMasks(shape, leaves);
            if (masked > 0) {
                masks.receiveLayerMasks(transcript, masked);
            }
            Ext2[] mask = step.mask();
            SubClaim sub = ZkSumcheckVerifier.verify(transcript, GkrLayers.combine(p, q, lambda), GkrLayers.DEGREE, GkrBlinding.roundDegrees(shape, leaves),
                    new ZkSumcheckProof(mask[0], step.sumcheck(), mask[1]), masks);
            sub.checkWithEq(point, GkrLayers.terms(active.length, lambda), evals);
            LogUpTranscript.blindingEnd(transcript, evals);
            masks.verifyBlinding(transcript, sub.point()[0], GkrBlinding.blindingEvaluations(evals));
            for (int a = 0; a < active.length; a++) {
                claimP[active[a]] = evals[4 * a];
                claimQ[active[a]] = evals[4 * a + 2];
            }
            return sub.point();
        } catch (SumcheckRejectedException e) {
            throw new LogUpRejectedException("blinding step: " + e.getMessage(), e);
        }
    }

    /** Σ_k P_k/Q_k = 0 over the trees (groups count positive, tables negative), with no Q zero. */
    private static void checkBalance(List<LogUpProof.Fraction> roots) throws LogUpRejectedException {
        Ext2 balance = Ext2.ZERO;
        for (int t = 0; t < roots.size(); t++) {
            LogUpProof.Fraction f = roots.get(t);
            if (f.denominator().isZero()) {
                throw new LogUpRejectedException("root denominator of tree " + t + " is zero");
            }
            balance = balance.add(f.numerator().mul(f.denominator().inverse()));
        }
        if (!balance.isZero()) {
            throw new LogUpRejectedException("the look-up fractions do not balance: Σ witness ≠ Σ tables (a value outside its table or wrong multiplicities)");
        }
    }

    /**
     * The caller's check of a public table: each claimed column evaluation is the column's MLE at the
     * claim's point (O(table size); use a closed form such as {@link RangeTable#evaluate} where one exists).
     */
    public static void checkPublicTable(TableClaim claim, long[][] tableColumns) throws LogUpRejectedException {
        Ext2[] point = claim.point();
        Ext2[] claimed = claim.columnEvaluations();
        if (tableColumns.length != claimed.length) {
            throw new LogUpRejectedException("table has " + tableColumns.length + " columns, the claim " + claimed.length);
        }
        for (int c = 0; c < tableColumns.length; c++) {
            if (tableColumns[c].length != 1 << point.length || !Mle.evaluate(tableColumns[c], point).equals(claimed[c])) {
                throw new LogUpRejectedException("table column " + c + " does not evaluate to the claimed value at the table point");
            }
        }
    }

    /** The claims of the active trees, in the order {@code active} lists them. */
    private static Ext2[] ofTrees(Ext2[] claims, int[] active) {
        Ext2[] out = new Ext2[active.length];
        for (int a = 0; a < active.length; a++) {
            out[a] = claims[active[a]];
        }
        return out;
    }
}
