package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proves the LogUp identity Σ_g Σ_i sel_g[i] / (α_g − w_g[i]) − Σ_k Σ_j m_k[j] / (α_k − t_k[j]) = 0
 * with GKR on fractional sums (Papini–Haböck, ePrint 2023/1284), where w_g[i] = Σ_c β^c·witness_g[c][i],
 * t_k[j] = Σ_c β^c·table_k[c][j], and α_k = α − k·β^C tags table k's tuples (α_g is its group's table's).
 * If every selected witness tuple is a row of its table and each m_k counts them (see
 * {@link Multiplicities}), the identity holds as rational functions in α; otherwise it fails at a
 * random α except with probability ≈ (total size)/|F|.
 *
 * <p>All groups and tables are packed side by side ({@link LogUpShape#offsets}) into one leaf vector
 * — unused leaves 0/1 — so one tree and one sumcheck per layer serve them all, and the proof carries
 * four values per layer whatever the number of groups. See {@link LogUpVerifier} for what the caller
 * must check afterwards.
 *
 * <p>The caller must have absorbed commitments to (or the values of) the witness columns, selectors
 * and multiplicities before calling, since β and α are drawn here.
 */
public final class LogUpProver {
    private LogUpProver() {}

    /** One table: the groups look up rows of {@code tableColumns}, counted by {@code multiplicities}. */
    public static LogUpProverResult prove(Transcript transcript, List<LookupWitness> groups, long[][] tableColumns, long[] multiplicities) {
        return prove(transcript, groups, List.of(new LogUpTable(tableColumns, multiplicities)));
    }

    /** Several tables in one argument: group g looks up rows of {@code tables.get(groups.get(g).table())}. */
    public static LogUpProverResult prove(Transcript transcript, List<LookupWitness> groups, List<LogUpTable> tables) {
        LogUpShape shape = LogUpShape.of(groups, tables);
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];

        FractionTree tree = packedTree(shape, groups, tables, alpha, beta);
        LogUpProof.Fraction root = tree.root();
        LogUpTranscript.absorbRoot(transcript, root);

        // GKR from the root down to the leaves.
        Ext2 claimP = root.numerator();
        Ext2 claimQ = root.denominator();
        Ext2[] point = new Ext2[0];
        List<LogUpProof.GkrLayer> layers = new ArrayList<>();
        for (int i = 0; i < tree.depth; i++) {
            Ext2 lambda = LogUpTranscript.layerLambda(transcript);
            SumcheckProverResult res = SumcheckProver.proveWithEq(transcript, point, GkrLayers.combine(claimP, claimQ, lambda),
                    tree.halves(i + 1), GkrLayers.terms(lambda));
            Ext2[] e = res.finalEvaluations();
            layers.add(new LogUpProof.GkrLayer(res.proof(), e));
            Ext2 mu = LogUpTranscript.layerEnd(transcript, e);
            claimP = e[0].add(mu.mul(e[1].sub(e[0])));
            claimQ = e[2].add(mu.mul(e[3].sub(e[2])));
            point = prepend(mu, res.point());
        }

        List<Ext2[]> groupEvaluations = new ArrayList<>(groups.size());
        List<GroupClaim> groupClaims = new ArrayList<>(groups.size());
        for (LookupWitness w : groups) {
            Ext2[] at = Arrays.copyOf(point, w.numVars());
            Ext2[] cols = evaluateAll(w.columns(), at);
            Ext2 sel = w.hasSelector() ? Mle.evaluate(w.selector(), at) : Ext2.ONE;
            groupEvaluations.add(w.hasSelector() ? append(cols, sel) : cols);
            groupClaims.add(new GroupClaim(at, cols, sel));
        }
        List<Ext2[]> tableEvaluations = new ArrayList<>(tables.size());
        List<TableClaim> tableClaims = new ArrayList<>(tables.size());
        for (LogUpTable t : tables) {
            Ext2[] at = Arrays.copyOf(point, t.numVars());
            Ext2[] cols = evaluateAll(t.columns(), at);
            Ext2 mult = Mle.evaluate(t.multiplicities(), at);
            tableEvaluations.add(append(cols, mult));
            tableClaims.add(new TableClaim(at, cols, mult));
        }
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);

        LogUpProof proof = new LogUpProof(root, layers, groupEvaluations, tableEvaluations);
        return new LogUpProverResult(proof, new LogUpClaims(groupClaims, tableClaims));
    }

    /** The one tree over every block's fractions at its offset: groups sel/(α_g − w), tables −m/(α_k − t), the rest 0/1. */
    private static FractionTree packedTree(LogUpShape shape, List<LookupWitness> groups, List<LogUpTable> tables, Ext2 alpha, Ext2 beta) {
        int size = 1 << shape.packedVars();
        long[] numerators = new long[size];
        ExtVector denominators = ExtVector.zeros(size);
        Arrays.fill(denominators.c0(), 1);
        long[] offsets = shape.offsets();
        for (int b = 0; b < shape.numBlocks(); b++) {
            int offset = (int) offsets[b];
            Ext2 tablePoint = LogUpTranscript.tablePoint(alpha, beta, shape, shape.blockTable(b));
            if (b < groups.size()) {
                LookupWitness w = groups.get(b);
                FractionTree.leafDenominators(w.columns(), tablePoint, beta, denominators, offset);
                if (w.hasSelector()) {
                    System.arraycopy(w.selector(), 0, numerators, offset, w.length());
                } else {
                    Arrays.fill(numerators, offset, offset + w.length(), 1);
                }
            } else {
                LogUpTable t = tables.get(b - groups.size());
                FractionTree.leafDenominators(t.columns(), tablePoint, beta, denominators, offset);
                long[] m = t.multiplicities();
                for (int j = 0; j < m.length; j++) {
                    numerators[offset + j] = Goldilocks.neg(m[j]);
                }
            }
        }
        return FractionTree.build(numerators, denominators);
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
