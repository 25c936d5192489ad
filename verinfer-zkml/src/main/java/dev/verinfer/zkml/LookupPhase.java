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
        boolean lift = cx.zeroKnowledge() && cx.zk().layout().leafScalars() > 0;
        List<LookupWitness> groups = new ArrayList<>();
        List<LogUpTable> tables = new ArrayList<>();
        for (int k = 0; k < planned.size(); k++) {
            ProofPlan.Table table = planned.get(k);
            for (ProofPlan.Group g : table.groups()) {
                long[][] columns = new long[g.columns().size()][];
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = witness.column(cx.tensors(), g.columns().get(c));
                }
                groups.add(lifted(g, lift) ? OneRowLift.witness(columns, k) : new LookupWitness(columns, Indicators.realRegionTable(g.shape()), k));
            }
            long[][] columns = tableColumns(table);
            if (!table.isRange()) {
                columns[1] = cx.channel().table(k, columns[1]);
            }
            tables.add(new LogUpTable(columns, witness.items[table.multiplicityItem()]));
        }
        LogUpClaims claims;
        LeafSlots slots = null;
        if (cx.zeroKnowledge()) {
            ProofMasks.ZkLayout layout = cx.zk().layout();
            slots = layout.leafScalars() > 0 ? leafSlots(cx.plan()) : null;
            LookupMaskCommitment masks = cx.zk().masks().lookups(slots == null ? null : slots.factorSlots());
            LeafMasks leaves = slots == null ? null : slots.masks(cx.zk().masks().scalars(), layout.firstLeafScalar());
            LogUpProverResult res = LogUpProver.prove(cx.channel().transcript, groups, tables, new LogUpMasking(cx.masks(), masks, leaves));
            res.proof().write(cx.channel().out);
            masks.finish(cx.channel().out);
            claims = res.claims();
        } else {
            LogUpProverResult res = LogUpProver.prove(cx.channel().transcript, groups, tables);
            res.proof().write(cx.channel().out);
            claims = res.claims();
        }
        for (int k = 0; k < planned.size(); k++) { // as the verifier records them: the committed tables' values-column claims on the weights
            TableCommitment.Entry committed = cx.tables().entry(planned.get(k));
            if (committed != null) {
                TableClaim tc = claims.tables().get(k);
                cx.claims().onWeights(TableCommitment.claim(committed, tc.point(), tc.columnEvaluations()[1]));
            }
        }
        Ext2[] scalars = slots == null ? null : cx.zk().masks().scalars();
        int firstLeaf = slots == null ? 0 : cx.zk().layout().firstLeafScalar();
        recordLookupClaims(cx.claims(), planned, claims, masked(cx.zk(), slots), (sources, point, deltas) -> {
            Ext2[] values = new Ext2[sources.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Mle.evaluate(witness.source(cx.tensors(), sources.get(i)), point);
                if (deltas != null && deltas[i] >= 0) { // a masked leaf: the term is sent as T(at) + δ
                    values[i] = values[i].add(scalars[firstLeaf + deltas[i]]);
                }
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
        LeafSlots slots = cx.zeroKnowledge() && cx.zk().layout().leafScalars() > 0 ? leafSlots(cx.plan()) : null;
        LogUpShape shape = shape(planned, slots != null);
        LogUpProof proof = LogUpProof.read(cx.channel().in, shape, cx.zeroKnowledge(), slots != null);
        LogUpClaims claims;
        try {
            claims = cx.zeroKnowledge()
                    ? LogUpVerifier.verify(cx.channel().transcript, shape, proof, cx.zk().masks().lookups(slots == null ? null : slots.factorSlots()))
                    : LogUpVerifier.verify(cx.channel().transcript, shape, proof);
        } catch (LogUpRejectedException e) {
            throw new ProofRejectedException("look-ups: " + e.getMessage(), e);
        }
        int first = 0;
        for (int k = 0; k < planned.size(); k++) {
            ProofPlan.Table table = planned.get(k);
            for (int g = 0; g < table.groups().size(); g++) {
                GroupClaim gc = claims.groups().get(first + g);
                ProofPlan.Group group = table.groups().get(g);
                Ext2 selector = lifted(group, slots != null) ? OneRowLift.selector(gc.point()) : Indicators.realRegion(group.shape(), gc.point());
                if (!gc.selectorEvaluation().equals(selector)) {
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
                Ext2 outputs = tc.columnEvaluations()[1];
                TableCommitment.Entry committed = cx.tables().entry(table);
                // a committed table's values column is a claim on the weights, opened with them; else its MLE, evaluated here
                if (!tc.columnEvaluations()[0].equals(inputs)
                        || committed == null && !outputs.equals(Mle.evaluate(ProverTensors.toField(table.function().values()), tc.point()))) {
                    throw new ProofRejectedException(tableName(table) + ": table evaluation is wrong");
                }
                if (committed != null) {
                    cx.claims().onWeights(TableCommitment.claim(committed, tc.point(), outputs));
                }
            }
        }
        recordLookupClaims(cx.claims(), planned, claims, masked(cx.zk(), slots), (sources, point, deltas) -> cx.channel().receiveExts("column-terms", sources.size()));
    }

    private static Masked masked(ZkProver zk, LeafSlots slots) {
        return slots == null ? null : new Masked(zk.layout(), slots);
    }

    private static Masked masked(ZkVerifier zk, LeafSlots slots) {
        return slots == null ? null : new Masked(zk.layout(), slots);
    }

    /**
     * The look-up argument's masks in a zero-knowledge proof ({@link LookupProofMasks}), or null without look-ups;
     * {@code leaves}: with the leaf layers masked too (a look-up reads a private value).
     */
    static LogUpMaskLayout maskLayout(List<ProofPlan.Table> tables, boolean leaves) {
        return tables.isEmpty() ? null : LogUpMaskLayout.of(shape(tables, leaves), leaves);
    }

    /** Whether group {@code g} is lifted to two rows ({@link OneRowLift}): it has one row and the leaves are masked. */
    static boolean lifted(ProofPlan.Group g, boolean maskedLeaves) {
        return maskedLeaves && g.shape().numVars() == 0;
    }

    /**
     * A one-row look-up group when the leaves are masked. A vanishing mask needs a variable (a one-row vector cannot be
     * masked off the hypercube, {@link LeafMasks}), so the group enters the argument with one variable x: its row
     * repeated, col(x) = col (the constant polynomial of the one-row column), and the selector 1 − x, so the second
     * row is padding. <i>Soundness</i>: the selector is public and checked by the verifier (its value at the leaf
     * point must be 1 − x), so the padding row adds 0/(α − tag(col)) = 0 whatever α (bar the negligible
     * α = tag(col), which would make the real row's denominator zero too); its column value is not chosen by the
     * prover: the column's claim col′(x) = col + Z(x)·c becomes a claim on the one-row sources at the empty point
     * with the hidden offset Z(x)·c, so the polynomial the leaf check reads is constant in x, equal to the real
     * row. The multiplicities count the real row only (selector 1 there, 0 on the padding). <i>Simulator</i>:
     * as for any group, col′(x) is uniform through the column's scalar c (Z(x) ≠ 0 except with probability 2/|F_{p²}|).
     */
    static final class OneRowLift {
        private OneRowLift() {}

        /** The lifted group's tables: each one-row column repeated, the selector (1, 0). */
        static LookupWitness witness(long[][] columns, int table) {
            long[][] two = new long[columns.length][];
            for (int c = 0; c < columns.length; c++) {
                two[c] = new long[] {columns[c][0], columns[c][0]};
            }
            return new LookupWitness(two, new long[] {1, 0}, table);
        }

        /** The selector's value 1 − x at the leaf point (x). */
        static Ext2 selector(Ext2[] point) {
            return Ext2.ONE.sub(point[0]);
        }
    }

    /**
     * The scalars of M that mask the look-up leaves (numbered from {@link ProofMasks.ZkLayout#firstLeafScalar}):
     * per group and column, c of the column's R (the leaf value sent is col(at) + Z(at)·c); per group, column
     * and term but the derived one, δ (the term's value is sent as T(at) + δ); per table, c of its multiplicities'
     * R. Each is evaluated once, so one coefficient each suffices. A selector is public and stays unmasked.
     * <p>A masked claim must reach a consumer that takes its hidden offset: the witness opening (a committed item or
     * tensor) or the zero-knowledge MatMul producing a private tensor. A public term that is not committed (a constant,
     * a public input — the ReLU's 0 in a gap column y − 0) cannot: its value is sent in the clear (δ slot −1) and
     * its claim is plain. So each column's value is derived for its first term that takes an offset
     * ({@code derived}); a column with none (every term public) is not masked at all (slot −1, its leaf value a
     * function of the statement).
     */
    record LeafSlots(int[][] columns, int[][] derived, int[][][] terms, int[] multiplicities, int count) {
        /** Per leaf mask in {@link dev.verinfer.logup.LeafMaskWeights} order (each group's columns, then its selector: −1), then each table's. */
        int[] factorSlots() {
            List<Integer> out = new ArrayList<>();
            for (int[] group : columns) {
                for (int c : group) {
                    out.add(c);
                }
                out.add(-1);
            }
            for (int m : multiplicities) {
                out.add(m);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The {@link LeafMasks} these scalars of M make (the selectors' and unmasked columns' zero). */
        LeafMasks masks(Ext2[] scalars, int first) {
            List<VanishingMask[]> groups = new ArrayList<>();
            for (int[] group : columns) {
                VanishingMask[] m = new VanishingMask[group.length + 1];
                for (int c = 0; c < group.length; c++) {
                    m[c] = new VanishingMask(new Ext2[] {group[c] < 0 ? Ext2.ZERO : scalars[first + group[c]]});
                }
                m[group.length] = new VanishingMask(new Ext2[] {Ext2.ZERO});
                groups.add(m);
            }
            List<VanishingMask> mult = new ArrayList<>();
            for (int k : multiplicities) {
                mult.add(new VanishingMask(new Ext2[] {scalars[first + k]}));
            }
            return new LeafMasks(groups, mult);
        }
    }

    static LeafSlots leafSlots(ProofPlan plan) {
        return plan.derived("LookupPhase.leafSlots", 0, () -> leafSlotsScan(plan));
    }

    private static LeafSlots leafSlotsScan(ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(plan);
        List<int[]> columns = new ArrayList<>();
        List<int[]> derived = new ArrayList<>();
        List<int[][]> terms = new ArrayList<>();
        int next = 0;
        for (ProofPlan.Table table : plan.tables) {
            for (ProofPlan.Group g : table.groups()) {
                int[] cols = new int[g.columns().size()];
                int[] first = new int[cols.length];
                int[][] rest = new int[cols.length][];
                for (int c = 0; c < cols.length; c++) {
                    List<ProofPlan.Term> ts = g.columns().get(c).terms();
                    first[c] = java.util.stream.IntStream.range(0, ts.size()).filter(i -> takesOffset(plan, priv, ts.get(i).source())).findFirst().orElse(-1);
                    cols[c] = first[c] < 0 ? -1 : next++;
                    rest[c] = new int[ts.size() - 1];
                    for (int i = 0, j = 0; i < ts.size(); i++) {
                        if (i != Math.max(first[c], 0)) {
                            rest[c][j++] = first[c] >= 0 && takesOffset(plan, priv, ts.get(i).source()) ? next++ : -1;
                        }
                    }
                }
                columns.add(cols);
                derived.add(first);
                terms.add(rest);
            }
        }
        int[] mult = new int[plan.tables.size()];
        for (int k = 0; k < mult.length; k++) {
            mult[k] = next++;
        }
        return new LeafSlots(columns.toArray(int[][]::new), derived.toArray(int[][]::new), terms.toArray(int[][][]::new), mult, next);
    }

    /** Whether a claim on {@code s} may carry a hidden offset: a committed item, or a tensor that is committed or private. */
    private static boolean takesOffset(ProofPlan plan, boolean[] priv, ProofPlan.Source s) {
        return switch (s) {
            case ProofPlan.ItemSource i -> true;
            case ProofPlan.TensorSource t -> plan.isCommitted(t.tensor()) || priv[t.tensor()];
            case ProofPlan.BroadcastSource b -> plan.isCommitted(b.tensor()) || priv[b.tensor()];
        };
    }

    /**
     * Whether the leaf claims can be masked: every group and table has two rows or more (a one-row
     * vector cannot be masked off the hypercube; its claims, and its tree's root, would stay revealed).
     * With masked leaves one-row groups are lifted ({@link OneRowLift}), so only a one-row table fails this.
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


    /**
     * The values of a column's other sources at a point: computed and sent by the prover, received by the verifier;
     * {@code deltas}: with masked leaves, the leaf scalars δ the prover adds to each (null otherwise).
     */
    @FunctionalInterface
    interface TermValues {
        Ext2[] exchange(List<ProofPlan.Source> sources, Ext2[] point, int[] deltas) throws MalformedProofException;
    }

    /** Masked leaves: M's layout and the leaf scalars, from which each claim's hidden offset is built. */
    private record Masked(ProofMasks.ZkLayout layout, LeafSlots slots) {
        HiddenOffset scalar(int slot, Ext2 weight) {
            return HiddenOffset.scalar(layout, layout.firstLeafScalar() + slot, weight);
        }
    }

    /**
     * Claims on each column's sources: the other terms' values are exchanged, the derived term's follows (the first, or
     * with {@code masked} leaves the first that takes a hidden offset, {@link LeafSlots}). With masked leaves every claim
     * but a public term's is masked ({@link ClaimBook#on(ProofPlan.Source, Claim, HiddenOffset)}).
     */
    private static void recordLookupClaims(ClaimBook book, List<ProofPlan.Table> tables, LogUpClaims claims, Masked masked, TermValues others)
            throws MalformedProofException {
        int first = 0;
        for (int k = 0; k < tables.size(); k++) {
            recordTableClaims(book, tables.get(k), k, first, claims.groups().subList(first, first + tables.get(k).groups().size()), claims.tables().get(k),
                    masked, others);
            first += tables.get(k).groups().size();
        }
    }

    private static void recordTableClaims(ClaimBook book, ProofPlan.Table table, int k, int firstGroup, List<GroupClaim> groupClaims, TableClaim tableClaim,
                                          Masked masked, TermValues others) throws MalformedProofException {
        for (int g = 0; g < table.groups().size(); g++) {
            ProofPlan.Group group = table.groups().get(g);
            GroupClaim gc = groupClaims.get(g);
            Ext2 z = masked == null ? null : VanishingMask.vanishing(gc.point());
            // a lifted one-row group's sources have no variable: their claims sit at the empty point
            Ext2[] at = lifted(group, masked != null) ? new Ext2[0] : gc.point();
            for (int c = 0; c < group.columns().size(); c++) {
                ProofPlan.Column column = group.columns().get(c);
                int d = masked == null ? 0 : Math.max(0, masked.slots().derived()[firstGroup + g][c]);
                boolean maskedColumn = masked != null && masked.slots().columns()[firstGroup + g][c] >= 0;
                List<ProofPlan.Term> terms = new ArrayList<>(column.terms());
                ProofPlan.Term derived = terms.remove(d);
                List<ProofPlan.Source> rest = terms.stream().map(ProofPlan.Term::source).toList();
                int[] deltas = masked == null ? null : masked.slots().terms()[firstGroup + g][c];
                Ext2[] values = rest.isEmpty() ? new Ext2[0] : others.exchange(rest, at, deltas);
                // column = Σ coef_i·source_i + shift  ⇒  source_d = (column − shift − Σ_{i≠d} coef_i·value_i) / coef_d
                // Masked: column' = column + Z(at)·c and value_i = source_i(at) + δ_i (δ_i = 0 for a public term), so
                // source_d's claim carries Δ_d = (Z(at)·c − Σ_{i≠d} coef_i·δ_i) / coef_d and source_i's carries δ_i.
                Ext2 v = gc.columnEvaluations()[c].sub(column.shift());
                HiddenOffset offset = maskedColumn ? masked.scalar(masked.slots().columns()[firstGroup + g][c], z) : null;
                for (int i = 0; i < values.length; i++) {
                    v = v.sub(values[i].mul(terms.get(i).coef()));
                    Claim claim = new Claim(at, values[i]);
                    if (deltas == null || deltas[i] < 0) {
                        book.on(rest.get(i), claim);
                    } else {
                        book.on(rest.get(i), claim, masked.scalar(deltas[i], Ext2.ONE));
                        offset = offset.plus(masked.scalar(deltas[i], new Ext2(Goldilocks.neg(terms.get(i).coef()), 0)));
                    }
                }
                long inverse = Goldilocks.inverse(derived.coef());
                Claim claim = new Claim(at, v.mul(inverse));
                if (!maskedColumn) {
                    book.on(derived.source(), claim);
                } else {
                    book.on(derived.source(), claim, offset.times(new Ext2(inverse, 0)));
                }
            }
        }
        Claim multiplicities = new Claim(tableClaim.point(), tableClaim.multiplicityEvaluation());
        if (masked == null) {
            book.onItem(table.multiplicityItem(), multiplicities);
        } else {
            book.on(new ProofPlan.ItemSource(table.multiplicityItem()), multiplicities,
                    masked.scalar(masked.slots().multiplicities()[k], VanishingMask.vanishing(tableClaim.point())));
        }
    }

    /** All tables in one argument, each group tagged with its table's index. */
    static LogUpShape shape(List<ProofPlan.Table> tables) {
        return shape(tables, false);
    }

    /** As above; with {@code maskedLeaves} one-row groups are {@link OneRowLift lifted} to one variable. */
    static LogUpShape shape(List<ProofPlan.Table> tables, boolean maskedLeaves) {
        List<LogUpShape.GroupShape> groups = new ArrayList<>();
        for (int k = 0; k < tables.size(); k++) {
            for (ProofPlan.Group g : tables.get(k).groups()) {
                groups.add(new LogUpShape.GroupShape(lifted(g, maskedLeaves) ? 1 : g.shape().numVars(), true, k));
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
