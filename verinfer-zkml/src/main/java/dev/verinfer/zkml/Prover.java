package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.Padding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

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
        return prove(key, execution, inputs, outputs, context, new CommittedTensors());
    }

    /**
     * As {@link #prove(ProvingKey, Execution, Visibility, Visibility, byte[])}, each committed input opened against the
     * commitment {@code commitments} names for it (a pipeline producer's output, so both statements hold one root; a
     * zero-knowledge commitment is salted and masked, so only its own object opens it), else against a fresh one; after the
     * proof {@code commitments} holds every committed input's and output's commitment, for the next step.
     */
    public static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, byte[] context, CommittedTensors commitments) {
        return prove(key, execution, inputs, outputs, context, freshMasks(key), commitments);
    }

    /**
     * As {@link #prove(ProvingKey, Execution, Visibility, Visibility, byte[])} with the proof's input-independent randomness and what
     * derives from it taken from {@code reserve} ({@link ProofMaskReserve}), prepared ahead for this key and visibility: the proof is
     * the one the reserve's randomness gives without it, and only the input-dependent work is left. The reserve is spent (a second
     * proof from it is refused).
     */
    public static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, byte[] context, ProofMaskReserve reserve) {
        ProofMaskReserve.Masks masks = reserve.take(key, inputs, outputs);
        checkRun(key, execution);
        return prove(key, plan -> new ProverTensors(plan, key.graph(), execution, key.paddedConstants()), inputs, outputs, context, ProverChannel.Tamper.NONE, masks.rest(),
                new CommittedTensors(), masks);
    }

    /** As below, without commitments handed in. */
    static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, byte[] context, RandomGenerator masks) {
        return prove(key, execution, inputs, outputs, context, masks, new CommittedTensors());
    }

    /**
     * As above with the masks of a zero-knowledge proof's hiding commitments drawn from {@code masks} (the test
     * suite's seam: seeded there; a fresh {@link java.security.SecureRandom} per proof otherwise).
     */
    static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, byte[] context, RandomGenerator masks,
                       CommittedTensors commitments) {
        checkRun(key, execution);
        return prove(key, plan -> new ProverTensors(plan, key.graph(), execution, key.paddedConstants()), inputs, outputs, context, ProverChannel.Tamper.NONE, masks, commitments,
                null);
    }

    private static void checkRun(ProvingKey key, Execution execution) {
        if (!key.provesRunOf(execution.values().length)) {
            throw new IllegalArgumentException("the execution is of another graph than the key's (" + execution.values().length + " tensors, not "
                    + key.graph().tensors().size() + "; a zero-knowledge key proves large pools split, ZkPooling): run key.graph()");
        }
    }

    /**
     * The test suite's seam for an adversarial prover: proves from padded field tables of every tensor
     * (weights included, in {@code key.plan()}'s layouts) instead of an execution — any entry, real or
     * padding, may be any field element — and lets {@code tamper} replace any field-element message.
     * Everything else (witness items, multiplicities, commitments, messages) is derived honestly from them.
     */
    static Proof prove(ProvingKey key, long[][] paddedTrace, Visibility inputs, Visibility outputs, ProverChannel.Tamper tamper) {
        return prove(key, plan -> new ProverTensors(plan, paddedTrace), inputs, outputs, new byte[0], tamper, freshMasks(key), new CommittedTensors(), null);
    }

    /**
     * As {@link #prove(ProvingKey, Execution, Visibility, Visibility)} with a cheating prover's edits of
     * the tensors' padded tables, each built from the execution and then edited (tests only; a special
     * case of the trace seam above; no context).
     */
    static Proof prove(ProvingKey key, Execution execution, Visibility inputs, Visibility outputs, WitnessTamper tamper) {
        ProverTensors honest = new ProverTensors(key.plan(), key.graph(), execution);
        long[][] trace = new long[key.graph().tensors().size()][];
        for (int t = 0; t < trace.length; t++) {
            trace[t] = honest.padded(t).clone();
            tamper.tamper(t, trace[t]);
        }
        return prove(key, trace, inputs, outputs, ProverChannel.Tamper.NONE);
    }

    /** {@code reserved}: the randomness drawn ahead and what derives from it ({@link ProofMaskReserve}), {@code masks} its rest; or null. */
    private static Proof prove(ProvingKey key, java.util.function.Function<ProofPlan, ProverTensors> source,
                               Visibility inputs, Visibility outputs, byte[] context, ProverChannel.Tamper tamper, RandomGenerator masks,
                               CommittedTensors commitments, ProofMaskReserve.Masks reserved) {
        QuantGraph graph = key.graph();
        Set<Integer> external = external(graph, inputs, outputs);
        boolean zk = key.verifyingKey().zeroKnowledge();
        ProofPlan plan = key.plan().withExternal(external);
        if (zk) {
            ZeroKnowledge.requireCoveredNodes(plan);
            ZeroKnowledge.requireCommittedCovered(plan);
            ZeroKnowledge.requireWeightOpenings(key, 1, null);
            if (key.openingLedger() != null) {
                key.openingLedger().count(); // a missing or corrupt count refuses before the proof's work
            }
        }
        ProverTensors tensors = source.apply(plan);
        MultilinearPcs pcs = key.verifyingKey().proofPcs();
        PcsSecurity security = key.verifyingKey().security();
        Map<Integer, PcsCommitment> own = new HashMap<>();
        int drawn = 0;
        for (int t : external) {
            int input = graph.inputs().indexOf(t);
            PcsCommitment given = input >= 0 ? commitments.inputCommitment(input) : commitments.output(graph.outputs().indexOf(t));
            if (given != null && (given.numVars() != plan.shapes[t].numVars() || zk != (given instanceof dev.verinfer.pcs.HidingCommitment))) {
                throw new IllegalArgumentException("the commitment handed in for '" + graph.tensor(t).name() + "' is not one this key's proofs open"
                        + " (" + given.numVars() + " variables, " + (zk ? "" : "not ") + "hiding expected)");
            }
            // In zero knowledge hiding for the producer's and the consumer's opening (a pipeline link), 2 units each.
            if (given != null && reserved != null) {
                throw new IllegalArgumentException("a reserve's masks are for a proof that commits its own inputs and outputs (it drew their"
                        + " commitments' keys); a commitment handed in ('" + graph.tensor(t).name() + "') is proven without one");
            }
            PcsCommitment c = given != null ? given : zk
                    ? ZeroKnowledge.commitHiding(security, pcs, tensors.padded(t), ZeroKnowledge.LINKED_OPENING_BUDGET, false,
                    reserved != null ? reserved.external().get(drawn++) : masks)
                    : pcs.commit(tensors.padded(t));
            own.put(t, c);
            if (input >= 0) {
                commitments.madeInput(input, c);
            } else {
                commitments.madeOutput(graph.outputs().indexOf(t), c);
            }
        }
        PublicStatement statement = new PublicStatement(key.verifyingKey().modelId(), key.batch(), context,
                graph.inputs().stream().map(t -> own.containsKey(t) ? new long[0] : tensors.real(t)).toList(),
                graph.outputs().stream().map(t -> own.containsKey(t) ? new long[0] : tensors.real(t)).toList(),
                graph.inputs().stream().map(t -> own.containsKey(t) ? own.get(t).root() : new byte[0]).toList(),
                graph.outputs().stream().map(t -> own.containsKey(t) ? own.get(t).root() : new byte[0]).toList());

        ProofWriter out = ProofWriter.begin(Proof.MAGIC, Proof.version(zk));
        ProverTrace trace = new ProverTrace(out);
        Witness witness = new Witness(plan, tensors);
        tamper.witness(witness.items);
        trace.lap("witness");
        boolean maskedLeaves = zk && ZeroKnowledge.masksLeaves(plan);
        int weightBudget = key.verifyingKey().weightOpeningBudget();
        int witnessTail = tamper.witnessTail(zk ? ZkWitnessBatching.tail(pcs, plan, weightBudget) : -1);
        long[] packed = plan.witnessPacking.pack(witness.items);
        tamper.packed(packed);
        // Packed again when needed rather than held through the proof (the commitment keeps its own copy), unless edited.
        long[] edited = tamper == ProverChannel.Tamper.NONE ? null : packed;
        // With a carrier tree (verinfer-whir Carrier) the per-proof tables the batched hiding run will hold — the witness, M, the
        // weights' per-proof g, as the scheme's rule predicts from the plan (carriedRun) — are committed together. The witness's
        // commitment draws its mask stream's key first (StreamKey), then M is drawn (ProofMasks), in either layout.
        boolean carries = zk && witnessTail >= 0 && pcs.carriesLeaves();
        RandomGenerator witnessMasks = reserved != null ? reserved.witness() : !zk ? null : carries ? StreamKey.draw(masks) : masks;
        PcsCommitment witnessCommitment = carries ? null
                : !zk ? pcs.commit(packed)
                : commitWitness(security, pcs, packed, witnessShape(plan, maskedLeaves, witnessTail, weightBudget), witnessMasks);
        ZkProver zkp = reserved != null ? reserved.prover() : zk ? zkProver(key, plan, witnessTail, masks, tamper) : null;
        if (carries) {
            List<Integer> run = carriedRun(pcs, plan, witnessTail, weightBudget, zkp);
            boolean witnessCarried = run.contains(0);
            boolean weightsCarried = run.contains(1);
            boolean maskCarried = run.contains(2);
            if (!witnessCarried) { // the witness alone, then the other members' carrier (if any) from the proof's randomness
                witnessCommitment = commitWitness(security, pcs, packed, witnessShape(plan, maskedLeaves, witnessTail, weightBudget), witnessMasks);
            }
            if (!run.isEmpty()) {
                List<MultilinearPcs.CarriedTable> tables = new ArrayList<>();
                if (witnessCarried) {
                    tables.add(carriedTable(packed, witnessShape(plan, maskedLeaves, witnessTail, weightBudget)));
                }
                if (maskCarried) {
                    tables.add(carriedTable(zkp.masks().committedTable(), maskShape(zkp)));
                }
                RandomGenerator carrierMasks = witnessCarried ? witnessMasks : reserved != null ? reserved.carrier() : masks;
                List<PcsCommitment> c = pcs.commitHidingCarried(tables, weightsCarried ? zkp.weights() : null, carrierMasks);
                if (witnessCarried) {
                    witnessCommitment = c.getFirst();
                }
                if (maskCarried) {
                    zkp.masks().carriedBy(c.get(witnessCarried ? 1 : 0));
                }
                if (weightsCarried) {
                    zkp = new ZkProver(zkp.layout(), zkp.masks(), c.getLast(), zkp.weightFace(), zkp.weightOpenings());
                }
            }
        }
        packed = null;
        trace.lap("commit");

        statement.write(out);
        trace.lap("statement");
        ProverChannel ch = new ProverChannel(Protocol.transcript(statement), out, tamper);
        ch.sendBytes("witness-root", witnessCommitment.root());
        if (zkp != null) {
            zkp.masks().send(ch);
        }
        ClaimBook claims = new ClaimBook(graph.tensors().size(), plan.items.size());
        ProverContext cx = new ProverContext(plan, tensors, ch, claims, zk ? masks : null, zkp, key.verifyingKey().tableCommitment());
        Map<Integer, List<Claim>> ownClaims = new HashMap<>();

        for (int o : graph.outputs()) {
            if (zk && own.containsKey(o) && plan.isCommitted(o)) {
                continue; // committed in its own right: its producer's look-ups and zero-checks bind it, no claim needed
            }
            Ext2[] r = ch.challenges("output-point", plan.shapes[o].numVars());
            if (zk && own.containsKey(o)) { // a linear op's committed output: its value sent masked by δ, a scalar of M bound before r
                int slot = zkp.layout().firstLeafScalar() + LinearLayers.outputValueSlot(plan, o);
                Claim c = new Claim(r, Mle.evaluate(tensors.padded(o), r).add(zkp.masks().scalars()[slot]));
                ch.sendExt("output-value", c.value());
                claims.onTensor(o, c);
                claims.mask(c, HiddenOffset.scalar(zkp.layout(), slot, Ext2.ONE));
                ownClaims.computeIfAbsent(o, k -> new ArrayList<>()).add(c); // opened with its offset, and reduced through the graph
                continue;
            }
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
        // the tensors whose masked claims are merged in zero knowledge: fixed by the graph, found once (a scan of the graph)
        List<Integer> zkMerged = zkp != null ? ZkClaimMerge.tensors(graph, plan) : List.of();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            int t = node.output();
            if (plan.isCommitted(t) || claims.tensor(t).isEmpty()) {
                continue;
            }
            if (zk && ZeroKnowledge.forwardsEachClaim(plan, node)) {
                for (Claim c : List.copyOf(claims.tensor(t))) { // no merge: each (masked) claim forwarded with its own offset
                    LinearLayers.prove(cx, node, c);
                }
                continue;
            }
            if (zkMerged.contains(t)) { // several masked claims merged in zero knowledge
                LinearLayers.prove(cx, node, ZkClaimMerge.prove(cx, t, claims.tensor(t)));
                continue;
            }
            HiddenOffset offset = claims.soleOffset(claims.tensor(t));
            Claim merged = ClaimBatching.prove(ch, tensors.padded(t), plan.shapes[t].numVars(), ClaimBatching.whole(claims.tensor(t), plan.shapes[t].numVars()));
            claims.mask(merged, offset);
            trace.lap("merge");
            LinearLayers.prove(cx, node, merged);
            trace.lap(node.op().getClass().getSimpleName());
        }

        List<PcsOpening> openings = new ArrayList<>();
        List<ClaimBatching.SubcubeClaim> weightClaims = Protocol.weightClaims(plan, claims);
        if (zk && !weightClaims.isEmpty()) {
            throw new IllegalStateException("a zero-knowledge proof would open the weights in the clear");
        }
        if (!weightClaims.isEmpty()) {
            Claim w = ClaimBatching.prove(ch, key.packedWeights(), plan.weightPacking.numVars(), weightClaims);
            openings.add(new PcsOpening(key.weightCommitment(), w.point(), w.value()));
        }
        List<ClaimBatching.SubcubeClaim> witnessClaims = Protocol.witnessClaims(plan, claims);
        if (maskedLeaves && zkp != null) {
            openings.add(ZkWitnessBatching.prove(ch, zkp, (dev.verinfer.pcs.HidingCommitment) witnessCommitment,
                    edited != null ? edited : plan.witnessPacking.pack(witness.items),
                    plan.witnessPacking.numVars(), plan.witnessPadding, witnessClaims, Protocol.witnessOffsets(plan, claims)));
        } else if (!witnessClaims.isEmpty() || !plan.witnessPadding.isEmpty()) {
            Claim w = ClaimBatching.prove(ch, edited != null ? edited : plan.witnessPacking.pack(witness.items), plan.witnessPacking.numVars(),
                    witnessClaims, plan.witnessPadding);
            openings.add(new PcsOpening(witnessCommitment, w.point(), w.value()));
        }
        for (int t : external) {
            List<Claim> all = Protocol.ownClaims(plan, claims, ownClaims, t);
            Padding padding = Padding.of(plan.shapes[t]);
            if (zk) { // masked claims with hidden offsets, one off-face claim: as the witness (ZkWitnessBatching)
                int vars = plan.shapes[t].numVars();
                openings.add(ZkWitnessBatching.prove(ch, zkp, ZkWitnessBatching.committedKey(graph, t), "committed-eval",
                        (dev.verinfer.pcs.HidingCommitment) own.get(t), tensors.padded(t), vars, padding, ClaimBatching.whole(all, vars),
                        all.stream().map(claims::offset).toList()));
            } else if (!all.isEmpty() || !padding.isEmpty()) {
                Claim c = ClaimBatching.prove(ch, tensors.padded(t), plan.shapes[t].numVars(), ClaimBatching.whole(all, plan.shapes[t].numVars()), padding);
                openings.add(new PcsOpening(own.get(t), c.point(), c.value()));
            }
        }
        if (zkp != null) {
            trace.lap("batch");
            openings.addAll(ZkWeightBatching.prove(ch, zkp, key.packedWeights(), plan.weightPacking.numVars(), zkp.weightOpenings()));
            trace.lap("weight claims " + zkp.weightOpenings().size()); // K, and the time and bytes of their batch (ZkWeightBatching)
            zkp.masks().proveLinear(ch);
            openings.addAll(zkp.masks().openings());
        }
        trace.lap("batch");
        WeightOpeningLedger ledger = zk ? key.openingLedger() : null;
        if (ledger != null) { // counted on disk before the weights are opened
            PcsCommitment w = zkp != null && zkp.weights() != null ? zkp.weights() : key.weightCommitment(); // the proof's view when carried
            List<PcsOpening> named = openings.stream().filter(o -> o.commitment() == w).toList();
            if (!named.isEmpty()) {
                // the off-face values of h the proof reveals: the reductions' K and, merged, the batch's one (ZkWeightBatching)
                ledger.spend(ZkWeightBatching.revealed(zkp.weightOpenings().size()));
            }
        }
        PcsOpeningProof opening;
        try {
            if (zkp != null && ZkWeightBatching.merges(zkp.weightOpenings().size())
                    && key.weightCommitment() instanceof HidingCommitment h) { // the merged values, in this process's count too
                h.chargeMerged(zkp.weightOpenings().size());
            }
            opening = pcs.open(ch.transcript, openings);
        } catch (IllegalStateException e) {
            if (zk) {
                ZeroKnowledge.requireWeightOpenings(key, ZeroKnowledge.OFF_FACE_OPENING_BUDGET, e); // the weight budget ran out mid-proof
            }
            throw e;
        }
        opening.write(out);
        trace.lap("open");
        opening.sections().forEach((part, bytes) -> trace.part("open: " + part, bytes));
        trace.finish();
        return new Proof(statement, out.toByteArray());
    }

    /**
     * The members of the proof's batched hiding run whose per-proof leaves share a carrier tree: of 0 the witness (its one claim,
     * in its tail), 1 the weights' per-proof g (the weights' one merged claim, off their face: {@link ZkWeightBatching}) and 2 M
     * ({@link ProofMasks.Committer#claimCount}), in the order the opening is given them, those the scheme's batching rule puts in
     * one run ({@link MultilinearPcs#sharedRun}; empty: none, and with no mask commitment). A function of the key and the plan
     * (M's arity is the plan's; the witness's first fold the key's weight opening budget's, {@link ZkWitnessBatching#top}), fixed
     * before any challenge and before the input is read; the opening forms its run from the carried members, and the verifier
     * reads the membership from the proof.
     */
    static List<Integer> carriedRun(MultilinearPcs pcs, ProofPlan plan, int witnessTail, int weightBudget, ZkProver zkp) {
        if (zkp == null) {
            return List.of();
        }
        List<MultilinearPcs.RunMember> members = new ArrayList<>();
        List<Integer> roles = new ArrayList<>();
        members.add(new MultilinearPcs.RunMember(witnessShape(plan, false, witnessTail, weightBudget), null, 1, 0));
        roles.add(0);
        if (zkp.weights() != null && !plan.weightTensors.isEmpty()) { // the weights are opened when the model reads any (a model without, none)
            members.add(new MultilinearPcs.RunMember(null, zkp.weights(), 1, 1));
            roles.add(1);
        }
        members.add(new MultilinearPcs.RunMember(maskShape(zkp), null, zkp.masks().claimCount(), 0));
        roles.add(2);
        return pcs.sharedRun(members).stream().map(roles::get).toList();
    }

    /** M's table as a carrier holds it: for one opening, narrow. */
    static MultilinearPcs.HidingShape maskShape(ZkProver zkp) {
        return new MultilinearPcs.HidingShape(zkp.masks().tableVars(), ZeroKnowledge.PROOF_OPENING_BUDGET, -1, true);
    }

    private static MultilinearPcs.CarriedTable carriedTable(long[] values, MultilinearPcs.HidingShape shape) {
        return new MultilinearPcs.CarriedTable(values, shape.units(), shape.tailVars(), shape.narrow(), shape.top());
    }

    /**
     * The zero-knowledge witness's commitment for one opening: with masked leaves it is opened off its mask face
     * ({@link ZkWitnessBatching}), which spends 2 units of budget; with its mask in its free last 2^tail slots ({@code tail} ≥ 0,
     * {@link ZkWitnessBatching#tail}) it keeps its arity, its first fold the narrowest that the run under the weights committed
     * for {@code weightBudget} openings admits when they top its batched run ({@link ZkWitnessBatching#narrow},
     * {@link ZkWitnessBatching#top}; as when it is carried).
     */
    static MultilinearPcs.HidingShape witnessShape(ProofPlan plan, boolean maskedLeaves, int tail, int weightBudget) {
        int n = plan.witnessPacking.numVars();
        return tail >= 0 ? new MultilinearPcs.HidingShape(n, ZeroKnowledge.OFF_FACE_OPENING_BUDGET, tail, ZkWitnessBatching.narrow(plan),
                        ZkWitnessBatching.top(plan, weightBudget))
                : new MultilinearPcs.HidingShape(n, maskedLeaves ? ZeroKnowledge.OFF_FACE_OPENING_BUDGET : ZeroKnowledge.PROOF_OPENING_BUDGET, -1, false);
    }

    private static PcsCommitment commitWitness(PcsSecurity security, MultilinearPcs pcs, long[] packed, MultilinearPcs.HidingShape shape,
                                               RandomGenerator masks) {
        return shape.tailVars() >= 0 ? ZeroKnowledge.commitHidingInTail(security, pcs, packed, shape, masks)
                : ZeroKnowledge.commitHiding(security, pcs, packed, shape.units(), true, masks);
    }

    /**
     * A zero-knowledge proof's mask commitment ({@link ProofMasks}), drawn (its values are random) before a carried witness is
     * committed and sent right after the witness root, when the proof has zero-knowledge sumchecks; null otherwise (a proof of
     * a model without private values needs none).
     */
    static ZkProver zkProver(ProvingKey key, ProofPlan plan, int witnessTail, RandomGenerator masks, ProverChannel.Tamper tamper) {
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(key.graph(), plan, witnessTail);
        if (layout.isEmpty()) {
            return null;
        }
        dev.verinfer.pcs.HidingCommitment weights = null;
        if (!layout.outputs().isEmpty()) {
            if (!(key.weightCommitment() instanceof dev.verinfer.pcs.HidingCommitment hiding)) {
                throw new UnsupportedGraphException("zero-knowledge weights need a hiding commitment with a mask face; PcsSecurity "
                        + key.verifyingKey().security().label() + " has none");
            }
            weights = hiding;
        }
        ProofMasks.Committer committer = new ProofMasks.Committer(layout, key.verifyingKey().security(), key.verifyingKey().proofPcs(), masks, true, tamper::masks);
        return new ZkProver(layout, committer, weights, weights == null ? null : weights.maskFace(), new ArrayList<>());
    }

    /** A fresh secure source for a zero-knowledge proof's masks; none without zero knowledge. */
    private static RandomGenerator freshMasks(ProvingKey key) {
        return key.verifyingKey().zeroKnowledge() ? new java.security.SecureRandom() : null;
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
