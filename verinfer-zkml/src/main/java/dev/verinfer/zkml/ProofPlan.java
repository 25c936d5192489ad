package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.PolyPacking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything about a proof that follows from the quantised graph alone, computed identically by the
 * prover and the verifier: tensor layouts, which tensors and auxiliary values are committed (and where
 * in the packed witness polynomial), which look-ups go into which table, and the weight packing.
 */
final class ProofPlan {
    /** Range-check table: [0, 2^RANGE_BITS). */
    static final int RANGE_BITS = 16;
    /** Widest dedicated table (range or clamp): LogUp tables go up to 2^20 entries. */
    static final int MAX_TABLE_BITS = 20;
    /** Range tables this small are always used as they are. */
    static final int SMALL_TABLE_BITS = 8;
    /**
     * A dedicated table of 2^w entries wider than 16 bits pays for itself when it serves at least
     * 2^w / DEDICATED_TABLE_RATIO look-ups; fewer look-ups go through 16-bit limbs instead.
     */
    static final int DEDICATED_TABLE_RATIO = 16;

    /** A value committed in the witness polynomial. */
    sealed interface Item permits TensorItem, AuxItem, MultiplicityItem {
        int numVars();
    }

    /** A committed tensor (output of a non-linear op). */
    record TensorItem(int tensor, int numVars) implements Item {}

    /** An auxiliary tensor-shaped value, e.g. a limb of a rescale remainder; {@code shape} is its tensor's. */
    record AuxItem(String what, int node, PaddedShape shape, int numVars) implements Item {}

    record MultiplicityItem(int table, int numVars) implements Item {}

    /** What a look-up column reads: a tensor or a committed item. */
    sealed interface Source permits TensorSource, ItemSource, BroadcastSource {}

    record TensorSource(int tensor) implements Source {}

    record ItemSource(int item) implements Source {}

    /** A tensor repeated over the broadcast axes of a larger shape (its MLE ignores those variables). */
    record BroadcastSource(int tensor, dev.verinfer.zkml.layout.Broadcast broadcast) implements Source {}

    /** coef·source, coef a field element. */
    record Term(Source source, long coef) {}

    /**
     * A look-up column: Σ coef_i·source_i + shift over the padded tables (field coefficients). A claim
     * on the column at ρ becomes claims on its sources: the prover sends the values of every source
     * but the first at ρ, and the first one's value follows (it may be an uncommitted tensor, whose
     * claim then flows back through the graph).
     */
    record Column(List<Term> terms, long shift) {
        static Column of(Source source) {
            return new Column(List.of(new Term(source, 1)), 0);
        }
    }

    /** One group of a LogUp argument: columns of equal layout, padding excluded by the real-region selector. */
    record Group(PaddedShape shape, List<Column> columns) {}

    /** A LogUp table: the range table [0, 2^numVars) (function == null) or a function table. */
    record Table(LookupTable function, int numVars, int multiplicityItem, List<Group> groups) {
        boolean isRange() {
            return function == null;
        }

        int columns() {
            return isRange() ? 1 : 2;
        }
    }

    /** A committed low limb (of {@code bits} bits) of an affine expression; its high part is a look-up column of its own. */
    record LowLimb(int item, Column value, int bits) {}

    final QuantGraph graph;
    final PaddedShape[] shapes;
    /** The nodes reading each tensor, by tensor id ({@link #readers(QuantGraph)}). */
    private final QNode[][] readers;
    final int[] itemOfTensor; // -1 where not committed
    final List<Item> items = new ArrayList<>();
    final List<LowLimb> lowLimbs = new ArrayList<>();
    final List<MaxLayers.Check> maxChecks = new ArrayList<>();
    final List<MaxLayers.ArgmaxCheck> argmaxChecks = new ArrayList<>();
    final List<Table> tables = new ArrayList<>();
    final PolyPacking witnessPacking;
    /** The witness polynomial's padding slots, pinned to zero at the opening (docs/proof-system.md, "Padding"). */
    final dev.verinfer.zkml.layout.Padding witnessPadding;
    final List<Integer> weightTensors = new ArrayList<>();
    final int[] weightSlot; // tensor id -> index in weightTensors, or -1
    /** The weight tensors' pieces ({@link dev.verinfer.zkml.layout.WeightLayout}: cut unless the key is zero-knowledge). */
    final dev.verinfer.zkml.layout.WeightLayout weightLayout;
    private final boolean zeroKnowledge;
    /** The packed weight polynomial: {@link #weightLayout}'s pieces as items. */
    final PolyPacking weightPacking;

    private final Map<TableKey, List<Group>> functionGroups = new LinkedHashMap<>();

