package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Proves that an execution of the integer executor is the committed model's output on its input. */
public final class Prover {
    private Prover() {}

    /** A proof with public inputs and outputs. */
    public static Proof prove(ProvingKey key, Execution execution) {
        return prove(key, execution, Visibility.PUBLIC, Visibility.PUBLIC);
    }

    /** A proof with public inputs and outputs, bound to {@code context} (see {@link PublicStatement}). */
    public static Proof prove(ProvingKey key, Execution execution, byte[] context) {
        return prove(key, execution, Visibility.PUBLIC, Visibility.PUBLIC, context);
    }

    /** A proof without context. */
    public static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs) {
        return prove(key, execution, inputs, outputs, new byte[0]);
    }

    /**
     * @param key       a model's key, or its {@link ProvingKey#batched} form: the statement then holds {@link ProvingKey#batch()} inferences
     * @param execution the integer executor's run of {@code key.graph()} (every tensor's values)
     * @param inputs    whether the statement shows the inputs or only commitments to them
     * @param outputs   likewise for the outputs
     * @param context   bytes the proof is bound to (empty for none, at most {@link PublicStatement#MAX_CONTEXT}),
     *                  absorbed before any prover message: the proof verifies only under a statement with this context
     */
    public static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, byte[] context) {
        QuantGraph graph = key.graph();
        Set<Integer> external = external(graph, inputs, outputs);
        ProofPlan plan = external.isEmpty() ? key.plan() : new ProofPlan(graph, external);
        ProverTensors tensors = new ProverTensors(plan, graph, execution);
        MultilinearPcs pcs = key.verifyingKey().security().pcs();
        Map<Integer, PcsCommitment> own = new HashMap<>();
        for (int t : external) {
            own.put(t, pcs.commit(tensors.padded(t)));
        }
        PublicStatement statement = new PublicStatement(key.verifyingKey().modelId(), key.batch(), context,
                graph.inputs().stream().map(t -> own.containsKey(t) ? new long[0] : tensors.real(t)).toList(),
                graph.outputs().stream().map(t -> own.containsKey(t) ? new long[0] : tensors.real(t)).toList(),
                graph.inputs().stream().map(t -> own.containsKey(t) ? own.get(t).root() : new byte[0]).toList(),
                graph.outputs().stream().map(t -> own.containsKey(t) ? own.get(t).root() : new byte[0]).toList());

        ProofWriter out = ProofWriter.begin(Proof.MAGIC, Proof.VERSION);
        ProverTrace trace = new ProverTrace(out);
        Witness witness = new Witness(plan, tensors);
        long[] packedWitness = plan.witnessPacking.pack(witness.items);
        trace.lap("witness");
        PcsCommitment witnessCommitment = pcs.commit(packedWitness);
        trace.lap("commit");

        statement.write(out);
        ProverChannel ch = new ProverChannel(Protocol.transcript(statement), out);
        ch.sendBytes("witness-root", witnessCommitment.root());
        ClaimBook claims = new ClaimBook(graph.tensors().size(), plan.items.size());
        ProverContext cx = new ProverContext(plan, tensors, ch, claims);
        Map<Integer, List<Claim>> ownClaims = new HashMap<>();

        for (int o : graph.outputs()) {
            Ext2[] r = ch.challenges("output-point", plan.shapes[o].numVars());
            Claim c = new Claim(r, Mle.evaluate(tensors.padded(o), r));
            if (own.containsKey(o)) {
                ch.sendExt("output-value", c.value());
                if (!plan.isCommitted(o)) {
                    ownClaims.computeIfAbsent(o, k -> new ArrayList<>()).add(c); // also reduced through the graph
                }
            }
            claims.onTensor(o, c);
        }
        LookupPhase.proveLookups(cx, witness);
        trace.lap("lookups");
        MaxLayers.prove(cx, witness);
        trace.lap("maxima");
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            int t = node.output();
            if (plan.isCommitted(t) || claims.tensor(t).isEmpty()) {
                continue;
            }
            Claim merged = ClaimBatching.prove(ch, tensors.padded(t), plan.shapes[t].numVars(), ClaimBatching.whole(claims.tensor(t), plan.shapes[t].numVars()));
            trace.lap("merge");
            LinearLayers.prove(cx, node, merged);
            trace.lap(node.op().getClass().getSimpleName());
        }

        List<PcsOpening> openings = new ArrayList<>();
        List<ClaimBatching.SubcubeClaim> weightClaims = Protocol.weightClaims(plan, claims);
        if (!weightClaims.isEmpty()) {
            Claim w = ClaimBatching.prove(ch, key.packedWeights(), plan.weightPacking.numVars(), weightClaims);
            openings.add(new PcsOpening(key.weightCommitment(), w.point(), w.value()));
        }
        List<ClaimBatching.SubcubeClaim> witnessClaims = Protocol.witnessClaims(plan, claims);
        if (!witnessClaims.isEmpty()) {
            Claim w = ClaimBatching.prove(ch, packedWitness, plan.witnessPacking.numVars(), witnessClaims);
            openings.add(new PcsOpening(witnessCommitment, w.point(), w.value()));
        }
        for (int t : external) {
            List<Claim> all = Protocol.ownClaims(plan, claims, ownClaims, t);
            if (!all.isEmpty()) {
                Claim c = ClaimBatching.prove(ch, tensors.padded(t), plan.shapes[t].numVars(), ClaimBatching.whole(all, plan.shapes[t].numVars()));
                openings.add(new PcsOpening(own.get(t), c.point(), c.value()));
            }
        }
        trace.lap("batch");
        PcsOpeningProof opening = pcs.open(ch.transcript, openings);
        opening.write(out);
        trace.lap("open");
        trace.finish();
        return new Proof(statement, out.toByteArray());
    }

    /** The inputs and outputs committed in commitments of their own, inputs first, in graph order. */
    static Set<Integer> external(QuantGraph graph, Visibility inputs, Visibility outputs) {
        Set<Integer> out = new LinkedHashSet<>();
        if (inputs == Visibility.COMMITTED) {
            out.addAll(graph.inputs());
        }
        if (outputs == Visibility.COMMITTED) {
            for (int o : graph.outputs()) {
                if (graph.tensor(o).kind() == QTensor.Kind.INPUT) {
                    throw new IllegalArgumentException("output '" + graph.tensor(o).name() + "' is an input: commit the input instead");
                }
                out.add(o);
            }
        }
        return out;
    }
}
