package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The honest prover with one seam for cheating: the prover's trace — the padded field table of every
 * tensor — is computed op by op in field arithmetic, and a {@link Rewrite} may replace any table as the
 * trace reaches it (any entry, real or padding, by any field element). Every later tensor is then
 * re-derived from the rewritten ones exactly as the protocol reads them (linear ops over the padded
 * tables, padding included; non-linear ops by their integer semantics where their inputs are integers),
 * so the forged values flow on as the prover's witness; {@link ProverChannel.Tamper} alters messages.
 *
 * <p>The property every test checks with it ({@link #assertNoForgery}): an accepted proof's statement is
 * the integer executor's on the statement's own inputs.
 */
final class AdversarialProver {
    private AdversarialProver() {}

    /** Replaces a tensor's padded table as the trace reaches it; {@code trace} holds every earlier tensor. */
    interface Rewrite {
        Rewrite NONE = (tensor, padded, trace) -> padded;

        long[] apply(int tensor, long[] padded, long[][] trace);
    }

    /** The prover's trace of {@code key.graph()} on {@code inputs} (integers by input tensor id), rewritten by {@code rewrite}. */
    static long[][] trace(ProvingKey key, Map<Integer, long[]> inputs, Rewrite rewrite) {
        QuantGraph g = key.graph();
        ProofPlan plan = key.plan();
        long[][] trace = new long[g.tensors().size()][];
        for (QTensor t : g.tensors()) {
            if (t.data() != null) {
                trace[t.id()] = ProverTensors.toField(plan.shapes[t.id()].pad(t.data()));
            }
        }
        for (int in : g.inputs()) {
            trace[in] = rewrite.apply(in, ProverTensors.toField(plan.shapes[in].pad(inputs.get(in))), trace);
        }
        for (QNode n : g.nodes()) {
            trace[n.output()] = rewrite.apply(n.output(), FieldOps.compute(plan, g, n, trace), trace);
        }
        return trace;
    }

    static Map<Integer, long[]> inputsOf(QuantGraph g, Execution e) {
        Map<Integer, long[]> m = new LinkedHashMap<>();
        for (int in : g.inputs()) {
            m.put(in, e.value(in));
        }
        return m;
    }

    static Proof prove(ProvingKey key, long[][] trace, Visibility inputs, Visibility outputs) {
        return Prover.prove(key, trace, inputs, outputs, ProverChannel.Tamper.NONE);
    }

    static Proof prove(ProvingKey key, long[][] trace, Visibility inputs, Visibility outputs, ProverChannel.Tamper tamper) {
        return Prover.prove(key, trace, inputs, outputs, tamper);
    }

    /** Proves honestly (public inputs and outputs), recording every message's label in {@code labels} and the values of the {@code kinds} in {@code revealed}. */
    static Proof proveRecording(ProvingKey key, long[][] trace, List<String> labels, Set<String> kinds, List<Ext2> revealed) {
        return prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            if (kinds.contains(label)) {
                revealed.add(v);
            }
            return v;
        });
    }

    /** The committed tensors a cheating prover chooses: the plan's committed tensors and the external inputs/outputs. */
    static List<Integer> committedTensors(ProvingKey key, Visibility inputs, Visibility outputs) {
        Set<Integer> out = new LinkedHashSet<>();
        for (ProofPlan.Item item : key.plan().items) {
            if (item instanceof ProofPlan.TensorItem t) {
                out.add(t.tensor());
            }
        }
        out.addAll(Prover.external(key.graph(), inputs, outputs));
        return new ArrayList<>(out);
    }

    /**
     * What a verifier accepted must be true: the statement's inputs (public values, or for committed
     * inputs the integer tensors the prover committed, zero padding and in bound) run through the integer
     * executor give exactly the statement's outputs (public values, or the roots of their commitments).
     *
     * @return null when the statement is true, else why it is a forgery
     */
    static String forgery(ProvingKey key, PublicStatement accepted, long[][] trace) {
        QuantGraph g = key.graph();
        ProofPlan plan = key.plan();
        MultilinearPcs pcs = key.verifyingKey().security().pcs();
        Map<String, long[]> claimedInputs = new LinkedHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            int t = g.inputs().get(i);
            long[] values;
            if (accepted.inputCommitted(i)) {
                long[] padded = trace[t];
                values = integers(plan.shapes[t], padded, g.tensor(t).bits());
                if (values == null) {
                    return "committed input '" + g.tensor(t).name() + "' is not an integer tensor in its bound with zero padding";
                }
                if (!java.util.Arrays.equals(accepted.inputRoots().get(i), pcs.commit(padded).root())) {
                    return "committed input root is not the trace's";
                }
            } else {
                values = accepted.inputs().get(i);
            }
            claimedInputs.put(g.tensor(t).name(), values);
        }
        Execution truth;
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            truth = e.runQuantised(g, claimedInputs);
        } catch (RuntimeException e) {
            return "the claimed inputs have no output (" + e.getMessage() + ")";
        }
        for (int i = 0; i < g.outputs().size(); i++) {
            int t = g.outputs().get(i);
            if (accepted.outputCommitted(i)) {
                byte[] root = pcs.commit(ProverTensors.toField(plan.shapes[t].pad(truth.value(t)))).root();
                if (!java.util.Arrays.equals(root, accepted.outputRoots().get(i))) {
                    return "committed output '" + g.tensor(t).name() + "' is not the commitment of the true output";
                }
            } else if (!java.util.Arrays.equals(truth.value(t), accepted.outputs().get(i))) {
                return "output '" + g.tensor(t).name() + "' " + java.util.Arrays.toString(accepted.outputs().get(i))
                        + " is not the true " + java.util.Arrays.toString(truth.value(t));
            }
        }
        return null;
    }

    /**
     * The sequence numbers of the first and the last message of each label, in order: the messages a tamper test alters
     * when altering every one would cost a proof each (the middle rounds of a sumcheck take the ends' code path).
     * With {@code -Dverinfer.test.everyMessage=true}, every message.
     */
    static List<Integer> firstAndLastOfEachLabel(List<String> labels) {
        if (Boolean.getBoolean("verinfer.test.everyMessage")) {
            return java.util.stream.IntStream.range(0, labels.size()).boxed().toList();
        }
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String label : new java.util.HashSet<>(labels)) {
            out.add(labels.indexOf(label));
            out.add(labels.lastIndexOf(label));
        }
        return List.copyOf(out);
    }

    /**
     * The mask commitment M committed with {@code entry} altered while the argument uses the masks as drawn: the
     * proof is rejected, or the honest opening refuses to open a table that is not the polynomial it claims.
     */
    static void assertAlteredMaskRejected(ProvingKey key, long[][] trace, int entry) {
        ProverChannel.Tamper edit = new ProverChannel.Tamper() {
            @Override
            public Ext2 message(int sequence, String label, Ext2 value) {
                return value;
            }

            @Override
            public void masks(long[] table) {
                table[entry] = Goldilocks.add(table[entry], 1);
            }
        };
        try {
            Proof p = prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, edit);
            org.junit.jupiter.api.Assertions.assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "M altered at entry " + entry + " accepted");
        } catch (IllegalArgumentException refused) {
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("not the polynomial's value"), refused.getMessage());
        }
    }

    /** Proves the trace, verifies, and fails with the forgery when a false statement was accepted; returns whether it was accepted. */
    static boolean assertNoForgery(ProvingKey key, long[][] trace, Visibility inputs, Visibility outputs, String what) {
        Proof proof = prove(key, trace, inputs, outputs);
        VerificationResult r = Verifier.verify(key.verifyingKey(), proof.bytes());
        if (!r.valid()) {
            return false;
        }
        String forged = forgery(key, r.statement(), trace);
        if (forged != null) {
            throw new AssertionError("FORGERY accepted (" + what + "): " + forged);
        }
        return true;
    }

    /** The integers of a padded table when every real entry is an integer below 2^bits and every padding slot is 0, else null. */
    static long[] integers(PaddedShape shape, long[] padded, int bits) {
        long[] real = new long[(int) shape.realSize()];
        boolean[] isReal = new boolean[padded.length];
        for (int i = 0; i < real.length; i++) {
            int p = shape.paddedIndex(i);
            isReal[p] = true;
            real[i] = Goldilocks.toSigned(padded[p]);
            if (Math.abs(real[i]) >= 1L << bits) {
                return null;
            }
        }
        for (int p = 0; p < padded.length; p++) {
            if (!isReal[p] && padded[p] != 0) {
                return null;
            }
        }
        return real;
    }

    // ---------------------------------------------------------------- tampering strategies

    /** The forged value of one slot, from its honest value and the trace so far. */
    interface SlotValue {
        long forge(long honest, long[][] trace);
    }

    /** Overwrites slot {@code slot} of tensor {@code tensor}'s padded table with a forged value. */
    static Rewrite overwrite(int tensor, int slot, SlotValue value) {
        return (t, padded, trace) -> {
            if (t != tensor) {
                return padded;
            }
            long[] p = padded.clone();
            p[slot] = value.forge(p[slot], trace);
            return p;
        };
    }

    /**
     * A non-integer Rescale quotient whose remainder is in range: q' = (x + 2^(k−1) − r′)/2^k mod p for a
     * remainder r′ ≠ the true one, so the remainder's range check passes and only q's bound can catch it.
     */
    static long nonIntegerQuotient(long x, int k, long remainder) {
        long num = Goldilocks.sub(Goldilocks.add(x, Goldilocks.fromSigned(1L << (k - 1))), Goldilocks.fromSigned(remainder));
        return Goldilocks.mul(num, Goldilocks.inverse(Goldilocks.fromSigned(1L << k)));
    }

    /** Whether {@code slot} of a tensor's padded table is a padding slot. */
    static boolean isPadding(PaddedShape shape, int slot) {
        int shift = 0;
        for (int d = shape.rank() - 1; d >= 0; d--) {
            int idx = (slot >>> shift) & ((1 << shape.bits(d)) - 1);
            if (idx >= shape.dim(d)) {
                return true;
            }
            shift += shape.bits(d);
        }
        return false;
    }

    /** The field arithmetic of each op over padded tables, as the protocol reads them. */
    static final class FieldOps {
        private FieldOps() {}

        static long[] compute(ProofPlan plan, QuantGraph g, QNode n, long[][] v) {
            PaddedShape out = plan.shapes[n.output()];
            return switch (n.op()) {
                case QOp.MatMul m -> matmul(plan, m, out, v);
                case QOp.Add a -> sum(expandReal(plan.shapes[a.a()], out, v[a.a()]), expandReal(plan.shapes[a.b()], out, v[a.b()]), false);
                case QOp.Sub s -> sum(expandReal(plan.shapes[s.a()], out, v[s.a()]), expandReal(plan.shapes[s.b()], out, v[s.b()]), true);
                case QOp.Mul m -> {
                    long[] a = new Broadcast(plan.shapes[m.a()], out).expand(v[m.a()]);
                    long[] b = new Broadcast(plan.shapes[m.b()], out).expand(v[m.b()]);
                    long[] r = new long[a.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = Goldilocks.mul(a[i], b[i]);
                    }
                    yield r;
                }
                case QOp.MulConst m -> {
                    long c = Goldilocks.fromSigned(m.c());
                    long[] x = v[m.x()];
                    long[] r = new long[x.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = Goldilocks.mul(x[i], c);
                    }
                    yield r;
                }
                case QOp.ReduceSum r -> reduceSum(plan.shapes[r.x()], out, r, v[r.x()]);
                case QOp.Gather ga -> gather(plan, ga, out, v);
                case QOp.Reshape r -> LinearLayers.sameLayout(plan.shapes[r.x()], out) ? v[r.x()].clone()
                        : gather(plan, identityGather(r.x(), (int) out.realSize()), out, v);
                case QOp.Conv c -> conv(plan, g, c, out, v);
                case QOp.Rescale s -> rescale(plan, s, out, v);
                default -> nonLinear(plan, g, n, out, v);
            };
        }

        private static QOp.Gather identityGather(int x, int n) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            return new QOp.Gather(new int[] {x}, new int[n], idx);
        }

        private static long[] sum(long[] a, long[] b, boolean subtract) {
            long[] r = new long[a.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = subtract ? Goldilocks.sub(a[i], b[i]) : Goldilocks.add(a[i], b[i]);
            }
            return r;
        }

        /** The operand repeated over the output, times the indicator of the real indices of its broadcast dimensions. */
        static long[] expandReal(PaddedShape operand, PaddedShape out, long[] padded) {
            long[] r = new Broadcast(operand, out).expand(padded);
            int offset = out.rank() - operand.rank();
            for (int d = 0; d < out.rank(); d++) {
                boolean broadcast = d < offset || operand.dim(d - offset) != out.dim(d);
                if (!broadcast || out.dim(d) <= 1) {
                    continue;
                }
                int first = out.firstVar(d);
                int mask = (1 << out.bits(d)) - 1;
                for (int i = 0; i < r.length; i++) {
                    if (((i >>> first) & mask) >= out.dim(d)) {
                        r[i] = 0;
                    }
                }
            }
            return r;
        }

        private static long[] matmul(ProofPlan plan, QOp.MatMul m, PaddedShape y, long[][] v) {
            PaddedShape as = plan.shapes[m.a()];
            PaddedShape bs = plan.shapes[m.b()];
            int nBits = y.bits(y.rank() - 1);
            int mBits = y.bits(y.rank() - 2);
            int kBits = as.bits(as.rank() - 1);
            int bBatchVars = bs.numVars() - kBits - nBits;
            long[] a = v[m.a()];
            long[] b = v[m.b()];
            long[] r = new long[y.paddedSize()];
            for (int i = 0; i < r.length; i++) {
                int row = i >>> nBits;
                int col = i & ((1 << nBits) - 1);
                int batch = (row >>> mBits) & ((1 << bBatchVars) - 1);
                long acc = 0;
                for (int k = 0; k < 1 << kBits; k++) {
                    long av = a[(row << kBits) | k];
                    if (av != 0) {
                        acc = Goldilocks.add(acc, Goldilocks.mul(av, b[(((batch << kBits) | k) << nBits) | col]));
                    }
                }
                r[i] = acc;
            }
            return m.bias() < 0 ? r : sum(r, expandReal(plan.shapes[m.bias()], y, v[m.bias()]), false);
        }

        /** Σ over the reduced dimensions' whole padded ranges (the protocol evaluates x at ½ on their variables). */
        private static long[] reduceSum(PaddedShape x, PaddedShape y, QOp.ReduceSum r, long[] xs) {
            boolean[] reduced = new boolean[x.rank()];
            for (int a : r.axes()) {
                reduced[a < 0 ? a + x.rank() : a] = true;
            }
            long[] out = new long[y.paddedSize()];
            for (int i = 0; i < xs.length; i++) {
                int yi = 0;
                int yd = r.keepdims() ? x.rank() - 1 : y.rank() - 1;
                for (int d = x.rank() - 1; d >= 0; d--) {
                    if (reduced[d]) {
                        if (r.keepdims()) {
                            yd--;
                        }
                        continue;
                    }
                    int idx = (i >>> x.firstVar(d)) & ((1 << x.bits(d)) - 1);
                    yi |= idx << y.firstVar(yd);
                    yd--;
                }
                out[yi] = Goldilocks.add(out[yi], xs[i]);
            }
            return out;
        }

        private static long[] gather(ProofPlan plan, QOp.Gather ga, PaddedShape out, long[][] v) {
            long[] r = new long[out.paddedSize()];
            for (int i = 0; i < ga.srcIndex().length; i++) {
                if (ga.srcIndex()[i] >= 0) {
                    int src = ga.sources()[ga.srcInput()[i]];
                    r[out.paddedIndex(i)] = v[src][plan.shapes[src].paddedIndex(ga.srcIndex()[i])];
                }
            }
            return r;
        }

        /** NCHW (or NCW) convolution of the real entries in the field; output padding zero. */
        private static long[] conv(ProofPlan plan, QuantGraph g, QOp.Conv c, PaddedShape out, long[][] v) {
            int[] xs = g.tensor(c.x()).shape();
            int[] ws = g.tensor(c.w()).shape();
            int[] os = out.dims();
            boolean twoD = xs.length == 4;
            int n = xs[0], ch = xs[1], h = twoD ? xs[2] : 1, w = xs[xs.length - 1];
            int oc = ws[0], kh = twoD ? ws[2] : 1, kw = ws[ws.length - 1];
            int oh = twoD ? os[2] : 1, ow = os[os.length - 1];
            int cpg = ch / c.group(), ocpg = oc / c.group();
            PaddedShape xShape = plan.shapes[c.x()];
            PaddedShape wShape = plan.shapes[c.w()];
            long[] x = v[c.x()];
            long[] wt = v[c.w()];
            long[] real = new long[n * oc * oh * ow];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < oc; o++) {
                    int grp = o / ocpg;
                    for (int yy = 0; yy < oh; yy++) {
                        for (int xx = 0; xx < ow; xx++) {
                            long acc = c.bias() < 0 ? 0 : v[c.bias()][plan.shapes[c.bias()].paddedIndex(o)];
                            for (int ci = 0; ci < cpg; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = yy * c.strides()[0] - c.pads()[0] + ky * c.dilations()[0];
                                    if (iy < 0 || iy >= h) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = xx * c.strides()[1] - c.pads()[1] + kx * c.dilations()[1];
                                        if (ix < 0 || ix >= w) {
                                            continue;
                                        }
                                        long xv = x[xShape.paddedIndex((((long) b * ch + grp * cpg + ci) * h + iy) * w + ix)];
                                        long wv = wt[wShape.paddedIndex((((long) o * cpg + ci) * kh + ky) * kw + kx)];
                                        acc = Goldilocks.add(acc, Goldilocks.mul(xv, wv));
                                    }
                                }
                            }
                            real[((b * oc + o) * oh + yy) * ow + xx] = acc;
                        }
                    }
                }
            }
            return out.pad(real);
        }

        /** floor((x + 2^(k−1))/2^k) of integer entries; a non-integer x gets the field quotient with remainder 0. */
        private static long[] rescale(ProofPlan plan, QOp.Rescale s, PaddedShape out, long[][] v) {
            PaddedShape xs = plan.shapes[s.x()];
            long[] real = new long[(int) out.realSize()];
            for (int i = 0; i < real.length; i++) {
                long x = v[s.x()][xs.paddedIndex(i)];
                long signed = Goldilocks.toSigned(x);
                real[i] = Math.abs(signed) < 1L << 61 ? Goldilocks.fromSigned((signed + (1L << (s.k() - 1))) >> s.k())
                        : nonIntegerQuotient(x, s.k(), 0);
            }
            return out.pad(real);
        }

        /**
         * Lookup, Max, Min, ReduceMax, MaxPool on the signed real entries by the integer executor (one node,
         * bounds relaxed to 2^40); where an input is not such an integer, zeros (which the checks then catch).
         */
        private static long[] nonLinear(ProofPlan plan, QuantGraph g, QNode n, PaddedShape out, long[][] v) {
            List<QTensor> tensors = new ArrayList<>(g.tensors());
            Map<String, long[]> inputs = new LinkedHashMap<>();
            List<Integer> inputIds = new ArrayList<>();
            for (int in : n.inputs()) {
                QTensor t = g.tensor(in);
                if (t.data() != null || inputIds.contains(in)) {
                    continue;
                }
                long[] real = realOf(plan.shapes[in], v[in]);
                for (long x : real) {
                    if (Math.abs(x) >= 1L << QuantGraph.MAX_BITS) {
                        return new long[out.paddedSize()];
                    }
                }
                tensors.set(in, new QTensor(in, t.name(), t.shape(), t.scale(), QuantGraph.MAX_BITS, QTensor.Kind.INPUT, null));
                inputs.put(t.name(), real);
                inputIds.add(in);
            }
            QTensor o = g.tensor(n.output());
            tensors.set(n.output(), new QTensor(o.id(), o.name(), o.shape(), o.scale(), QuantGraph.MAX_BITS, o.kind(), null));
            try (IntegerExecutor e = new IntegerExecutor(1)) {
                long[] r = e.runQuantised(new QuantGraph(tensors, List.of(n), inputIds, List.of(n.output())), inputs).value(n.output());
                return ProverTensors.toField(out.pad(r));
            } catch (RuntimeException e) {
                return new long[out.paddedSize()];
            }
        }

        static long[] realOf(PaddedShape shape, long[] padded) {
            long[] r = new long[(int) shape.realSize()];
            for (int i = 0; i < r.length; i++) {
                r[i] = Goldilocks.toSigned(padded[shape.paddedIndex(i)]);
            }
            return r;
        }
    }
}
