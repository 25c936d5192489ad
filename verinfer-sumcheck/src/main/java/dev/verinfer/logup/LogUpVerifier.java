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
 * {@link GkrLayers} for the layer relation). It checks that the root fraction is 0/Q with Q ≠ 0 (the
 * groups' fractions minus the tables' balance), every GKR layer, and that the leaf claim is the
 * packed leaf vector's MLE given the blocks' claimed evaluations: at the final point r, block b
 * (2^d entries at offset o) contributes eq(o/2^d, r_high)·(its p, q at r_low), with p = selector, 1
 * or −m and q = α_k − Σ_c β^c·col_c for its table k; unused leaves contribute 0/1.
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
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];
        if (proof.layers().size() != shape.packedVars() || proof.groupEvaluations().size() != shape.groups().size()
                || proof.tableEvaluations().size() != shape.tables().size()) {
            throw new LogUpRejectedException("proof does not have the shape's layer, group or table count");
        }
        LogUpProof.Fraction root = proof.root();
        LogUpTranscript.absorbRoot(transcript, root);
        if (root.denominator().isZero()) {
            throw new LogUpRejectedException("root denominator is zero");
        }
        if (!root.numerator().isZero()) {
            throw new LogUpRejectedException("the look-up fractions do not balance: Σ witness ≠ Σ tables (a value outside its table or wrong multiplicities)");
        }

        Ext2 claimP = root.numerator();
        Ext2 claimQ = root.denominator();
        Ext2[] point = new Ext2[0];
        for (int i = 0; i < shape.packedVars(); i++) {
            LogUpProof.GkrLayer layer = proof.layers().get(i);
            Ext2[] e = layer.evaluations();
            if (e.length != 4) {
                throw new LogUpRejectedException("layer " + i + " has " + e.length + " evaluations, not 4");
            }
            Ext2 lambda = LogUpTranscript.layerLambda(transcript);
            try {
                SubClaim sub = SumcheckVerifier.verify(transcript, GkrLayers.combine(claimP, claimQ, lambda), i, GkrLayers.DEGREE, layer.sumcheck());
                sub.checkWithEq(point, GkrLayers.terms(lambda), e);
                point = LogUpProver.prepend(LogUpTranscript.layerEnd(transcript, e), sub.point());
            } catch (SumcheckRejectedException ex) {
                throw new LogUpRejectedException("GKR layer " + i + ": " + ex.getMessage(), ex);
            }
            Ext2 mu = point[0];
            claimP = e[0].add(mu.mul(e[1].sub(e[0])));
            claimQ = e[2].add(mu.mul(e[3].sub(e[2])));
        }

        List<Ext2[]> groupEvaluations = proof.groupEvaluations();
        List<Ext2[]> tableEvaluations = proof.tableEvaluations();
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);
        long[] offsets = shape.offsets();
        Ext2 leafP = Ext2.ZERO;
        Ext2 leafQ = Ext2.ONE; // the unused leaves' 1, less each block's share below
        List<GroupClaim> groups = new ArrayList<>(shape.groups().size());
        List<TableClaim> tables = new ArrayList<>(shape.tables().size());
        for (int b = 0; b < shape.numBlocks(); b++) {
            boolean group = b < shape.groups().size();
            Ext2[] e = group ? groupEvaluations.get(b) : tableEvaluations.get(b - shape.groups().size());
            int cols = shape.blockColumns(b);
            boolean hasNumerator = !group || shape.groups().get(b).hasSelector();
            if (e.length != cols + (hasNumerator ? 1 : 0)) {
                throw new LogUpRejectedException((group ? "group " + b : "table " + (b - shape.groups().size())) + " has " + e.length + " leaf evaluations");
            }
            int vars = shape.blockVars(b);
            Ext2[] at = Arrays.copyOf(point, vars);
            Ext2[] columns = Arrays.copyOf(e, cols);
            Ext2 numerator = hasNumerator ? e[cols] : Ext2.ONE;
            Ext2 weight = blockWeight(offsets[b] >>> vars, point, vars);
            Ext2 q = GkrLayers.denominator(LogUpTranscript.tablePoint(alpha, beta, shape, shape.blockTable(b)), beta, columns);
            leafP = leafP.add(weight.mul(group ? numerator : numerator.neg()));
            leafQ = leafQ.add(weight.mul(q.sub(Ext2.ONE)));
            if (group) {
                groups.add(new GroupClaim(at, columns, numerator));
            } else {
                tables.add(new TableClaim(at, columns, numerator));
            }
        }
        if (!claimP.equals(leafP)) {
            throw new LogUpRejectedException("the GKR leaf numerators do not match the claimed selector/multiplicity evaluations");
        }
        if (!claimQ.equals(leafQ)) {
            throw new LogUpRejectedException("the GKR leaf denominators do not match the claimed column evaluations");
        }
        return new LogUpClaims(groups, tables);
    }

    /** eq(bits of {@code block}, point[low..]): the weight of the subcube block·2^low + [0, 2^low) at {@code point}. */
    private static Ext2 blockWeight(long block, Ext2[] point, int low) {
        Ext2 w = Ext2.ONE;
        for (int j = low; j < point.length; j++) {
            w = w.mul(((block >>> (j - low)) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
        }
        return w;
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
}
