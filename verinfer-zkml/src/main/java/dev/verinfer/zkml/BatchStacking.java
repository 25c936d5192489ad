package dev.verinfer.zkml;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * B inferences of one model as one graph: every input and activation has batch size 1 in its
 * leading axis, which becomes B; weights and constants are shared. Running the stacked graph equals
 * running the model B times (each op acts on each batch element alone), so one proof of it proves
 * all B inferences, and the batch is only one more block of hypercube variables.
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
        List<QTensor> tensors = new ArrayList<>();
        for (QTensor t : g.tensors()) {
            if (t.kind() == QTensor.Kind.INPUT || t.kind() == QTensor.Kind.ACTIVATION) {
                if (t.shape().length == 0 || t.shape()[0] != 1) {
                    throw new UnsupportedGraphException("cannot batch: tensor '" + t.name() + "' of shape "
                            + java.util.Arrays.toString(t.shape()) + " has no leading batch axis of size 1");
                }
                int[] shape = t.shape().clone();
                shape[0] = batch;
                tensors.add(new QTensor(t.id(), t.name(), shape, t.scale(), t.bits(), t.kind(), null));
            } else {
                tensors.add(t);
            }
        }
        List<QNode> nodes = new ArrayList<>();
        for (QNode n : g.nodes()) {
            QOp op = switch (n.op()) {
                case QOp.Gather gather -> stackGather(g, gather, batch);
                case QOp.ReduceSum r -> {
                    requireBatchKept(g, n, r.x(), r.axes());
                    yield r;
                }
                case QOp.ReduceMax r -> {
                    requireBatchKept(g, n, r.x(), r.axes());
                    yield r;
                }
                default -> n.op();
            };
            nodes.add(new QNode(n.onnxName(), op, n.output()));
        }
        return new QuantGraph(tensors, nodes, g.inputs(), g.outputs());
    }

    private static void requireBatchKept(QuantGraph g, QNode n, int x, int[] axes) {
        int rank = g.tensor(x).shape().length;
        for (int a : axes) {
            if ((a < 0 ? a + rank : a) == 0) {
                throw new UnsupportedGraphException("cannot batch: node '" + n.onnxName() + "' reduces over the batch axis");
            }
        }
    }

    /** Batch element b of the output reads batch element b of each batched source (shared sources as they are). */
    private static QOp.Gather stackGather(QuantGraph g, QOp.Gather gather, int batch) {
        int n = gather.srcIndex().length;
        int[] srcInput = new int[n * batch];
        int[] srcIndex = new int[n * batch];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int s = gather.srcInput()[i];
                QTensor src = g.tensor(gather.sources()[s]);
                boolean batched = src.kind() == QTensor.Kind.INPUT || src.kind() == QTensor.Kind.ACTIVATION;
                int idx = gather.srcIndex()[i];
                srcInput[b * n + i] = s;
                srcIndex[b * n + i] = idx < 0 ? -1 : batched ? b * src.size() + idx : idx;
            }
        }
        return new QOp.Gather(gather.sources(), srcInput, srcIndex);
    }
}
