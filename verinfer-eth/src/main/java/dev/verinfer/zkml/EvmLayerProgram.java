package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.PolyPacking;
import dev.verinfer.zkml.layout.WeightLayout;
import dev.verinfer.zkml.layout.Window;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a verifying key into the layer program that LayerProgram.sol runs: Verifier.check's steps
 * between the look-up argument and the commitment opening — the look-up claims handed to their
 * sources, the max checks, the linear layers (claims batched per tensor), the public and constant
 * tensors' evaluations, the weight and witness claim batching with the padding zero-check — walked
 * in Verifier.check's order over symbolic registers. Everything that follows from the key (which
 * challenge, message or sumcheck comes next, points built from other points' coordinates, constants)
 * is decided here; every value that depends on the proof becomes an instruction. Values known here
 * (the bits of a packed item's block, ½ of a ReduceSum, a constant's inverse) are folded.
 *
 * <p>Supported: what alexa_v0.1, hey_mycroft_v0.1, embedding_model, ch_ppocr_mobile_v2.0_cls and models like them use
 * (non-zero-knowledge keys, public inputs and outputs, one inference; look-ups; Max/Min with broadcast, slice and pooling-tap
 * candidates; MatMul without batch dimensions; Conv, standard or depthwise, its windows' selections evaluated as arithmetic
 * (O(out·kernel) instructions per axis); Add, Sub, Mul, MulConst, ReduceSum, Reshape). Anything else (ReduceMax's one-hot
 * argument, Gather, batched MatMul) is refused with UnsupportedGraphException.
 * Registers 0.. hold the output points, then the look-up argument's block claims (LayerHarness loads them). The program is
 * compiled over registers written once each, then renumbered to reuse registers after their values' last reads
 * ({@link RegisterReuse}).
 */
final class EvmLayerProgram {
    static final int OP_CHALLENGES = 1;
    static final int OP_RECEIVE = 2;
    static final int OP_RECEIVE_VECTOR = 3;
    static final int OP_SUMCHECK = 4;
    static final int OP_ADD = 5;
    static final int OP_SUB = 6;
    static final int OP_MUL = 7;
    static final int OP_CONST = 8;
    static final int OP_CHECK = 9;
    static final int OP_INV = 10;
    static final int OP_EQ = 11;
    static final int OP_PUBLIC = 12;
    static final int OP_SELECTION = 13;
    static final int OP_OUTPUT = 14;

    /** Rejection codes of the program's checks (LayerProgram's own are 150–154). */
    static final int LOOKUP_COLUMN = 160;
    static final int MAX_ATTAINED = 161;
    static final int MATMUL_FINAL = 162;
    static final int GATHER_SUM = 163;
    static final int GATHER_FINAL = 164;
    static final int SUM_OPERANDS = 165;
    static final int PRODUCT_BY_ZERO = 166;
    static final int KNOWN_TENSOR = 167;
    static final int BATCH_FINAL = 168;
    static final int MUL_FINAL = 169;
    static final int CONV_FINAL = 170;
    static final int CONV_INPUT = 171;
    static final int TAP_FINAL = 172;

    /** A register, or a value known at compile time (materialised into a register when an instruction needs it). */
    static final class Sym {
        final Ext2 known;
        int reg = -1;

        Sym(Ext2 known) {
            this.known = known;
        }
    }

    record SymClaim(Sym[] point, Sym value) {}

    /** The compiled program: its bytes, its register count, and the registers the output points and block claims start at. */
    record Compiled(byte[] code, int registers, int instructions) {}

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private int registers;
    /** The registers stage 1 hands over (the output points, then the look-up blocks' claims): 0 to entry − 1. */
    private int entry;
    private int instructions;
    private final ProofPlan plan;
    private final QuantGraph graph;
    private final TableCommitment tables;
    /** The committed function tables' values-column claims, on the weight polynomial (LookupPhase.verifyLookups). */
    private final List<Subcube> tableClaims = new ArrayList<>();
    private final Map<Integer, List<SymClaim>> byTensor = new HashMap<>();
    private final Map<Integer, List<SymClaim>> byItem = new HashMap<>();
    private final Map<Ext2, Sym> constants = new HashMap<>();
    private final Map<EqKey, Sym> eqSuffixes = new HashMap<>();
    private final Map<Sym, Sym> oneMinus = new HashMap<>();

    private EvmLayerProgram(ProofPlan plan, TableCommitment tables) {
        this.plan = plan;
        this.graph = plan.graph;
        this.tables = tables;
    }

    static Compiled compile(VerifyingKey key) {
        EvmLayerProgram p = walked(key);
        return RegisterReuse.reuse(p.code.toByteArray(), p.entry, p.instructions);
    }

    /** The program over registers written once each, before {@link RegisterReuse} (its test compares the two); with the entry registers' count. */
    static Compiled compileOnce(VerifyingKey key) {
        EvmLayerProgram p = walked(key);
        return new Compiled(p.code.toByteArray(), p.entry, p.instructions);
    }

    private static EvmLayerProgram walked(VerifyingKey key) {
        if (key.zeroKnowledge()) {
            throw new UnsupportedGraphException("the EVM layer program supports keys without zero knowledge");
        }
        EvmLayerProgram p = new EvmLayerProgram(key.plan(), key.tableCommitment());
        p.walk();
        return p;
    }

    // ---------------------------------------------------------------- Verifier.check's order

