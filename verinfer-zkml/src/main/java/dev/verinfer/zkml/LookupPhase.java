package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.logup.LeafMasks;
import dev.verinfer.logup.GroupClaim;
import dev.verinfer.logup.LogUpClaims;
import dev.verinfer.logup.LogUpMaskLayout;
import dev.verinfer.logup.LogUpMasking;
import dev.verinfer.logup.LogUpProof;
import dev.verinfer.logup.LogUpProver;
import dev.verinfer.logup.LogUpProverResult;
import dev.verinfer.logup.LogUpRejectedException;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.logup.LogUpTable;
import dev.verinfer.logup.LogUpVerifier;
import dev.verinfer.logup.LookupWitness;
import dev.verinfer.logup.RangeTable;
import dev.verinfer.logup.TableClaim;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.zkml.layout.Indicators;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The look-up phase: one LogUp-GKR argument over every table — a range table [0, 2^w) per width w
 * in use, and one per non-linear function — and every use of each (tables tagged apart, see
 * {@link LogUpProver}), so all share one sumcheck per GKR layer. Columns are affine in tensors and committed
 * items (a rescale remainder x + 2^(k−1) − 2^k·q, say), so each result is a claim on a committed
 * value or on an op's input.
 *
 * <p>In a zero-knowledge proof the argument runs masked ({@link LogUpMasking}: every GKR layer's sumcheck
 * zero-knowledge, internal layer values masked, roots and layer 0 blinded), its masks held by the proof's
 * hiding mask commitment ({@link LookupProofMasks}); its leaf claims are on the plain vectors (revealed),
 * until a masked claim can be handed on with a hidden offset.
 */
final class LookupPhase {
    private LookupPhase() {}

    // ---------------------------------------------------------------- look-ups

    static void proveLookups(ProverContext cx, Witness witness) {
        try {
            proveLookupsUnchecked(cx, witness);
        } catch (MalformedProofException e) {
            throw new IllegalStateException("the prover's own messages cannot be malformed", e);
        }
    }

