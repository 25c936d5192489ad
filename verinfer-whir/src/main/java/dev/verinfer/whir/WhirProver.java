package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WHIR opening prover (Construction 5.1). Plain commitments are opened together in one run
 * ({@link #openBatch}); hiding commitments in one run where {@link HidingBatch#choose} admits them, each other one in its
 * own ({@link HidingOpening}). Per run it holds the evaluation table of f_i and
 * of the weight w_i, with Σ_x f_i(x)·w_i(x) = σ_i: w₀ = Σ_j β^j·eq(r_j, ·) over the claims and the
 * commit-time out-of-domain points; every iteration binds k variables by sumcheck, commits f_{i+1},
 * opens the queried fibres of f_i, and adds γ-weighted eq(powers(z), ·) terms for the new out-of-domain
 * points and folded query points, whose values the verifier knows, to the weight. A hiding batch's iteration 0 may instead run
 * on the tables' contractions at the points ({@link Contractions}), with the same messages, F₁ and w₁.
 */
final class WhirProver {

    private WhirProver() {}

    /**
     * Where a cheating prover may deviate (tests): each hook may change the values in place just before
     * they are sent, and the prover then continues honestly from the changed values.
     */
    interface Deviation {
        Deviation NONE = new Deviation() {};

        /** Whether to refuse claims whose value is wrong (an honest prover does). */
        default boolean checksClaims() {
            return true;
        }

        /**
         * Whether to refuse claims a hiding layout does not hide ({@link HidingLayout#claimsHide}; an honest prover does): a rank
         * test's control opens them anyway to show what they reveal.
         */
        default boolean checksHiding() {
            return true;
        }

        /** The sumcheck message (h(0), h(2)) of step s of iteration i in group g. */
        default void sumcheck(int g, int i, int s, Ext2[] message) {}

        /** The coefficients of f_{i+1} before they are encoded (or sent, after the last iteration). */
        default void folded(int g, int i, ExtVector coefficients) {}

        /** The out-of-domain answers about f_{i+1}. */
        default void ood(int g, int i, Ext2[] answers) {}

        /** The opened fibres of f_i, after their Merkle proof was made. */
        default void fibres(int g, int i, long[][] fibres) {}

        /** A batched run's cross values, before they are sent. */
        default void cross(int g, Ext2[] values) {}

        /** The iteration-0 fibres of component j ≥ 1 of a batched run (component 0's go to {@link #fibres}). */
        default void batchFibres(int g, int j, long[][] fibres) {}

        /**
         * Member j's f′ table as a hiding batch's run reads it for the cross values and F: its own (v_j variables, lifted to the
         * run's V) unless replaced by a table over V variables, a polynomial other than the lift ({@code WhirNonLiftedCodewordTest}).
         */
        default long[] batchMember(int g, int j, long[] table) {
            return table;
        }

        /**
         * Member j's mask g as a hiding batch's run reads it for the cross values and F, once ρ is drawn ({@code points}: the run's
         * constraint points, lifted): its own unless replaced — a prover choosing g after ρ ({@code WhirMaskPointsTest}). Its
         * iteration-0 leaves stay the committed ones.
         */
        default long[] batchMask(int g, int j, long[] table, Ext2 rho, List<Ext2[]> points) {
            return table;
        }

        /** A hiding opening's fresh mask g (coefficients) as drawn, before it is encoded (a hiding batch: each member's with its own g, in order). */
        default void mask(int g, long[] coefficients) {}

        /**
         * Whether a run of one hiding commitment sums g's values ({@link WhirProof.Mask#summed}); false writes the format
         * before it (group flags 1, 2: every value of g, β after ρ), which verifiers still read (proofs and bounds proofs
         * made before 2026-12-05).
         */
        default boolean sumsMaskValues() {
            return true;
        }
    }

    static WhirProof open(WhirParameters params, Transcript t, List<PcsOpening> openings) {
        return open(params, t, openings, Deviation.NONE);
    }

    /** {@link #open(WhirParameters, MerkleNode, Transcript, List, Deviation)} with padded per-proof trees. */
    static WhirProof open(WhirParameters params, Transcript t, List<PcsOpening> openings, Deviation deviation) {
        return open(params, MerkleNode.PADDED, t, openings, deviation);
    }

    /**
     * One proof of every opening: a run for the hiding commitments that batch, one for each other hiding commitment, one for
     * every plain commitment. Each tree it makes for this proof — an opening's mask g, every later oracle — has {@code node}'s
     * inner nodes ({@link WhirPcs#withCompactProofTrees}).
     */
    static WhirProof open(WhirParameters params, MerkleNode node, Transcript t, List<PcsOpening> openings, Deviation deviation) {
        List<PcsClaim> claims = new ArrayList<>();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < openings.size(); i++) {
            PcsOpening o = openings.get(i);
            if (!(o.commitment() instanceof WhirCommitment c) || !c.params.equals(params)) {
                throw new IllegalArgumentException("commitment was not made by a WHIR PCS with these parameters");
            }
            boolean offFace = c instanceof WhirHidingCommitment && o.point().length == c.numVars() + 1;
            if (o.point().length != c.numVars() && !offFace) {
                throw new IllegalArgumentException("point has " + o.point().length + " coordinates for a " + c.numVars() + "-variable polynomial");
            }
            Ext2 value = c instanceof WhirHidingCommitment h ? h.evaluate(o.point()) : WeightKernels.evaluate(c.table, o.point());
            if (deviation.checksClaims() && !value.equals(o.value())) {
                throw new IllegalArgumentException("claimed value " + o.value() + " is not the polynomial's value " + value + " at the point");
            }
            claims.add(o.claim());
            groups.computeIfAbsent(HexFormat.of().formatHex(c.root()) + "/" + c.numVars(), k -> new ArrayList<>()).add(i);
        }
        WhirTranscript.absorbClaims(t, params, claims);
        // One run for the hiding commitments that batch (HidingBatch.choose), at the first one's place, one for each other
        // hiding commitment; one run for every plain commitment, at the first one's place.
        List<List<PcsOpening>> byCommitment = groups.values().stream().map(members -> members.stream().map(openings::get).toList()).toList();
        List<List<PcsOpening>> batched = HidingBatch.choose(
                byCommitment.stream().filter(group -> group.getFirst().commitment() instanceof WhirHidingCommitment).toList());
        List<List<List<PcsOpening>>> runs = new ArrayList<>();
        List<List<PcsOpening>> plain = null;
        for (List<PcsOpening> group : byCommitment) {
            if (!batched.isEmpty() && group == batched.getFirst()) {
                runs.add(batched);
            } else if (batched.stream().anyMatch(b -> b == group)) {
                continue; // in the batch's run
            } else if (group.getFirst().commitment() instanceof WhirHidingCommitment) {
                runs.add(List.of(group));
            } else if (plain == null) {
                plain = new ArrayList<>();
                plain.add(group);
                runs.add(plain);
            } else {
                plain.add(group);
            }
        }
        List<WhirProof.Group> out = new ArrayList<>();
        boolean trace = System.getProperty("verinfer.trace") != null;
        for (List<List<PcsOpening>> run : runs) {
            long start = System.nanoTime();
            if (run.size() > 1 && run.getFirst().getFirst().commitment() instanceof WhirHidingCommitment) {
                out.add(HidingBatch.open(t, run, node, out.size(), deviation));
            } else if (run.getFirst().getFirst().commitment() instanceof WhirHidingCommitment h) {
                out.add(HidingOpening.open(t, h, run.getFirst(), node, out.size(), deviation));
            } else {
                out.add(openBatch(params, node, t, run, out.size(), deviation));
            }
            if (trace) {
                System.err.println(traceLine(run, out.getLast(), System.nanoTime() - start));
            }
        }
        return new WhirProof(List.copyOf(out));
    }

    /** {@code verinfer.trace}: one run's commitments (n → v, k₀ for a hiding one), claims, time and bytes. */
    static String traceLine(List<List<PcsOpening>> run, WhirProof.Group group, long nanos) {
        StringBuilder sb = new StringBuilder("verinfer whir run:");
        for (List<PcsOpening> component : run) {
            WhirCommitment c = (WhirCommitment) component.getFirst().commitment();
            sb.append(c instanceof WhirHidingCommitment h
                    ? String.format(" hiding %d→%d vars k0=%d budget=%d", h.layout.tableVars(), h.layout.vars(), h.layout.firstFold(), h.layout.budget())
                    : String.format(" plain %d vars", c.numVars()));
            sb.append(String.format(" (%d claims)", component.size()));
        }
        WhirProof proof = new WhirProof(List.of(group));
        dev.verinfer.codec.ProofWriter w = new dev.verinfer.codec.ProofWriter();
        proof.write(w);
        sb.append(String.format(": %.1f ms, %.1f KB (", nanos / 1e6, w.size() / 1024.0));
        proof.sections().forEach((part, bytes) -> sb.append(String.format("%s %.1f; ", part, bytes / 1024.0)));
        // Iteration 0's opened leaves (fibres, salts, siblings) of every tree: f′ and g, or each batched component.
        WhirProof.Round r0 = group.rounds().getFirst();
        List<WhirProof.Opened> opened = new ArrayList<>(List.of(new WhirProof.Opened(r0.fibres(), r0.salts(), r0.paths())));
        if (r0.mask() != null) {
            opened.add(r0.mask());
        }
        if (group.batch() != null) {
            opened.addAll(group.batch().openings());
        }
        if (group.maskedBatch() != null) {
            for (WhirProof.HidingMember m : group.maskedBatch().others()) {
                if (m.leaves() != null) { // null: a carried member's, in the carrier
                    opened.add(m.leaves());
                }
                if (m.maskLeaves() != null) {
                    opened.add(m.maskLeaves());
                }
            }
            if (group.maskedBatch().carrier() != null) {
                opened.add(group.maskedBatch().carrier().leaves());
            }
        }
        dev.verinfer.codec.ProofWriter leaves = new dev.verinfer.codec.ProofWriter();
        for (WhirProof.Opened o : opened) {
            for (long[] fibre : o.fibres()) {
                leaves.writeFields(fibre);
            }
            for (long salt : o.salts()) {
                leaves.writeLong(salt);
            }
            o.paths().write(leaves);
        }
        return sb.append(String.format("iteration-0 leaves with salts and siblings %.1f KB)", leaves.size() / 1024.0)).toString();
    }

    /**
     * One WHIR run opening m ≥ 1 plain commitments ({@link WhirParameters}, batching). Component j of n_j
     * variables is lifted to f̃_j(x) = f_j(x_{d_j}, …, x_{n−1}) over n = max n_j variables (d_j = n − n_j):
     * its univariate is f̂_j(X^(2^d_j)), so its codeword on L₀ (size 2^(n+R)) reads f_j's own codeword at
     * x^(2^d_j), which lies in f_j's domain. Its constraints move to the points (0^d_j, p); the prover
     * sends every other component's value there (the cross values), the verifier draws μ, and WHIR runs
     * on F = Σ_j μ^j·f̃_j with F's value at each point known. Iteration 0's queries open each component's
     * tree at the leaves they reach; later iterations are F's alone. With m = 1 this is the plain run.
     */
    private static WhirProof.Group openBatch(WhirParameters params, MerkleNode node, Transcript t, List<List<PcsOpening>> components, int group,
                                             Deviation deviation) {
        int m = components.size();
        WhirCommitment[] cs = new WhirCommitment[m];
        int n = 0;
        for (int j = 0; j < m; j++) {
            cs[j] = (WhirCommitment) components.get(j).getFirst().commitment();
            n = Math.max(n, cs[j].numVars());
        }
        WhirSchedule schedule = params.schedule(n);
        for (WhirCommitment c : cs) {
            WhirTranscript.absorbCommitment(t, c.tree.root(), c.oodAnswers);
        }
        List<Ext2[]> points = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            for (PcsOpening o : components.get(j)) {
                points.add(Batching.lift(o.point(), n));
                owners.add(j);
            }
            int nj = cs[j].numVars();
            for (Ext2 z : WhirTranscript.commitOodPoints(params, nj, cs[j].tree.root(), cs[j].schedule.commitOod())) {
                points.add(Batching.lift(Codewords.powers(z, nj), n));
                owners.add(j);
            }
        }
        Ext2[] cross = new Ext2[0];
        long nonce = 0;
        ExtVector f = null;
        if (m > 1) {
            cross = new Ext2[points.size() * (m - 1)];
            Batching.Evaluator[] at = new Batching.Evaluator[m];
            for (int i = 0; i < m; i++) {
                at[i] = new Batching.Evaluator(cs[i].table);
            }
            int k = 0;
            for (int c = 0; c < points.size(); c++) {
                for (int i = 0; i < m; i++) {
                    if (i != owners.get(c)) {
                        cross[k++] = at[i].at(Batching.tail(points.get(c), cs[i].numVars()));
                    }
                }
            }
            deviation.cross(group, cross);
            WhirTranscript.absorbCross(t, cross);
            nonce = WhirTranscript.grind(t, schedule.batchPowBits(m));
            Ext2 mu = WhirTranscript.batchCombiner(t);
            long[][] tables = new long[m][];
            for (int j = 0; j < m; j++) {
                tables[j] = cs[j].table;
            }
            f = Batching.combine(tables, n, mu);
        }
        Ext2 beta = WhirTranscript.claimCombiner(t);
        ExtVector weight = Batching.constraintWeight(points, beta, n);
        WhirCommitment c0 = cs[0];
        Oracle[] oracles = new Oracle[m];
        WhirSchedule.Round[] firsts = new WhirSchedule.Round[m];
        for (int j = 0; j < m; j++) {
            oracles[j] = new Oracle(cs[j].codeword(), null, cs[j].tree, null);
            firsts[j] = cs[j].schedule.rounds().getFirst();
        }
        Components batch = m == 1 ? null : new Components(oracles, firsts);
        Run run = iterate(t, schedule, f, m == 1 ? c0.table : null, weight, oracles[0], null, null, node, group, deviation, batch);
        WhirProof.Batch b = null;
        if (m > 1) {
            List<WhirProof.Component> others = new ArrayList<>();
            for (int j = 1; j < m; j++) {
                others.add(new WhirProof.Component(cs[j].tree.root(), cs[j].oodAnswers.clone()));
            }
            b = new WhirProof.Batch(List.copyOf(others), cross, nonce, run.components().subList(1, m));
        }
        return new WhirProof.Group(c0.tree.root(), c0.oodAnswers.clone(), run.rounds(), run.finalCoefficients(), null, b);
    }

    /** Iteration 0's openings of a batched run: each component's leaves that the queries of F's oracle reach, component 0's first. */
    interface FirstLeaves {
        List<WhirProof.Opened> open(int[] queries, int group, Deviation deviation);

        /** Component 0's mask leaves opened by {@link #open} (a hiding batch's member 0 with g in its own tree), else null. */
        default WhirProof.Opened firstMask() {
            return null;
        }
    }

    /** The trees of a batched run's components and their own first rounds (domain and fibre size). */
    record Components(Oracle[] oracles, WhirSchedule.Round[] firsts) implements FirstLeaves {
        /** Each component's iteration-0 opening at the leaves the queries of F's oracle reach. */
        @Override
        public List<WhirProof.Opened> open(int[] queries, int group, Deviation deviation) {
            List<WhirProof.Opened> out = new ArrayList<>();
            for (int j = 0; j < oracles.length; j++) {
                WhirProof.Opened o = oracles[j].open(firsts[j], Batching.leaves(queries, firsts[j].fibres()));
                if (j == 0) {
                    deviation.fibres(group, 0, o.fibres());
                } else {
                    deviation.batchFibres(group, j, o.fibres());
                }
                out.add(o);
            }
            return List.copyOf(out);
        }
    }

    /**
     * A committed codeword the verifier queries: base ({@code c1} null) or extension, its Merkle tree and,
     * for a hiding opening's oracles, the leaves' salts (two longs per fibre; null for plain leaves).
     */
    record Oracle(long[] c0, long[] c1, MerkleTree tree, long[] salts) {
        WhirProof.Opened open(WhirSchedule.Round r, int[] queries) {
            long[][] fibres = new long[queries.length][];
            for (int k = 0; k < queries.length; k++) {
                fibres[k] = Codewords.fibre(c0, c1, r.logDomain(), r.fold(), queries[k]);
            }
            return opened(fibres, salts, tree, queries);
        }

        /** The opening of the leaves {@code queries} whose fibres are {@code fibres}: with their salts (none when null) and paths. */
        static WhirProof.Opened opened(long[][] fibres, long[] salts, MerkleTree tree, int[] queries) {
            long[] opened = new long[salts == null ? 0 : 2 * queries.length];
            for (int k = 0; k < opened.length / 2; k++) {
                opened[2 * k] = salts[2 * queries[k]];
                opened[2 * k + 1] = salts[2 * queries[k] + 1];
            }
            return new WhirProof.Opened(fibres, opened, tree.open(queries));
        }
    }

    /** The iterations' messages, the final polynomial and, for a batched run, each component's iteration-0 opening. */
    record Run(List<WhirProof.Round> rounds, Ext2[] finalCoefficients, List<WhirProof.Opened> components) {}

    /**
     * WHIR's iterations from the first sumcheck on: f is f₀'s table (null: the base table {@code base}),
     * {@code weight} holds every constraint so far, {@code first} is f₀'s oracle. A hiding opening passes
     * its mask's oracle (opened at iteration 0's queries beside f₀'s) and the generator of fresh salts for
     * the oracles it commits; a plain opening passes null for both. The oracles it commits have {@code node}'s inner nodes.
     * Iteration 0 opens a batched run's {@code components} (null: {@code first} alone).
     */
    static Run iterate(Transcript t, WhirSchedule schedule, ExtVector f, long[] base, ExtVector weight, Oracle first, Oracle mask,
                       MaskStream salts, MerkleNode node, int group, Deviation deviation, FirstLeaves components) {
        return iterate(t, schedule, f, base, weight, null, first, mask, salts, node, group, deviation, components);
    }

    /**
     * {@link #iterate} with iteration 0's sumcheck run on {@code contracted} in place of the tables f and weight (then null; a null
     * {@code contracted}: on the tables): the same messages, F₁ and w₁ without tables over all the variables ({@link Contractions}).
     */
    static Run iterate(Transcript t, WhirSchedule schedule, ExtVector f, long[] base, ExtVector weight, Contractions.Sumcheck contracted,
                       Oracle first, Oracle mask, MaskStream salts, MerkleNode node, int group, Deviation deviation, FirstLeaves components) {
        List<WhirProof.Opened> batchOpened = List.of();
        Oracle oracle = first;
        List<WhirProof.Round> rounds = new ArrayList<>();
        Ext2[] finalCoefficients = null;
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] messages = new Ext2[2 * r.fold()];
            long[] nonces = new long[r.powBits() > 0 ? r.fold() : 0];
            boolean onContractions = i == 0 && contracted != null;
            Ext2[] h = onContractions ? contracted.message() : f == null ? FoldKernels.message(base, weight) : FoldKernels.message(f, weight);
            for (int s = 0; s < r.fold(); s++) {
                deviation.sumcheck(group, i, s, h);
                messages[2 * s] = h[0];
                messages[2 * s + 1] = h[1];
                WhirTranscript.absorbSumcheck(t, h[0], h[1]);
                long nonce = WhirTranscript.grind(t, r.powBits());
                if (nonces.length > 0) {
                    nonces[s] = nonce;
                }
                Ext2 alpha = WhirTranscript.foldChallenge(t);
                if (onContractions) {
                    contracted.bind(alpha);
                    h = s + 1 < r.fold() ? contracted.message() : null;
                    continue;
                }
                FoldKernels.Step step = FoldKernels.fold(f == null ? base : null, f, weight, alpha, s + 1 < r.fold());
                f = step.f();
                weight = step.w();
                h = step.message();
            }
            if (onContractions) {
                f = contracted.folded();
                weight = last ? null : contracted.weight();
            }
            ExtVector coefficients = f == null ? ExtVector.ofBase(base) : f.copy(); // f₀ itself when n = 0
            Codewords.toCoefficients(coefficients.c0());
            Codewords.toCoefficients(coefficients.c1());
            if (deviation != Deviation.NONE) {
                deviation.folded(group, i, coefficients);
                f = coefficients.copy(); // continue from the changed polynomial
                Codewords.toEvaluations(f.c0());
                Codewords.toEvaluations(f.c1());
            }
            byte[] nextRoot = new byte[0];
            Ext2[] oodPoints = new Ext2[0];
            Ext2[] oodAnswers = new Ext2[0];
            Oracle next = null;
            if (last) {
                finalCoefficients = coefficients.toArray();
                WhirTranscript.absorbFinal(t, finalCoefficients);
            } else {
                WhirSchedule.Round nr = schedule.rounds().get(i + 1);
                long[] next0 = Codewords.encode(coefficients.c0(), nr.logDomain());
                long[] next1 = Codewords.encode(coefficients.c1(), nr.logDomain());
                long[] nextSalts = salts == null ? null : salts.salts(nr.fibres());
                next = new Oracle(next0, next1, Codewords.commit(next0, next1, nr.logDomain(), nr.fold(), schedule.parameters(), nextSalts, node), nextSalts);
                nextRoot = next.tree().root();
                oodPoints = WhirTranscript.nextOracle(t, nextRoot, r.ood());
                oodAnswers = new Ext2[oodPoints.length];
                for (int k = 0; k < oodPoints.length; k++) {
                    oodAnswers[k] = Codewords.univariate(coefficients, oodPoints[k]);
                }
                deviation.ood(group, i, oodAnswers);
                WhirTranscript.absorbOodAnswers(t, oodAnswers);
            }
            long queryNonce = WhirTranscript.grind(t, schedule.parameters().queryPowBits());
            int[] queries = WhirTranscript.queries(t, r);
            WhirProof.Opened opened;
            if (i == 0 && components != null) {
                batchOpened = components.open(queries, group, deviation);
                opened = batchOpened.getFirst();
            } else {
                opened = oracle.open(r, queries);
                deviation.fibres(group, i, opened.fibres());
            }
            // g's leaves are f′'s (HidingLayout.maskFunctionals): opened at iteration 0's own queries.
            WhirProof.Opened maskOpened = i == 0 && mask != null ? mask.open(r, queries)
                    : i == 0 && components != null ? components.firstMask() : null;
            long combineNonce = last ? 0 : WhirTranscript.grind(t, r.combinePowBits());
            rounds.add(new WhirProof.Round(messages, nonces, nextRoot, oodAnswers, opened.fibres(), opened.paths(), combineNonce,
                    opened.salts(), maskOpened, queryNonce));
            if (!last) {
                Ext2 gamma = WhirTranscript.constraintCombiner(t);
                Ext2 g = gamma;
                int vars = schedule.rounds().get(i + 1).vars();
                for (Ext2 z : oodPoints) {
                    WeightKernels.addEq(weight, g, Codewords.powers(z, vars));
                    g = g.mul(gamma);
                }
                Ext2[] coefficientsOfQueries = new Ext2[queries.length];
                for (int k = 0; k < queries.length; k++) {
                    coefficientsOfQueries[k] = g;
                    g = g.mul(gamma);
                }
                WeightKernels.addEqsOfRootPowers(weight, coefficientsOfQueries, queries, r.logDomain() - r.fold(), vars);
                oracle = next;
            }
        }
        return new Run(List.copyOf(rounds), finalCoefficients, batchOpened);
    }
}
