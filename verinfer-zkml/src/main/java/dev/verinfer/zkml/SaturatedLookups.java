package dev.verinfer.zkml;

import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Look-ups of saturating functions (docs/proof-system.md, "Saturating function tables"), in single proofs and batches
 * alike. A function table covers its input's whole range (alexa_v0.1's sigmoid: 2^16 entries for one look-up per
 * inference), yet outside a window [lo, hi] it is constant: T(x) = T(lo) for x ≤ lo and T(hi) for x ≥ hi. The look-up
 * y = T[x] is then y = W[min(max(x, lo), hi)], W the power-of-two slice of T around [lo, hi] (2^14 entries for
 * alexa's sigmoid): the clamp is a Max and a Min with public scalars, proven as any such maximum (the batch plan's
 * two-way maximum, or a clamp table; in zero knowledge a maximum of a private value, {@link ZkMaxLayers}), so no new kind
 * of value is committed. Prover and verifier rewrite the
 * key's graph (stacked for a batch) alike and keep a cut only where it lowers the plan's {@link ProofPlan#cost}, and
 * the cuts only where they are worth their bytes ({@link #worthCutting}).
 */
final class SaturatedLookups {
    /** Name suffixes of what {@link #cut} adds after a look-up's name: the clamp nodes (and their bounds), their outputs. */
    private static final String LOW = "/saturation-low", HIGH = "/saturation-high", RAISED = "/raised", CLAMPED = "/clamped";

    private SaturatedLookups() {}

    /** A key's graph (the look-ups of the tables in {@code cut} cut) and its plan. */
    record Planned(QuantGraph graph, ProofPlan plan, Set<LookupTable> cut) {}

    /**
     * The window of a look-up of {@code x} in {@code t}: T is constant at and below {@code lo} and at and above
     * {@code hi}, and {@code table} is T's slice of the least power-of-two size around [lo, hi]; or null when the
     * table has no such window smaller than itself, or when its domain does not cover x's whole declared range
     * (−2^bits, 2^bits) — then the look-up's own domain check is part of what the proof says — or when a clamp
     * bound lies outside that range.
     */
    record Window(long lo, long hi, LookupTable table) {
        static Window of(QTensor x, LookupTable t) {
            long[] v = t.values();
            int first = 1;
            while (first < v.length && v[first] == v[0]) {
                first++;
            }
            if (first == v.length) {
                return null;
            }
            int last = v.length - 2;
            while (v[last] == v[v.length - 1]) {
                last--;
            }
            long lo = t.inMin() + first - 1;
            long hi = t.inMin() + last + 1;
            long bound = 1L << x.bits();
            if (t.inMin() > 1 - bound || t.inMin() + t.size() < bound || lo <= 1 - bound || hi >= bound - 1) {
                return null;
            }
            int size = 1 << PaddedShape.ceilLog2(hi - lo + 1);
            if (size >= t.size()) {
                return null;
            }
            long start = Math.clamp(lo, t.inMin(), t.inMin() + t.size() - size);
            int from = (int) (start - t.inMin());
            return new Window(lo, hi, new LookupTable(t.function(), t.inScale(), t.outScale(), t.outBits(), start, size,
                    Arrays.copyOfRange(v, from, from + size)));
        }
    }

    /**
     * The key of a graph (a model's, or its stacking for a batch): its {@link ProofPlan#batched} plan, with the look-ups
     * of a saturating table cut while that lowers the cost (best table first, as the plan's own table search), then
     * the cuts kept only if {@link #worthCutting worth their bytes}. A zero-knowledge key takes the same search and keeps
     * its outcome only when its proofs cover it ({@link ZeroKnowledge#uncoveredNodes(ProofPlan)}: the cut's clamps are maxima
     * of private values, {@link ZkMaxLayers}), else the search without the cut, else the rule's plan of the graph (as
     * before the search), which setup has checked.
     */
    static Planned plan(QuantGraph graph, boolean zeroKnowledge) {
        Planned searched = search(graph, zeroKnowledge);
        if (!zeroKnowledge || ZeroKnowledge.uncoveredNodes(searched.plan()).isEmpty()) {
            return searched;
        }
        ProofPlan uncut = ProofPlan.batched(graph, true);
        return new Planned(graph, ZeroKnowledge.uncoveredNodes(uncut).isEmpty() ? uncut : new ProofPlan(graph, true), Set.of());
    }

    /** The search of {@link #plan}: the cheapest plan with cuts, kept if worth its bytes. */
    private static Planned search(QuantGraph graph, boolean zeroKnowledge) {
        ProofPlan best = ProofPlan.batched(graph, zeroKnowledge);
        ProofPlan uncut = best;
        QuantGraph bestGraph = graph;
        Set<LookupTable> candidates = candidates(graph);
        Set<LookupTable> cut = new LinkedHashSet<>();
        while (true) {
            LookupTable pick = null;
            for (LookupTable t : candidates) {
                if (cut.contains(t)) {
                    continue;
                }
                Set<LookupTable> with = new LinkedHashSet<>(cut);
                with.add(t);
                QuantGraph g = cut(graph, with);
                ProofPlan p = ProofPlan.batched(g, zeroKnowledge);
                if (p.cost() < best.cost()) {
                    best = p;
                    bestGraph = g;
                    pick = t;
                }
            }
            if (pick == null) {
                return worthCutting(uncut, best) ? new Planned(bestGraph, best, Set.copyOf(cut)) : new Planned(graph, uncut, Set.of());
            }
            cut.add(pick);
        }
    }

    /**
     * {@link #plan} of the graph a verifying key decodes from its architecture bytes (stacked {@code batch} times when
     * batch &gt; 1), or of that graph with its weights (setup: the same architecture bytes), with the search over cuts run
     * once per process and architecture: its outcome — which tables of the graph's candidates are cut and, for a
     * zero-knowledge key, whether {@link #plan}'s coverage fallback took the rule's plan — is kept by the SHA-256 of the
     * architecture bytes, the batch size and the key's kind (the bytes decode to one graph, and the search and the coverage
     * are functions of the graph), so a key loaded again only replans its outcome (OCR: one plan instead of the search's
     * 0.6 s; a zero-knowledge setup plans its architecture, then the graph with weights, from one search). The outcome is the
     * same either way, so the verifier checks the same plan.
     */
    static Planned plan(QuantGraph graph, boolean zeroKnowledge, byte[] architectureDigest, int batch) {
        CutKey key = new CutKey(HexFormat.of().formatHex(architectureDigest), batch, zeroKnowledge);
        List<LookupTable> candidates = List.copyOf(candidates(graph));
        Outcome outcome = CUTS.get(key);
        if (outcome != null) {
            if (outcome.rulePlan()) {
                return new Planned(graph, new ProofPlan(graph, true), Set.of());
            }
            Set<LookupTable> cut = new LinkedHashSet<>();
            for (int i : outcome.picks()) {
                cut.add(candidates.get(i));
            }
            return replan(graph, zeroKnowledge, Set.copyOf(cut));
        }
        Planned planned = plan(graph, zeroKnowledge);
        CUTS.put(key, new Outcome(planned.cut().stream().mapToInt(candidates::indexOf).sorted().toArray(), !planned.plan().isBatchPlan()));
        return planned;
    }

    /** A cut search's outcome by architecture (SHA-256, hex), batch size and kind of key. */
    private record CutKey(String architecture, int batch, boolean zeroKnowledge) {}

    /** The candidates cut (indices in node order), or the rule's plan of the uncut graph ({@link #plan}'s last fallback). */
    private record Outcome(int[] picks, boolean rulePlan) {}

    /** Outcomes of {@link #plan(QuantGraph, boolean, byte[], int)}'s searches, the latest {@value #CUT_MEMO} (a few ints each). */
    private static final int CUT_MEMO = 4096;
    private static final Map<CutKey, Outcome> CUTS = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<CutKey, Outcome> eldest) {
            return size() > CUT_MEMO;
        }
    });

    /** The tables of the graph's look-ups that have a {@link Window}, in node order. */
    private static Set<LookupTable> candidates(QuantGraph graph) {
        Set<LookupTable> candidates = new LinkedHashSet<>();
        for (QNode n : graph.nodes()) {
            if (n.op() instanceof QOp.Lookup l && Window.of(graph.tensor(l.x()), l.table()) != null) {
                candidates.add(l.table());
            }
        }
        return candidates;
    }

    /**
     * Whether the cut plan is worth its bytes (the size policy, docs/proof-system.md): a cut always adds to the proof
     * (per cut look-up two clamp maxima, their two committed tensors and their claims; the OCR classifier's four cuts
     * add 13.7 KB, 228.3 against 214.8 KB conjectured), and saves proving only through the smaller table. So it is kept
     * when it shrinks the witness's power of two (a smaller opening: alexa_v0.1 2^17 → 2^15, hey_mycroft 2^19 → 2^18)
     * or lowers the estimated proving cost by more than {@value #CUT_MIN_GAIN_PERCENT} %; otherwise the smaller proof
     * costs at most that much more time (the OCR classifier's cuts save 1.7 %).
     */
    static boolean worthCutting(ProofPlan uncut, ProofPlan cut) {
        return cut.witnessPacking.numVars() < uncut.witnessPacking.numVars()
                || cut.cost() * 100 < uncut.cost() * (100 - CUT_MIN_GAIN_PERCENT);
    }

    /** The least estimated saving of proving cost, in percent, for which a cut that keeps the witness's size is taken. */
    static final int CUT_MIN_GAIN_PERCENT = 10;

    /** The plan {@link #search} makes with these tables cut (a batch plan), without the search over cuts. */
    private static Planned replan(QuantGraph graph, boolean zeroKnowledge, Set<LookupTable> cut) {
        QuantGraph g = cut.isEmpty() ? graph : cut(graph, cut);
        return new Planned(g, ProofPlan.batched(g, zeroKnowledge), cut);
    }

    /**
     * {@code g} with every look-up y = T[x] of a table in {@code tables} (that has a {@link Window}) as
     * raised = max(x, lo), clamped = min(raised, hi), y = W[clamped]: new tensors appended, the two new nodes
     * right before the look-up, which keeps its name and output.
     */
    static QuantGraph cut(QuantGraph g, Set<LookupTable> tables) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        List<QNode> nodes = new ArrayList<>();
        for (QNode n : g.nodes()) {
            Window w = n.op() instanceof QOp.Lookup l && tables.contains(l.table()) ? Window.of(g.tensor(l.x()), l.table()) : null;
            if (w == null) {
                nodes.add(n);
                continue;
            }
            QTensor x = g.tensor(((QOp.Lookup) n.op()).x());
            String name = n.onnxName();
            int lo = add(tensors, x, name + LOW, new int[] {1}, QTensor.Kind.CONSTANT, new long[] {w.lo()});
            int hi = add(tensors, x, name + HIGH, new int[] {1}, QTensor.Kind.CONSTANT, new long[] {w.hi()});
            int raised = add(tensors, x, name + RAISED, x.shape(), QTensor.Kind.ACTIVATION, null);
            int clamped = add(tensors, x, name + CLAMPED, x.shape(), QTensor.Kind.ACTIVATION, null);
            nodes.add(new QNode(name + LOW, new QOp.Max(x.id(), lo), raised));
            nodes.add(new QNode(name + HIGH, new QOp.Min(raised, hi), clamped));
            nodes.add(new QNode(n.onnxName(), new QOp.Lookup(clamped, w.table()), n.output()));
        }
        return new QuantGraph(tensors, nodes, g.inputs(), g.outputs());
    }

    /**
     * Fills in the values a run of the graph before the cut lacks: exactly the clamps {@link #cut} adds (raised =
     * max(x, lo), clamped = min(raised, hi), in node order, recognised by their names and constant bounds). Any other
     * node whose output has no value is an {@link IllegalArgumentException}: the run is not of this graph.
     */
    static void complete(QuantGraph cut, long[][] values) {
        for (QNode n : cut.nodes()) {
            if (values[n.output()] != null) {
                continue;
            }
            boolean max = isClamp(cut, n, QOp.Max.class, LOW, RAISED);
            if (!max && !isClamp(cut, n, QOp.Min.class, HIGH, CLAMPED)) {
                throw new IllegalArgumentException("the run has no value for tensor '" + cut.tensor(n.output()).name() + "' of node '"
                        + n.onnxName() + "', which is not a saturation clamp of the cut: the run is not of this graph");
            }
            long[] x = values[n.inputs()[0]];
            if (x == null) {
                throw new IllegalArgumentException("the run has no value for the input of saturation clamp '" + n.onnxName() + "'");
            }
            long bound = values[n.inputs()[1]][0];
            long[] y = new long[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = max ? Math.max(x[i], bound) : Math.min(x[i], bound);
            }
            values[n.output()] = y;
        }
    }

    /**
     * Whether {@code n} is a clamp {@link #cut} made: op of {@code kind}, named after the look-up plus {@code suffix},
     * against the one-entry constant of that name, with output named after the look-up plus {@code output}.
     */
    private static boolean isClamp(QuantGraph g, QNode n, Class<? extends QOp> kind, String suffix, String output) {
        if (!kind.isInstance(n.op()) || !n.onnxName().endsWith(suffix)) {
            return false;
        }
        String base = n.onnxName().substring(0, n.onnxName().length() - suffix.length());
        QTensor bound = g.tensor(n.inputs()[1]);
        return bound.kind() == QTensor.Kind.CONSTANT && bound.name().equals(n.onnxName()) && bound.data() != null && bound.data().length == 1
                && g.tensor(n.output()).name().equals(base + output);
    }

    /** A tensor of x's scale and bound (the clamp bounds and the clamped values lie within x's range). */
    private static int add(List<QTensor> tensors, QTensor x, String name, int[] shape, QTensor.Kind kind, long[] data) {
        int id = tensors.size();
        tensors.add(new QTensor(id, name, shape, x.scale(), x.bits(), kind, data));
        return id;
    }
}