    private static void proveLookupsUnchecked(ProverContext cx, Witness witness) throws MalformedProofException {
        List<ProofPlan.Table> planned = cx.plan().tables;
        if (planned.isEmpty()) {
            return;
        }
        List<LookupWitness> groups = new ArrayList<>();
        List<LogUpTable> tables = new ArrayList<>();
        for (int k = 0; k < planned.size(); k++) {
            ProofPlan.Table table = planned.get(k);
            for (ProofPlan.Group g : table.groups()) {
                long[][] columns = new long[g.columns().size()][];
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = witness.column(cx.tensors(), g.columns().get(c));
                }
                groups.add(new LookupWitness(columns, Indicators.realRegionTable(g.shape()), k));
            }
            tables.add(new LogUpTable(tableColumns(table), witness.items[table.multiplicityItem()]));
        }
        LogUpClaims claims;
        if (cx.zeroKnowledge()) {
            LookupMaskCommitment masks = cx.zk().masks().lookups();
            LogUpProverResult res = LogUpProver.prove(cx.channel().transcript, groups, tables, new LogUpMasking(cx.masks(), masks));
            res.proof().write(cx.channel().out);
            masks.finish(cx.channel().out);
            claims = res.claims();
        } else {
            LogUpProverResult res = LogUpProver.prove(cx.channel().transcript, groups, tables);
            res.proof().write(cx.channel().out);
            claims = res.claims();
        }
        recordLookupClaims(cx.claims(), planned, claims, (sources, point) -> {
            Ext2[] values = new Ext2[sources.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Mle.evaluate(witness.source(cx.tensors(), sources.get(i)), point);
            }
            cx.channel().sendExts("column-terms", values);
            return values;
        });
    }

    static void verifyLookups(VerifierContext cx) throws MalformedProofException, ProofRejectedException {
        List<ProofPlan.Table> planned = cx.plan().tables;
        if (planned.isEmpty()) {
            return;
        }
        LogUpShape shape = shape(planned);
        LogUpProof proof = LogUpProof.read(cx.channel().in, shape, cx.zeroKnowledge(), false);
        LogUpClaims claims;
        try {
            claims = cx.zeroKnowledge()
                    ? LogUpVerifier.verify(cx.channel().transcript, shape, proof, cx.zk().masks().lookups())
                    : LogUpVerifier.verify(cx.channel().transcript, shape, proof);
        } catch (LogUpRejectedException e) {
            throw new ProofRejectedException("look-ups: " + e.getMessage(), e);
        }
        int first = 0;
        for (int k = 0; k < planned.size(); k++) {
            ProofPlan.Table table = planned.get(k);
            for (int g = 0; g < table.groups().size(); g++) {
                GroupClaim gc = claims.groups().get(first + g);
                if (!gc.selectorEvaluation().equals(Indicators.realRegion(table.groups().get(g).shape(), gc.point()))) {
                    throw new ProofRejectedException(tableName(table) + ": padding selector of look-up group " + g + " is wrong");
                }
            }
            first += table.groups().size();
            TableClaim tc = claims.tables().get(k);
            Ext2 identity = RangeTable.evaluate(tc.point()); // MLE of j ↦ j
            if (table.isRange()) {
                if (!tc.columnEvaluations()[0].equals(identity)) {
                    throw new ProofRejectedException("range table evaluation is wrong");
                }
            } else {
                Ext2 inputs = identity.add(Goldilocks.fromSigned(table.function().inMin()));
                Ext2 outputs = Mle.evaluate(ProverTensors.toField(table.function().values()), tc.point());
                if (!tc.columnEvaluations()[0].equals(inputs) || !tc.columnEvaluations()[1].equals(outputs)) {
                    throw new ProofRejectedException(tableName(table) + ": table evaluation is wrong");
                }
            }
        }
        recordLookupClaims(cx.claims(), planned, claims, (sources, point) -> cx.channel().receiveExts("column-terms", sources.size()));
    }

    /** The look-up argument's masks in a zero-knowledge proof ({@link LookupProofMasks}), or null without look-ups. */
    static LogUpMaskLayout maskLayout(List<ProofPlan.Table> tables) {
        return tables.isEmpty() ? null : LogUpMaskLayout.of(shape(tables), false);
    }

    /**
     * Whether the leaf claims can be masked: every group and table has two rows or more (a one-row
     * vector cannot be masked off the hypercube; its claims, and its tree's root, stay revealed).
     */
    static boolean leavesMaskable(LogUpShape shape) {
        return shape.groups().stream().allMatch(g -> g.numVars() > 0) && shape.tables().stream().allMatch(t -> t.numVars() > 0);
    }

    /** Fresh one-coefficient masks for every looked-up column, selector and multiplicity vector (each evaluated once). */
    static LeafMasks drawLeafMasks(LogUpShape shape, RandomGenerator random) {
        List<VanishingMask[]> groups = new ArrayList<>();
        for (LogUpShape.GroupShape g : shape.groups()) {
            VanishingMask[] m = new VanishingMask[shape.tables().get(g.table()).numColumns() + (g.hasSelector() ? 1 : 0)];
            for (int k = 0; k < m.length; k++) {
                m[k] = VanishingMask.random(1, random);
            }
            groups.add(m);
        }
        List<VanishingMask> multiplicities = new ArrayList<>();
        for (int k = 0; k < shape.tables().size(); k++) {
            multiplicities.add(VanishingMask.random(1, random));
        }
        return new LeafMasks(groups, multiplicities);
    }


    /** The values of a column's other sources at a point: computed and sent by the prover, received by the verifier. */
    @FunctionalInterface
    interface TermValues {
        Ext2[] exchange(List<ProofPlan.Source> sources, Ext2[] point) throws MalformedProofException;
    }

    /** Claims on each column's sources: the other terms' values are exchanged, the first term's follows. */
    private static void recordLookupClaims(ClaimBook book, List<ProofPlan.Table> tables, LogUpClaims claims, TermValues others)
            throws MalformedProofException {
        int first = 0;
        for (int k = 0; k < tables.size(); k++) {
            recordTableClaims(book, tables.get(k), claims.groups().subList(first, first + tables.get(k).groups().size()), claims.tables().get(k), others);
            first += tables.get(k).groups().size();
        }
    }

    private static void recordTableClaims(ClaimBook book, ProofPlan.Table table, List<GroupClaim> groupClaims, TableClaim tableClaim, TermValues others)
            throws MalformedProofException {
        for (int g = 0; g < table.groups().size(); g++) {
            ProofPlan.Group group = table.groups().get(g);
            GroupClaim gc = groupClaims.get(g);
            for (int c = 0; c < group.columns().size(); c++) {
                ProofPlan.Column column = group.columns().get(c);
                List<ProofPlan.Term> terms = column.terms();
                List<ProofPlan.Source> rest = terms.subList(1, terms.size()).stream().map(ProofPlan.Term::source).toList();
                Ext2[] values = rest.isEmpty() ? new Ext2[0] : others.exchange(rest, gc.point());
                // column = Σ coef_i·source_i + shift  ⇒  source_0 = (column − shift − Σ_{i>0} coef_i·value_i) / coef_0
                Ext2 v = gc.columnEvaluations()[c].sub(column.shift());
                for (int i = 0; i < values.length; i++) {
                    v = v.sub(values[i].mul(terms.get(i + 1).coef()));
                    book.on(rest.get(i), new Claim(gc.point(), values[i]));
                }
                book.on(terms.getFirst().source(), new Claim(gc.point(), v.mul(Goldilocks.inverse(terms.getFirst().coef()))));
            }
        }
        book.onItem(table.multiplicityItem(), new Claim(tableClaim.point(), tableClaim.multiplicityEvaluation()));
    }

    /** All tables in one argument, each group tagged with its table's index. */
    static LogUpShape shape(List<ProofPlan.Table> tables) {
        List<LogUpShape.GroupShape> groups = new ArrayList<>();
        for (int k = 0; k < tables.size(); k++) {
            for (ProofPlan.Group g : tables.get(k).groups()) {
                groups.add(new LogUpShape.GroupShape(g.shape().numVars(), true, k));
            }
        }
        return new LogUpShape(tables.stream().map(t -> new LogUpShape.TableShape(t.columns(), t.numVars())).toList(), groups);
    }

    private static long[][] tableColumns(ProofPlan.Table table) {
        if (table.isRange()) {
            return new long[][] {RangeTable.values(table.numVars())};
        }
        int size = 1 << table.numVars();
        long[] inputs = new long[size];
        for (int j = 0; j < size; j++) {
            inputs[j] = Goldilocks.fromSigned(table.function().inMin() + j);
        }
        return new long[][] {inputs, ProverTensors.toField(table.function().values())};
    }

    private static String tableName(ProofPlan.Table table) {
        return table.isRange() ? table.numVars() + "-bit range look-ups" : "look-ups into " + table.function();
    }
}
