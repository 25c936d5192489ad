package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WHIR opening prover (Construction 5.1). Per commitment it holds the evaluation table of f_i and
 * of the weight w_i, with Σ_x f_i(x)·w_i(x) = σ_i: w₀ = Σ_j β^j·eq(r_j, ·) over the claims and the
 * commit-time out-of-domain points; every iteration binds k variables by sumcheck, commits f_{i+1},
 * opens the queried fibres of f_i, and adds γ-weighted eq(powers(z), ·) terms for the new out-of-domain
 * points and folded query points, whose values the verifier knows, to the weight.
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

        /** The sumcheck message (h(0), h(2)) of step s of iteration i in group g. */
        default void sumcheck(int g, int i, int s, Ext2[] message) {}

        /** The coefficients of f_{i+1} before they are encoded (or sent, after the last iteration). */
        default void folded(int g, int i, ExtVector coefficients) {}

        /** The out-of-domain answers about f_{i+1}. */
        default void ood(int g, int i, Ext2[] answers) {}

        /** The opened fibres of f_i, after their Merkle proof was made. */
        default void fibres(int g, int i, long[][] fibres) {}

        /** A hiding opening's fresh mask g (coefficients) as drawn, before it is encoded. */
        default void mask(int g, long[] coefficients) {}
    }

    static WhirProof open(WhirParameters params, Transcript t, List<PcsOpening> openings) {
        return open(params, t, openings, Deviation.NONE);
    }

    static WhirProof open(WhirParameters params, Transcript t, List<PcsOpening> openings, Deviation deviation) {
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
            Ext2 value = c instanceof WhirHidingCommitment h ? h.evaluate(o.point()) : Mle.evaluate(c.table, o.point());
            if (deviation.checksClaims() && !value.equals(o.value())) {
                throw new IllegalArgumentException("claimed value " + o.value() + " is not the polynomial's value " + value + " at the point");
            }
            claims.add(o.claim());
            groups.computeIfAbsent(HexFormat.of().formatHex(c.root()) + "/" + c.numVars(), k -> new ArrayList<>()).add(i);
        }
        WhirTranscript.absorbClaims(t, params, claims);
        List<WhirProof.Group> out = new ArrayList<>();
        for (List<Integer> members : groups.values()) {
            WhirCommitment c = (WhirCommitment) openings.get(members.getFirst()).commitment();
            out.add(openGroup(t, c, members.stream().map(openings::get).toList(), out.size(), deviation));
        }
        return new WhirProof(List.copyOf(out));
    }

    private static WhirProof.Group openGroup(Transcript t, WhirCommitment c, List<PcsOpening> openings, int group, Deviation deviation) {
        if (c instanceof WhirHidingCommitment h) {
            return HidingOpening.open(t, h, openings, group, deviation);
        }
        WhirSchedule schedule = c.schedule;
        int n = c.numVars();
        WhirTranscript.absorbCommitment(t, c.tree.root(), c.oodAnswers);
        Ext2 beta = WhirTranscript.claimCombiner(t);
        ExtVector weight = ExtVector.zeros(1 << n);
        Ext2 coefficient = Ext2.ONE;
        for (PcsOpening o : openings) {
            WeightKernels.addEq(weight, coefficient, o.point());
            coefficient = coefficient.mul(beta);
        }
        Ext2[] commitPoints = WhirTranscript.commitOodPoints(c.params, n, c.tree.root(), schedule.commitOod());
        for (Ext2 z : commitPoints) {
            WeightKernels.addEq(weight, coefficient, Codewords.powers(z, n));
            coefficient = coefficient.mul(beta);
        }
        Run run = iterate(t, schedule, null, c.table, weight, new Oracle(c.codeword, null, c.tree, null), null, null, group, deviation);
        return new WhirProof.Group(c.tree.root(), c.oodAnswers.clone(), run.rounds(), run.finalCoefficients());
    }

    /**
     * A committed codeword the verifier queries: base ({@code c1} null) or extension, its Merkle tree and,
     * for a hiding opening's oracles, the leaves' salts (two longs per fibre; null for plain leaves).
     */
    record Oracle(long[] c0, long[] c1, MerkleTree tree, long[] salts) {
        WhirProof.Opened open(WhirSchedule.Round r, int[] queries) {
            long[][] fibres = new long[queries.length][];
            long[] opened = new long[salts == null ? 0 : 2 * queries.length];
            for (int k = 0; k < queries.length; k++) {
                fibres[k] = Codewords.fibre(c0, c1, r.logDomain(), r.fold(), queries[k]);
                if (salts != null) {
                    opened[2 * k] = salts[2 * queries[k]];
                    opened[2 * k + 1] = salts[2 * queries[k] + 1];
                }
            }
            return new WhirProof.Opened(fibres, opened, tree.open(queries));
        }
    }

    /** The iterations' messages and the final polynomial. */
    record Run(List<WhirProof.Round> rounds, Ext2[] finalCoefficients) {}

    /**
     * WHIR's iterations from the first sumcheck on: f is f₀'s table (null: the base table {@code base}),
     * {@code weight} holds every constraint so far, {@code first} is f₀'s oracle. A hiding opening passes
     * its mask's oracle (opened at iteration 0's queries beside f₀'s) and the generator of fresh salts for
     * the oracles it commits; a plain opening passes null for both.
     */
    static Run iterate(Transcript t, WhirSchedule schedule, ExtVector f, long[] base, ExtVector weight, Oracle first, Oracle mask,
                       MaskStream salts, int group, Deviation deviation) {
        Oracle oracle = first;
        List<WhirProof.Round> rounds = new ArrayList<>();
        Ext2[] finalCoefficients = null;
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] messages = new Ext2[2 * r.fold()];
            long[] nonces = new long[r.powBits() > 0 ? r.fold() : 0];
            Ext2[] h = f == null ? FoldKernels.message(base, weight) : FoldKernels.message(f, weight);
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
                FoldKernels.Step step = FoldKernels.fold(f == null ? base : null, f, weight, alpha, s + 1 < r.fold());
                f = step.f();
                weight = step.w();
                h = step.message();
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
                next = new Oracle(next0, next1, Codewords.commit(next0, next1, nr.logDomain(), nr.fold(), nextSalts), nextSalts);
                nextRoot = next.tree().root();
                oodPoints = WhirTranscript.nextOracle(t, nextRoot, r.ood());
                oodAnswers = new Ext2[oodPoints.length];
                for (int k = 0; k < oodPoints.length; k++) {
                    oodAnswers[k] = Codewords.univariate(coefficients, oodPoints[k]);
                }
                deviation.ood(group, i, oodAnswers);
                WhirTranscript.absorbOodAnswers(t, oodAnswers);
            }
            int[] queries = WhirTranscript.queries(t, r);
            WhirProof.Opened opened = oracle.open(r, queries);
            deviation.fibres(group, i, opened.fibres());
            WhirProof.Opened maskOpened = i == 0 && mask != null ? mask.open(r, queries) : null;
            long combineNonce = last ? 0 : WhirTranscript.grind(t, r.combinePowBits());
            rounds.add(new WhirProof.Round(messages, nonces, nextRoot, oodAnswers, opened.fibres(), opened.paths(), combineNonce,
                    opened.salts(), maskOpened));
            if (!last) {
                Ext2 gamma = WhirTranscript.constraintCombiner(t);
                Ext2 g = gamma;
                int vars = schedule.rounds().get(i + 1).vars();
                for (Ext2 z : oodPoints) {
                    WeightKernels.addEq(weight, g, Codewords.powers(z, vars));
                    g = g.mul(gamma);
                }
                Ext2[] coefficientsOfQueries = new Ext2[queries.length];
                long[] points = new long[queries.length];
                for (int k = 0; k < queries.length; k++) {
                    coefficientsOfQueries[k] = g;
                    points[k] = Codewords.foldedPoint(r.logDomain(), r.fold(), queries[k]);
                    g = g.mul(gamma);
                }
                WeightKernels.addEqsOfPowers(weight, coefficientsOfQueries, points, vars);
                oracle = next;
            }
        }
        return new Run(List.copyOf(rounds), finalCoefficients);
    }
}