    /** A function table as a map key: equal tables share their groups; hashed by description, not by its 2^16+ values. */
    private record TableKey(LookupTable table) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TableKey k && k.table.equals(table);
        }

        @Override
        public int hashCode() {
            return Objects.hash(table.function(), table.inScale(), table.outScale(), table.outBits(), table.inMin(), table.size());
        }
    }
    private final TreeMap<Integer, List<Group>> rangeGroups = new TreeMap<>();
    /** Range checks of 9–20 bits, placed once all are known: a table of their width, or limbs. */
    private record WideCheck(int node, Column value, PaddedShape shape, int width) {}
    private final List<WideCheck> wideChecks = new ArrayList<>();

    /** Committed outside the witness, in a commitment of their own (outputs and inputs of COMMITTED visibility). */
    final Set<Integer> external;
    private static final int EXTERNAL = -2;

    /** A {@link #batched(QuantGraph, boolean)} plan (a batch's, since format 9 a single proof's, since 2026-12-05 a zero-knowledge key's too): two-way maxima take one range look-up. */
    private final boolean batchPlan;
    /** The dedicated tables this plan was told to use, or null: {@link #DEDICATED_TABLE_RATIO}'s rule. */
    private final TableChoice choice;
    /** The table decisions this plan met (what {@link #batched(QuantGraph, boolean)} may switch) and what it decided. */
    private final Set<Integer> optionalWidths = new TreeSet<>();
    private final Set<Integer> dedicatedWidths = new TreeSet<>();
    private final Set<Clamp> optionalClamps = new LinkedHashSet<>();
    private final Set<Clamp> clampTables = new LinkedHashSet<>();
    /**
     * The clamp tables built last (2^17–2^20 evaluations each), shared by every plan: {@link #batched(QuantGraph, boolean)} builds
     * several plans for one key, and a verifier builds a batched plan for every batch proof it checks.
     */
    private static final Map<Clamp, LookupTable> CLAMP_TABLES = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Clamp, LookupTable> eldest) {
            return size() > 8;
        }
    });

    ProofPlan(QuantGraph graph) {
        this(graph, Set.of());
    }

    /** A plan for a key of the given zero-knowledge choice (a zero-knowledge key keeps each weight tensor in one piece). */
    ProofPlan(QuantGraph graph, boolean zeroKnowledge) {
        this(graph, Set.of(), zeroKnowledge);
    }

    ProofPlan(QuantGraph graph, Set<Integer> external) {
        this(graph, external, false);
    }

    ProofPlan(QuantGraph graph, Set<Integer> external, boolean zeroKnowledge) {
        this(graph, external, zeroKnowledge, null, false);
    }

    private ProofPlan(QuantGraph graph, Set<Integer> external, boolean zeroKnowledge, TableChoice choice, boolean batchPlan) {
        this.graph = graph;
        this.external = Set.copyOf(external);
        this.choice = choice;
        this.batchPlan = batchPlan;
        this.zeroKnowledge = zeroKnowledge;
        int n = graph.tensors().size();
        shapes = new PaddedShape[n];
        for (QTensor t : graph.tensors()) {
            shapes[t.id()] = new PaddedShape(t.shape().length == 0 ? new int[] {1} : t.shape());
        }
        readers = readers(graph);
        itemOfTensor = new int[n];
        Arrays.fill(itemOfTensor, -1);
        weightSlot = new int[n];
        Arrays.fill(weightSlot, -1);
        for (QTensor t : graph.tensors()) {
            if (t.kind() == QTensor.Kind.WEIGHT) {
                weightSlot[t.id()] = weightTensors.size();
                weightTensors.add(t.id());
            }
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            planNode(i, graph.nodes().get(i));
        }
        for (int input : graph.inputs()) {
            if (this.external.contains(input)) {
                planCommittedInput(input);
            }
        }
        placeWideChecks();
        for (Map.Entry<Integer, List<Group>> e : rangeGroups.entrySet()) {
            tables.add(new Table(null, e.getKey(), addItem(new MultiplicityItem(tables.size(), e.getKey())), List.copyOf(e.getValue())));
        }
        for (Map.Entry<TableKey, List<Group>> e : functionGroups.entrySet()) {
            int vars = PaddedShape.ceilLog2(e.getKey().table().size());
            tables.add(new Table(e.getKey().table(), vars, addItem(new MultiplicityItem(tables.size(), vars)), List.copyOf(e.getValue())));
        }
        witnessPacking = new PolyPacking(items.stream().mapToInt(Item::numVars).toArray());
        witnessPadding = dev.verinfer.zkml.layout.Padding.of(witnessPacking, items.stream().map(item -> switch (item) {
            case TensorItem t -> shapes[t.tensor()];
            case AuxItem a -> a.shape();
            case MultiplicityItem m -> null; // every slot is a row of the table
        }).toArray(PaddedShape[]::new));
        weightLayout = weightLayout(weightTensors.stream().map(t -> shapes[t]).toArray(PaddedShape[]::new));
        weightPacking = weightLayout.packing();
    }

    /**
     * The weights' pieces: every tensor cut without zero knowledge; in zero knowledge only the weights that zero-knowledge
     * MatMuls alone read as W (their masked claim W′(ρ) goes out per piece, {@link LinearLayers}), and only when that lowers
     * the packed polynomial's arity and its mask face still covers a piece claim per proof of the default budget (alexa_v0.1:
     * 2^18 slots instead of 2^19, so its hiding commitment and every proof's mask of it have half the size); other
     * zero-knowledge keys keep every weight whole, as before.
     */
    private dev.verinfer.zkml.layout.WeightLayout weightLayout(PaddedShape[] weightShapes) {
        if (!zeroKnowledge) {
            return new dev.verinfer.zkml.layout.WeightLayout(weightShapes, true);
        }
        boolean[] split = new boolean[weightShapes.length];
        for (int slot = 0; slot < split.length; slot++) {
            int t = weightTensors.get(slot);
            split[slot] = readers[t].length > 0 && Arrays.stream(readers[t]).allMatch(n -> n.op() instanceof QOp.MatMul m
                    && m.b() == t && m.a() != t && m.bias() != t && graph.tensor(t).shape().length == 2);
        }
        dev.verinfer.zkml.layout.WeightLayout whole = new dev.verinfer.zkml.layout.WeightLayout(weightShapes, false);
        dev.verinfer.zkml.layout.WeightLayout cut = new dev.verinfer.zkml.layout.WeightLayout(weightShapes, split);
        // The face of an n-variable weight table covers 2^(n−1) off-face claims over the commitment's life: cut only where it
        // still covers one claim per piece for each proof of a 1024-unit budget (a proof spends at least 2 of its units) — the
        // default when the rule was made, kept whatever the key's budget so every key's plan stays as it was.
        boolean faceCovers = 1L << (cut.numVars() - 1) >= (long) ZeroKnowledge.CODE_2_BUDGET / 2 * cut.pieces();
        return cut.numVars() < whole.numVars() && faceCovers ? cut : whole;
    }

    /**
     * The plan of a key (a model's graph, or its {@link BatchStacking stacking} for a batch): where the rule of
     * {@link #DEDICATED_TABLE_RATIO} would use a dedicated range or clamp table because a batch's rows
     * reach 1/16 of it, the table can cost more than the limbs it saves — a 2^17 table for 12,288 look-ups
     * doubles alexa's witness at B = 16. So, starting from the rule's choice, each optional table (a
     * range width of 9–20 bits, a clamp table of 9–20 bits, used by the rule when its rows reach 1/16 of it) is
     * switched on or off while that lowers the
     * plan's {@link #cost} (best switch first, until none does). Prover and verifier run the same
     * deterministic search, so the choice needs no place in the proof. Single proofs use this plan too (proof format 9,
     * {@link SaturatedLookups}), and so do zero-knowledge keys: their masked layouts are sized from the plan whatever it is,
     * and {@link SaturatedLookups#plan} keeps it only where {@link ZeroKnowledge#uncoveredNodes(ProofPlan)} covers it
     * (else the rule's plan, {@link #ProofPlan(QuantGraph, boolean)}).
     */
    static ProofPlan batched(QuantGraph graph, boolean zeroKnowledge) {
        ProofPlan best = new ProofPlan(graph, Set.of(), zeroKnowledge, null, true);
        while (true) {
            ProofPlan next = best;
            for (TableChoice option : best.made().switches(best.optionalWidths, best.optionalClamps)) {
                ProofPlan p = new ProofPlan(graph, Set.of(), zeroKnowledge, option, true);
                if (p.cost() < next.cost()) {
                    next = p;
                }
            }
            if (next == best) {
                return best;
            }
            best = next;
        }
    }

    /** Whether this is a {@link #batched} plan (else the rule's, {@link #ProofPlan(QuantGraph, boolean)}). */
    boolean isBatchPlan() {
        return batchPlan;
    }

    /** This plan with some inputs and outputs committed on their own, its tables chosen as this plan's were. */
    ProofPlan withExternal(Set<Integer> committed) {
        return committed.isEmpty() ? this : new ProofPlan(graph, committed, zeroKnowledge, choice == null ? null : made(), batchPlan);
    }

    /**
     * Estimated prover cost, in units of about a microsecond on the 2-core reference machine: every
     * slot of the witness polynomial's power of two (commitment, claim batching and opening all work
     * over the padded cube: about 3 units a slot), every LogUp leaf (a look-up row or a table row:
     * about 2) and every gap of a maximum without its clamp table (its values, and its factor in the
     * zero-check: about 2). Measured on alexa_v0.1 at B = 1, 16 and 256 (2026-12-03, README "Benchmark").
     */
    long cost() {
        long gaps = 0;
        for (MaxLayers.Check c : maxChecks) {
            gaps += (long) c.candidates().size() << shapes[c.output()].numVars();
        }
        long leaves = 0;
        for (Table t : tables) {
            leaves += 1L << t.numVars();
            for (Group g : t.groups()) {
                leaves += 1L << g.shape().numVars();
            }
        }
        return 3 * (1L << witnessPacking.numVars()) + 2 * leaves + 2 * gaps;
    }

    /** The optional tables this plan uses, as an explicit choice. */
    private TableChoice made() {
        return new TableChoice(Set.copyOf(dedicatedWidths), Set.copyOf(clampTables));
    }

    /** Which optional dedicated tables a plan uses: range tables by width (9–20 bits), clamp tables of 17–20 bits (9–20 in a batch plan). */
    private record TableChoice(Set<Integer> rangeWidths, Set<Clamp> clamps) {
        /** Every choice that differs from this one in one optional table. */
        List<TableChoice> switches(Set<Integer> widths, Set<Clamp> optionalClamps) {
            List<TableChoice> out = new ArrayList<>();
            for (int w : widths) {
                Set<Integer> r = new TreeSet<>(rangeWidths);
                if (!r.remove(w)) {
                    r.add(w);
                }
                out.add(new TableChoice(Set.copyOf(r), clamps));
            }
            for (Clamp c : optionalClamps) {
                Set<Clamp> k = new LinkedHashSet<>(clamps);
                if (!k.remove(c)) {
                    k.add(c);
                }
                out.add(new TableChoice(rangeWidths, Set.copyOf(k)));
            }
            return out;
        }
    }

    private int addItem(Item item) {
        items.add(item);
        return items.size() - 1;
    }

    private void commitTensor(int tensor) {
        if (itemOfTensor[tensor] == -1) {
            itemOfTensor[tensor] = external.contains(tensor) ? EXTERNAL : addItem(new TensorItem(tensor, shapes[tensor].numVars()));
        }
    }

    private void planNode(int index, QNode node) {
        QOp op = node.op();
        switch (op) {
            case QOp.Rescale r -> planRescale(index, node, r);
            case QOp.Lookup l -> {
                commitTensor(node.output());
                functionGroups.computeIfAbsent(new TableKey(l.table()), t -> new ArrayList<>()).add(new Group(shapes[node.output()], List.of(
                        Column.of(new TensorSource(l.x())), Column.of(new TensorSource(node.output())))));
            }
            case QOp.MatMul m -> requireMatMulShapes(node, m);
            case QOp.Add a -> { }
            case QOp.Sub s -> { }
            case QOp.Mul m -> { }
            case QOp.MulConst m -> { }
            case QOp.ReduceSum r -> { }
            case QOp.Gather g -> { }
            case QOp.Reshape r -> { }
            case QOp.Conv c -> ConvLayer.Geometry.of(this, node, c);
            case QOp.Max m -> planMaxOrClamp(index, node, 1);
            case QOp.Min m -> planMaxOrClamp(index, node, -1);
            case QOp.ReduceMax m -> {
                // a zero-knowledge key proves every maximum of private values by a one-hot selector (ZkOneHot)
                if (MaxLayers.reducedCount(this, m) > MaxLayers.MAX_CANDIDATES || zeroKnowledge && ZeroKnowledge.privateTensors(graph, external)[m.x()]) {
                    planArgmax(index, node, m);
                } else {
                    planMax(index, node, 1);
                }
            }
            case QOp.MaxPool m -> planMax(index, node, 1);
        }
    }

    /**
     * max(x, c) or min(x, c) with c a public scalar is a function of x alone: one look-up of (x, y) in
     * the clamp table over x's whole range (which also bounds x), cheaper than a maximum's gaps and
     * zero-check (the common ReLU = max(x, 0) and Clip) — when the table is small (x below 2^15) or
     * serves enough elements (see {@link #DEDICATED_TABLE_RATIO}).
     */
    private void planMaxOrClamp(int index, QNode node, int sign) {
        Clamp clamp = clamp(node);
        if (clamp != null && optional(clamp)) {
            optionalClamps.add(clamp);
        }
        int x = clampInput(node);
        if (x < 0) {
            planMax(index, node, sign);
            return;
        }
        if (optional(clamp)) {
            clampTables.add(clamp);
        }
        int bits = clamp.bits();
        // The table maps integers to integers (scale 0), so every layer with the same bound shares it.
        LookupTable table = CLAMP_TABLES.computeIfAbsent(clamp, k -> LookupTable.build(k.function(), 0, 0, k.outBits(), -(1L << bits), 1 << (bits + 1)));
        commitTensor(node.output());
        functionGroups.computeIfAbsent(new TableKey(table), t -> new ArrayList<>()).add(new Group(shapes[node.output()], List.of(
                Column.of(new TensorSource(x)), Column.of(new TensorSource(node.output())))));
    }

    private boolean isScalarConstant(int tensor) {
        return graph.tensor(tensor).kind() == QTensor.Kind.CONSTANT && graph.tensor(tensor).size() == 1;
    }

    /**
     * A maximum over many values: y − x ≥ 0 everywhere (a range look-up over x's shape, y broadcast),
     * and attainment by a committed one-hot selector s of x's shape ({@link MaxLayers}: y = Σ s·x per
     * group), which hides where the maximum sits.
     */
    private void planArgmax(int index, QNode node, QOp.ReduceMax r) {
        int out = node.output();
        commitTensor(out);
        int[] keep = graph.tensor(r.x()).shape().clone();
        for (int a : r.axes()) {
            keep[a < 0 ? a + keep.length : a] = 1;
        }
        dev.verinfer.zkml.layout.Broadcast bc = new dev.verinfer.zkml.layout.Broadcast(new PaddedShape(keep), shapes[r.x()]);
        Column gap = new Column(List.of(new Term(new TensorSource(r.x()), Goldilocks.neg(1)), new Term(new BroadcastSource(out, bc), 1)), 0);
        rangeCheck(index, gap, shapes[r.x()], MaxLayers.gapWidth(this, node));
        int selector = addItem(new AuxItem("argmax selector", index, shapes[r.x()], shapes[r.x()].numVars()));
        argmaxChecks.add(new MaxLayers.ArgmaxCheck(index, r.x(), out, keep, selector));
    }

    /** A Max-like node: committed output, and per candidate its gap in range-checked 16-bit limbs. */
    private void planMax(int index, QNode node, int sign) {
        List<MaxLayers.Candidate> candidates = MaxLayers.candidates(this, node);
        int width = MaxLayers.gapWidth(this, node);
        if (width > QuantGraph.MAX_BITS + 1) {
            throw new UnsupportedGraphException("node '" + node.onnxName() + "': values of 2^" + (width - 1)
                    + " exceed the executor's bound 2^" + QuantGraph.MAX_BITS);
        }
        int out = node.output();
        commitTensor(out);
        PaddedShape shape = shapes[out];
        List<List<Integer>> gapLimbs = new ArrayList<>();
        if (candidates.stream().allMatch(c -> c instanceof MaxLayers.BroadcastView)) {
            // Gaps are affine in y and the (broadcast) operands: look-up columns, nothing more committed.
            long s = sign > 0 ? 1 : Goldilocks.neg(1);
            if (batchPlan && candidates.size() == 2) {
                twoWayMax(index, candidates, out, s, width);
                maxChecks.add(new MaxLayers.Check(index, out, sign, candidates, List.of(List.of(), List.of())));
                return;
            }
            for (MaxLayers.Candidate c : candidates) {
                BroadcastSource operand = new BroadcastSource(c.tensor(), new dev.verinfer.zkml.layout.Broadcast(shapes[c.tensor()], shape));
                rangeCheck(index, new Column(List.of(new Term(operand, Goldilocks.neg(s)), new Term(new TensorSource(out), s)), 0), shape, width);
                gapLimbs.add(List.of());
            }
            maxChecks.add(new MaxLayers.Check(index, out, sign, candidates, List.copyOf(gapLimbs)));
            return;
        }
        for (int c = 0; c < candidates.size(); c++) {
            List<Integer> limbs = new ArrayList<>();
            // One committed gap up to 20 bits (its range check picks a table or limbs), else 16-bit limbs.
            int limbBits = width <= MAX_TABLE_BITS ? width : RANGE_BITS;
            for (int l = 0; l * limbBits < width; l++) {
                int item = addItem(new AuxItem("gap " + c + " limb " + l, index, shape, shape.numVars()));
                limbs.add(item);
                rangeCheck(index, Column.of(new ItemSource(item)), shape, Math.min(limbBits, width - l * limbBits));
            }
            gapLimbs.add(List.copyOf(limbs));
        }
        maxChecks.add(new MaxLayers.Check(index, out, sign, candidates, List.copyOf(gapLimbs)));
    }

    /**
     * A batched plan's maximum of two broadcast operands (ReLU, a clamp without its table): one range look-up
     * of d_0 + d_1 = ±(2y − c_0 − c_1) instead of one per gap. The zero-check Σ_x eq(τ, x)·d_0(x)·d_1(x) = 0
     * makes one gap zero at every index (the field has no zero divisors), so the sum is the other gap and
     * d_0 + d_1 ∈ [0, 2^w) puts both in [0, 2^w), as two look-ups would.
     */
    private void twoWayMax(int index, List<MaxLayers.Candidate> candidates, int out, long s, int width) {
        PaddedShape shape = shapes[out];
        List<Term> terms = new ArrayList<>();
        for (MaxLayers.Candidate c : candidates) {
            terms.add(new Term(new BroadcastSource(c.tensor(), new dev.verinfer.zkml.layout.Broadcast(shapes[c.tensor()], shape)), Goldilocks.neg(s)));
        }
        terms.add(new Term(new TensorSource(out), Goldilocks.mul(2, s)));
        rangeCheck(index, new Column(List.copyOf(terms), 0), shape, width);
    }

    private void requireMatMulShapes(QNode node, QOp.MatMul m) {
        int[] b = graph.tensor(m.b()).shape();
        int[] a = graph.tensor(m.a()).shape();
        if (a.length < 2 || b.length < 2 || a[a.length - 1] != b[b.length - 2]) {
            throw new UnsupportedGraphException("node '" + node.onnxName() + "': MatMul of shapes " + Arrays.toString(a)
                    + " and " + Arrays.toString(b) + " is not [.., M, K]·[K, N]");
        }
        if (b.length > 2 && Arrays.stream(b, 0, b.length - 2).anyMatch(d -> d != 1)) {
            int[] out = graph.tensor(node.output()).shape();
            if (b.length != out.length || !Arrays.equals(b, 0, b.length - 2, out, 0, out.length - 2)) {
                throw new UnsupportedGraphException("node '" + node.onnxName() + "': batched MatMul with broadcast batch dimensions is not supported yet");
            }
        }
    }

    /**
     * q = ⌊(x + 2^(k−1)) / 2^k⌋ holds iff the remainder x + 2^(k−1) − 2^k·q lies in [0, 2^k): a look-up
     * column, affine in x and q, so nothing but q is committed (k > 16: its low 16-bit limb too).
     */
    private void planRescale(int index, QNode node, QOp.Rescale r) {
        int q = node.output();
        PaddedShape shape = shapes[q];
        commitTensor(q);
        Column remainder = new Column(List.of(new Term(new TensorSource(r.x()), 1),
                new Term(new TensorSource(q), Goldilocks.neg(Goldilocks.pow(2, r.k())))), Goldilocks.pow(2, r.k() - 1));
        rangeCheck(index, remainder, shape, r.k());
        if (external.contains(q)) {
            statedBoundCheck(index, q);
        } else if (needsBoundCheck(q, r.k())) {
            boundCheck(index, q);
        }
    }

    /**
     * t ∈ [−2^bits, 2^bits): t + 2^bits ∈ [0, 2^(bits+1)). One value wider than the declared |t| < 2^bits, which is
     * all an internal Rescale output needs: the bound only makes its floor exact ({@link #enforcedBits} counts it as
     * bits + 1), and its value is then the executor's.
     */
    private void boundCheck(int node, int tensor) {
        int bits = graph.tensor(tensor).bits();
        rangeCheck(node, new Column(List.of(new Term(new TensorSource(tensor), 1)), Goldilocks.pow(2, bits)), shapes[tensor], bits + 1);
    }

    /**
     * t ∈ (−2^bits, 2^bits) exactly, the bound the key states for a committed tensor (and the verifier checks on a
     * public one): t + 2^bits ∈ [0, 2^(bits+1)) gives t ∈ [−2^bits, 2^bits), and t + 2^bits − 1 ∈ [0, 2^(bits+1))
     * gives t ∈ [1 − 2^bits, 2^bits]; together exactly (−2^bits, 2^bits). A range table is a power of two wide, so one
     * look-up cannot say it.
     */
    private void statedBoundCheck(int node, int tensor) {
        boundCheck(node, tensor);
        int bits = graph.tensor(tensor).bits();
        rangeCheck(node, new Column(List.of(new Term(new TensorSource(tensor), 1)), Goldilocks.pow(2, bits) - 1), shapes[tensor], bits + 1);
    }

    /**
     * A committed input is bounded by this proof, at the bound its key declares, whoever produced it
     * (a chain's consumer does not trust its producer for it): a range look-up, which also gives the
     * input a claim, so its commitment is always opened (with its padding zero-check).
     */
    private void planCommittedInput(int input) {
        int consumer = 0;
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            for (int in : graph.nodes().get(i).inputs()) {
                if (in == input) {
                    consumer = i;
                }
            }
        }
        statedBoundCheck(consumer, input);
    }

    /**
     * value ∈ [0, 2^width): one look-up into the range table of that width, or, when wider, a committed
     * low 16-bit limb and a range check of (value − low)/2^16 (affine again) on the remaining width.
     */
    void rangeCheck(int node, Column value, PaddedShape shape, int width) {
        if (width > QuantGraph.MAX_BITS + 1) {
            throw new UnsupportedGraphException("node '" + graph.nodes().get(node).onnxName() + "': a " + width + "-bit range check exceeds the executor's bound");
        }
        if (width <= SMALL_TABLE_BITS || (placingWideChecks && width <= MAX_TABLE_BITS)) {
            rangeGroups.computeIfAbsent(width, w -> new ArrayList<>()).add(new Group(shape, List.of(value)));
            return;
        }
        if (width <= MAX_TABLE_BITS) {
            wideChecks.add(new WideCheck(node, value, shape, width));
            return;
        }
        splitLimbs(node, value, shape, width, RANGE_BITS);
    }

    private boolean placingWideChecks;

    /**
     * Per width of 9–20 bits: one range table of that width when enough look-ups share it (a table
     * costs its 2^w entries in the look-up argument and its multiplicities in the witness), else
     * an 8-bit committed limb and a narrower range check of the rest.
     */
    private void placeWideChecks() {
        placingWideChecks = true;
        Map<Integer, Long> demand = new TreeMap<>();
        for (WideCheck c : wideChecks) {
            demand.merge(c.width(), c.shape().realSize(), Long::sum);
        }
        for (int width : demand.keySet()) {
            optionalWidths.add(width);
            if (choice != null ? choice.rangeWidths().contains(width) : demand.get(width) * DEDICATED_TABLE_RATIO >= 1L << width) {
                dedicatedWidths.add(width);
            }
        }
        for (WideCheck c : wideChecks) {
            if (dedicatedWidths.contains(c.width())) {
                rangeGroups.computeIfAbsent(c.width(), w -> new ArrayList<>()).add(new Group(c.shape(), List.of(c.value())));
            } else {
                splitLimbs(c.node(), c.value(), c.shape(), c.width(), SMALL_TABLE_BITS);
            }
        }
        placingWideChecks = false;
    }

    /** value ∈ [0, 2^width) through a committed low limb of {@code limbBits} bits. */
    private void splitLimbs(int node, Column value, PaddedShape shape, int width, int limbBits) {
        // value = low + 2^L·high: commit low (an L-bit look-up), and high = (value − low)/2^L is affine again.
        int low = addItem(new AuxItem("low limb", node, shape, shape.numVars()));
        lowLimbs.add(new LowLimb(low, value, limbBits));
        rangeGroups.computeIfAbsent(limbBits, w -> new ArrayList<>()).add(new Group(shape, List.of(Column.of(new ItemSource(low)))));
        long inv = Goldilocks.inverse(Goldilocks.pow(2, limbBits));
        List<Term> high = new ArrayList<>();
        for (Term t : value.terms()) {
            high.add(new Term(t.source(), Goldilocks.mul(t.coef(), inv)));
        }
        high.add(new Term(new ItemSource(low), Goldilocks.neg(inv)));
        rangeCheck(node, new Column(List.copyOf(high), Goldilocks.mul(value.shift(), inv)), shape, width - limbBits);
    }

    /**
     * Largest k + b for which a Rescale q = ⌊(x + 2^(k−1))/2^k⌋ whose q the proof holds to |q| < 2^b is
     * the true floor: with |x| < 2^41, the identity x + 2^(k−1) − r = 2^k·q then holds over the
     * integers, not only modulo p > 2^63 (docs/proof-system.md, "What constrains every prover-chosen value").
     */
    static final int WRAP_FREE_BITS = 61;

    /**
     * The bits b with |q| < 2^b that the rest of the plan already enforces on a Rescale output q, or −1
     * when something reads it unbounded (then it gets a range check of its own). Every reader must
     * bound it: a look-up (its table's domain), a clamp look-up (the clamp table's domain), or another
     * Rescale q' = ⌊(q + 2^(k'−1))/2^k'⌋ whose output is bounded in turn (q = 2^k'·q' − 2^(k'−1) + r' with
     * r' ∈ [0, 2^k'), so |q| < 2^(k' + b' + 1)); a public output is bounded by the verifier. A committed
     * output is bounded by its own range check.
     */
    private int impliedBits(int tensor) {
        boolean output = graph.outputs().contains(tensor);
        if (output && external.contains(tensor)) {
            return -1;
        }
        int best = output ? graph.tensor(tensor).bits() + 1 : Integer.MAX_VALUE;
        for (QNode n : readers[tensor]) {
            int b;
            if (n.op() instanceof QOp.Lookup l && l.x() == tensor) {
                long far = Math.max(Math.abs(l.table().inMin()), Math.abs(l.table().inMin() + l.table().size() - 1));
                b = 65 - Long.numberOfLeadingZeros(far);
            } else if (clampInput(n) == tensor) {
                b = graph.tensor(tensor).bits() + 1;
            } else if (batchPlan && clamp(n) != null && clamp(n).x() == tensor) {
                // A two-way maximum of x and a scalar c (twoWayMax): y is x or c and both gaps lie in
                // [0, 2^w), so |x − c| < 2^w, and |c| < 2^w (w covers every operand's bits).
                b = MaxLayers.gapWidth(this, n) + 1;
            } else if (n.op() instanceof QOp.Rescale r && r.x() == tensor) {
                b = r.k() + enforcedBits(n.output(), r.k()) + 1;
            } else {
                return -1;
            }
            best = Math.min(best, b);
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }

    /** The nodes reading each tensor (once each, in node order): {@link #impliedBits}'s scan without a pass over the graph per call. */
    private static QNode[][] readers(QuantGraph graph) {
        List<List<QNode>> byTensor = new ArrayList<>();
        for (int t = 0; t < graph.tensors().size(); t++) {
            byTensor.add(new ArrayList<>());
        }
        for (QNode n : graph.nodes()) {
            int[] in = n.inputs();
            for (int i = 0; i < in.length; i++) {
                boolean first = true;
                for (int j = 0; j < i; j++) {
                    first &= in[j] != in[i];
                }
                if (first) {
                    byTensor.get(in[i]).add(n);
                }
            }
        }
        return byTensor.stream().map(l -> l.toArray(QNode[]::new)).toArray(QNode[][]::new);
    }

    /** Whether a Rescale output by 2^k needs a range check of its own ({@link #impliedBits}). */
    private boolean needsBoundCheck(int tensor, int k) {
        int implied = impliedBits(tensor);
        return implied < 0 || k + implied > WRAP_FREE_BITS;
    }

    /** The bits b with |q| < 2^b enforced on a Rescale output by 2^k: its own range check's, or what its readers imply. */
    private int enforcedBits(int tensor, int k) {
        return needsBoundCheck(tensor, k) ? graph.tensor(tensor).bits() + 1 : impliedBits(tensor);
    }

    /** The varying input of a Max/Min planned as a clamp look-up (see {@link #planMaxOrClamp}), or −1. */
    int clampInput(QNode n) {
        Clamp clamp = clamp(n);
        if (clamp == null) {
            return -1;
        }
        int tableBits = clamp.bits() + 1;
        boolean worthIt = !optional(clamp) ? tableBits <= RANGE_BITS : choice != null ? choice.clamps().contains(clamp)
                : (long) graph.tensor(clamp.x()).size() * DEDICATED_TABLE_RATIO >= 1L << tableBits;
        return worthIt ? clamp.x() : -1;
    }

    /**
     * Whether a clamp table is a choice of this plan: of 17–20 bits always; in a batch plan from 9 bits (a batch's
     * few clamped values, such as a saturating look-up's clamp, need no 2^16 table). Smaller ones are always used.
     */
    private boolean optional(Clamp clamp) {
        int tableBits = clamp.bits() + 1;
        return tableBits > (batchPlan ? SMALL_TABLE_BITS : RANGE_BITS) && tableBits <= MAX_TABLE_BITS;
    }

    /**
     * A clamp table a Max/Min with a public scalar could look up (whether it does is {@link #clampInput}'s
     * decision): y = clip(x) over x's range (−2^bits, 2^bits], or null when the node is no such Max/Min.
     */
    private Clamp clamp(QNode n) {
        if (!(n.op() instanceof QOp.Max || n.op() instanceof QOp.Min)) {
            return null;
        }
        int[] in = n.inputs();
        int x = isScalarConstant(in[1]) ? in[0] : isScalarConstant(in[0]) ? in[1] : -1;
        if (x < 0 || !Arrays.equals(graph.tensor(x).shape(), graph.tensor(n.output()).shape())) {
            return null;
        }
        long c = graph.tensor(x == in[0] ? in[1] : in[0]).data()[0];
        String function = n.op() instanceof QOp.Max ? "clip(" + c + ",Infinity)" : "clip(-Infinity," + c + ")";
        int bits = graph.tensor(x).bits();
        // The table's outputs saturate at 2^outBits − 1: wide enough for x's range and for c (a c beyond x's range is every output).
        return new Clamp(function, bits, Math.max(bits + 1, 64 - Long.numberOfLeadingZeros(Math.abs(c))), x);
    }

    /**
     * A clamp table by its function and input bits ({@code outBits} follows from both; x: the node's input, not part of the
     * table's identity).
     */
    private record Clamp(String function, int bits, int outBits, int x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Clamp c && c.function.equals(function) && c.bits == bits;
        }

        @Override
        public int hashCode() {
            return function.hashCode() * 31 + bits;
        }

    }

    /** Whether the tensor's claims wait for an opening (in the witness or in its own commitment). */
    boolean isCommitted(int tensor) {
        return itemOfTensor[tensor] != -1;
    }

    /** A scan of this plan that {@link #derived} keeps: its name and argument (a tensor id, or 0). */
    private record Scan(String name, int arg) {}

    /**
     * Facts that the zero-knowledge protocols derive from this plan by scanning its graph (which tensors are private, each
     * protocol's nodes and scalars of M), kept once computed: a plan is immutable once built, and these scans, repeated per node
     * by prover and verifier, cost more than the verifier's arithmetic (the OCR classifier: ~90 % of a zero-knowledge verification).
     */
    private final Map<Scan, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The value of the scan {@code name} (of argument {@code arg}) of this plan, computed by {@code scan} on first use. Not
     * computeIfAbsent: scans call one another (the map is not locked while one runs; two threads may both compute it, alike).
     */
    @SuppressWarnings("unchecked")
    <T> T derived(String name, int arg, java.util.function.Supplier<T> scan) {
        Scan key = new Scan(name, arg);
        Object v = derived.get(key);
        if (v == null) {
            v = scan.get();
            Object won = derived.putIfAbsent(key, v);
            v = won != null ? won : v;
        }
        return (T) v;
    }
}