    private void walk() {
        List<SymClaim> outputClaims = new ArrayList<>();
        for (int o : graph.outputs()) {
            outputClaims.add(new SymClaim(fresh(plan.shapes[o].numVars()), null));
        }
        List<ProofPlan.Table> tables = plan.tables;
        LogUpShape shape = tables.isEmpty() ? null : LookupPhase.shape(tables);
        List<SymClaim> blocks = new ArrayList<>(); // per block: point, and evals as a SymClaim list below
        List<Sym[]> blockEvals = new ArrayList<>();
        if (shape != null) {
            for (LogUpShape.GroupShape g : shape.groups()) {
                blocks.add(new SymClaim(fresh(g.numVars()), null));
                blockEvals.add(fresh(shape.tables().get(g.table()).numColumns() + 1));
            }
            for (LogUpShape.TableShape t : shape.tables()) {
                blocks.add(new SymClaim(fresh(t.numVars()), null));
                blockEvals.add(fresh(t.numColumns() + 1));
            }
        }
        entry = registers;
        for (int i = 0; i < graph.outputs().size(); i++) {
            int o = graph.outputs().get(i);
            Sym[] r = outputClaims.get(i).point();
            onTensor(o, new SymClaim(r, publicMle(1, i, r, plan.shapes[o])));
        }
        if (shape != null) {
            lookupClaims(tables, blocks, blockEvals);
        }
        maxChecks();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            int t = node.output();
            if (plan.isCommitted(t) || tensorClaims(t).isEmpty()) {
                continue;
            }
            int n = plan.shapes[t].numVars();
            List<Subcube> whole = tensorClaims(t).stream().map(c -> new Subcube(c.point(), n, 0, c.value())).toList();
            linear(node, batch(n, whole, null));
        }
        knownTensors();
        List<Subcube> weights = new ArrayList<>();
        for (int slot = 0; slot < plan.weightTensors.size(); slot++) {
            for (SymClaim c : tensorClaims(plan.weightTensors.get(slot))) {
                weights.add(weightClaim(slot, c));
            }
        }
        weights.addAll(tableClaims); // Protocol.weightClaims: after the weight tensors'
        if (!weights.isEmpty()) {
            output(batch(plan.weightPacking.numVars(), weights, null));
        }
        List<Subcube> witness = new ArrayList<>();
        for (int item = 0; item < plan.items.size(); item++) {
            int vars = plan.witnessPacking.itemVars(item);
            long block = plan.witnessPacking.offset(item) >>> vars;
            List<SymClaim> all = new ArrayList<>(byItem.getOrDefault(item, List.of()));
            if (plan.items.get(item) instanceof ProofPlan.TensorItem ti) {
                all.addAll(tensorClaims(ti.tensor()));
            }
            for (SymClaim c : all) {
                witness.add(new Subcube(c.point(), vars, block, c.value()));
            }
        }
        output(batch(plan.witnessPacking.numVars(), witness, witnessRegions()));
    }

    private List<SymClaim> tensorClaims(int t) {
        return byTensor.getOrDefault(t, List.of());
    }

    private void onTensor(int t, SymClaim c) {
        byTensor.computeIfAbsent(t, k -> new ArrayList<>()).add(c);
    }

    private void onItem(int item, SymClaim c) {
        byItem.computeIfAbsent(item, k -> new ArrayList<>()).add(c);
    }

    private void on(ProofPlan.Source source, SymClaim c) {
        switch (source) {
            case ProofPlan.TensorSource t -> onTensor(t.tensor(), c);
            case ProofPlan.ItemSource s -> onItem(s.item(), c);
            case ProofPlan.BroadcastSource b -> onTensor(b.tensor(), new SymClaim(operandPoint(b.broadcast(), c.point()), c.value()));
        }
    }

    /** LookupPhase.recordLookupClaims: each column's other terms received, the first term's claim derived. */
    private void lookupClaims(List<ProofPlan.Table> tables, List<SymClaim> blocks, List<Sym[]> evals) {
        int first = 0;
        int groups = tables.stream().mapToInt(t -> t.groups().size()).sum();
        for (int k = 0; k < tables.size(); k++) {
            ProofPlan.Table table = tables.get(k);
            for (int g = 0; g < table.groups().size(); g++) {
                ProofPlan.Group group = table.groups().get(g);
                Sym[] point = blocks.get(first + g).point();
                Sym[] e = evals.get(first + g);
                for (int c = 0; c < group.columns().size(); c++) {
                    ProofPlan.Column column = group.columns().get(c);
                    List<ProofPlan.Term> terms = column.terms();
                    Sym[] values = terms.size() == 1 ? new Sym[0] : receiveVector("column-terms", terms.size() - 1);
                    Sym v = sub(e[c], constant(Ext2.of(column.shift())));
                    for (int i = 0; i < values.length; i++) {
                        v = sub(v, mul(values[i], constant(Ext2.of(terms.get(i + 1).coef()))));
                        on(terms.get(i + 1).source(), new SymClaim(point, values[i]));
                    }
                    on(terms.getFirst().source(), new SymClaim(point, mul(v, constant(Ext2.of(Goldilocks.inverse(terms.getFirst().coef()))))));
                }
            }
            first += table.groups().size();
            Sym[] e = evals.get(groups + k);
            onItem(table.multiplicityItem(), new SymClaim(blocks.get(groups + k).point(), e[e.length - 1]));
            TableCommitment.Entry committed = this.tables.entry(table);
            if (committed != null) { // the values column's claim, which stage 1 did not check, on the weights
                tableClaims.add(new Subcube(blocks.get(groups + k).point(), committed.vars(), committed.block(), e[1]));
            }
        }
    }

    /** MaxLayers.verify for Max/Min of broadcast operands (the gaps affine look-up columns or committed limbs). */
    private void maxChecks() {
        if (!plan.argmaxChecks.isEmpty()) {
            throw new UnsupportedGraphException("the EVM layer program does not support ReduceMax's one-hot argument yet");
        }
        for (MaxLayers.Check check : plan.maxChecks) {
            PaddedShape shape = plan.shapes[check.output()];
            int k = check.candidates().size();
            Sym[] tau = challenges("max-tau", shape.numVars());
            Sumcheck sub = sumcheck(constant(Ext2.ZERO), shape.numVars(), k + 1);
            int valueCount = check.gapLimbs().stream().mapToInt(l -> Math.max(1, l.size())).sum();
            Sym[] values = receiveVector("max-values", 1 + valueCount);
            Sym y = values[0];
            Sym[] gaps = new Sym[k];
            Sym[] views = new Sym[k];
            int v = 1;
            for (int c = 0; c < k; c++) {
                List<Integer> limbs = check.gapLimbs().get(c);
                if (limbs.isEmpty()) {
                    views[c] = values[v++];
                    gaps[c] = check.sign() > 0 ? sub(y, views[c]) : sub(views[c], y);
                } else {
                    Sym g = constant(Ext2.ZERO);
                    for (int l = 0; l < limbs.size(); l++) {
                        g = add(g, mul(values[v++], constant(Ext2.of(Goldilocks.pow(2, (long) ProofPlan.RANGE_BITS * l)))));
                    }
                    gaps[c] = g;
                    views[c] = check.sign() > 0 ? sub(y, g) : add(y, g);
                }
            }
            Sym product = eq(tau, sub.point);
            for (Sym gap : gaps) {
                product = mul(product, gap);
            }
            check(product, sub.expected, MAX_ATTAINED);
            onTensor(check.output(), new SymClaim(sub.point, values[0]));
            v = 1;
            for (List<Integer> limbs : check.gapLimbs()) {
                if (limbs.isEmpty()) {
                    v++;
                }
                for (int item : limbs) {
                    onItem(item, new SymClaim(sub.point, values[v++]));
                }
            }
            List<Integer> taps = new ArrayList<>(); // MaxLayers.recordDirectViews, then reduceViewsVerifier
            for (int c = 0; c < k; c++) {
                switch (check.candidates().get(c)) {
                    case MaxLayers.BroadcastView b -> {
                        Broadcast bc = new Broadcast(plan.shapes[b.tensor()], shape);
                        Sym factor = factor(bc, sub.point);
                        onTensor(b.tensor(), new SymClaim(operandPoint(bc, sub.point), mul(views[c], inverse(factor))));
                    }
                    case MaxLayers.SliceView sv -> onTensor(sv.tensor(), new SymClaim(slicePoint(check.output(), sv, sub.point), views[c]));
                    case MaxLayers.TapView t -> taps.add(c);
                }
            }
            if (!taps.isEmpty()) {
                tapReduction(check, taps, sub.point, views);
            }
        }
    }

    /** MaxLayers.slicePoint: kept axes read the output's variables, reduced axes their fixed index's bits. */
    private Sym[] slicePoint(int output, MaxLayers.SliceView sv, Sym[] rho) {
        PaddedShape xs = plan.shapes[sv.tensor()];
        PaddedShape ys = plan.shapes[output];
        Sym[] p = new Sym[xs.numVars()];
        int yDim = sv.keepdims() ? xs.rank() - 1 : ys.rank() - 1;
        for (int d = xs.rank() - 1; d >= 0; d--) {
            int first = xs.firstVar(d);
            if (sv.fixed()[d] >= 0) {
                System.arraycopy(bits(sv.fixed()[d], xs.bits(d)), 0, p, first, xs.bits(d));
                if (sv.keepdims()) {
                    yDim--;
                }
            } else {
                System.arraycopy(rho, ys.firstVar(yDim), p, first, xs.bits(d));
                yDim--;
            }
        }
        return p;
    }

    /**
     * MaxLayers.reduceViewsVerifier: the pooling taps' views Σ_k β^k·c_k(ρ) reduced to one claim on the pooled tensor by a
     * selection reduction, its selection eq(ρ_n, p_n)·eq(ρ_c, p_c)·Σ_k β^k·T_h^k(p_h)·T_w^k(p_w) (MaxLayers.tapSelectionAt).
     */
    private void tapReduction(MaxLayers.Check check, List<Integer> taps, Sym[] rho, Sym[] views) {
        MaxLayers.TapView first = (MaxLayers.TapView) check.candidates().get(taps.getFirst());
        Sym beta = challenges("tap-beta", 1)[0];
        Sym sum = constant(Ext2.ZERO);
        Sym power = constant(Ext2.ONE);
        for (int c : taps) {
            sum = add(sum, mul(views[c], power));
            power = mul(power, beta);
        }
        PaddedShape xs = plan.shapes[first.tensor()];
        PaddedShape ys = plan.shapes[check.output()];
        Sumcheck red = sumcheck(sum, xs.numVars(), 2);
        Sym value = receive("tap-input");
        Sym[] p = red.point;
        Sym spatial = constant(Ext2.ZERO);
        power = constant(Ext2.ONE);
        for (int c : taps) {
            MaxLayers.TapView t = (MaxLayers.TapView) check.candidates().get(c);
            Sym th = window(t.h(), part(rho, ys, 2), bits(t.uh(), t.h().kernelBits()), part(p, xs, 2));
            Sym tw = window(t.w(), part(rho, ys, 3), bits(t.uw(), t.w().kernelBits()), part(p, xs, 3));
            spatial = add(spatial, mul(mul(th, tw), power));
            power = mul(power, beta);
        }
        Sym lead = mul(eq(part(rho, ys, 0), part(p, xs, 0)), eq(part(rho, ys, 1), part(p, xs, 1)));
        check(mul(value, mul(lead, spatial)), red.expected, TAP_FINAL);
        onTensor(first.tensor(), new SymClaim(p, value));
    }

    /** LinearLayers.verify for the supported ops. */
    private void linear(QNode node, SymClaim claim) {
        switch (node.op()) {
            case QOp.MatMul m -> matMul(node, m, claim);
            case QOp.Add a -> sum(node, a.a(), a.b(), false, claim);
            case QOp.Sub s -> sum(node, s.a(), s.b(), true, claim);
            case QOp.Mul m -> mulNode(node, m, claim);
            case QOp.Conv c -> conv(node, c, claim);
            case QOp.ReduceSum r -> reduceSum(node, r, claim);
            case QOp.MulConst m -> {
                if (m.c() != 0) {
                    onTensor(m.x(), new SymClaim(claim.point(), mul(claim.value(), constant(Ext2.of(Goldilocks.inverse(Goldilocks.fromSigned(m.c())))))));
                } else {
                    check(claim.value(), constant(Ext2.ZERO), PRODUCT_BY_ZERO);
                }
            }
            case QOp.Reshape r -> {
                if (LinearLayers.sameLayout(plan.shapes[r.x()], plan.shapes[node.output()])) {
                    onTensor(r.x(), claim);
                } else {
                    reshape(node, r, claim);
                }
            }
            default -> throw new UnsupportedGraphException("the EVM layer program does not support " + node.op().getClass().getSimpleName() + " yet");
        }
    }

    private void matMul(QNode node, QOp.MatMul m, SymClaim claim) {
        PaddedShape a = plan.shapes[m.a()];
        PaddedShape b = plan.shapes[m.b()];
        PaddedShape y = plan.shapes[node.output()];
        if (a.rank() != 2 || b.rank() != 2 || y.rank() != 2) {
            throw new UnsupportedGraphException("the EVM layer program supports MatMul of matrices only");
        }
        int nBits = y.bits(1);
        int kBits = a.bits(1);
        Sym[] r = claim.point();
        Sym[] rN = Arrays.copyOfRange(r, 0, nBits);
        Sym[] rM = Arrays.copyOfRange(r, nBits, r.length);
        Sym sum = claim.value();
        if (m.bias() >= 0) {
            Broadcast bb = new Broadcast(plan.shapes[m.bias()], y);
            Sym bv = receive("matmul-bias");
            onTensor(m.bias(), new SymClaim(operandPoint(bb, r), bv));
            sum = sub(sum, mul(bv, factor(bb, r)));
        }
        Sumcheck sub = sumcheck(sum, kBits, 2);
        Sym[] evals = receiveVector("matmul-evals", 2);
        check(mul(evals[0], evals[1]), sub.expected, MATMUL_FINAL);
        onTensor(m.a(), new SymClaim(concat(sub.point, rM), evals[0]));
        onTensor(m.b(), new SymClaim(concat(rN, sub.point), evals[1]));
    }

    private void sum(QNode node, int a, int b, boolean subtract, SymClaim claim) {
        PaddedShape out = plan.shapes[node.output()];
        Broadcast ba = new Broadcast(plan.shapes[a], out);
        Broadcast bb = new Broadcast(plan.shapes[b], out);
        Sym va = receive("sum-operand");
        Sym vb = receive("sum-operand");
        Sym left = mul(va, factor(ba, claim.point()));
        Sym right = mul(vb, factor(bb, claim.point()));
        check(subtract ? sub(left, right) : add(left, right), claim.value(), SUM_OPERANDS);
        onTensor(a, new SymClaim(operandPoint(ba, claim.point()), va));
        onTensor(b, new SymClaim(operandPoint(bb, claim.point()), vb));
    }

    /** LinearLayers.verifyMul: the sumcheck of y(r) = Σ_x eq(r, x)·a(x)·b(x), its final check, the operands' claims at ρ. */
    private void mulNode(QNode node, QOp.Mul m, SymClaim claim) {
        PaddedShape out = plan.shapes[node.output()];
        Sumcheck sub = sumcheck(claim.value(), out.numVars(), 3);
        Sym[] evals = receiveVector("mul-evals", 2);
        check(mul(mul(eq(claim.point(), sub.point), evals[0]), evals[1]), sub.expected, MUL_FINAL);
        onTensor(m.a(), new SymClaim(operandPoint(new Broadcast(plan.shapes[m.a()], out), sub.point), evals[0]));
        onTensor(m.b(), new SymClaim(operandPoint(new Broadcast(plan.shapes[m.b()], out), sub.point), evals[1]));
    }

    /**
     * ConvLayer.verify (standard or depthwise): the sumcheck over taps and channels of W·X̂ (depthwise with eq(r_o, c)), the
     * weight's claim, then X̂'s claim reduced to x by a selection reduction whose selection eq(r_n, p_n)·eq(ρ_c, p_c)·T_h·T_w
     * (ConvLayer.Geometry.selectionAt) is evaluated here window by window.
     */
    private void conv(QNode node, QOp.Conv conv, SymClaim claim) {
        ConvLayer.Geometry g = ConvLayer.Geometry.of(plan, node, conv);
        Sym[][] r = {part(claim.point(), g.y(), 0), part(claim.point(), g.y(), 1), part(claim.point(), g.y(), 2), part(claim.point(), g.y(), 3)};
        Sym sum = claim.value();
        if (conv.bias() >= 0) {
            Sym bv = receive("conv-bias");
            onTensor(conv.bias(), new SymClaim(r[1], bv));
            Sym rows = mul(mul(prefix(r[0], 0, r[0].length, g.n()), prefix(r[2], 0, r[2].length, g.h().out())), prefix(r[3], 0, r[3].length, g.w().out()));
            sum = sub(sum, mul(bv, rows));
        }
        int tapBits = g.tapBits();
        Sumcheck sub = sumcheck(sum, tapBits + g.channelBits(), g.depthwise() ? 3 : 2);
        Sym[] ev = receiveVector("conv-evals", 2);
        Sym[] rho = sub.point;
        Sym[] rhoC = Arrays.copyOfRange(rho, tapBits, rho.length);
        Sym expected = mul(ev[0], ev[1]);
        if (g.depthwise()) {
            expected = mul(expected, eq(r[1], rhoC));
        }
        check(expected, sub.expected, CONV_FINAL);
        onTensor(conv.w(), new SymClaim(g.depthwise() ? rho : concat(rho, r[1]), ev[0]));
        Sumcheck red = sumcheck(ev[1], g.x().numVars(), 2);
        Sym value = receive("conv-input");
        Sym[] p = red.point;
        Sym selection = mul(mul(eq(r[0], part(p, g.x(), 0)), eq(rhoC, part(p, g.x(), 1))),
                mul(window(g.h(), r[2], Arrays.copyOfRange(rho, g.w().kernelBits(), tapBits), part(p, g.x(), 2)),
                        window(g.w(), r[3], Arrays.copyOfRange(rho, 0, g.w().kernelBits()), part(p, g.x(), 3))));
        check(mul(value, selection), red.expected, CONV_INPUT);
        onTensor(conv.x(), new SymClaim(p, value));
    }

    /** Window.selectionAt: Σ_{p,u valid} eq(r_p, p)·eq(r_u, u)·eq(ρ, pos(p, u)), from the three eq tables. */
    private Sym window(Window w, Sym[] outPoint, Sym[] tapPoint, Sym[] inPoint) {
        Sym[] ep = eqTable(outPoint, w.out());
        Sym[] eu = eqTable(tapPoint, w.kernel());
        Sym[] ej = eqTable(inPoint, w.in());
        Sym sum = constant(Ext2.ZERO);
        for (int p = 0; p < w.out(); p++) {
            Sym taps = constant(Ext2.ZERO);
            for (int u = 0; u < w.kernel(); u++) {
                if (w.valid(p, u)) {
                    taps = add(taps, mul(eu[u], ej[w.position(p, u)]));
                }
            }
            sum = add(sum, mul(ep[p], taps));
        }
        return sum;
    }

    /**
     * eq(point, i) for i below {@code count} (Mle.eqTable's order: coordinate j is bit j of i), built a coordinate at a time from
     * the highest, each level's entries only where an i below count reads them.
     */
    private Sym[] eqTable(Sym[] point, int count) {
        Sym[] t = {constant(Ext2.ONE)};
        for (int j = point.length - 1; j >= 0; j--) {
            int size = Math.min(((count - 1) >>> j) + 1, 2 * t.length); // the entries i >> j of the i < count
            Sym[] next = new Sym[2 * t.length];
            for (int i = 0; i < size; i++) {
                next[i] = mul(t[i >>> 1], (i & 1) == 1 ? point[j] : oneMinus(point[j]));
            }
            t = next;
        }
        return t;
    }

    /**
     * LinearLayers.reduceSumClaim: Σ over the reduced subcube of x is 2^m·x(½, …, ½) there, so x's claim is the output's
     * point with ½ at the reduced variables and the value over 2^m. No message: the point and the factor are known here.
     */
    private void reduceSum(QNode node, QOp.ReduceSum r, SymClaim claim) {
        PaddedShape x = plan.shapes[r.x()];
        PaddedShape y = plan.shapes[node.output()];
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : r.axes()) {
            reduced[a < 0 ? a + rank : a] = true;
        }
        Sym half = constant(Ext2.of(Goldilocks.inverse(2)));
        Sym[] p = new Sym[x.numVars()];
        int reducedVars = 0;
        int yDim = r.keepdims() ? rank - 1 : y.rank() - 1;
        for (int d = rank - 1; d >= 0; d--) {
            int first = x.firstVar(d);
            if (reduced[d]) {
                Arrays.fill(p, first, first + x.bits(d), half);
                reducedVars += x.bits(d);
                if (r.keepdims()) {
                    yDim--;
                }
            } else {
                System.arraycopy(claim.point(), y.firstVar(yDim), p, first, x.bits(d));
                yDim--;
            }
        }
        onTensor(r.x(), new SymClaim(p, mul(claim.value(), constant(Ext2.of(Goldilocks.inverse(Goldilocks.pow(2, reducedVars)))))));
    }

    /** A reshape that moves entries: LinearLayers.verifyGather with every entry i taken from entry i. */
    private void reshape(QNode node, QOp.Reshape r, SymClaim claim) {
        PaddedShape out = plan.shapes[node.output()];
        PaddedShape src = plan.shapes[r.x()];
        Sym partial = receiveVector("gather-partials", 1)[0];
        check(partial, claim.value(), GATHER_SUM);
        Sumcheck sub = sumcheck(partial, src.numVars(), 2);
        Sym tableValue = receive("gather-eval");
        int[] rOut = regs(claim.point());
        int[] rho = regs(sub.point);
        Sym s = new Sym(null);
        op(OP_SELECTION);
        reg(s);
        regList(rOut);
        regList(rho);
        u32(out.realSize());
        dims(out);
        dims(src);
        check(mul(tableValue, s), sub.expected, GATHER_FINAL);
        onTensor(r.x(), new SymClaim(sub.point, tableValue));
    }

    /** Verifier.checkKnownTensors: claims on public inputs and constants evaluated directly. */
    private void knownTensors() {
        for (QTensor t : graph.tensors()) {
            int input = graph.inputs().indexOf(t.id());
            for (SymClaim c : tensorClaims(t.id())) {
                switch (t.kind()) {
                    case INPUT -> check(publicMle(0, input, c.point(), plan.shapes[t.id()]), c.value(), KNOWN_TENSOR);
                    case CONSTANT -> check(constantMle(plan.shapes[t.id()], t.data(), c.point()), c.value(), KNOWN_TENSOR);
                    default -> { }
                }
            }
        }
    }

    private Sym constantMle(PaddedShape shape, long[] data, Sym[] point) {
        if (data.length > 64) {
            throw new UnsupportedGraphException("the EVM layer program evaluates constants of at most 64 entries");
        }
        Sym sum = constant(Ext2.ZERO);
        for (int i = 0; i < data.length; i++) {
            sum = add(sum, mul(constant(Ext2.of(Goldilocks.fromSigned(data[i]))), eqBits(point, shape.paddedIndex(i))));
        }
        return sum;
    }

    // ---------------------------------------------------------------- claim batching (ClaimBatching.verify)

    /** Σ_parts coefficient·T(part's point) = value (ClaimBatching.SubcubeClaim); a null coefficient is 1. */
    record Subcube(List<Part> parts, Sym value) {
        Subcube(Sym[] local, int itemVars, long block, Sym value) {
            this(List.of(new Part(local, itemVars, block, null)), value);
        }
    }

    record Part(Sym[] local, int itemVars, long block, Sym coefficient) {}

    /**
     * A claim T(r) on a weight tensor over its pieces (Protocol.weightClaims): Σ_p eq(r_high, index_p)·P_p(r_low),
     * each piece's coefficient eq(r_high, index_p) computed by the program.
     */
    private Subcube weightClaim(int slot, SymClaim c) {
        List<Part> parts = new ArrayList<>();
        Sym one = constant(Ext2.ONE);
        for (int item : plan.weightLayout.piecesOf(slot)) {
            WeightLayout.Piece piece = plan.weightLayout.piece(item);
            int vars = plan.weightPacking.itemVars(item);
            Sym coefficient = null;
            for (int j = piece.shape().numVars(); j < c.point().length; j++) {
                Sym factor = ((piece.index() >>> (j - piece.shape().numVars())) & 1) == 1 ? c.point()[j] : sub(one, c.point()[j]);
                coefficient = coefficient == null ? factor : mul(coefficient, factor);
            }
            parts.add(new Part(Arrays.copyOf(c.point(), vars), vars, plan.weightPacking.offset(item) >>> vars, coefficient));
        }
        return new Subcube(parts, c.value());
    }

    /** The part's point on the whole packed polynomial: its local point, then its block's bits. */
    private Sym[] point(Part c, int numVars) {
        Sym[] p = Arrays.copyOf(c.local(), numVars);
        for (int j = c.local().length; j < numVars; j++) {
            p[j] = constant(((c.block() >>> (j - c.local().length)) & 1) == 1 ? Ext2.ONE : Ext2.ZERO);
        }
        return p;
    }

    /** A padded polynomial's items: per item its block, variables and real shape (null when every slot is real); and the used prefix. */
    record Regions(List<Long> blocks, List<Integer> vars, List<PaddedShape> shapes, long used, int numVars) {
        boolean isEmpty() {
            return used == 1L << numVars && shapes.stream().allMatch(s -> s == null);
        }
    }

    /** The witness polynomial's padding, as ProofPlan builds witnessPadding. */
    private Regions witnessRegions() {
        PolyPacking packing = plan.witnessPacking;
        List<Long> blocks = new ArrayList<>();
        List<Integer> vars = new ArrayList<>();
        List<PaddedShape> shapes = new ArrayList<>();
        long used = 0;
        for (int i = 0; i < packing.items(); i++) {
            int v = packing.itemVars(i);
            PaddedShape s = switch (plan.items.get(i)) {
                case ProofPlan.TensorItem t -> plan.shapes[t.tensor()];
                case ProofPlan.AuxItem a -> a.shape();
                case ProofPlan.MultiplicityItem m -> null;
            };
            blocks.add(packing.offset(i) >>> v);
            vars.add(v);
            shapes.add(s != null && s.realSize() == 1L << v ? null : s);
            used = Math.max(used, packing.offset(i) + (1L << v));
        }
        return new Regions(blocks, vars, shapes, used, packing.numVars());
    }

    private SymClaim batch(int numVars, List<Subcube> claims, Regions padding) {
        boolean padded = padding != null && !padding.isEmpty();
        Part only = claims.size() == 1 && claims.getFirst().parts().size() == 1 ? claims.getFirst().parts().getFirst() : null;
        if (!padded && only != null && only.local().length == numVars && only.coefficient() == null) {
            return new SymClaim(only.local(), claims.getFirst().value());
        }
        Sym[] tau = padded ? challenges("padding-point", numVars) : null;
        Sym alpha = challenges("batch-alpha", 1)[0];
        Sym sum = constant(Ext2.ZERO);
        Sym power = constant(Ext2.ONE);
        for (Subcube c : claims) {
            sum = add(sum, mul(c.value(), power));
            power = mul(power, alpha);
        }
        Sumcheck sub = sumcheck(sum, numVars, 2);
        Sym tableValue = receive("batch-eval");
        Sym g = constant(Ext2.ZERO);
        power = constant(Ext2.ONE);
        for (Subcube c : claims) {
            for (Part part : c.parts()) {
                Sym term = mul(eq(point(part, numVars), sub.point), power);
                g = add(g, part.coefficient() == null ? term : mul(term, part.coefficient()));
            }
            power = mul(power, alpha);
        }
        if (padded) {
            g = add(g, mul(weightedSum(padding, tau, sub.point), power));
        }
        check(mul(tableValue, g), sub.expected, BATCH_FINAL);
        return new SymClaim(sub.point, tableValue);
    }

    /** Padding.weightedSum: Σ_x pad(x)·eq(τ, x)·eq(ρ, x). */
    private Sym weightedSum(Regions regions, Sym[] tau, Sym[] rho) {
        int n = regions.numVars();
        Sym[] w0 = new Sym[n];
        Sym[] w1 = new Sym[n];
        Sym one = constant(Ext2.ONE);
        for (int j = 0; j < n; j++) {
            w1[j] = mul(tau[j], rho[j]);
            w0[j] = mul(sub(one, tau[j]), sub(one, rho[j]));
        }
        Sym sum = constant(Ext2.ZERO);
        for (int i = 0; i < regions.blocks().size(); i++) {
            PaddedShape s = regions.shapes().get(i);
            if (s == null) {
                continue;
            }
            int local = regions.vars().get(i);
            long block = regions.blocks().get(i);
            Sym high = one;
            for (int j = local; j < n; j++) {
                high = mul(high, ((block >>> (j - local)) & 1) == 1 ? w1[j] : w0[j]);
            }
            Sym all = weightedPrefix(w0, w1, 0, local, 1L << local);
            Sym real = one;
            for (int d = 0; d < s.rank(); d++) {
                real = mul(real, weightedPrefix(w0, w1, s.firstVar(d), s.bits(d), s.dim(d)));
            }
            sum = add(sum, mul(high, sub(all, real)));
        }
        Sym whole = weightedPrefix(w0, w1, 0, n, 1L << n);
        return add(sum, sub(whole, weightedPrefix(w0, w1, 0, n, regions.used())));
    }

    private Sym weightedPrefix(Sym[] w0, Sym[] w1, int offset, int vars, long d) {
        Sym[] below = new Sym[vars + 1];
        below[0] = constant(Ext2.ONE);
        for (int j = 0; j < vars; j++) {
            below[j + 1] = mul(below[j], add(w0[offset + j], w1[offset + j]));
        }
        if (d >= 1L << vars) {
            return below[vars];
        }
        Sym sum = constant(Ext2.ZERO);
        Sym fixed = constant(Ext2.ONE);
        for (int j = vars - 1; j >= 0; j--) {
            if (((d >>> j) & 1) == 1) {
                sum = add(sum, mul(mul(fixed, w0[offset + j]), below[j]));
                fixed = mul(fixed, w1[offset + j]);
            } else {
                fixed = mul(fixed, w0[offset + j]);
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- layout helpers (Broadcast, Indicators)

    /** Broadcast.operandPoint as a rearrangement of coordinates: read off Java's own mapping on marker values. */
    private static Sym[] operandPoint(Broadcast b, Sym[] point) {
        Ext2[] markers = new Ext2[point.length];
        for (int i = 0; i < markers.length; i++) {
            markers[i] = Ext2.of(i);
        }
        Ext2[] mapped = b.operandPoint(markers);
        Sym[] p = new Sym[mapped.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = point[(int) mapped[i].c0()];
        }
        return p;
    }

    /** Broadcast.factor: Π over broadcast dimensions of the indicator of their real indices. */
    private Sym factor(Broadcast b, Sym[] point) {
        PaddedShape out = b.output();
        PaddedShape op = b.operand();
        Sym f = constant(Ext2.ONE);
        for (int d = 0; d < out.rank(); d++) {
            int od = d - (out.rank() - op.rank());
            boolean broadcast = od < 0 || op.dim(od) != out.dim(d);
            if (broadcast && out.dim(d) > 1) {
                f = mul(f, prefix(point, out.firstVar(d), out.bits(d), out.dim(d)));
            }
        }
        return f;
    }

    /** Indicators.prefix: Σ_{i<d} eq(r, i) over the numVars-bit indices. */
    private Sym prefix(Sym[] r, int offset, int numVars, long d) {
        if (d >= 1L << numVars) {
            return constant(Ext2.ONE);
        }
        Sym one = constant(Ext2.ONE);
        Sym sum = constant(Ext2.ZERO);
        Sym fixed = one;
        for (int j = numVars - 1; j >= 0; j--) {
            Sym rj = r[offset + j];
            if (((d >>> j) & 1) == 1) {
                sum = add(sum, mul(fixed, sub(one, rj)));
                fixed = mul(fixed, rj);
            } else {
                fixed = mul(fixed, sub(one, rj));
            }
        }
        return sum;
    }

    /** eq(point, bits of index). */
    private Sym eqBits(Sym[] point, long index) {
        Sym e = constant(Ext2.ONE);
        for (int j = 0; j < point.length; j++) {
            e = mul(e, ((index >>> j) & 1) == 1 ? point[j] : sub(constant(Ext2.ONE), point[j]));
        }
        return e;
    }

    /** A dimension's coordinates of a point on {@code shape}. */
    private static Sym[] part(Sym[] point, PaddedShape shape, int dim) {
        int first = shape.firstVar(dim);
        return Arrays.copyOfRange(point, first, first + shape.bits(dim));
    }

    /** The bits of {@code value}, low first, as known coordinates. */
    private Sym[] bits(long value, int n) {
        Sym[] b = new Sym[n];
        for (int i = 0; i < n; i++) {
            b[i] = constant(((value >>> i) & 1) == 1 ? Ext2.ONE : Ext2.ZERO);
        }
        return b;
    }

    private static Sym[] concat(Sym[] low, Sym[] high) {
        Sym[] p = Arrays.copyOf(low, low.length + high.length);
        System.arraycopy(high, 0, p, low.length, high.length);
        return p;
    }

    // ---------------------------------------------------------------- instructions

    record Sumcheck(Sym[] point, Sym expected) {}

    private Sym[] fresh(int n) {
        Sym[] s = new Sym[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Sym(null);
            s[i].reg = registers++;
        }
        return s;
    }

    private Sym constant(Ext2 v) {
        return constants.computeIfAbsent(v, Sym::new);
    }

    private Sym[] challenges(String label, int n) {
        Sym[] s = fresh(n);
        op(OP_CHALLENGES);
        u16(n == 0 ? registers : s[0].reg);
        u16(n);
        label(label);
        return s;
    }

    private Sym receive(String label) {
        Sym s = fresh(1)[0];
        op(OP_RECEIVE);
        u16(s.reg);
        label(label);
        return s;
    }

    private Sym[] receiveVector(String label, int n) {
        Sym[] s = fresh(n);
        op(OP_RECEIVE_VECTOR);
        u16(n == 0 ? registers : s[0].reg);
        u16(n);
        label(label);
        return s;
    }

    private Sumcheck sumcheck(Sym sum, int vars, int degree) {
        int s = reg(sum);
        Sym[] point = fresh(vars);
        Sym expected = fresh(1)[0];
        op(OP_SUMCHECK);
        u16(s);
        u16(vars);
        u16(degree);
        u16(vars == 0 ? registers : point[0].reg);
        u16(expected.reg);
        return new Sumcheck(point, expected);
    }

    private Sym publicMle(int which, int index, Sym[] point, PaddedShape shape) {
        Sym s = new Sym(null);
        int[] regs = regs(point);
        op(OP_PUBLIC);
        reg(s);
        u16(which);
        u16(index);
        regList(regs);
        dims(shape);
        return s;
    }

    private Sym binary(int opcode, Sym a, Sym b) {
        int ra = reg(a);
        int rb = reg(b);
        Sym d = new Sym(null);
        op(opcode);
        reg(d);
        u16(ra);
        u16(rb);
        return d;
    }

    private Sym add(Sym a, Sym b) {
        if (a.known != null && b.known != null) {
            return constant(a.known.add(b.known));
        }
        if (a.known != null && a.known.isZero()) {
            return b;
        }
        if (b.known != null && b.known.isZero()) {
            return a;
        }
        return binary(OP_ADD, a, b);
    }

    private Sym sub(Sym a, Sym b) {
        if (a.known != null && b.known != null) {
            return constant(a.known.sub(b.known));
        }
        if (b.known != null && b.known.isZero()) {
            return a;
        }
        return binary(OP_SUB, a, b);
    }

    private Sym mul(Sym a, Sym b) {
        if (a.known != null && b.known != null) {
            return constant(a.known.mul(b.known));
        }
        if ((a.known != null && a.known.isZero()) || (b.known != null && b.known.isZero())) {
            return constant(Ext2.ZERO);
        }
        if (a.known != null && a.known.equals(Ext2.ONE)) {
            return b;
        }
        if (b.known != null && b.known.equals(Ext2.ONE)) {
            return a;
        }
        return binary(OP_MUL, a, b);
    }

    private Sym inverse(Sym a) {
        if (a.known != null && !a.known.isZero()) {
            return constant(a.known.inverse());
        }
        int ra = reg(a);
        Sym d = new Sym(null);
        op(OP_INV);
        reg(d);
        u16(ra);
        return d;
    }

    /**
     * Π_j eq(a_j, b_j), sharing work between the program's eqs. Where one side of a coordinate is a known bit the factor is
     * the other side or one minus it (eq(1, y) = y, eq(0, y) = 1 − y: no OP_EQ factor), and the product over every suffix
     * of coordinates computed is kept by its symbols (each register is written once), so eqs that end alike — the batched
     * claims' block bits and last coordinates against one sumcheck point — compute their common suffix once. The runs of
     * coordinates without a known bit go to OP_EQ. The same field element as one OP_EQ over all coordinates.
     */
    private Sym eq(Sym[] a, Sym[] b) {
        int n = a.length;
        EqKey[] keys = new EqKey[n + 1];
        for (int j = n - 1; j >= 0; j--) {
            keys[j] = new EqKey(a[j], b[j], keys[j + 1]);
        }
        int j = 0;
        while (j < n && !eqSuffixes.containsKey(keys[j])) {
            j++;
        }
        Sym e = j < n ? eqSuffixes.get(keys[j]) : constant(Ext2.ONE);
        while (j > 0) {
            Sym bit = knownBit(a[j - 1]) ? a[j - 1] : knownBit(b[j - 1]) ? b[j - 1] : null;
            if (bit != null) {
                Sym other = bit == a[j - 1] ? b[j - 1] : a[j - 1];
                e = mul(bit.known.equals(Ext2.ONE) ? other : oneMinus(other), e);
                j--;
            } else {
                int i = j - 1;
                while (i > 0 && !knownBit(a[i - 1]) && !knownBit(b[i - 1])) {
                    i--;
                }
                e = mul(eqInstruction(Arrays.copyOfRange(a, i, j), Arrays.copyOfRange(b, i, j)), e);
                j = i;
            }
            eqSuffixes.put(keys[j], e);
        }
        return e;
    }

    /** A suffix of an eq's coordinates, by its symbols' identities. */
    private record EqKey(Sym a, Sym b, EqKey next) {}

    private static boolean knownBit(Sym s) {
        return s.known != null && (s.known.isZero() || s.known.equals(Ext2.ONE));
    }

    private Sym oneMinus(Sym s) {
        return oneMinus.computeIfAbsent(s, x -> sub(constant(Ext2.ONE), x));
    }

    private Sym eqInstruction(Sym[] a, Sym[] b) {
        int[] ra = regs(a);
        int[] rb = regs(b);
        Sym d = new Sym(null);
        op(OP_EQ);
        reg(d);
        u16(ra.length);
        for (int r : ra) {
            u16(r);
        }
        regList(rb);
        return d;
    }

    private void check(Sym a, Sym b, int code) {
        int ra = reg(a);
        int rb = reg(b);
        op(OP_CHECK);
        u16(ra);
        u16(rb);
        u16(code);
    }

    private void output(SymClaim c) {
        int[] p = regs(c.point());
        int v = reg(c.value());
        op(OP_OUTPUT);
        u16(p.length + 1);
        for (int r : p) {
            u16(r);
        }
        u16(v);
    }

    /** The symbol's register, emitting CONST for a known value on first use; for a fresh result, allocates it. */
    private int reg(Sym s) {
        if (s.reg < 0) {
            s.reg = registers++;
            if (s.known != null) {
                op(OP_CONST);
                u16(s.reg);
                u64(s.known.c0());
                u64(s.known.c1());
                return s.reg;
            }
            u16(s.reg);
        }
        return s.reg;
    }

    private int[] regs(Sym[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = reg(s[i]);
        }
        return r;
    }

    private void regList(int[] regs) {
        u16(regs.length);
        for (int r : regs) {
            u16(r);
        }
    }

    private void dims(PaddedShape shape) {
        u16(shape.rank());
        for (int d = 0; d < shape.rank(); d++) {
            u16(shape.dim(d));
        }
    }

    private void op(int opcode) {
        instructions++;
        code.write(opcode);
    }

    private void u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new UnsupportedGraphException("the EVM layer program needs 16-bit operands, not " + v);
        }
        code.write(v >>> 8);
        code.write(v);
    }

    private void u32(long v) {
        u16((int) (v >>> 16));
        u16((int) (v & 0xFFFF));
    }

    private void u64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            code.write((int) (v >>> s));
        }
    }

    /** A transcript label as Sha256Transcript takes it: its bytes from the top, its length in the low byte. */
    private void label(String label) {
        byte[] b = label.getBytes(StandardCharsets.UTF_8);
        if (b.length > 31) {
            throw new IllegalArgumentException("label too long: " + label);
        }
        byte[] w = new byte[32];
        System.arraycopy(b, 0, w, 0, b.length);
        w[31] = (byte) b.length;
        code.writeBytes(w);
    }
}
