package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies a {@link LogUpProof} (GKR for fractional sums, Papini–Haböck ePrint 2023/1284 §3; see
 * {@link GkrLayers} for the layer relation). It checks that the root fractions balance
 * (Σ_g P_g/Q_g = P_table/Q_table with every Q non-zero), every GKR layer, and that the leaf claims
 * are consistent with the columns' claimed evaluations (q = α − Σ_c β^c·col_c, p = selector, 1 or m).
 *
 * <p><b>What the caller must still check</b>, on the returned {@link LogUpClaims} — the argument is
 * sound only if all of these hold:
 * <ul>
 *   <li>table: {@code columnEvaluations[c]} is the MLE of public table column c at {@code point}
 *       (evaluate the table, or use a closed form such as {@link RangeTable#evaluate});</li>
 *   <li>table: {@code multiplicityEvaluation} is the committed multiplicity vector's MLE at {@code point}
 *       (a PCS opening);</li>
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
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];
        int numTrees = shape.numTrees();
        if (proof.roots().size() != numTrees || proof.layers().size() != shape.maxDepth()
                || proof.groupEvaluations().size() != shape.groups().size()) {
            throw new LogUpRejectedException("proof does not have the shape's tree, layer or group count");
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
        Ext2[][] leafP = new Ext2[numTrees][];
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
            Ext2[] p = new Ext2[active.length];
            Ext2[] q = new Ext2[active.length];
            for (int a = 0; a < active.length; a++) {
                p[a] = claimP[active[a]];
                q[a] = claimQ[active[a]];
            }
            try {
                SubClaim sub = SumcheckVerifier.verify(transcript, GkrLayers.combine(p, q, lambda), i, GkrLayers.DEGREE, layer.sumcheck());
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
            LogUpProver.markFinished(shape, i + 1, point, leafPoints);
        }

        List<Ext2[]> groupEvaluations = proof.groupEvaluations();
        Ext2[] tableEvaluations = proof.tableEvaluations();
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);
        int cols = shape.numColumns();
        List<GroupClaim> groups = new ArrayList<>(shape.groups().size());
        for (int g = 0; g < shape.groups().size(); g++) {
            Ext2[] e = groupEvaluations.get(g);
            boolean hasSelector = shape.groups().get(g).hasSelector();
            if (e.length != cols + (hasSelector ? 1 : 0)) {
                throw new LogUpRejectedException("group " + g + " has " + e.length + " leaf evaluations");
            }
            Ext2[] columns = Arrays.copyOf(e, cols);
            Ext2 selector = hasSelector ? e[cols] : Ext2.ONE;
            checkLeaf("group " + g, claimP[g], claimQ[g], selector, GkrLayers.denominator(alpha, beta, columns));
            groups.add(new GroupClaim(leafPoints[g], columns, selector));
        }
        if (tableEvaluations.length != cols + 1) {
            throw new LogUpRejectedException("table has " + tableEvaluations.length + " leaf evaluations");
        }
        Ext2[] tableColumns = Arrays.copyOf(tableEvaluations, cols);
        Ext2 multiplicity = tableEvaluations[cols];
        int table = numTrees - 1;
        checkLeaf("table", claimP[table], claimQ[table], multiplicity, GkrLayers.denominator(alpha, beta, tableColumns));
        return new LogUpClaims(groups, new TableClaim(leafPoints[table], tableColumns, multiplicity));
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

    /** Σ_g P_g/Q_g = P_table/Q_table, i.e. (Σ_g P_g·Q_g⁻¹)·Q_table = P_table, with no Q zero. */
    private static void checkBalance(List<LogUpProof.Fraction> roots) throws LogUpRejectedException {
        Ext2 witnessSum = Ext2.ZERO;
        for (int t = 0; t < roots.size(); t++) {
            if (roots.get(t).denominator().isZero()) {
                throw new LogUpRejectedException("root denominator of tree " + t + " is zero");
            }
        }
        for (int t = 0; t < roots.size() - 1; t++) {
            witnessSum = witnessSum.add(roots.get(t).numerator().mul(roots.get(t).denominator().inverse()));
        }
        LogUpProof.Fraction table = roots.getLast();
        if (!witnessSum.mul(table.denominator()).equals(table.numerator())) {
            throw new LogUpRejectedException("the look-up fractions do not balance: Σ witness ≠ table (a value outside the table or wrong multiplicities)");
        }
    }

    private static void checkLeaf(String what, Ext2 p, Ext2 q, Ext2 numerator, Ext2 denominator) throws LogUpRejectedException {
        if (!p.equals(numerator)) {
            throw new LogUpRejectedException(what + ": the GKR leaf numerator does not match the claimed selector/multiplicity evaluation");
        }
        if (!q.equals(denominator)) {
            throw new LogUpRejectedException(what + ": the GKR leaf denominator does not match the claimed column evaluations");
        }
    }
}
