package dev.verinfer.whir;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleMultiProof;
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
    private static final int PARALLEL_CHUNK = 1 << 12;

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
            if (o.point().length != c.numVars()) {
                throw new IllegalArgumentException("point has " + o.point().length + " coordinates for a " + c.numVars() + "-variable polynomial");
            }
            Ext2 value = Mle.evaluate(c.table, o.point());
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

        ExtVector f = null; // f_i's table; before the first fold, f₀ is c.table over the base field
        long[] code0 = c.codeword;
        long[] code1 = null;
        MerkleTree tree = c.tree;
        List<WhirProof.Round> rounds = new ArrayList<>();
        Ext2[] finalCoefficients = null;
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] messages = new Ext2[2 * r.fold()];
            long[] nonces = new long[r.powBits() > 0 ? r.fold() : 0];
            for (int s = 0; s < r.fold(); s++) {
                Ext2[] h = f == null ? roundMessage(c.table, weight) : roundMessage(f, weight);
                deviation.sumcheck(group, i, s, h);
                messages[2 * s] = h[0];
                messages[2 * s + 1] = h[1];
                WhirTranscript.absorbSumcheck(t, h[0], h[1]);
                long nonce = WhirTranscript.grind(t, r.powBits());
                if (nonces.length > 0) {
                    nonces[s] = nonce;
                }
                Ext2 alpha = WhirTranscript.foldChallenge(t);
                f = f == null ? Mle.foldLowest(c.table, alpha) : Mle.foldLowest(f, alpha);
                weight = Mle.foldLowest(weight, alpha);
            }
            ExtVector coefficients = f == null ? ExtVector.ofBase(c.table) : f.copy(); // f₀ itself when n = 0
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
            long[] next0 = null;
            long[] next1 = null;
            MerkleTree nextTree = null;
            if (last) {
                finalCoefficients = coefficients.toArray();
                WhirTranscript.absorbFinal(t, finalCoefficients);
            } else {
                WhirSchedule.Round nr = schedule.rounds().get(i + 1);
                next0 = Codewords.encode(coefficients.c0(), nr.logDomain());
                next1 = Codewords.encode(coefficients.c1(), nr.logDomain());
                nextTree = Codewords.commit(next0, next1, nr.logDomain(), nr.fold());
                nextRoot = nextTree.root();
                oodPoints = WhirTranscript.nextOracle(t, nextRoot, r.ood());
                oodAnswers = new Ext2[oodPoints.length];
                for (int k = 0; k < oodPoints.length; k++) {
                    oodAnswers[k] = Codewords.univariate(coefficients, oodPoints[k]);
                }
                deviation.ood(group, i, oodAnswers);
                WhirTranscript.absorbOodAnswers(t, oodAnswers);
            }
            int[] queries = WhirTranscript.queries(t, r);
            long[][] fibres = new long[queries.length][];
            for (int k = 0; k < queries.length; k++) {
                fibres[k] = Codewords.fibre(code0, code1, r.logDomain(), r.fold(), queries[k]);
            }
            MerkleMultiProof paths = tree.open(queries);
            deviation.fibres(group, i, fibres);
            long combineNonce = last ? 0 : WhirTranscript.grind(t, r.combinePowBits());
            rounds.add(new WhirProof.Round(messages, nonces, nextRoot, oodAnswers, fibres, paths, combineNonce));
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
                code0 = next0;
                code1 = next1;
                tree = nextTree;
            }
        }
        return new WhirProof.Group(c.tree.root(), c.oodAnswers.clone(), List.copyOf(rounds), finalCoefficients);
    }

    /** (h(0), h(2)) of h(X) = Σ_x f(X, x)·w(X, x), the lowest variable being X. */
    static Ext2[] roundMessage(ExtVector f, ExtVector w) {
        long[] f0 = f.c0();
        long[] f1 = f.c1();
        long[] w0 = w.c0();
        long[] w1 = w.c1();
        int half = f.length() / 2;
        List<long[]> parts = Parallelism.mapChunks(half, PARALLEL_CHUNK, (from, to) -> {
            long a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            for (int i = from; i < to; i++) {
                long lf0 = f0[2 * i], lf1 = f1[2 * i], lw0 = w0[2 * i], lw1 = w1[2 * i];
                a0 = BranchFree.add(a0, ExtMath.mulC0(lf0, lf1, lw0, lw1));
                a1 = BranchFree.add(a1, ExtMath.mulC1(lf0, lf1, lw0, lw1));
                // Values at X = 2: 2·hi − lo.
                long tf0 = BranchFree.sub(BranchFree.add(f0[2 * i + 1], f0[2 * i + 1]), lf0);
                long tf1 = BranchFree.sub(BranchFree.add(f1[2 * i + 1], f1[2 * i + 1]), lf1);
                long tw0 = BranchFree.sub(BranchFree.add(w0[2 * i + 1], w0[2 * i + 1]), lw0);
                long tw1 = BranchFree.sub(BranchFree.add(w1[2 * i + 1], w1[2 * i + 1]), lw1);
                b0 = BranchFree.add(b0, ExtMath.mulC0(tf0, tf1, tw0, tw1));
                b1 = BranchFree.add(b1, ExtMath.mulC1(tf0, tf1, tw0, tw1));
            }
            return new long[] {a0, a1, b0, b1};
        });
        return sumOfChunks(parts);
    }

    /** {@link #roundMessage(ExtVector, ExtVector)} for a base-field f: two base products per extension product. */
    static Ext2[] roundMessage(long[] f, ExtVector w) {
        long[] w0 = w.c0();
        long[] w1 = w.c1();
        int half = f.length / 2;
        List<long[]> parts = Parallelism.mapChunks(half, PARALLEL_CHUNK, (from, to) -> {
            long a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            for (int i = from; i < to; i++) {
                long lf = f[2 * i];
                a0 = BranchFree.add(a0, BranchFree.mul(lf, w0[2 * i]));
                a1 = BranchFree.add(a1, BranchFree.mul(lf, w1[2 * i]));
                long tf = BranchFree.sub(BranchFree.add(f[2 * i + 1], f[2 * i + 1]), lf);
                long tw0 = BranchFree.sub(BranchFree.add(w0[2 * i + 1], w0[2 * i + 1]), w0[2 * i]);
                long tw1 = BranchFree.sub(BranchFree.add(w1[2 * i + 1], w1[2 * i + 1]), w1[2 * i]);
                b0 = BranchFree.add(b0, BranchFree.mul(tf, tw0));
                b1 = BranchFree.add(b1, BranchFree.mul(tf, tw1));
            }
            return new long[] {a0, a1, b0, b1};
        });
        return sumOfChunks(parts);
    }

    /** The round message (h(0), h(2)) from the chunks' partial sums {a0, a1, b0, b1}. */
    private static Ext2[] sumOfChunks(List<long[]> parts) {
        Ext2 h0 = Ext2.ZERO;
        Ext2 h2 = Ext2.ZERO;
        for (long[] p : parts) {
            h0 = h0.add(new Ext2(p[0], p[1]));
            h2 = h2.add(new Ext2(p[2], p[3]));
        }
        return new Ext2[] {h0, h2};
    }
}
