package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleProofException;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WHIR opening verifier. Per commitment it tracks the claimed sum σ and the weight as a list of
 * {@link Term}s c·eq(p, ·), each introduced over the variables left at that point; every sumcheck
 * round checks h(0) + h(1) = σ, every queried fibre is checked against its oracle's root and folded,
 * and at the end σ must equal Σ_x f_M(x)·w_M(x) for the final polynomial f_M sent in the clear.
 * Shapes are checked before use, so hostile input ends in {@link PcsRejectedException} only.
 */
final class WhirVerifier {
    private WhirVerifier() {}

    /**
     * c·eq(point, ·), where the first challenges bound after the term was added meet the point's first
     * coordinates; {@code powers} when the point is (z, z², z⁴, …), so the final polynomial's value at
     * its unbound tail is the univariate f̂_M at that tail's first coordinate.
     */
    private record Term(Ext2 coefficient, Ext2[] point, int firstChallenge, boolean powers) {}

    /**
     * The public coins of one accepted group, in transcript order (for tests that write what an opening
     * reveals as functionals of the committed polynomial): ρ (null for a plain group), β, the
     * commit-time and mask out-of-domain points, and per iteration the folding challenges, the next
     * oracle's out-of-domain points, the distinct queries and the combiner γ (null in the last); for a hiding batch
     * ({@link HidingBatch}) μ and each member's mask out-of-domain points (member 0's are {@code maskPoints}), else null and empty.
     */
    record Coins(Ext2 rho, Ext2 beta, Ext2[] commitPoints, Ext2[] maskPoints, List<Ext2[]> alphas, List<Ext2[]> oodPoints,
                 List<int[]> queries, List<Ext2> gammas, Ext2 mu, List<Ext2[]> memberMaskPoints) {}

    /**
     * A proof whose per-proof trees — commitments for one opening, carriers, openings' masks g, every later oracle — have
     * {@code node}'s inner nodes; every plain commitment's and reusable hiding commitment's tree has padded ones.
     */
    static void verify(WhirParameters params, MerkleNode node, Transcript t, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        verify(params, node, t, claims, proof, new ArrayList<>());
    }

    /** {@link #verify}, adding each group's {@link Coins} to {@code coins}. */
    static void verify(WhirParameters params, MerkleNode node, Transcript t, List<PcsClaim> claims, PcsOpeningProof proof, List<Coins> coins)
            throws PcsRejectedException {
        if (!(proof instanceof WhirProof p)) {
            throw new PcsRejectedException("not a WHIR proof");
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            PcsClaim c = checked(params, claims.get(i));
            groups.computeIfAbsent(HexFormat.of().formatHex(c.root()) + "/" + c.numVars(), k -> new ArrayList<>()).add(i);
        }
        List<List<List<PcsClaim>>> runs = runs(p, groups.values().stream().map(g -> g.stream().map(claims::get).toList()).toList());
        WhirTranscript.absorbClaims(t, params, claims);
        for (int g = 0; g < runs.size(); g++) {
            coins.add(verifyGroup(params, node, t, runs.get(g), p.groups().get(g)));
        }
    }

