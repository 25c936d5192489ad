package dev.verinfer.zkml;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * B inferences of one model as one graph: every input and activation has batch size 1 in its
 * leading axis, which becomes B; weights and constants are shared. Running the stacked graph equals
 * running the model B times, so one proof of it proves all B inferences, and the batch is only one
 * more block of hypercube variables.
 * <p>That equality needs every batched tensor's batch axis to meet axis 0 of every op that reads it.
 * Broadcasting is right-aligned (numpy), so a batched operand of lower rank than its op's output
 * would meet another axis: {@code x[1,2,4] + s[1,4]} is fine for one inference ({@code s}'s leading 1
 * broadcasts) but stacked as {@code [B,2,4] + [B,4]} adds inference b's {@code s} to row b of every
 * inference when B = 2. Such operands get an explicit Reshape to the output's rank, the batch axis
 * first ({@code [B,4] → [B,1,4]}); ops whose semantics would put the batch axis anywhere else (a
 * reduction over it, a MatMul contracting it, an op computing an activation from constants alone)
 * make the model refuse batching, naming the node.
 */
public final class BatchStacking {
    private BatchStacking() {}

    /** @throws UnsupportedGraphException naming the node or tensor when the model cannot be batched this way */
    public static QuantGraph stack(QuantGraph g, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batch);
        }
        if (batch == 1) {
            return g;
        }
        return new Stacker(g, batch).run();
    }

    static boolean batched(QTensor t) {
        return t.kind() == QTensor.Kind.INPUT || t.kind() == QTensor.Kind.ACTIVATION;
    }

    private static final class Stacker {
        private final QuantGraph g;
        private final int batch;
        private final List<QTensor> tensors = new ArrayList<>();
        private final List<QNode> nodes = new ArrayList<>();
        /** Aligned views already made: (tensor, rank) → the reshaped tensor's id. */
        private final Map<List<Integer>, Integer> aligned = new HashMap<>();

        Stacker(QuantGraph g, int batch) {
            this.g = g;
            this.batch = batch;
        }

        QuantGraph run() {
            for (QTensor t : g.tensors()) {
                if (batched(t)) {
                    if (t.shape().length == 0 || t.shape()[0] != 1) {
                        throw new UnsupportedGraphException("cannot batch: tensor '" + t.name() + "' of shape "
                                + Arrays.toString(t.shape()) + " has no leading batch axis of size 1");
                    }
                    int[] shape = t.shape().clone();
                    shape[0] = batch;
                    tensors.add(new QTensor(t.id(), t.name(), shape, t.scale(), t.bits(), t.kind(), null));
                } else {
                    tensors.add(t);
                }
            }
            for (QNode n : g.nodes()) {
                nodes.add(new QNode(n.onnxName(), stackOp(n), n.output()));
            }
            return new QuantGraph(tensors, nodes, g.inputs(), g.outputs());
        }

        private QOp stackOp(QNode n) {
            int rank = g.tensor(n.output()).shape().length;
            return switch (n.op()) {
                case QOp.Add a -> new QOp.Add(align(n, a.a(), rank), align(n, a.b(), rank));
                case QOp.Sub s -> new QOp.Sub(align(n, s.a(), rank), align(n, s.b(), rank));
                case QOp.Mul m -> new QOp.Mul(align(n, m.a(), rank), align(n, m.b(), rank));
                case QOp.Max m -> new QOp.Max(align(n, m.a(), rank), align(n, m.b(), rank));
                case QOp.Min m -> new QOp.Min(align(n, m.a(), rank), align(n, m.b(), rank));
                case QOp.MatMul m -> stackMatMul(n, m, rank);
                case QOp.ReduceSum r -> {
                    requireBatched(n, r.x());
                    requireBatchKept(n, r.x(), r.axes());
                    yield r;
                }
                case QOp.ReduceMax r -> {
                    requireBatched(n, r.x());
                    requireBatchKept(n, r.x(), r.axes());
                    yield r;
                }
                case QOp.Gather gather -> stackGather(gather);
                case QOp.Conv c -> {
                    requireBatched(n, c.x());
                    requireShared(n, c.w(), "weight");
                    if (c.bias() >= 0) {
                        requireShared(n, c.bias(), "bias");
                    }
                    yield c;
                }
                case QOp.MaxPool p -> {
                    requireBatched(n, p.x());
                    yield p;
                }
                case QOp.MulConst m -> {
                    requireBatched(n, m.x());
                    yield m;
                }
                case QOp.Rescale r -> {
                    requireBatched(n, r.x());
                    yield r;
                }
                case QOp.Lookup l -> {
                    requireBatched(n, l.x());
                    yield l;
                }
                case QOp.Reshape r -> {
                    requireBatched(n, r.x()); // both have the batch axis first: each inference's values stay one contiguous block
                    yield r;
                }
            };
        }

        /**
         * a·b with a's rows or batch axis, and b's batch axis, meeting y's axis 0. A batched a of rank
         * 2 is fine when y has rank 2 (its rows are the inferences); below y's rank it is aligned.
         * A batched b of rank 2 would contract its batch axis (its K): refused.
         */
        private QOp.MatMul stackMatMul(QNode n, QOp.MatMul m, int rank) {
            QTensor a = g.tensor(m.a());
            QTensor b = g.tensor(m.b());
            if (batched(a) && a.shape().length < 2) {
                throw refuse(n, "its left operand '" + a.name() + "' is a batched vector (its batch axis would be the inner dimension)");
            }
            if (batched(b) && b.shape().length < 3) {
                throw refuse(n, "its right operand '" + b.name() + "' is batched with rank " + b.shape().length
                        + " (its batch axis would be the inner dimension)");
            }
            if (!batched(a) && !batched(b)) {
                throw refuse(n, "it computes an activation from weights and constants alone");
            }
            int newA = batched(a) && a.shape().length == 2 && rank == 2 ? m.a() : align(n, m.a(), rank);
            return new QOp.MatMul(newA, align(n, m.b(), rank), m.bias() < 0 ? m.bias() : align(n, m.bias(), rank));
        }

        /**
         * The operand as the op must read it: shared tensors and batched ones of the output's rank
         * as they are; a batched one of lower rank reshaped to [B, 1, …, 1, rest] so that right-aligned
         * broadcasting puts its batch axis on the output's.
         */
        private int align(QNode consumer, int operand, int rank) {
            QTensor t = g.tensor(operand);
            int r = t.shape().length;
            if (!batched(t) || r == rank) {
                return operand;
            }
            if (r > rank) {
                throw refuse(consumer, "operand '" + t.name() + "' has a higher rank than its output");
            }
            return aligned.computeIfAbsent(List.of(operand, rank), key -> {
                int[] shape = new int[rank];
                Arrays.fill(shape, 1);
                shape[0] = batch;
                System.arraycopy(t.shape(), 1, shape, rank - r + 1, r - 1);
                int id = tensors.size();
                tensors.add(new QTensor(id, t.name() + "/batch-rank" + rank, shape, t.scale(), t.bits(), QTensor.Kind.ACTIVATION, null));
                nodes.add(new QNode(consumer.onnxName() + "/batch-align-" + t.name(), new QOp.Reshape(operand), id));
                return id;
            });
        }

        private void requireBatched(QNode n, int x) {
            if (!batched(g.tensor(x))) {
                throw refuse(n, "it computes an activation from the constant '" + g.tensor(x).name() + "'");
            }
        }

        private void requireShared(QNode n, int w, String what) {
            if (batched(g.tensor(w))) {
                throw refuse(n, "its " + what + " '" + g.tensor(w).name() + "' is computed per inference");
            }
        }

        private void requireBatchKept(QNode n, int x, int[] axes) {
            int rank = g.tensor(x).shape().length;
            for (int a : axes) {
                if ((a < 0 ? a + rank : a) == 0) {
                    throw refuse(n, "it reduces over the batch axis");
                }
            }
        }

        private static UnsupportedGraphException refuse(QNode n, String why) {
            return new UnsupportedGraphException("cannot batch: node '" + n.onnxName() + "': " + why);
        }

        /** Batch element b of the output reads batch element b of each batched source (shared sources as they are). */
        private QOp.Gather stackGather(QOp.Gather gather) {
            int n = gather.srcIndex().length;
            int[] srcInput = new int[n * batch];
            int[] srcIndex = new int[n * batch];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < n; i++) {
                    int s = gather.srcInput()[i];
                    QTensor src = g.tensor(gather.sources()[s]);
                    int idx = gather.srcIndex()[i];
                    srcInput[b * n + i] = s;
                    srcIndex[b * n + i] = idx < 0 ? -1 : batched(src) ? b * src.size() + idx : idx;
                }
            }
            return new QOp.Gather(gather.sources(), srcInput, srcIndex);
        }
    }
}
