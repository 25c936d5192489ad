package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proves the LogUp identity Σ_g Σ_i sel_g[i] / (α − w_g[i]) = Σ_j m[j] / (α − t[j]) with GKR on
 * fractional sums (Papini–Haböck, ePrint 2023/1284), where w_g[i] = Σ_c β^c·witness_g[c][i] and
 * t[j] = Σ_c β^c·table[c][j]. If every selected witness tuple is a table row and m counts them (see
 * {@link Multiplicities}), the identity holds as rational functions in α; otherwise it fails at a
 * random α except with probability ≈ (total size)/|F|. See {@link LogUpVerifier} for what the caller
 * must check afterwards.
 *
 * <p>The caller must have absorbed commitments to (or the values of) the witness columns, selectors
 * and multiplicities before calling, since β and α are drawn here.
 */
public final class LogUpProver {
    private LogUpProver() {}

    public static LogUpProverResult prove(Transcript transcript, List<LookupWitness> groups, long[][] tableColumns, long[] multiplicities) {
        LogUpShape shape = LogUpShape.of(groups, tableColumns);
        if (multiplicities.length != tableColumns[0].length) {
            throw new IllegalArgumentException("multiplicities have length " + multiplicities.length + ", the table " + tableColumns[0].length);
        }
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];

        int numTrees = shape.numTrees();
        FractionTree[] trees = new FractionTree[numTrees];
        for (int g = 0; g < groups.size(); g++) {
            LookupWitness w = groups.get(g);
            trees[g] = FractionTree.build(w.selector(), FractionTree.leafDenominators(w.columns(), alpha, beta));
        }
        trees[numTrees - 1] = FractionTree.build(multiplicities, FractionTree.leafDenominators(tableColumns, alpha, beta));

        List<LogUpProof.Fraction> roots = new ArrayList<>(numTrees);
        for (FractionTree t : trees) {
            roots.add(t.root());
        }
        LogUpTranscript.absorbRoots(transcript, roots);

        // GKR from the roots down: at layer i all trees deeper than i share one sumcheck over i variables.
        Ext2[] claimP = new Ext2[numTrees]; // each tree's claimed p and q at the current point
        Ext2[] claimQ = new Ext2[numTrees];
        for (int t = 0; t < numTrees; t++) {
            claimP[t] = roots.get(t).numerator();
            claimQ[t] = roots.get(t).denominator();
        }
        Ext2[][] leafPoints = new Ext2[numTrees][];
        Ext2[] point = new Ext2[0];
        markFinished(shape, 0, point, leafPoints);
        List<LogUpProof.GkrLayer> layers = new ArrayList<>();
        for (int i = 0; i < shape.maxDepth(); i++) {
            int[] active = shape.activeTrees(i);
            Ext2 lambda = LogUpTranscript.layerLambda(transcript);
            List<MleTable> tables = new ArrayList<>(4 * active.length);
            for (int t : active) {
                tables.addAll(trees[t].halves(i + 1));
            }
            Ext2[] p = new Ext2[active.length];
            Ext2[] q = new Ext2[active.length];
            for (int a = 0; a < active.length; a++) {
                p[a] = claimP[active[a]];
                q[a] = claimQ[active[a]];
            }
            SumcheckProverResult res = SumcheckProver.proveWithEq(transcript, point, GkrLayers.combine(p, q, lambda), tables,
                    GkrLayers.terms(active.length, lambda));
            Ext2[] evaluations = res.finalEvaluations();
            layers.add(new LogUpProof.GkrLayer(res.proof(), evaluations));
            Ext2 mu = LogUpTranscript.layerEnd(transcript, evaluations);
            for (int a = 0; a < active.length; a++) {
                claimP[active[a]] = evaluations[4 * a].add(mu.mul(evaluations[4 * a + 1].sub(evaluations[4 * a])));
                claimQ[active[a]] = evaluations[4 * a + 2].add(mu.mul(evaluations[4 * a + 3].sub(evaluations[4 * a + 2])));
            }
            point = prepend(mu, res.point());
            markFinished(shape, i + 1, point, leafPoints);
        }

        List<Ext2[]> groupEvaluations = new ArrayList<>(groups.size());
        List<GroupClaim> groupClaims = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            LookupWitness w = groups.get(g);
            Ext2[] at = leafPoints[g];
            Ext2[] cols = evaluateAll(w.columns(), at);
            Ext2 sel = w.hasSelector() ? Mle.evaluate(w.selector(), at) : Ext2.ONE;
            groupEvaluations.add(w.hasSelector() ? append(cols, sel) : cols);
            groupClaims.add(new GroupClaim(at, cols, sel));
        }
        Ext2[] tablePoint = leafPoints[numTrees - 1];
        Ext2[] tableCols = evaluateAll(tableColumns, tablePoint);
        Ext2 mult = Mle.evaluate(multiplicities, tablePoint);
        Ext2[] tableEvaluations = append(tableCols, mult);
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);

        LogUpProof proof = new LogUpProof(roots, layers, groupEvaluations, tableEvaluations);
        return new LogUpProverResult(proof, new LogUpClaims(groupClaims, new TableClaim(tablePoint, tableCols, mult)));
    }

    /** Records {@code point} as the leaf point of every tree whose depth is {@code layer}. */
    static void markFinished(LogUpShape shape, int layer, Ext2[] point, Ext2[][] leafPoints) {
        for (int t = 0; t < shape.numTrees(); t++) {
            if (shape.treeDepth(t) == layer) {
                leafPoints[t] = point;
            }
        }
    }

    static Ext2[] prepend(Ext2 first, Ext2[] rest) {
        Ext2[] out = new Ext2[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    static Ext2[] append(Ext2[] values, Ext2 last) {
        Ext2[] out = Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }

    private static Ext2[] evaluateAll(long[][] columns, Ext2[] point) {
        Ext2[] out = new Ext2[columns.length];
        for (int c = 0; c < columns.length; c++) {
            out[c] = Mle.evaluate(columns[c], point);
        }
        return out;
    }
}