    /**
     * The claims of each of the proof's runs, as {@link WhirProver#open} forms them: the commitments whose roots are the
     * hiding digests of a hiding batch's members, in order, share that run ({@link HidingBatch}), at the first one's
     * position; any other hiding commitment's claims get a run of their own; the plain commitments' (those whose roots are
     * the digests of the plain run's components, in order) share the one plain run, placed at the first one's position.
     * The verifier does not re-derive which commitments batch: hiding is the prover's interest, and every batch is checked.
     */
    private static List<List<List<PcsClaim>>> runs(WhirProof p, List<List<PcsClaim>> groups) throws PcsRejectedException {
        List<WhirProof.Group> plainRuns = p.groups().stream().filter(g -> !g.hiding()).toList();
        if (plainRuns.size() > 1) {
            throw new PcsRejectedException("proof has " + plainRuns.size() + " plain runs; plain commitments are opened in one");
        }
        List<byte[]> digests = new ArrayList<>();
        if (!plainRuns.isEmpty()) {
            WhirProof.Group g = plainRuns.getFirst();
            digests.add(WhirTranscript.commitmentDigest(g.merkleRoot(), g.commitOod()));
            if (g.batch() != null) {
                for (WhirProof.Component c : g.batch().others()) {
                    digests.add(WhirTranscript.commitmentDigest(c.merkleRoot(), c.commitOod()));
                }
            }
        }
        // A hiding batch's members, in order: the commitments whose roots their hiding digests give, at the first one's place.
        List<WhirProof.Group> batches = p.groups().stream().filter(g -> g.maskedBatch() != null).toList();
        int[] nextMember = new int[batches.size()];
        List<List<List<PcsClaim>>> batchRuns = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            batchRuns.add(null);
        }
        List<List<List<PcsClaim>>> runs = new ArrayList<>();
        List<List<PcsClaim>> plain = null;
        int nextPlain = 0;
        groups:
        for (List<PcsClaim> group : groups) {
            for (int b = 0; b < batches.size(); b++) {
                if (nextMember[b] < batches.get(b).components() && isMember(batches.get(b), nextMember[b], group.getFirst())) {
                    nextMember[b]++;
                    if (batchRuns.get(b) == null) {
                        batchRuns.set(b, new ArrayList<>());
                        runs.add(batchRuns.get(b));
                    }
                    batchRuns.get(b).add(group);
                    continue groups;
                }
            }
            if (nextPlain < digests.size() && Arrays.equals(group.getFirst().root(), digests.get(nextPlain))) {
                nextPlain++;
                if (plain == null) {
                    plain = new ArrayList<>();
                    runs.add(plain);
                }
                plain.add(group);
            } else {
                runs.add(List.of(group));
            }
        }
        if (runs.size() != p.groups().size() || nextPlain != digests.size()) {
            throw new PcsRejectedException("proof opens " + p.groups().size() + " runs of " + digests.size() + " plain commitments, claims name "
                    + groups.size() + " commitments of which " + nextPlain + " match");
        }
        for (int b = 0; b < batches.size(); b++) {
            if (nextMember[b] != batches.get(b).components()) {
                throw new PcsRejectedException("hiding batch " + b + " names " + batches.get(b).components() + " commitments, claims match " + nextMember[b]);
            }
        }
        for (int g = 0; g < runs.size(); g++) {
            if ((runs.get(g) == plain) == p.groups().get(g).hiding()) {
                throw new PcsRejectedException("run " + g + " is " + (p.groups().get(g).hiding() ? "hiding" : "plain") + " where the claims put the other kind");
            }
            int b = -1;
            for (int c = 0; c < batchRuns.size(); c++) {
                b = batchRuns.get(c) == runs.get(g) ? c : b;
            }
            if ((b >= 0 ? batches.get(b) : null) != (p.groups().get(g).maskedBatch() != null ? p.groups().get(g) : null)) {
                throw new PcsRejectedException("run " + g + ": the hiding batch is not where its first member's claims are");
            }
        }
        return runs;
    }

    /** Whether member j of a hiding batch is the commitment this claim names (its hiding digest, with the claim's arity). */
    private static boolean isMember(WhirProof.Group g, int j, PcsClaim claim) {
        byte[] root = j == 0 ? g.merkleRoot() : g.maskedBatch().others().get(j - 1).merkleRoot();
        Ext2[] ood = j == 0 ? g.commitOod() : g.maskedBatch().others().get(j - 1).commitOod();
        WhirProof.Mask mask = j == 0 ? g.mask() : g.maskedBatch().others().get(j - 1).mask();
        if (mask == null || root == null || ood == null || mask.root() == null || root.length != MerkleHasher.DIGEST_BYTES || mask.extraVars() > 64) {
            return false;
        }
        boolean once = mask.root().length == 0;
        int vars = claim.numVars() + mask.extraVars();
        if (!(mask.extraVars() >= 1 || (once && mask.tailVars() >= 0 && mask.tailVars() < claim.numVars()))) {
            return false;
        }
        return Arrays.equals(claim.root(), WhirTranscript.hidingCommitmentDigest(claim.numVars(), vars, mask.firstFold(), mask.tailVars(), once, root, ood));
    }

    /**
     * f′'s arity v for a table of n variables from a hiding run's mask, checked: n + the mask variables (at least one,
     * v at most the parameters' maximum), or n when the mask is in the table's tail (none; a commitment for one opening,
     * k₀ ≤ d &lt; n so that 2^k₀ divides 2^n − 2^d), with 1 ≤ k₀ ≤ the folding factor; and no claim of more than v
     * coordinates (an off-face claim needs a mask variable).
     */
    static int maskedVars(WhirParameters params, int n, WhirProof.Mask mask, boolean once, List<PcsClaim> claims, String what)
            throws PcsRejectedException {
        if (mask.firstFold() < 1 || mask.firstFold() > params.foldingFactor()) {
            throw new PcsRejectedException(what + " folds " + mask.firstFold() + " variables first");
        }
        boolean tail = mask.extraVars() == 0;
        if (tail ? !once || mask.tailVars() < mask.firstFold() || mask.tailVars() >= n
                : mask.extraVars() < 1 || n + mask.extraVars() > params.maxNumVars()) {
            throw new PcsRejectedException(what + ": " + n + " variables with " + mask.extraVars() + " mask variables"
                    + (tail ? " and a mask of 2^" + mask.tailVars() + " slots in its tail" + (once ? "" : " (only for one opening)") : ""));
        }
        int vars = n + mask.extraVars();
        for (PcsClaim c : claims) {
            if (c.point().length > vars) {
                throw new PcsRejectedException(what + ": a claim off the table's face on a commitment with its mask in the table's tail");
            }
        }
        return vars;
    }

    private static PcsClaim checked(WhirParameters params, PcsClaim c) throws PcsRejectedException {
        if (c == null || c.root() == null || c.point() == null || c.claimedValue() == null) {
            throw new PcsRejectedException("incomplete claim");
        }
        if (c.root().length != MerkleHasher.DIGEST_BYTES) {
            throw new PcsRejectedException("root has " + c.root().length + " bytes");
        }
        // One more coordinate: an off-face claim f′(r, β, 0, …), valid only on a hiding commitment (checked per group).
        if (c.numVars() < 0 || c.numVars() > params.maxNumVars() || c.point().length < c.numVars() || c.point().length > c.numVars() + 1) {
            throw new PcsRejectedException("point of " + c.point().length + " coordinates for " + c.numVars() + " variables");
        }
        for (Ext2 x : c.point()) {
            if (x == null) {
                throw new PcsRejectedException("incomplete point");
            }
        }
        return c;
    }

    private static Coins verifyGroup(WhirParameters params, MerkleNode node, Transcript t, List<List<PcsClaim>> components, WhirProof.Group g)
            throws PcsRejectedException {
        List<PcsClaim> claims = components.getFirst();
        int n = claims.getFirst().numVars();
        WhirProof.Mask mask = g.mask();
        // Each constraint is c·eq(point, ·) with its value; a hiding opening's are on F = f′ + ρ·g.
        List<Ext2[]> points = new ArrayList<>();
        List<Ext2> values = new ArrayList<>();
        List<Boolean> powers = new ArrayList<>();
        Ext2 rho = null;
        Ext2 beta = null; // drawn before ρ by a summed mask (WhirProof.Mask#summed), else after
        Ext2 shift = Ext2.ZERO; // ρ·Γ of a summed mask: g's part of σ
        Ext2[] maskPoints = new Ext2[0];
        Ext2[] commitPoints;
        WhirSchedule schedule;
        Batch batch = null;
        HidingBatch.Verified hidingBatch = null;
        if (g.maskedBatch() != null) {
            hidingBatch = HidingBatch.verify(params, node, t, components, g, points, values, powers);
            schedule = hidingBatch.schedule();
            rho = hidingBatch.rho();
            commitPoints = hidingBatch.commitPoints().getFirst();
            maskPoints = hidingBatch.maskPoints().getFirst();
        } else {
        int vars = mask != null ? n : components.stream().mapToInt(c -> c.getFirst().numVars()).max().orElseThrow();
        if (mask == null && components.stream().flatMap(List::stream).anyMatch(c -> c.point().length != c.numVars())) {
            throw new PcsRejectedException("a claim off the table's face on a commitment that is not hiding");
        }
        if (mask != null) {
            vars = maskedVars(params, n, mask, g.once(), claims, "hiding opening");
        }
        schedule = mask != null ? params.hidingSchedule(vars, mask.firstFold()) : params.schedule(vars);
        checkShape(schedule, g);
        if (g.components() != components.size()) {
            throw new PcsRejectedException("run opens " + g.components() + " commitments, claims name " + components.size());
        }
        byte[] digest = mask == null ? WhirTranscript.commitmentDigest(g.merkleRoot(), g.commitOod())
                : WhirTranscript.hidingCommitmentDigest(n, vars, mask.firstFold(), mask.tailVars(), g.once(), g.merkleRoot(), g.commitOod());
        if (!Arrays.equals(digest, claims.getFirst().root())) {
            throw new PcsRejectedException("Merkle root and out-of-domain answers do not hash to the " + (mask == null ? "" : "hiding ") + "commitment");
        }
        WhirTranscript.absorbCommitment(t, g.merkleRoot(), g.commitOod());
        commitPoints = WhirTranscript.commitOodPoints(params, mask == null ? n : vars, g.merkleRoot(), schedule.commitOod());
        if (mask == null) {
            batch = plainConstraints(params, t, schedule, components, g, points, values, powers);
        } else {
            int maskOod = HidingLayout.maskOod(schedule, g.once());
            if (mask.summed() ? mask.ood().length != maskOod || mask.claims().length != 1
                    : mask.ood().length != schedule.commitOod() + 2 * maskOod || mask.claims().length != claims.size()) {
                throw new PcsRejectedException("mask carries " + mask.ood().length + " out-of-domain and " + mask.claims().length + " claim values");
            }
            maskPoints = WhirTranscript.maskOracle(t, mask.root(), maskOod);
            if (mask.summed()) {
                WhirTranscript.absorbMaskAnswers(t, mask.ood());
                beta = WhirTranscript.claimCombiner(t);
                WhirTranscript.absorbMaskSum(t, mask.claims()[0]);
            } else {
                WhirTranscript.absorbMaskValues(t, mask.ood(), mask.claims());
            }
            WhirSchedule.Round r0 = schedule.rounds().getFirst();
            if (!WhirTranscript.checkGrind(t, r0.powBits(), mask.nonce())) {
                throw new PcsRejectedException("mask combiner: proof of work does not reach " + r0.powBits() + " bits");
            }
            rho = WhirTranscript.maskCombiner(t);
            // F(p) = f′(p) + ρ·g(p): with a summed mask the values are f′'s and σ gets ρ·Γ (Γ = Σ β^k·g(p_k), same order).
            if (mask.summed()) {
                shift = rho.mul(mask.claims()[0]);
            }
            for (int j = 0; j < claims.size(); j++) {
                points.add(HidingOpening.embed(claims.get(j).point(), vars));
                values.add(mask.summed() ? claims.get(j).claimedValue() : claims.get(j).claimedValue().add(rho.mul(mask.claims()[j])));
                powers.add(false);
            }
            for (int k = 0; k < commitPoints.length; k++) {
                points.add(Codewords.powers(commitPoints[k], vars));
                values.add(mask.summed() ? g.commitOod()[k] : g.commitOod()[k].add(rho.mul(mask.ood()[k])));
                powers.add(true);
            }
            for (int k = 0; k < maskPoints.length; k++) {
                points.add(Codewords.powers(maskPoints[k], vars));
                Ext2[] answers = mask.ood();
                values.add(mask.summed() ? answers[k] : answers[commitPoints.length + 2 * k].add(rho.mul(answers[commitPoints.length + 2 * k + 1])));
                powers.add(true);
            }
        }
        }
        Ext2 maskCombiner = rho;
        Batch plainBatch = batch;
        HidingBatch.Verified members = hidingBatch;
        // Iteration 0's trees: a once commitment's and an opening's g per-proof (node), a reusable f′'s and a plain commitment's padded.
        Coins coins = iterations(params, node, t, schedule, g, points, values, powers, beta, shift, rho, commitPoints, maskPoints, (r, pr, queries, alphas) ->
                members != null ? members.open(r, pr, g, queries, alphas)
                : g.once() ? openPairFibres(params, node, g.merkleRoot(), maskCombiner, r, pr, queries, alphas)
                : mask != null ? openMaskedFibres(params, node, g.merkleRoot(), mask.root(), maskCombiner, r, pr, queries, alphas)
                : plainBatch != null ? plainBatch.open(r, pr, g.batch(), queries, alphas)
                : openFibres(params, MerkleNode.PADDED, g.merkleRoot(), r, false, pr.fibres(), pr.salts(), pr.paths(), queries, alphas));
        return members == null ? coins : new Coins(coins.rho(), coins.beta(), coins.commitPoints(), coins.maskPoints(), coins.alphas(),
                coins.oodPoints(), coins.queries(), coins.gammas(), members.mu(), members.maskPoints());
    }

    /** Iteration 0's queried fibres of a run's word F, each checked against its tree(s) and folded by the iteration's challenges. */
    interface FirstFibres {
        Ext2[] open(WhirSchedule.Round r, WhirProof.Round pr, int[] queries, Ext2[] alphas) throws PcsRejectedException;
    }

    /**
     * WHIR's iterations from the first sumcheck on, for the constraints F(point_k) = value_k (β-combined): every sumcheck
     * round, grind, oracle, query and fold of {@code g}'s rounds, iteration 0's fibres read by {@code first} (F is a
     * combination of committed words there), later ones from the previous round's oracle; the final polynomial last.
     */
    static Coins iterations(WhirParameters params, MerkleNode node, Transcript t, WhirSchedule schedule, WhirProof.Group g, List<Ext2[]> points,
                            List<Ext2> values, List<Boolean> powers, Ext2 rho, Ext2[] commitPoints, Ext2[] maskPoints, FirstFibres first)
            throws PcsRejectedException {
        return iterations(params, node, t, schedule, g, points, values, powers, null, Ext2.ZERO, rho, commitPoints, maskPoints, first);
    }

    /**
     * {@link #iterations}, with β drawn before ({@code drawn}; null: drawn here) and {@code shift} added to σ (a summed mask's ρ·Γ);
     * the later oracles' trees checked with {@code node}'s inner nodes.
     */
    static Coins iterations(WhirParameters params, MerkleNode node, Transcript t, WhirSchedule schedule, WhirProof.Group g, List<Ext2[]> points, List<Ext2> values,
                            List<Boolean> powers, Ext2 drawn, Ext2 shift, Ext2 rho, Ext2[] commitPoints, Ext2[] maskPoints, FirstFibres first)
            throws PcsRejectedException {
        Ext2 beta = drawn != null ? drawn : WhirTranscript.claimCombiner(t);
        List<Term> terms = new ArrayList<>();
        Ext2 sigma = shift;
        Ext2 coefficient = Ext2.ONE;
        for (int k = 0; k < points.size(); k++) {
            terms.add(new Term(coefficient, points.get(k), 0, powers.get(k)));
            sigma = sigma.add(coefficient.mul(values.get(k)));
            coefficient = coefficient.mul(beta);
        }

        List<Ext2> challenges = new ArrayList<>();
        Coins coins = new Coins(rho, beta, commitPoints, maskPoints, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                null, List.of());
        byte[] root = g.merkleRoot();
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            WhirProof.Round pr = g.rounds().get(i);
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] alphas = new Ext2[r.fold()];
            for (int s = 0; s < r.fold(); s++) {
                Ext2 h0 = pr.sumcheck()[2 * s];
                Ext2 h2 = pr.sumcheck()[2 * s + 1];
                Ext2 h1 = sigma.sub(h0);
                WhirTranscript.absorbSumcheck(t, h0, h2);
                if (!WhirTranscript.checkGrind(t, r.powBits(), r.powBits() > 0 ? pr.powNonces()[s] : 0)) {
                    throw new PcsRejectedException("iteration " + i + ": proof of work " + s + " does not reach " + r.powBits() + " bits");
                }
                alphas[s] = WhirTranscript.foldChallenge(t);
                sigma = quadratic(h0, h1, h2, alphas[s]);
                challenges.add(alphas[s]);
            }
            Ext2[] oodPoints = new Ext2[0];
            if (last) {
                WhirTranscript.absorbFinal(t, g.finalCoefficients());
            } else {
                oodPoints = WhirTranscript.nextOracle(t, pr.nextRoot(), r.ood());
                WhirTranscript.absorbOodAnswers(t, pr.ood());
            }
            if (!WhirTranscript.checkGrind(t, params.queryPowBits(), pr.queryNonce())) {
                throw new PcsRejectedException("iteration " + i + ": query proof of work does not reach " + params.queryPowBits() + " bits");
            }
            int[] queries = WhirTranscript.queries(t, r);
            coins.alphas().add(alphas);
            coins.oodPoints().add(oodPoints);
            coins.queries().add(queries);
            Ext2[] folded = i == 0 ? first.open(r, pr, queries, alphas)
                    : openFibres(params, node, root, r, true, pr.fibres(), pr.salts(), pr.paths(), queries, alphas);
            if (last) {
                if (pr.combineNonce() != 0) {
                    throw new PcsRejectedException("last iteration carries a combination nonce");
                }
                long[] ys = new long[queries.length];
                for (int k = 0; k < queries.length; k++) {
                    ys[k] = Codewords.foldedPoint(r.logDomain(), r.fold(), queries[k]);
                }
                Ext2[] finals = Codewords.univariateAtBase(g.finalCoefficients(), ys);
                for (int k = 0; k < queries.length; k++) {
                    if (!finals[k].equals(folded[k])) {
                        throw new PcsRejectedException("fibre " + queries[k] + " of iteration " + i + " folds to a value the final polynomial does not take");
                    }
                }
            } else {
                int nextVars = schedule.rounds().get(i + 1).vars();
                if (!WhirTranscript.checkGrind(t, r.combinePowBits(), pr.combineNonce())) {
                    throw new PcsRejectedException("iteration " + i + ": combination proof of work does not reach " + r.combinePowBits() + " bits");
                }
                Ext2 gamma = WhirTranscript.constraintCombiner(t);
                coins.gammas().add(gamma);
                Ext2 c = gamma;
                for (int k = 0; k < oodPoints.length; k++) {
                    terms.add(new Term(c, Codewords.powers(oodPoints[k], nextVars), challenges.size(), true));
                    sigma = sigma.add(c.mul(pr.ood()[k]));
                    c = c.mul(gamma);
                }
                for (int k = 0; k < queries.length; k++) {
                    Ext2 y = Ext2.of(Codewords.foldedPoint(r.logDomain(), r.fold(), queries[k]));
                    terms.add(new Term(c, Codewords.powers(y, nextVars), challenges.size(), true));
                    sigma = sigma.add(c.mul(folded[k]));
                    c = c.mul(gamma);
                }
                root = pr.nextRoot();
            }
        }
        // σ must be Σ_x f_M(x)·w_M(x) = Σ_terms c·eq(p_bound, α_since)·f_M(p_rest).
        // The query terms' tails f̂_M(z) at base-field z (powers of ω^j) in one batched evaluation.
        long[] basePoints = new long[terms.size()];
        int baseCount = 0;
        for (Term term : terms) {
            int bound = challenges.size() - term.firstChallenge();
            if (term.powers() && bound < term.point().length && term.point()[bound].isBase()) {
                basePoints[baseCount++] = term.point()[bound].c0();
            }
        }
        Ext2[] baseTails = Codewords.univariateAtBase(g.finalCoefficients(), Arrays.copyOf(basePoints, baseCount));
        baseCount = 0;
        Ext2 expected = Ext2.ZERO;
        for (Term term : terms) {
            int bound = challenges.size() - term.firstChallenge();
            Ext2[] p = term.point();
            Ext2 eq = Mle.eq(Arrays.copyOf(p, bound), challenges.subList(term.firstChallenge(), challenges.size()).toArray(Ext2[]::new));
            Ext2 tail = bound == p.length ? g.finalCoefficients()[0]
                    : term.powers() && p[bound].isBase() ? baseTails[baseCount++]
                    : term.powers() ? Codewords.univariate(g.finalCoefficients(), p[bound])
                    : Codewords.multilinear(g.finalCoefficients(), Arrays.copyOfRange(p, bound, p.length));
            expected = expected.add(term.coefficient().mul(eq).mul(tail));
        }
        if (!expected.equals(sigma)) {
            throw new PcsRejectedException("final polynomial does not meet the sumcheck claim");
        }
        return coins;
    }

    /**
     * The constraints of a plain run ({@link WhirProver}, batching) on F = Σ_j μ^j·f̃_j: each component's
     * claims and commit-time out-of-domain answers at their lifted points, F's value there combining the
     * component's own value with the others' cross values; absorbs the further components' roots and
     * answers, the cross values and the batch nonce, and draws μ. Null for a run of one commitment.
     */
    private static Batch plainConstraints(WhirParameters params, Transcript t, WhirSchedule schedule, List<List<PcsClaim>> components,
                                          WhirProof.Group g, List<Ext2[]> points, List<Ext2> values, List<Boolean> powers) throws PcsRejectedException {
        int m = components.size();
        int n = schedule.numVars();
        byte[][] roots = new byte[m][];
        Ext2[][] oods = new Ext2[m][];
        roots[0] = g.merkleRoot();
        oods[0] = g.commitOod();
        for (int j = 1; j < m; j++) {
            WhirProof.Component c = g.batch().others().get(j - 1);
            if (c.merkleRoot().length != MerkleHasher.DIGEST_BYTES || c.commitOod().length != schedule.commitOod()) {
                throw new PcsRejectedException("batched commitment " + j + ": malformed root or out-of-domain answers");
            }
            roots[j] = c.merkleRoot();
            oods[j] = c.commitOod();
            WhirTranscript.absorbCommitment(t, roots[j], oods[j]);
        }
        List<Integer> owners = new ArrayList<>();
        List<Ext2> own = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            int nj = components.get(j).getFirst().numVars();
            for (PcsClaim c : components.get(j)) {
                points.add(Batching.lift(c.point(), n));
                own.add(c.claimedValue());
                powers.add(false);
                owners.add(j);
            }
            Ext2[] z = WhirTranscript.commitOodPoints(params, nj, roots[j], schedule.commitOod());
            for (int k = 0; k < z.length; k++) {
                points.add(Batching.lift(Codewords.powers(z[k], nj), n));
                own.add(oods[j][k]);
                powers.add(nj == n);
                owners.add(j);
            }
        }
        if (m == 1) {
            values.addAll(own);
            return null;
        }
        WhirProof.Batch b = g.batch();
        if (b.cross().length != points.size() * (m - 1) || b.openings().size() != m - 1) {
            throw new PcsRejectedException("batch of " + m + " carries " + b.cross().length + " cross values and " + b.openings().size() + " openings");
        }
        WhirTranscript.absorbCross(t, b.cross());
        if (!WhirTranscript.checkGrind(t, schedule.batchPowBits(m), b.nonce())) {
            throw new PcsRejectedException("batch combiner: proof of work does not reach " + schedule.batchPowBits(m) + " bits");
        }
        Ext2 mu = WhirTranscript.batchCombiner(t);
        Ext2[] muPowers = Batching.combinedValues(mu, m, b.cross(), owners, own, values);
        WhirSchedule.Round[] firsts = new WhirSchedule.Round[m];
        for (int j = 0; j < m; j++) {
            firsts[j] = params.schedule(components.get(j).getFirst().numVars()).rounds().getFirst();
        }
        return new Batch(roots, firsts, muPowers, params);
    }

    /** A batched run's components: Merkle roots, own first rounds (domain, fibre size), μ^j and the parameters (their Merkle hash). */
    private record Batch(byte[][] roots, WhirSchedule.Round[] firsts, Ext2[] muPowers, WhirParameters params) {
        /** Checks each component's iteration-0 leaves against its root and returns F's queried fibres folded. */
        Ext2[] open(WhirSchedule.Round r, WhirProof.Round pr, WhirProof.Batch b, int[] queries, Ext2[] alphas) throws PcsRejectedException {
            int m = roots.length;
            int[][] leaves = new int[m][];
            long[][][] fibres = new long[m][][];
            int[] logDomains = new int[m];
            int[] folds = new int[m];
            for (int j = 0; j < m; j++) {
                WhirProof.Opened o = j == 0 ? new WhirProof.Opened(pr.fibres(), pr.salts(), pr.paths()) : b.openings().get(j - 1);
                leaves[j] = Batching.leaves(queries, firsts[j].fibres());
                checkFibres(0, 1 << firsts[j].fold(), o.fibres());
                if (o.salts().length != 0) {
                    throw new PcsRejectedException("batched commitment " + j + ": salts on plain leaves");
                }
                checkLeaves(params, MerkleNode.PADDED, roots[j], firsts[j], o.fibres(), o.salts(), o.paths(), leaves[j]);
                fibres[j] = o.fibres();
                logDomains[j] = firsts[j].logDomain();
                folds[j] = firsts[j].fold();
            }
            Ext2[] folded = new Ext2[queries.length];
            for (int k = 0; k < queries.length; k++) {
                long[] combined = Batching.fibre(queries[k], r.logDomain(), r.fold(), muPowers, leaves, fibres, logDomains, folds);
                folded[k] = Codewords.foldFibre(combined, true, alphas, r.logDomain(), queries[k]);
            }
            return folded;
        }
    }

    /** Every count and length the schedule fixes, checked before anything is read. */
    static void checkShape(WhirSchedule schedule, WhirProof.Group g) throws PcsRejectedException {
        if (g.merkleRoot().length != MerkleHasher.DIGEST_BYTES) {
            throw new PcsRejectedException("Merkle root has " + g.merkleRoot().length + " bytes");
        }
        if (g.commitOod().length != schedule.commitOod()) {
            throw new PcsRejectedException(g.commitOod().length + " commitment out-of-domain answers, expected " + schedule.commitOod());
        }
        if (g.rounds().size() != schedule.rounds().size()) {
            throw new PcsRejectedException(g.rounds().size() + " iterations, expected " + schedule.rounds().size());
        }
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            WhirProof.Round pr = g.rounds().get(i);
            boolean last = i == schedule.rounds().size() - 1;
            if (pr.sumcheck().length != 2 * r.fold()) {
                throw new PcsRejectedException("iteration " + i + ": " + pr.sumcheck().length + " sumcheck values, expected " + 2 * r.fold());
            }
            if (pr.powNonces().length != (r.powBits() > 0 ? r.fold() : 0)) {
                throw new PcsRejectedException("iteration " + i + ": " + pr.powNonces().length + " proof-of-work nonces");
            }
            if (pr.nextRoot().length != (last ? 0 : MerkleHasher.DIGEST_BYTES) || pr.ood().length != r.ood()) {
                throw new PcsRejectedException("iteration " + i + ": malformed next oracle");
            }
            int width = (i == 0 && !g.once() ? 1 : 2) << r.fold(); // a once-committed f′'s leaves hold (f′, g) pairs
            if (i > 0 || g.components() == 1) { // a batched run's iteration-0 fibres are its components' (Batch#open, HidingBatch checks them)
                checkFibres(i, width, pr.fibres());
            }
            // A hiding group's iteration-0 leaves are salted and its iteration 0 opens the mask too; a plain group has neither. A
            // hiding group's later oracles are salted or not, as its prover chose (HidingLayout.unsaltedLaterOracles): a salt hides,
            // it binds nothing, so either is sound.
            boolean unsalted = !g.hiding() || (i > 0 && pr.salts().length == 0);
            if (pr.salts().length != (unsalted ? 0 : 2 * pr.fibres().length)) {
                throw new PcsRejectedException("iteration " + i + ": " + pr.salts().length + " salt values for " + pr.fibres().length + " fibres");
            }
            boolean maskOpened = g.hiding() && !g.once() && i == 0 && !HidingBatch.carriesFirstMask(g);
            if ((pr.mask() != null) != maskOpened) {
                throw new PcsRejectedException("iteration " + i + ": mask fibres " + (maskOpened ? "missing" : "unexpected"));
            }
            if (maskOpened && g.maskedBatch() == null) {
                checkFibres(i, 1 << schedule.rounds().getFirst().fold(), pr.mask().fibres());
                if (pr.mask().salts().length != 2 * pr.mask().fibres().length) {
                    throw new PcsRejectedException("iteration 0: " + pr.mask().salts().length + " salt values for " + pr.mask().fibres().length + " mask fibres");
                }
            }
        }
        if (g.hiding() && !g.once() && g.mask().root().length != MerkleHasher.DIGEST_BYTES) {
            throw new PcsRejectedException("mask root has " + g.mask().root().length + " bytes");
        }
        if (g.finalCoefficients().length != 1 << schedule.finalVars()) {
            throw new PcsRejectedException(g.finalCoefficients().length + " final coefficients, expected " + (1 << schedule.finalVars()));
        }
    }

    static void checkFibres(int i, int width, long[][] fibres) throws PcsRejectedException {
        for (long[] f : fibres) {
            if (f.length != width) {
                throw new PcsRejectedException("iteration " + i + ": fibre of " + f.length + " values, expected " + width);
            }
        }
    }

    /**
     * Checks the opened fibres (salted leaves when {@code salts} is non-empty) against the oracle's root
     * and returns each one folded by the iteration's challenges.
     */
    private static Ext2[] openFibres(WhirParameters params, MerkleNode node, byte[] root, WhirSchedule.Round r, boolean extension, long[][] fibres, long[] salts, MerkleMultiProof paths,
                                     int[] queries, Ext2[] alphas) throws PcsRejectedException {
        checkLeaves(params, node, root, r, fibres, salts, paths, queries);
        Ext2[] folded = new Ext2[queries.length];
        for (int k = 0; k < queries.length; k++) {
            folded[k] = Codewords.foldFibre(fibres[k], extension, alphas, r.logDomain(), queries[k]);
        }
        return folded;
    }

    /** Iteration 0 of a hiding opening whose g is in f′'s tree: each leaf's (f′, g) pairs, folded as F = f′ + ρ·g. */
    private static Ext2[] openPairFibres(WhirParameters params, MerkleNode node, byte[] root, Ext2 rho, WhirSchedule.Round r, WhirProof.Round pr, int[] queries, Ext2[] alphas)
            throws PcsRejectedException {
        checkLeaves(params, node, root, r, pr.fibres(), pr.salts(), pr.paths(), queries);
        Ext2[] folded = new Ext2[queries.length];
        for (int k = 0; k < queries.length; k++) {
            long[] pair = pr.fibres()[k];
            long[] combined = new long[pair.length];
            for (int e = 0; e < pair.length; e += 2) {
                combined[e] = Goldilocks.add(pair[e], Goldilocks.mul(rho.c0(), pair[e + 1]));
                combined[e + 1] = Goldilocks.mul(rho.c1(), pair[e + 1]);
            }
            folded[k] = Codewords.foldFibre(combined, true, alphas, r.logDomain(), queries[k]);
        }
        return folded;
    }

    /** Iteration 0 of a hiding opening: f′'s and g's fibres, each checked against its root, folded as F = f′ + ρ·g. */
    private static Ext2[] openMaskedFibres(WhirParameters params, MerkleNode node, byte[] root, byte[] maskRoot, Ext2 rho, WhirSchedule.Round r, WhirProof.Round pr, int[] queries,
                                           Ext2[] alphas) throws PcsRejectedException {
        WhirProof.Opened m = pr.mask();
        checkLeaves(params, MerkleNode.PADDED, root, r, pr.fibres(), pr.salts(), pr.paths(), queries); // a reusable f′'s tree
        checkLeaves(params, node, maskRoot, r, m.fibres(), m.salts(), m.paths(), queries); // g's leaves are f′'s (HidingLayout.maskFunctionals)
        Ext2[] folded = new Ext2[queries.length];
        for (int k = 0; k < queries.length; k++) {
            long[] a = pr.fibres()[k];
            long[] b = m.fibres()[k];
            long[] combined = new long[2 * a.length];
            for (int e = 0; e < a.length; e++) {
                combined[2 * e] = Goldilocks.add(a[e], Goldilocks.mul(rho.c0(), b[e]));
                combined[2 * e + 1] = Goldilocks.mul(rho.c1(), b[e]);
            }
            folded[k] = Codewords.foldFibre(combined, true, alphas, r.logDomain(), queries[k]);
        }
        return folded;
    }

    /**
     * Checks the opened leaves against the root, every hash the parameters' Merkle hash truncated to their digest bytes, the tree's
     * inner nodes {@code node}'s.
     */
    static void checkLeaves(WhirParameters params, MerkleNode node, byte[] root, WhirSchedule.Round r, long[][] fibres, long[] salts, MerkleMultiProof paths, int[] queries)
            throws PcsRejectedException {
        if (fibres.length != queries.length) {
            throw new PcsRejectedException(fibres.length + " fibres opened, " + queries.length + " queried");
        }
        if (paths.digestBytes() != params.digestBytes()) {
            throw new PcsRejectedException("Merkle paths of " + paths.digestBytes() + "-byte digests, the parameters' are " + params.digestBytes());
        }
        boolean salted = salts.length > 0; // checkShape fixed whether this oracle's leaves are salted
        MerkleHasher hasher = params.hasher();
        byte[] leaves[] = new byte[queries.length][];
        for (int k = 0; k < queries.length; k++) {
            byte[] buf = new byte[8 * fibres[k].length + Codewords.SALT_BYTES];
            leaves[k] = salted ? Codewords.saltedLeafHash(hasher, fibres[k], salts[2 * k], salts[2 * k + 1], buf)
                    : Codewords.leafHash(hasher, fibres[k], buf);
        }
        try {
            paths.verify(params.merkleHash(), node, root, r.fibres(), queries, leaves);
        } catch (MerkleProofException e) {
            throw new PcsRejectedException("fibre openings: " + e.getMessage());
        }
    }

    /** h(α) for the quadratic with h(0), h(1), h(2) (Lagrange on {0, 1, 2}). */
    private static Ext2 quadratic(Ext2 h0, Ext2 h1, Ext2 h2, Ext2 a) {
        Ext2 am1 = a.sub(1);
        Ext2 am2 = a.sub(2);
        long half = Goldilocks.HALF + 1;
        return h0.mul(am1).mul(am2).mul(half).sub(h1.mul(a).mul(am2)).add(h2.mul(a).mul(am1).mul(half));
    }
}
