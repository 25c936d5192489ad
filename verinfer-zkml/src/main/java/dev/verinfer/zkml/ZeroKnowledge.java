package dev.verinfer.zkml;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsCommitment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The zero-knowledge mode of a model, chosen at setup and fixed in both keys and the model id (like
 * {@link PcsSecurity}). In this mode every commitment is hiding ({@link MultilinearPcs#commitHiding}:
 * the weights at setup, the witness and committed inputs/outputs per proof, with masks drawn fresh
 * from a {@link java.security.SecureRandom}) and the prover only proves what it can prove in zero
 * knowledge: a node whose protocol would reveal a private value is refused, naming it
 * ({@link #uncovered}), never proven with a proof that claims zero knowledge and leaks.
 *
 * <p><b>What is covered now.</b> A value is <em>private</em> if it is a weight, a committed input or
 * output, or computed from one. A node is covered only if every message it causes is masked: a node
 * reading no private value (its messages are functions of the statement: a simulator runs the honest
 * prover on the public input), and a MatMul of a public operand by a weight matrix, with or without a
 * weight bias ({@link #coveredMatMul}: its sumcheck is zero-knowledge, the weights enter masked by their
 * commitment's mask face and are claimed off the face), or a committed private left operand; look-ups (Rescale,
 * Lookup, clamp Max/Min) on private values, their leaves masked by scalars of the proof's mask commitment
 * ({@link LookupProofMasks}; one-row groups lifted, {@link LookupPhase.OneRowLift}); other Max/Min of private values
 * and MaxPool ({@link ZkMaxLayers}); MulConst, ReduceSum, Add and Sub forwarding masked claims; Mul, and Add/Sub with a weight
 * ({@link ZkElementwise}); Conv with weight kernels ({@link ZkConv}); several masked claims on one tensor merged ({@link ZkClaimMerge}).
 * Every other node reading a private value is refused (docs/proof-system.md, "Zero-knowledge"): a Gather with a public source beside private ones ({@link ZkGather}), reduction maxima, MatMul
 * with a public (non-weight) bias or an uncommitted private left operand. The weights' bounds proof at setup is zero-knowledge
 * ({@link ZkWeightBounds}; {@link #uncoveredBounds} refuses only a model of one weight entry). A committed
 * input is private (its readers must be covered), and committed inputs and outputs are opened like the witness, their roots
 * hiding for {@link #LINKED_OPENING_BUDGET} units ({@link #uncoveredCommitted}).
 */
public final class ZeroKnowledge {
    /**
     * Openings a model's hiding weight commitment is sized for when setup is not given a budget (each proof
     * spends one or two units, the bounds proof two): a statement of the key ({@link VerifyingKey#weightOpeningBudget}).
     * Not a budget itself: setup states {@link #chosenBudget}'s (since 2026-12-06, branch weights30; 1024 before).
     */
    public static final int WEIGHT_OPENING_BUDGET = 0;
    /** The smaller budgets setup weighs against {@link #CODE_2_BUDGET}, ascending ({@link #chosenBudget}). */
    private static final int[] SMALLER_BUDGETS = {256, 512};
    /**
     * The budget a key's zero-knowledge code 2 states ({@link VerifyingKey#ZK_CODE}): the default until 2026-12-06, so keys
     * made before keep their bytes, their layout and their model id; a key of any other budget writes code 3 and the budget.
     */
    public static final int CODE_2_BUDGET = 1024;
    /**
     * The least weight opening budget a key may state: the units of the weights' bounds proof ({@link ZkWeightBounds}, two)
     * and of one proof (at most {@link #OFF_FACE_OPENING_BUDGET}).
     */
    public static final int MIN_WEIGHT_OPENING_BUDGET = 4;
    /** The largest weight opening budget a key may state. */
    public static final int MAX_WEIGHT_OPENING_BUDGET = 1 << 20;
    /** The witness is committed afresh for one proof and opened once. */
    static final int PROOF_OPENING_BUDGET = 1;
    /** The witness of a proof with masked look-up leaves: one opening with off-face claims ({@link ZkWitnessBatching}) spends 2 units. */
    static final int OFF_FACE_OPENING_BUDGET = 2;
    /**
     * A committed input or output in zero knowledge: opened off its face by the proof that makes it and by the one that consumes
     * it (a pipeline link, {@link CommittedTensors}), 2 units each.
     */
    public static final int LINKED_OPENING_BUDGET = 2 * OFF_FACE_OPENING_BUDGET;

    /** What a proof of a model without zero knowledge reveals (printed by the CLI). */
    public static final String NON_ZK_REVEALS =
            "the statement, and more: sumcheck messages and openings reveal linear information about weights and activations";
    /** What a zero-knowledge proof reveals. */
    public static final String ZK_REVEALS = "the statement only (model id, public inputs and outputs, commitment roots, shapes)";

    private ZeroKnowledge() {}

    /**
     * What a proof of a key with this weight opening budget reveals (0: no zero knowledge, {@link #NON_ZK_REVEALS}):
     * {@link #ZK_REVEALS} and for how many openings the weight commitment stays hiding.
     */
    public static String reveals(int weightOpeningBudget) {
        return weightOpeningBudget == 0 ? NON_ZK_REVEALS : ZK_REVEALS + "; the weight commitment hides for " + weightOpeningBudget
                + " openings (one or two per proof; the last two kept for a rotation), then the owner rotates it (verinfer rotate: the same weights committed again with fresh masks, the same model id)";
    }

    /**
     * The nodes of {@code graph} that a zero-knowledge proof cannot cover yet, one line each (the node,
     * its op and the private tensor it touches), in graph order; empty when the graph can be proven
     * in zero knowledge.
     */
    public static List<String> uncovered(QuantGraph graph) {
        List<String> out = new ArrayList<>(uncoveredNodes(graph));
        out.addAll(uncoveredBounds(graph));
        return out;
    }

    /**
     * The nodes whose messages in a proof would reveal a private value (a proof's own coverage), in the graph a zero-knowledge key
     * proves ({@link ZkPooling#separable}: large private MaxPools split in two passes).
     */
    static List<String> uncoveredNodes(QuantGraph original) {
        return uncoveredNodes(original, java.util.Set.of());
    }

    /**
     * As {@link #uncoveredNodes(QuantGraph)} for a proof whose {@code external} inputs and outputs are committed on their own: a
     * committed input is private ({@link #privateTensors(QuantGraph, java.util.Set)}), so its readers must be covered too.
     */
    static List<String> uncoveredNodes(QuantGraph original, java.util.Set<Integer> external) {
        QuantGraph graph = ZkPooling.separable(original);
        return uncoveredNodes(graph, external, masksLeaves(graph, external) ? new ProofPlan(graph, external) : null);
    }

    /**
     * The nodes a proof of {@code plan} (a zero-knowledge key's plan of its graph, with the proof's committed inputs and outputs)
     * cannot cover: as {@link #uncoveredNodes(QuantGraph, java.util.Set)}, judged on the plan the proof runs — where a size rule
     * (the table search, a saturated look-up's cut: {@link SaturatedLookups}) planned a Max/Min as a maximum rather than a clamp
     * look-up, that maximum must be covered as one.
     */
    static List<String> uncoveredNodes(ProofPlan plan) {
        return uncoveredNodes(plan.graph, plan.external, masksLeaves(plan) ? plan : null);
    }

    private static List<String> uncoveredNodes(QuantGraph graph, java.util.Set<Integer> external, ProofPlan plan) {
        boolean[] privateTensor = privateTensors(graph, external);
        List<String> out = new ArrayList<>();
        for (QNode node : graph.nodes()) {
            int touched = -1;
            for (int in : node.inputs()) {
                if (privateTensor[in]) {
                    touched = in;
                    break;
                }
            }
            if (touched < 0 || coveredMatMul(graph, node, privateTensor, plan)) {
                continue;
            }
            if (plan != null && (forwardsClaim(plan, node) || sumsPrivate(plan, node))) {
                // Each claim forwarded to its private inputs (a masked one with its offset carried, LinearLayers.forward and
                // LinearLayers.proveZkSum): they must take them.
                if (!takesMaskedClaims(graph, plan, node.output(), privateTensor) && !forwardsToOutput(graph, plan, node, privateTensor)) {
                    out.add("node '" + node.onnxName() + "' (" + node.op().getClass().getSimpleName() + ") reads private '" + graph.tensor(touched).name()
                            + "': its output's masked claims must reach committed tensors, or ops that take them in zero knowledge");
                }
                continue;
            }
            String reads = "node '" + node.onnxName() + "' (" + node.op().getClass().getSimpleName() + ") reads private '";
            if (isLookup(node) || (plan != null && plan.clampInput(node) >= 0)) { // a clamp Max/Min is a look-up alone
                String why = uncoveredLookup(graph, plan, node, privateTensor);
                if (why != null) {
                    out.add(reads + why);
                }
            } else if ((mayBeLookup(node) || node.op() instanceof QOp.MaxPool) && plan != null) {
                // another Max/Min, or a MaxPool: gap look-ups and a zero-check (ZkMaxLayers), a MaxPool's window reduction
                String why = uncoveredLookup(graph, plan, node, privateTensor);
                why = why != null ? why : ZkMaxLayers.uncovered(plan, node, privateTensor);
                if (why != null) {
                    out.add(reads + why);
                }
            } else if (node.op() instanceof QOp.ReduceMax && plan != null) { // y ≥ x by look-ups, a masked one-hot selector (ZkOneHot)
                String why = uncoveredLookup(graph, plan, node, privateTensor);
                why = why != null ? why : ZkOneHot.uncovered(plan, node, privateTensor);
                if (why != null) {
                    out.add(reads + why);
                }
            } else if (ZkElementwise.covered(graph, plan, node, privateTensor) || ZkConv.covered(graph, plan, node, privateTensor)
                    || ZkGather.covered(graph, plan, node, privateTensor)) {
                if (!onlyClaim(graph, plan, node.output()) && !ZkClaimMerge.mergeable(graph, plan, node.output())) {
                    out.add(reads + graph.tensor(touched).name() + "': its output has several claims and no variable to merge them on in zero"
                            + " knowledge");
                }
            } else {
                out.add(reads + graph.tensor(touched).name() + "' and its protocol is not zero-knowledge yet");
            }
        }
        return out;
    }

    private static boolean isLookup(QNode node) {
        return node.op() instanceof QOp.Rescale || node.op() instanceof QOp.Lookup;
    }

    /** A look-up, or a Max/Min the plan may make a clamp look-up ({@link ProofPlan#clampInput}). */
    private static boolean mayBeLookup(QNode node) {
        return isLookup(node) || node.op() instanceof QOp.Max || node.op() instanceof QOp.Min;
    }

    /**
     * Whether a zero-knowledge proof masks its look-up leaves: some Rescale, Lookup, Max, Min or MaxPool reads a private value
     * (a Max/Min that is not a clamp look-up and a MaxPool range-check their gaps by look-ups too).
     */
    static boolean masksLeaves(QuantGraph graph) {
        return masksLeaves(graph, java.util.Set.of());
    }

    /** {@link #masksLeaves(QuantGraph)} for a proof with these inputs and outputs committed on their own. */
    static boolean masksLeaves(ProofPlan plan) {
        return plan.derived("masksLeaves", 0, () -> masksLeaves(plan.graph, plan.external));
    }

    /** {@link #masksLeaves(ProofPlan)}, or of the graph alone when there is no plan. */
    static boolean masksLeaves(QuantGraph graph, ProofPlan plan) {
        return plan == null ? masksLeaves(graph) : masksLeaves(plan);
    }

    private static boolean masksLeaves(QuantGraph graph, java.util.Set<Integer> external) {
        boolean[] privateTensor = privateTensors(graph, external);
        return graph.nodes().stream().anyMatch(n -> (mayBeLookup(n) || n.op() instanceof QOp.MaxPool || n.op() instanceof QOp.ReduceMax)
                && java.util.Arrays.stream(n.inputs()).anyMatch(in -> privateTensor[in]));
    }

    /**
     * Why a look-up node reading private values is not covered (the rest of the message), or null when it is.
     * Its leaf claims are masked (hidden offsets in M, docs/proof-system.md "Masked leaf claims"), so each
     * private input must take a masked claim: a committed one goes to the witness opening
     * ({@link ZkWitnessBatching}); an uncommitted one must be a {@link #coveredMatMul}'s output whose only
     * claim is this look-up's (one column term, no other reader, not a graph output: merging masked claims is
     * not built), reduced with the offset hidden. Every look-up vector needs two rows (one row cannot be masked).
     */
    private static String uncoveredLookup(QuantGraph graph, ProofPlan plan, QNode node, boolean[] privateTensor) {
        if (!LookupPhase.leavesMaskable(LookupPhase.shape(plan.tables, true))) {
            return graph.tensor(node.inputs()[0]).name() + "': a look-up table of one row cannot be masked off the hypercube";
        }
        for (int in : node.inputs()) {
            if (!privateTensor[in] || opened(plan, in)) {
                continue;
            }
            if (!takesMaskedClaims(graph, plan, in, privateTensor)) {
                return graph.tensor(in).name() + "': its masked leaf claim needs a zero-knowledge MatMul, Mul, Add or Sub producing '"
                        + graph.tensor(in).name() + "', directly or through MulConst, ReduceSum, Add and Sub, or a committed tensor";
            }
        }
        return null;
    }

    /**
     * MulConst (c ≠ 0), ReduceSum and a Reshape keeping the padded layout: a claim on the output is one on the input, no message
     * ({@code LinearLayers.forward}; the Reshape's claim is the same claim, its hidden offset with it).
     */
    static boolean forwardsClaim(ProofPlan plan, QNode node) {
        return node.op() instanceof QOp.ReduceSum || node.op() instanceof QOp.MulConst m && m.c() != 0
                || plan != null && node.op() instanceof QOp.Reshape r && LinearLayers.keepsLayout(plan, node, r);
    }

    /**
     * A {@link #forwardsClaim} node writing a public graph output (embedding_model's last Reshape): the output's claims are
     * forwarded one by one — the statement's plain one, and any reader's masked one with its offset — so it is covered when its
     * private inputs are committed or take masked claims in turn.
     */
    private static boolean forwardsToOutput(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        return forwardsClaim(plan, node) && graph.outputs().contains(node.output())
                && java.util.Arrays.stream(node.inputs()).allMatch(x -> !priv[x] || opened(plan, x) || takesMaskedClaims(graph, plan, x, priv));
    }

    /**
     * Whether a zero-knowledge proof forwards each claim on {@code node}'s output to its inputs one by one instead of merging
     * them first: a {@link #forwardsClaim} node, or a {@link #sumsPrivate} one with one private operand, reading a private
     * value (they send nothing, or public values only). Each forwarded claim keeps its own hidden offset.
     */
    static boolean forwardsEachClaim(ProofPlan plan, QNode node) {
        boolean[] priv = privateTensors(plan);
        return (forwardsClaim(plan, node) || sumsPrivate(plan, node) && maskedSumOperand(plan, node) < 0)
                && java.util.Arrays.stream(node.inputs()).anyMatch(t -> priv[t]);
    }

    /**
     * An Add or Sub of private values with no weight operand ({@code LinearLayers.proveZkSum}): each claim on the output
     * becomes one claim on each operand — a public operand's value sent in the clear, a second private operand's sent
     * masked by a scalar of M ({@link #maskedSumOperand}), the first private operand's derived with the hidden offset.
     */
    static boolean sumsPrivate(ProofPlan plan, QNode node) {
        QuantGraph graph = plan.graph;
        boolean[] priv = privateTensors(plan);
        int[] in = node.inputs();
        return (node.op() instanceof QOp.Add || node.op() instanceof QOp.Sub)
                && java.util.Arrays.stream(in).anyMatch(t -> priv[t])
                && java.util.Arrays.stream(in).noneMatch(t -> graph.tensor(t).kind() == QTensor.Kind.WEIGHT);
    }

    /**
     * The operand (0 or 1) of a {@link #sumsPrivate} node that is sent masked (a′ = a(p) + δ, δ a scalar of M), or −1 when only one
     * operand is private (its value is then derived from the claim and the public operand's, no scalar): of two private
     * operands, the one with fewer variables (the broadcast one), else the second.
     */
    static int maskedSumOperand(ProofPlan plan, QNode node) {
        boolean[] priv = privateTensors(plan);
        int a = node.inputs()[0];
        int b = node.inputs()[1];
        if (!priv[a] || !priv[b]) {
            return -1;
        }
        return plan.shapes[a].numVars() < plan.shapes[b].numVars() ? 0 : 1;
    }

    /**
     * Whether an uncommitted private tensor t can take the masked claims its readers put on it (t no graph output): produced by
     * a {@link #coveredMatMul} that reduces it with the offset hidden (t's {@link #onlyClaim}), or by a node that forwards each
     * claim to its private inputs — MulConst, ReduceSum, or an Add/Sub ({@link #sumsPrivate}; one that masks a second private
     * operand takes t's only claim, its scalar being one) — whose private inputs are committed (the witness opening takes
     * any number of masked claims) or take them in turn.
     */
    static boolean takesMaskedClaims(QuantGraph graph, ProofPlan plan, int t, boolean[] privateTensor) {
        QNode producer = graph.nodes().stream().filter(n -> n.output() == t).findFirst().orElse(null);
        if (producer == null || graph.outputs().contains(t) && !plan.external.contains(t)) { // a committed output's claim is masked too
            return false;
        }
        if (coveredMatMul(graph, producer, privateTensor, plan) || ZkElementwise.covered(graph, plan, producer, privateTensor)
                || ZkConv.covered(graph, plan, producer, privateTensor) || ZkGather.covered(graph, plan, producer, privateTensor)) {
            return onlyClaim(graph, plan, t) || ZkClaimMerge.mergeable(graph, plan, t);
        }
        boolean sum = sumsPrivate(plan, producer);
        if (!forwardsClaim(plan, producer) && !sum
                || sum && maskedSumOperand(plan, producer) >= 0 && !onlyClaim(graph, plan, t) && !ZkClaimMerge.mergeable(graph, plan, t)) {
            return false;
        }
        return java.util.Arrays.stream(producer.inputs())
                .allMatch(x -> !privateTensor[x] || opened(plan, x) || takesMaskedClaims(graph, plan, x, privateTensor));
    }

    /**
     * Whether a zero-knowledge proof puts one claim on tensor t: one reader, reading it once — a look-up (or clamp) with one column
     * term on t, a Mul ({@link ZkElementwise}, refused on its own if not covered), or a forwarding node ({@link #forwardsClaim}, {@link #sumsPrivate}) whose output has one claim in turn — and no
     * graph output.
     */
    static boolean onlyClaim(QuantGraph graph, ProofPlan plan, int t) {
        return plan != null && graph == plan.graph ? plan.derived("onlyClaim", t, () -> onlyClaimScan(graph, plan, t)) : onlyClaimScan(graph, plan, t);
    }

    private static boolean onlyClaimScan(QuantGraph graph, ProofPlan plan, int t) {
        List<QNode> readers = graph.nodes().stream().filter(n -> java.util.Arrays.stream(n.inputs()).anyMatch(i -> i == t)).toList();
        if (readers.size() != 1 || graph.outputs().contains(t) || java.util.Arrays.stream(readers.getFirst().inputs()).filter(i -> i == t).count() != 1) {
            return false;
        }
        QNode reader = readers.getFirst();
        if (forwardsClaim(plan, reader) || sumsPrivate(plan, reader)) {
            return onlyClaim(graph, plan, reader.output());
        }
        // a look-up (a clamp Max/Min included) claims t once per column term; another Max/Min adds its zero-check's claim
        return (isLookup(reader) || plan.clampInput(reader) >= 0) && columnTerms(plan, t) == 1 || reader.op() instanceof QOp.Mul || reader.op() instanceof QOp.Add || reader.op() instanceof QOp.Sub // ZkElementwise: each operand once
                || reader.op() instanceof QOp.Conv c && c.x() == t // ZkConv: x once, by its input reduction
                || reader.op() instanceof QOp.MaxPool // ZkMaxLayers: x once, by its window reduction
                || reader.op() instanceof QOp.MatMul m && m.a() == t && m.b() != t // a zero-knowledge MatMul: a′(ρ) once
                || reader.op() instanceof QOp.Gather || reader.op() instanceof QOp.Reshape; // ZkGather: each source once
    }

    /** How many look-up column terms read tensor {@code t}. */
    private static long columnTerms(ProofPlan plan, int t) {
        return plan.tables.stream().flatMap(table -> table.groups().stream()).flatMap(g -> g.columns().stream())
                .flatMap(c -> c.terms().stream()).filter(term -> switch (term.source()) {
                    case ProofPlan.TensorSource s -> s.tensor() == t;
                    case ProofPlan.BroadcastSource b -> b.tensor() == t;
                    case ProofPlan.ItemSource i -> false;
                }).count();
    }

    /**
     * The weights whose bounds proof (made at setup, carried by the verifying key) cannot be made
     * zero-knowledge: none, unless the model has a single weight entry (the packed weights then have no
     * variable for {@link ZkWeightBounds}' vanishing mask).
     */
    static List<String> uncoveredBounds(QuantGraph graph) {
        List<QTensor> weights = graph.tensors().stream().filter(t -> t.kind() == QTensor.Kind.WEIGHT).toList();
        if (weights.stream().mapToLong(QTensor::size).sum() == 1) {
            return List.of("weight '" + weights.getFirst().name() + "': a single weight entry leaves its zero-knowledge bounds proof no variable to mask");
        }
        return List.of();
    }

    /** Which tensors are private: weights, and every node output computed from a private input. */
    static boolean[] privateTensors(QuantGraph graph) {
        return privateTensors(graph, java.util.Set.of());
    }

    /** {@link #privateTensors(QuantGraph, java.util.Set)} for the plan's graph and its committed inputs and outputs. */
    static boolean[] privateTensors(ProofPlan plan) {
        return plan.<boolean[]>derived("privateTensors", 0, () -> privateTensors(plan.graph, plan.external)).clone();
    }

    /** {@link #privateTensors(ProofPlan)}, or of the graph alone when there is no plan. */
    static boolean[] privateTensors(QuantGraph graph, ProofPlan plan) {
        return plan == null ? privateTensors(graph) : privateTensors(plan);
    }

    /**
     * Which tensors are private when the inputs in {@code external} are committed (their values hidden behind a hiding root):
     * weights, those inputs, and every node output computed from one.
     */
    static boolean[] privateTensors(QuantGraph graph, java.util.Set<Integer> external) {
        boolean[] privateTensor = new boolean[graph.tensors().size()];
        for (QTensor t : graph.tensors()) {
            privateTensor[t.id()] = t.kind() == QTensor.Kind.WEIGHT || t.kind() == QTensor.Kind.INPUT && external.contains(t.id());
        }
        for (QNode node : graph.nodes()) {
            for (int in : node.inputs()) {
                privateTensor[node.output()] |= privateTensor[in];
            }
        }
        return privateTensor;
    }

    /**
     * Whether {@code node} is a MatMul that a zero-knowledge proof covers: a public left operand times a
     * weight matrix (rank 2, inner dimension ≥ 2, so the sumcheck has a variable to mask), with no bias or a
     * weight bias. Its only messages are the zero-knowledge sumcheck (Libra mask in {@link ProofMasks}), the
     * public a(ρ), W'(ρ) = f′(p, Z(ρ), 0, …) and the bias's B'(ρ) = f′(b_p, Z(ρ), 0, …), masked by the weight
     * commitment's mask face ({@link LinearLayers}: the bias enters the sumcheck as a constant table).
     */
    static boolean coveredMatMul(QuantGraph graph, QNode node, boolean[] privateTensor, ProofPlan plan) {
        if (!(node.op() instanceof QOp.MatMul(int a, int b, int bias))) {
            return false;
        }
        QTensor w = graph.tensor(b);
        return (bias < 0 || graph.tensor(bias).kind() == QTensor.Kind.WEIGHT)
                && w.kind() == QTensor.Kind.WEIGHT && w.shape().length == 2 && w.shape()[0] >= 2
                && (!privateTensor[a] || privateLeftMaskable(graph, plan, a));
    }

    /**
     * Whether a private left operand a can enter a zero-knowledge MatMul masked: a′ = ã + Z·c with c a scalar of
     * M ({@link LinearLayers}), whose claim a′(ρ) then carries the hidden offset Z(ρ)·c to a's consumer — so a must be
     * committed in the witness, opened by {@link ZkWitnessBatching} (which the proof does when a look-up reads a private
     * value, {@link #masksLeaves}), or take masked claims ({@link #takesMaskedClaims}: forwarded, or merged and reduced by
     * its producer, as any masked claim).
     */
    static boolean privateLeftMaskable(QuantGraph graph, ProofPlan plan, int a) {
        return plan != null && masksLeaves(plan) && (opened(plan, a) || takesMaskedClaims(graph, plan, a, privateTensors(plan)));
    }

    /** Refuses a graph with an {@link #uncovered} node or weight, naming the first (setup). */
    static void requireCovered(QuantGraph graph) {
        require(uncovered(graph));
    }

    /** Refuses a graph with an {@link #uncoveredNodes} node (each proof; the weights' bounds are setup's). */
    static void requireCoveredNodes(QuantGraph graph) {
        require(uncoveredNodes(graph));
    }

    /** As {@link #requireCoveredNodes(QuantGraph)} for a proof of {@code plan} (its committed inputs and outputs its external tensors). */
    static void requireCoveredNodes(ProofPlan plan) {
        require(uncoveredNodes(plan));
    }

    private static void require(List<String> uncovered) {
        if (!uncovered.isEmpty()) {
            throw new UnsupportedGraphException("zero-knowledge proofs are not available for this model yet: " + uncovered.getFirst()
                    + (uncovered.size() > 1 ? " (and " + (uncovered.size() - 1) + " more node(s))" : "")
                    + "; set it up without zero knowledge");
        }
    }

    /**
     * Refuses a weight opening budget outside [{@link #MIN_WEIGHT_OPENING_BUDGET}, {@link #MAX_WEIGHT_OPENING_BUDGET}].
     *
     * @throws IllegalArgumentException "zero-knowledge weight opening budget N outside [4, 1048576]"
     */
    static void requireBudget(long budget) {
        if (!budgetInRange(budget)) {
            throw new IllegalArgumentException(budgetOutsideRange(budget));
        }
    }

    /**
     * The weight opening budget setup states when not given one ({@link #WEIGHT_OPENING_BUDGET}): the smallest of 256 and 512
     * whose hiding layout still shares the proof's batched run with the witness when the weights top it (their table has at least
     * the witness's arity, {@link ZkWitnessBatching#narrow}), else 1024. A smaller budget is met with a wider first fold k₀ at the
     * same arity (verinfer-whir's {@code HidingLayout.of}: alexa_v0.1's 2^18 weights take k₀ = 4 at 256 where 1024 takes 2), so
     * the run's later oracles, every proof's online NTTs and trees, are 2^(k₀−2)× smaller; the owner rotates 4× as often. The
     * witness's own first fold follows the budget ({@link ZkWitnessBatching#top}: no narrower than the run under the weights at
     * that budget admits; since 2026-12-07, branch heyfold31, so hey_mycroft_v0.1's 18-variable witness folds 3 at 256 and stays
     * in the run), and the budget is taken only when the witness keeps its kind of layout (its mask in its tail, or not) there.
     * Where the weights are a member of the witness's run (the larger models) a smaller budget only widens leaves: 1024. Of the
     * budgets whose first fold is the widest, the largest (since 2026-12-07, session 32): where a smaller budget does not widen the
     * weights' fold (conjectured-evm, rate 1/128: k₀ = 4 at 256, 512 and 1024) it would only rotate the commitment more often. A
     * function of the plan and the scheme; the key states the result, so nothing is derived from this rule when a key is read.
     */
    static int chosenBudget(ProofPlan plan, MultilinearPcs pcs) {
        if (plan.weightTensors.isEmpty() || !ZkWitnessBatching.narrow(plan) || runWithWitness(pcs, plan, CODE_2_BUDGET) != 2) {
            return CODE_2_BUDGET;
        }
        boolean inTail = ZkWitnessBatching.tail(pcs, plan, CODE_2_BUDGET) >= 0;
        int chosen = CODE_2_BUDGET;
        int widest = pcs.hidingFirstFold(ZkWitnessBatching.top(plan, CODE_2_BUDGET));
        for (int i = SMALLER_BUDGETS.length - 1; i >= 0; i--) { // largest first: a smaller budget only where its fold is wider
            int budget = SMALLER_BUDGETS[i];
            if ((ZkWitnessBatching.tail(pcs, plan, budget) >= 0) == inTail && runWithWitness(pcs, plan, budget) == 2) {
                int fold = pcs.hidingFirstFold(ZkWitnessBatching.top(plan, budget));
                if (fold > widest) {
                    widest = fold;
                    chosen = budget;
                }
            }
        }
        return chosen;
    }

    /**
     * How many of the witness (its layout under the weights at this budget) and the weights (committed for {@code budget} openings,
     * one claim off their face) share one batched run.
     */
    private static int runWithWitness(MultilinearPcs pcs, ProofPlan plan, int budget) {
        MultilinearPcs.HidingShape witness = Prover.witnessShape(plan, false, ZkWitnessBatching.tail(pcs, plan, budget), budget);
        return pcs.sharedRun(List.of(new MultilinearPcs.RunMember(witness, null, 1, 0),
                new MultilinearPcs.RunMember(ZkWitnessBatching.top(plan, budget), null, 1, 1))).size();
    }

    /** Whether a key may state this weight opening budget. */
    public static boolean budgetInRange(long budget) {
        return budget >= MIN_WEIGHT_OPENING_BUDGET && budget <= MAX_WEIGHT_OPENING_BUDGET;
    }

    /** The refusal of a budget outside the range, in one line. */
    public static String budgetOutsideRange(long budget) {
        return "zero-knowledge weight opening budget " + budget + " outside [" + MIN_WEIGHT_OPENING_BUDGET + ", " + MAX_WEIGHT_OPENING_BUDGET
                + "] (the bounds proof spends 2, each proof 1 or 2)";
    }

    /**
     * Refuses a proof when the key's hiding weight commitment has fewer than {@code units} openings, or no off-face
     * claim, left in this process (a proof spends one or two units, and one or two off-face claims when the model has weights).
     *
     * @param cause the opening's own refusal, when it ran out mid-proof, else null
     */
    static void requireWeightOpenings(ProvingKey key, int units, Throwable cause) {
        if (key.weightCommitment() instanceof dev.verinfer.pcs.HidingCommitment h
                && (h.openingsLeft() < units || (h.offFaceClaimsLeft() == 0 && !key.plan().weightTensors.isEmpty()))) {
            throw new WeightBudgetSpentException(h.openingBudget(), cause);
        }
    }

    /**
     * Why a zero-knowledge proof cannot commit these inputs and outputs on their own (one line), or null when it can. Each is
     * opened as the witness is ({@link ZkWitnessBatching}: masked claims with hidden offsets, one off-face claim), which needs
     * a variable to mask and a proof whose look-up leaves are masked (a committed input's range check is a look-up on it). A
     * committed output of a linear op needs its producer to reduce the statement's masked claim ({@link #takesMaskedClaims}).
     */
    static String uncoveredCommitted(ProofPlan plan) {
        for (int t : plan.external.stream().sorted().toList()) {
            String name = "committed '" + plan.graph.tensor(t).name() + "'";
            if (plan.shapes[t].numVars() == 0) {
                return name + " has one value: no variable to mask its opening";
            }
            if (committedLinearOutputs(plan).contains(t) && !takesMaskedClaims(plan.graph, plan, t, privateTensors(plan))) {
                return name + " is the output of a linear op (" + plan.graph.nodes().stream().filter(n -> n.output() == t)
                        .map(n -> n.op().getClass().getSimpleName()).findFirst().orElse("?")
                        + ") that cannot reduce its masked value in zero knowledge";
            }
        }
        if (!plan.external.isEmpty() && !masksLeaves(plan)) {
            return "no look-up reads a private value, so the proof has no masked leaves to open a commitment with (an output computed from public"
                    + " values alone hides nothing: commit it only when it depends on a weight or a committed input)";
        }
        return null;
    }

    /**
     * Whether the proof opens tensor t's claims against a commitment — the witness's or its own (a committed input, which
     * {@link ProofPlan#isCommitted} does not count) — where masked claims are taken with their hidden offsets.
     */
    static boolean opened(ProofPlan plan, int t) {
        return plan.isCommitted(t) || plan.external.contains(t);
    }

    /**
     * The committed outputs of linear ops (no witness item of their own), in graph order: the statement's claim on each is sent
     * masked, v′ = t(r) + δ with δ a scalar of M ({@link LinearLayers#outputValueSlot}), opened against the output's commitment
     * and reduced through the graph with the same hidden offset.
     */
    static List<Integer> committedLinearOutputs(ProofPlan plan) {
        return plan.derived("committedLinearOutputs", 0, () -> plan.graph.outputs().stream().filter(t -> plan.external.contains(t) && !plan.isCommitted(t)).toList());
    }

    /** Refuses committed inputs and outputs that {@link #uncoveredCommitted} names. */
    static void requireCommittedCovered(ProofPlan plan) {
        String why = uncoveredCommitted(plan);
        if (why != null) {
            throw new UnsupportedGraphException("zero-knowledge proofs of this model cannot commit these inputs or outputs: " + why);
        }
    }

    /**
     * {@code pcs.commitHiding}, or a clear error when the scheme has none.
     *
     * @throws UnsupportedGraphException "zero-knowledge needs a hiding commitment; PcsSecurity X has none"
     */
    static PcsCommitment commitHiding(PcsSecurity security, MultilinearPcs pcs, long[] table, int budget, RandomGenerator random) {
        return commitHiding(security, pcs, table, budget, false, random);
    }

    /**
     * {@code pcs.commitHidingOnce} for a per-proof table opened once ({@code units} of budget), or
     * {@code pcs.commitHiding} when {@code once} is false; a clear error when the scheme has none.
     */
    static PcsCommitment commitHiding(PcsSecurity security, MultilinearPcs pcs, long[] table, int budget, boolean once, RandomGenerator random) {
        return once ? commitHidingOnce(security, pcs, table, budget, false, random) : hiding(security, () -> pcs.commitHiding(table, budget, random));
    }

    /** {@code pcs.commitHidingOnce} (narrow: a proof's mask commitment M, a small member of its batched hiding run), or a clear error. */
    static PcsCommitment commitHidingOnce(PcsSecurity security, MultilinearPcs pcs, long[] table, int units, boolean narrow, RandomGenerator random) {
        return hiding(security, () -> pcs.commitHidingOnce(table, units, narrow, random));
    }

    /**
     * {@code pcs.commitHidingOnceInTail} of a table of this {@code shape} (its narrow form under its top when narrow,
     * {@link ZkWitnessBatching#narrow}, {@link ZkWitnessBatching#top}): the mask in the table's last 2^tail slots
     * ({@link ZkWitnessBatching#tail}), or a clear error.
     */
    static PcsCommitment commitHidingInTail(PcsSecurity security, MultilinearPcs pcs, long[] table, MultilinearPcs.HidingShape shape,
                                            RandomGenerator random) {
        return hiding(security, () -> pcs.commitHidingOnceInTail(table, shape.units(), shape.tailVars(), shape.narrow(), shape.top(), random));
    }

    /** {@code pcs.commitHiding} with its masks from {@code commitRandom} and its openings' from {@code openingRandom}, or a clear error. */
    static PcsCommitment commitHiding(PcsSecurity security, MultilinearPcs pcs, long[] table, int budget, RandomGenerator commitRandom,
                                      RandomGenerator openingRandom) {
        return hiding(security, () -> pcs.commitHiding(table, budget, commitRandom, openingRandom));
    }

    private static PcsCommitment hiding(PcsSecurity security, java.util.function.Supplier<PcsCommitment> commit) {
        try {
            return commit.get();
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedGraphException("zero-knowledge needs a hiding commitment; PcsSecurity " + security.label() + " has none ("
                    + e.getMessage() + ")");
        }
    }
}
