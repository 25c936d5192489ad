package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.List;

/** Proves that an execution of the integer executor is the committed model's output on its input. */
public final class Prover {
    private Prover() {}

    /** @param execution the integer executor's run of {@code key.graph()} (every tensor's values) */
    public static Proof prove(ProvingKey key, Execution execution) {
        ProofPlan plan = key.plan();
        QuantGraph graph = key.graph();
        ProverTensors tensors = new ProverTensors(plan, graph, execution);
        List<long[]> inputs = graph.inputs().stream().map(tensors::real).toList();
        List<long[]> outputs = graph.outputs().stream().map(tensors::real).toList();
        PublicStatement statement = new PublicStatement(key.verifyingKey().modelId(), inputs, outputs);

        ProofWriter out = ProofWriter.begin(Proof.MAGIC, Proof.VERSION);
        ProverTrace trace = new ProverTrace(out);
        Witness witness = new Witness(plan, tensors);
        long[] packedWitness = plan.witnessPacking.pack(witness.items);
        trace.lap("witness");
        PcsCommitment witnessCommitment = Pcs.INSTANCE.commit(packedWitness);
        trace.lap("commit");

        statement.write(out);
        ProverChannel ch = new ProverChannel(Protocol.transcript(statement), out);
        ch.sendBytes("witness-root", witnessCommitment.root());
        ClaimBook claims = new ClaimBook(graph.tensors().size(), plan.items.size());
        ProverContext cx = new ProverContext(plan, tensors, ch, claims);

        for (int o : graph.outputs()) {
            Ext2[] r = Protocol.outputPoint(ch, plan.shapes[o].numVars());
            claims.onTensor(o, new Claim(r, Mle.evaluate(tensors.padded(o), r)));
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
            Claim merged = ClaimBatching.prove(ch, tensors.padded(t), plan.shapes[t].numVars(), ClaimBatching.whole(claims.tensor(t)));
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
        trace.lap("batch");
        PcsOpeningProof opening = Pcs.INSTANCE.open(ch.transcript, openings);
        opening.write(out);
        trace.lap("open");
        trace.finish();
        return new Proof(statement, out.toByteArray());
    }
}
