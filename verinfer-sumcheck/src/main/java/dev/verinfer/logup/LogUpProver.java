package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Proves the LogUp identity Σ_g Σ_i sel_g[i] / (α_g − w_g[i]) − Σ_k Σ_j m_k[j] / (α_k − t_k[j]) = 0
 * with GKR on fractional sums (Papini–Haböck, ePrint 2023/1284), where w_g[i] = Σ_c β^c·witness_g[c][i],
 * t_k[j] = Σ_c β^c·table_k[c][j], and α_k = α − k·β^C tags table k's tuples (α_g is its group's table's).
 * If every selected witness tuple is a row of its table and each m_k counts them (see
 * {@link Multiplicities}), the identity holds as rational functions in α; otherwise it fails at a
 * random α except with probability ≈ (total size)/|F|.
 *
 * <p>All groups and tables are packed side by side ({@link LogUpShape#offsets}) and cut into at most
 * one tree per binary digit of their total size ({@link LogUpShape#treeVars}), so the proof carries
 * four values per layer and tree whatever the number of groups, and no leaf is padding. See {@link LogUpVerifier} for what the caller
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
        return prove(transcript, groups, tables, null);
    }

    /**
     * As {@link #prove(Transcript, List, List)}, with every GKR layer's sumcheck masked when
     * {@code masking} is given (verify with {@link LogUpVerifier#verify(Transcript, LogUpShape, LogUpProof, GkrMaskVerifier)}).
     */
    public static LogUpProverResult prove(Transcript transcript, List<LookupWitness> groups, List<LogUpTable> tables, LogUpMasking masking) {
        return prove(transcript, groups, tables, masking, UnaryOperator.identity(), (message, values) -> values);
    }

    /**
     * The tests' seam for a cheating prover: {@code blindingEdit} may replace the drawn blinding before it
     * is committed, and {@code messages} any message the prover sends — "roots" (P, Q per tree),
     * "layer i", "blinding", "group g", "table k" — before it is absorbed; everything after follows
     * honestly from the edited values.
     */
    static LogUpProverResult prove(Transcript transcript, List<LookupWitness> groups, List<LogUpTable> tables, LogUpMasking masking,
                                   UnaryOperator<Ext2[][]> blindingEdit, BiFunction<String, Ext2[], Ext2[]> messages) {
        LogUpShape shape = LogUpShape.of(groups, tables);
        LeafMasks leafMasks = masking == null ? null : masking.leaves();
        boolean leaves = leafMasks != null;
        if (leaves) {
            leafMasks.check(shape);
        }
        int[] blinded = GkrBlinding.blindedTrees(shape);
        Ext2[][] blinding = null;
        if (masking != null) {
            blinding = blindingEdit.apply(masking.committer().drawBlinding(blinded.length, masking.random()));
            masking.committer().commitBlinding(transcript, blinding);
        }
        Ext2[] challenges = LogUpTranscript.begin(transcript, shape);
        Ext2 beta = challenges[0];
        Ext2 alpha = challenges[1];

        FractionTree[] trees = packedTrees(shape, groups, tables, alpha, beta);
        int numTrees = trees.length;
        Ext2[][] layerOne = new Ext2[numTrees][]; // zero knowledge: the blinded layer 1 that layer 0 sends
        if (masking != null) {
            for (int a = 0; a < blinded.length; a++) {
                layerOne[blinded[a]] = GkrBlinding.blind(trees[blinded[a]].layerOne(), blinding[a]);
            }
        }
        List<LogUpProof.Fraction> roots = new ArrayList<>(numTrees);
        for (int t = 0; t < numTrees; t++) {
            Ext2[] v = layerOne[t];
            roots.add(v == null ? trees[t].root() : new LogUpProof.Fraction(v[0].mul(v[3]).add(v[1].mul(v[2])), v[2].mul(v[3])));
        }
        Ext2[] sentRoots = new Ext2[2 * numTrees];
        for (int t = 0; t < numTrees; t++) {
            sentRoots[2 * t] = roots.get(t).numerator();
            sentRoots[2 * t + 1] = roots.get(t).denominator();
        }
        sentRoots = messages.apply("roots", sentRoots);
        for (int t = 0; t < numTrees; t++) {
            roots.set(t, new LogUpProof.Fraction(sentRoots[2 * t], sentRoots[2 * t + 1]));
        }
        LogUpTranscript.absorbRoots(transcript, roots);

        // GKR from the roots down: at layer i all trees deeper than i share one sumcheck over i variables.
        Ext2[] claimP = new Ext2[numTrees];
        Ext2[] claimQ = new Ext2[numTrees];
        for (int t = 0; t < numTrees; t++) {
            claimP[t] = roots.get(t).numerator();
            claimQ[t] = roots.get(t).denominator();
        }
        Ext2[][] leafPoints = new Ext2[numTrees][];
        Ext2[] point = new Ext2[0];
        markFinished(shape, 0, point, leafPoints);
        List<LogUpProof.GkrLayer> layers = new ArrayList<>();
        LogUpProof.GkrLayer blindingStep = null;
        List<VanishingMask> previousMasks = List.of(); // the previous layer's masks, in commitment order
        for (int i = 0; i < shape.maxDepth(); i++) {
            int[] active = shape.activeTrees(i);
            Ext2 lambda = LogUpTranscript.layerLambda(transcript);
            List<MleTable> halves = new ArrayList<>(4 * active.length);
            for (int t : active) {
                halves.addAll(masking != null && i == 0 ? single(layerOne[t]) : trees[t].halves(i + 1));
            }
            Ext2[] p = new Ext2[active.length];
            Ext2[] q = new Ext2[active.length];
            for (int a = 0; a < active.length; a++) {
                p[a] = claimP[active[a]];
                q[a] = claimQ[active[a]];
            }
            Ext2 claim = GkrLayers.combine(p, q, lambda);
            List<ProductTerm> terms = GkrLayers.terms(active.length, lambda);
            Ext2[] evaluations;
            Ext2[] sumcheckPoint;
            if (masking == null) {
                SumcheckProverResult res = SumcheckProver.proveWithEq(transcript, point, claim, halves, terms);
                evaluations = messages.apply("layer " + i, res.finalEvaluations());
                sumcheckPoint = res.point();
                layers.add(new LogUpProof.GkrLayer(res.proof(), evaluations));
            } else {
                GkrMaskCommitter committer = masking.committer();
                boolean[] hidden = GkrLayerMasks.hiddenHalves(shape, leaves, i);
                VanishingMask[] hiding = new VanishingMask[hidden.length];
                List<VanishingMask> committed = new ArrayList<>();
                for (int k = 0; k < hidden.length; k++) {
                    if (hidden[k]) {
                        hiding[k] = masking.committer().drawLayerMask(masking.random());
                        committed.add(hiding[k]);
                    }
                }
                ZkSumcheckProverResult res = maskedLayer(transcript, shape, leaves, i, point, claim, lambda, halves, terms, hiding, committed,
                        previousMasks, GkrLayerMasks.roundDegrees(shape, leaves, i), masking);
                previousMasks = committed;
                evaluations = messages.apply("layer " + i, res.finalEvaluations());
                sumcheckPoint = res.point();
                layers.add(new LogUpProof.GkrLayer(res.proof().rounds(), evaluations, new Ext2[] {res.proof().maskSum(), res.proof().maskEvaluation()}));
            }
            Ext2 mu = LogUpTranscript.layerEnd(transcript, evaluations);
            for (int a = 0; a < active.length; a++) {
                claimP[active[a]] = evaluations[4 * a].add(mu.mul(evaluations[4 * a + 1].sub(evaluations[4 * a])));
                claimQ[active[a]] = evaluations[4 * a + 2].add(mu.mul(evaluations[4 * a + 3].sub(evaluations[4 * a + 2])));
            }
            point = prepend(mu, sumcheckPoint);
            if (masking != null && i == 0) {
                // The blinding step: the claim on layer 1' at (μ) becomes a masked claim on layer 1 at (r).
                Ext2 stepLambda = LogUpTranscript.layerLambda(transcript);
                List<MleTable> stepTables = new ArrayList<>(4 * active.length);
                VanishingMask[] hiding = new VanishingMask[4 * active.length];
                List<VanishingMask> committed = new ArrayList<>();
                for (int a = 0; a < active.length; a++) {
                    List<MleTable> layer = trees[active[a]].layer(1);
                    Ext2[] b = blinding[a];
                    stepTables.addAll(List.of(layer.get(0), new ExtTable(ExtVector.of(b[0], b[1])), layer.get(1), new ExtTable(ExtVector.of(b[2], b[3]))));
                    hiding[4 * a + 1] = new VanishingMask(new Ext2[] {b[4]});
                    hiding[4 * a + 3] = new VanishingMask(new Ext2[] {b[5]});
                    if (GkrBlinding.masksLayerOne(shape, leaves, active[a])) {
                        hiding[4 * a] = masking.committer().drawLayerMask(masking.random());
                        hiding[4 * a + 2] = masking.committer().drawLayerMask(masking.random());
                        committed.add(hiding[4 * a]);
                        committed.add(hiding[4 * a + 2]);
                    }
                }
                Ext2[] p1 = new Ext2[active.length];
                Ext2[] q1 = new Ext2[active.length];
                for (int a = 0; a < active.length; a++) {
                    p1[a] = claimP[active[a]];
                    q1[a] = claimQ[active[a]];
                }
                ZkSumcheckProverResult res = maskedLayer(transcript, shape, leaves, -1, point, GkrLayers.combine(p1, q1, stepLambda), stepLambda,
                        stepTables, GkrLayers.terms(active.length, stepLambda), hiding, committed, List.of(), GkrBlinding.roundDegrees(shape, leaves), masking);
                previousMasks = committed;
                Ext2[] stepEvaluations = messages.apply("blinding", res.finalEvaluations());
                blindingStep = new LogUpProof.GkrLayer(res.proof().rounds(), stepEvaluations, new Ext2[] {res.proof().maskSum(), res.proof().maskEvaluation()});
                LogUpTranscript.blindingEnd(transcript, stepEvaluations);
                masking.committer().openBlinding(transcript, res.point()[0], GkrBlinding.blindingEvaluations(stepEvaluations));
                for (int a = 0; a < active.length; a++) {
                    claimP[active[a]] = stepEvaluations[4 * a];
                    claimQ[active[a]] = stepEvaluations[4 * a + 2];
                }
                point = res.point();
            }
            markFinished(shape, i + 1, point, leafPoints);
        }

        long[] offsets = shape.offsets();
        List<Ext2[]> groupEvaluations = new ArrayList<>(groups.size());
        List<GroupClaim> groupClaims = new ArrayList<>(groups.size());
        List<VanishingMask[]> leafGroupMasks = leaves ? leafMasks.groups() : List.of();
        for (int g = 0; g < groups.size(); g++) {
            LookupWitness w = groups.get(g);
            Ext2[] at = Arrays.copyOf(leafPoints[shape.treeOf(offsets[g])], w.numVars());
            Ext2[] cols = evaluateAll(w.columns(), at);
            Ext2 sel = w.hasSelector() ? Mle.evaluate(w.selector(), at) : Ext2.ONE;
            if (leaves) { // the claims are on the masked T' = T̃ + Z·R
                VanishingMask[] m = leafGroupMasks.get(g);
                for (int c = 0; c < cols.length; c++) {
                    cols[c] = cols[c].add(m[c].offset(at));
                }
                if (w.hasSelector()) {
                    sel = sel.add(m[cols.length].offset(at));
                }
            }
            groupEvaluations.add(messages.apply("group " + g, w.hasSelector() ? append(cols, sel) : cols));
            groupClaims.add(new GroupClaim(at, cols, sel));
        }
        List<Ext2[]> tableEvaluations = new ArrayList<>(tables.size());
        List<TableClaim> tableClaims = new ArrayList<>(tables.size());
        for (int k = 0; k < tables.size(); k++) {
            LogUpTable t = tables.get(k);
            Ext2[] at = Arrays.copyOf(leafPoints[shape.treeOf(offsets[groups.size() + k])], t.numVars());
            Ext2[] cols = evaluateAll(t.columns(), at);
            Ext2 mult = Mle.evaluate(t.multiplicities(), at);
            if (leaves) {
                mult = mult.add(leafMasks.multiplicities().get(k).offset(at));
            }
            tableEvaluations.add(messages.apply("table " + k, append(cols, mult)));
            tableClaims.add(new TableClaim(at, cols, mult));
        }
        LogUpTranscript.absorbLeaves(transcript, groupEvaluations, tableEvaluations);
        if (leaves) {
            Ext2 eta = LogUpTranscript.leafEta(transcript);
            Ext2[][] leaf;
            try {
                leaf = LogUpVerifier.leafFractions(shape, alpha, beta, leafPoints, groupEvaluations, tableEvaluations);
            } catch (LogUpRejectedException e) {
                throw new IllegalStateException("the prover's own leaf values are malformed", e);
            }
            masking.committer().openLeafOffset(transcript, GkrLeafMasks.weights(shape, leafPoints, beta, eta),
                    GkrLeafMasks.difference(claimP, claimQ, leaf[0], leaf[1], eta));
        }

        LogUpProof proof = new LogUpProof(roots, layers, groupEvaluations, tableEvaluations, blindingStep);
        return new LogUpProverResult(proof, new LogUpClaims(groupClaims, tableClaims));
    }

    /**
     * One zero-knowledge GKR layer (or, with {@code layer} −1, the blinding step): commits the layer
     * masks, then a masked sumcheck, with a hidden offset over the previous masks when the claim is masked.
     */
    private static ZkSumcheckProverResult maskedLayer(Transcript transcript, LogUpShape shape, boolean leaves, int layer, Ext2[] point, Ext2 claim, Ext2 lambda,
                                                      List<MleTable> halves, List<ProductTerm> terms, VanishingMask[] hiding,
                                                      List<VanishingMask> committed, List<VanishingMask> previousMasks, int[] degrees,
                                                      LogUpMasking masking) {
        GkrMaskCommitter committer = masking.committer();
        boolean offset = layer >= 0 && GkrLayerMasks.hasOffset(shape, layer);
        Ext2 delta = Ext2.ZERO;
        if (offset) {
            Ext2[] weights = GkrLayerMasks.offsetWeights(shape, leaves, layer, lambda, point);
            for (int k = 0; k < weights.length; k++) {
                delta = delta.add(weights[k].mul(previousMasks.get(k).coefficients()[0]));
            }
            committer.offsetWeights(weights);
        }
        if (!committed.isEmpty()) {
            committer.commitLayerMasks(transcript, committed.toArray(VanishingMask[]::new));
        }
        SumcheckMask mask = committer.drawMask(degrees, masking.random());
        if (offset) {
            return ZkSumcheckProver.proveWithHiddenOffset(transcript, point, claim, delta, halves, terms, hiding, mask, committer);
        }
        return ZkSumcheckProver.proveWithEq(transcript, point, claim, halves, terms, hiding, mask, committer);
    }

    /** Four one-entry tables: a tree's blinded layer-1 values as layer 0's halves. */
    private static List<MleTable> single(Ext2[] values) {
        return List.of(new ExtTable(ExtVector.of(values[0])), new ExtTable(ExtVector.of(values[1])), new ExtTable(ExtVector.of(values[2])), new ExtTable(ExtVector.of(values[3])));
    }

    /** The trees over every block's fractions at its place: groups sel/(α_g − w), tables −m/(α_k − t). */
    private static FractionTree[] packedTrees(LogUpShape shape, List<LookupWitness> groups, List<LogUpTable> tables, Ext2 alpha, Ext2 beta) {
        int[] treeVars = shape.treeVars();
        long[] starts = shape.treeStarts();
        long[][] numeratorsOf = new long[treeVars.length][];
        ExtVector[] denominatorsOf = new ExtVector[treeVars.length];
        for (int k = 0; k < treeVars.length; k++) {
            numeratorsOf[k] = new long[1 << treeVars[k]];
            denominatorsOf[k] = ExtVector.zeros(1 << treeVars[k]);
        }
        long[] offsets = shape.offsets();
        for (int b = 0; b < shape.numBlocks(); b++) {
            int tree = shape.treeOf(offsets[b]);
            int offset = (int) (offsets[b] - starts[tree]);
            long[] numerators = numeratorsOf[tree];
            ExtVector denominators = denominatorsOf[tree];
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
        FractionTree[] trees = new FractionTree[treeVars.length];
        for (int k = 0; k < trees.length; k++) {
            trees[k] = FractionTree.build(numeratorsOf[k], denominatorsOf[k]);
        }
        return trees;
    }

    /** Records {@code point} as the leaf point of every tree whose depth is {@code layer}. */
    static void markFinished(LogUpShape shape, int layer, Ext2[] point, Ext2[][] leafPoints) {
        int[] vars = shape.treeVars();
        for (int t = 0; t < vars.length; t++) {
            if (vars[t] == layer) {
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
