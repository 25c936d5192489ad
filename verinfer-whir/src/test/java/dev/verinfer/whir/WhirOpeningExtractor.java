package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one WHIR opening reveals, written as K-linear functionals of the committed coefficients: for a
 * plain group the unknowns are f's 2^n coefficients; for a hiding group f′'s 2^v coefficients (f's, then
 * the mask ĥ's) followed by the opening's fresh g (2^v), read from g's own leaves or, for a commitment made for one
 * opening, from f′'s leaves, which hold (f′, g) at each point. It replays only public data: the proof, the
 * claims and the verifier's coins ({@link WhirVerifier.Coins}); the functional of each sent value follows
 * from the protocol (F = f′ + ρ·g folded by the challenges, the weight rebuilt as the prover builds it).
 * Every value the proof sends is one {@link Row}, so a test can check each row against the true
 * unknowns (the extractor is right) and count the rank the rows gain on f net of the masks.
 */
final class WhirOpeningExtractor {
    /** A revealed value and its functional: value = Σ_i φ_i·u_i, u the unknowns (base field), φ in K. */
    record Row(String what, long[] c0, long[] c1, Ext2 value) {
        Ext2 apply(long[] u) {
            long a0 = 0;
            long a1 = 0;
            for (int i = 0; i < u.length; i++) {
                a0 = Goldilocks.add(a0, Goldilocks.mul(c0[i], u[i]));
                a1 = Goldilocks.add(a1, Goldilocks.mul(c1[i], u[i]));
            }
            return new Ext2(a0, a1);
        }
    }

    private WhirOpeningExtractor() {}

    /** A K-vector over the unknowns. */
    private record Fn(long[] c0, long[] c1) {
        static Fn zero(int u) {
            return new Fn(new long[u], new long[u]);
        }

        static Fn unit(int u, int i, Ext2 s) {
            Fn f = zero(u);
            f.c0[i] = s.c0();
            f.c1[i] = s.c1();
            return f;
        }

        /** this += s·o. */
        void addTimes(Ext2 s, Fn o) {
            long s0 = s.c0();
            long s1 = s.c1();
            for (int i = 0; i < c0.length; i++) {
                if (o.c0[i] == 0 && o.c1[i] == 0) {
                    continue;
                }
                c0[i] = Goldilocks.add(c0[i], ExtMath.mulC0(s0, s1, o.c0[i], o.c1[i]));
                c1[i] = Goldilocks.add(c1[i], ExtMath.mulC1(s0, s1, o.c0[i], o.c1[i]));
            }
        }

        Row row(String what, Ext2 value) {
            return new Row(what, c0, c1, value);
        }
    }

    /**
     * A batch model of one member ({@link #batched}) as a run of one hiding commitment sends it ({@link WhirProof.Mask#summed}):
     * member 0's values of g at its constraint points — the claims, f′'s commit points, g's own — replaced by their β-sum.
     */
    static List<Row> summed(List<Row> rows, int claims, WhirVerifier.Coins coins) {
        List<String> order = new ArrayList<>();
        for (int c = 0; c < claims; c++) {
            order.add("0: g at claim " + c);
        }
        for (int k = 0; k < coins.commitPoints().length; k++) {
            order.add("0: g at commit ood " + k);
        }
        for (int k = 0; k < coins.maskPoints().length; k++) {
            order.add("0: g at mask ood " + k);
        }
        Fn sum = Fn.zero(rows.getFirst().c0().length);
        Ext2 power = Ext2.ONE;
        for (String name : order) {
            Row r = rows.stream().filter(x -> x.what().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(name));
            sum.addTimes(power, new Fn(r.c0(), r.c1()));
            power = power.mul(coins.beta());
        }
        List<Row> out = new ArrayList<>(rows.stream().filter(x -> !order.contains(x.what())).toList());
        out.add(sum.row("0: g summed", null));
        return out;
    }

    /** The rows of one group (the only group of {@code proof}), with {@code tableVars} = n. */
    static List<Row> extract(WhirParameters params, List<PcsClaim> claims, WhirProof.Group g, WhirVerifier.Coins coins) {
        return extract(params, claims, g, coins, false);
    }

    /**
     * {@link #extract}, with {@code firstFold}: also F₁ whole — F folded by iteration 0's challenges, one row per coefficient
     * (value null) — everything an unsalted later oracle's tree could give away ({@link HidingLayout#unsaltedLaterOracles}).
     */
    static List<Row> extract(WhirParameters params, List<PcsClaim> claims, WhirProof.Group g, WhirVerifier.Coins coins, boolean firstFold) {
        int n = claims.getFirst().numVars();
        boolean hiding = g.hiding();
        int v = hiding ? n + g.mask().extraVars() : n;
        int size = 1 << v;
        int u = hiding ? 2 * size : size;
        WhirSchedule schedule = hiding ? params.hidingSchedule(v, g.mask().firstFold()) : params.schedule(v);
        List<Row> rows = new ArrayList<>();

        for (int k = 0; k < coins.commitPoints().length; k++) {
            rows.add(powersRow(u, 0, size, coins.commitPoints()[k]).row("commit ood " + k, g.commitOod()[k]));
        }
        List<Ext2[]> points = new ArrayList<>();
        for (PcsClaim c : claims) {
            points.add(hiding ? HidingOpening.embed(c.point(), v) : c.point());
        }
        Fn[] poly = new Fn[size];
        for (int i = 0; i < size; i++) {
            poly[i] = Fn.unit(u, i, Ext2.ONE);
            if (hiding) {
                poly[i].addTimes(coins.rho(), Fn.unit(u, size + i, Ext2.ONE));
            }
        }
        if (hiding && g.mask().summed()) {
            // f̂′ at g's points, then Γ = Σ_k β^k·g(p_k) over the claims, f′'s commit points and g's points (WhirProof.Mask#summed).
            for (int k = 0; k < coins.maskPoints().length; k++) {
                rows.add(powersRow(u, 0, size, coins.maskPoints()[k]).row("f' at mask ood " + k, g.mask().ood()[k]));
            }
            Fn sum = Fn.zero(u);
            Ext2 power = Ext2.ONE;
            List<Fn> gRows = new ArrayList<>();
            for (Ext2[] p : points) {
                gRows.add(monomialRow(u, size, p));
            }
            for (Ext2[] zs : List.of(coins.commitPoints(), coins.maskPoints())) {
                for (Ext2 z : zs) {
                    gRows.add(powersRow(u, size, size, z));
                }
            }
            for (Fn r : gRows) {
                sum.addTimes(power, r);
                power = power.mul(coins.beta());
            }
            rows.add(sum.row("mask sum", g.mask().claims()[0]));
        } else if (hiding) {
            int m = coins.commitPoints().length;
            for (int k = 0; k < m; k++) {
                rows.add(powersRow(u, size, size, coins.commitPoints()[k]).row("mask at commit ood " + k, g.mask().ood()[k]));
            }
            for (int k = 0; k < coins.maskPoints().length; k++) {
                rows.add(powersRow(u, 0, size, coins.maskPoints()[k]).row("f' at mask ood " + k, g.mask().ood()[m + 2 * k]));
                rows.add(powersRow(u, size, size, coins.maskPoints()[k]).row("mask at mask ood " + k, g.mask().ood()[m + 2 * k + 1]));
            }
            for (int j = 0; j < points.size(); j++) {
                rows.add(monomialRow(u, size, points.get(j)).row("mask at claim " + j, g.mask().claims()[j]));
            }
        }
        ExtVector weight = ExtVector.zeros(size);
        Ext2 coefficient = Ext2.ONE;
        for (Ext2[] p : points) {
            WeightKernels.addEq(weight, coefficient, p);
            coefficient = coefficient.mul(coins.beta());
        }
        for (Ext2[] zs : List.of(coins.commitPoints(), coins.maskPoints())) {
            for (Ext2 z : zs) {
                WeightKernels.addEq(weight, coefficient, Codewords.powers(z, v));
                coefficient = coefficient.mul(coins.beta());
            }
        }

        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            WhirProof.Round pr = g.rounds().get(i);
            Fn[] oracle = poly;
            for (int s = 0; s < r.fold(); s++) {
                for (int t = 0; t < 2; t++) {
                    rows.add(sumcheckRow(u, poly, weight, t == 0 ? 0 : 2).row("iteration " + i + " round " + s + " h(" + 2 * t + ")", pr.sumcheck()[2 * s + t]));
                }
                Ext2 alpha = coins.alphas().get(i)[s];
                Fn[] folded = new Fn[poly.length / 2];
                for (int j = 0; j < folded.length; j++) {
                    folded[j] = new Fn(poly[2 * j].c0().clone(), poly[2 * j].c1().clone());
                    folded[j].addTimes(alpha, poly[2 * j + 1]);
                }
                poly = folded;
                weight = Mle.foldLowest(weight, alpha);
            }
            for (int j = 0; firstFold && i == 0 && j < poly.length; j++) {
                rows.add(poly[j].row("F1 " + j, null));
            }
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] oodPoints = coins.oodPoints().get(i);
            for (int k = 0; k < oodPoints.length; k++) {
                rows.add(univariate(u, poly, oodPoints[k]).row("iteration " + i + " ood " + k, pr.ood()[k]));
            }
            int[] queries = coins.queries().get(i);
            int stride = 1 << (r.logDomain() - r.fold());
            long omega = Goldilocks.rootOfUnity(r.logDomain());
            for (int q = 0; q < queries.length; q++) {
                for (int m = 0; m < 1 << r.fold(); m++) {
                    Ext2 x = Ext2.of(Goldilocks.pow(omega, queries[q] + (long) m * stride));
                    String what = "iteration " + i + " fibre " + queries[q] + "." + m;
                    if (i == 0 && g.once()) { // a leaf of f′'s tree holds (f′, g) at each point
                        rows.add(powersRow(u, 0, size, x).row(what, Ext2.of(pr.fibres()[q][2 * m])));
                        rows.add(powersRow(u, size, size, x).row("mask " + what, Ext2.of(pr.fibres()[q][2 * m + 1])));
                    } else if (i == 0) {
                        rows.add(powersRow(u, 0, size, x).row(what, Ext2.of(pr.fibres()[q][m])));
                        if (hiding) { // g's leaves are f′'s, opened at the same indices (HidingLayout.maskFunctionals)
                            rows.add(powersRow(u, size, size, x).row("mask " + what, Ext2.of(pr.mask().fibres()[q][m])));
                        }
                    } else {
                        rows.add(univariate(u, oracle, x).row(what, new Ext2(pr.fibres()[q][2 * m], pr.fibres()[q][2 * m + 1])));
                    }
                }
            }
            if (last) {
                for (int j = 0; j < poly.length; j++) {
                    rows.add(poly[j].row("final " + j, g.finalCoefficients()[j]));
                }
            } else {
                int nextVars = schedule.rounds().get(i + 1).vars();
                Ext2 gamma = coins.gammas().get(i);
                Ext2 c = gamma;
                for (Ext2 z : oodPoints) {
                    WeightKernels.addEq(weight, c, Codewords.powers(z, nextVars));
                    c = c.mul(gamma);
                }
                for (int q : queries) {
                    WeightKernels.addEq(weight, c, Codewords.powers(Ext2.of(Codewords.foldedPoint(r.logDomain(), r.fold(), q)), nextVars));
                    c = c.mul(gamma);
                }
            }
        }
        return rows;
    }

    /**
     * The rows of a rotation proof ({@link WhirRotation}) over the unknowns f′_a's coefficients, then f′_b's, then the
     * rotation's g (2^v each): the commitments' answers, the values sent before ρ, z, F = f′_a + μ·f′_b + ρ(1 + μ)·g's
     * sumcheck messages, oracles and final polynomial, and iteration 0's leaves of a, b and g.
     */
    static List<Row> rotation(WhirParameters params, int n, WhirRotation.Proof proof, WhirRotation.Coins coins) {
        WhirProof.Group g = proof.run();
        int v = n + g.mask().extraVars();
        int size = 1 << v;
        int u = 3 * size;
        WhirSchedule schedule = params.hidingSchedule(v, g.mask().firstFold());
        WhirVerifier.Coins run = coins.run();
        List<Row> rows = new ArrayList<>();
        Ext2[] aPoints = run.commitPoints();
        Ext2[] bPoints = coins.toPoints();
        Ext2[] wPoints = run.maskPoints();
        Ext2[] x = g.mask().ood();
        int k = 0;
        for (int j = 0; j < aPoints.length; j++) {
            rows.add(powersRow(u, 0, size, aPoints[j]).row("a commit ood " + j, g.commitOod()[j]));
            rows.add(powersRow(u, 2 * size, size, aPoints[j]).row("g at a's ood " + j, x[k++]));
            rows.add(powersRow(u, size, size, aPoints[j]).row("b at a's ood " + j, x[k++]));
        }
        for (int j = 0; j < bPoints.length; j++) {
            rows.add(powersRow(u, size, size, bPoints[j]).row("b commit ood " + j, proof.toOod()[j]));
            rows.add(powersRow(u, 2 * size, size, bPoints[j]).row("g at b's ood " + j, x[k++]));
            rows.add(powersRow(u, 0, size, bPoints[j]).row("a at b's ood " + j, x[k++]));
        }
        for (int j = 0; j < wPoints.length; j++) {
            rows.add(powersRow(u, 0, size, wPoints[j]).row("a at g's ood " + j, x[k++]));
            rows.add(powersRow(u, size, size, wPoints[j]).row("b at g's ood " + j, x[k++]));
            rows.add(powersRow(u, 2 * size, size, wPoints[j]).row("g at g's ood " + j, x[k++]));
        }
        Ext2[] face = HidingOpening.embed(coins.r(), v);
        Fn z = monomialRow(u, 0, face);
        z.addTimes(run.rho(), monomialRow(u, 2 * size, face));
        rows.add(z.row("z", proof.z()));

        Ext2 mu = coins.mu();
        Ext2 lambda = run.rho().mul(mu.add(1));
        Fn[] poly = new Fn[size];
        for (int i = 0; i < size; i++) {
            poly[i] = Fn.unit(u, i, Ext2.ONE);
            poly[i].addTimes(mu, Fn.unit(u, size + i, Ext2.ONE));
            poly[i].addTimes(lambda, Fn.unit(u, 2 * size + i, Ext2.ONE));
        }
        ExtVector weight = ExtVector.zeros(size);
        Ext2 coefficient = Ext2.ONE;
        WeightKernels.addEq(weight, coefficient, face);
        coefficient = coefficient.mul(run.beta());
        for (Ext2[] zs : List.of(aPoints, bPoints, wPoints)) {
            for (Ext2 p : zs) {
                WeightKernels.addEq(weight, coefficient, Codewords.powers(p, v));
                coefficient = coefficient.mul(run.beta());
            }
        }
        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            WhirProof.Round pr = g.rounds().get(i);
            Fn[] oracle = poly;
            for (int s = 0; s < r.fold(); s++) {
                for (int t = 0; t < 2; t++) {
                    rows.add(sumcheckRow(u, poly, weight, t == 0 ? 0 : 2).row("iteration " + i + " round " + s + " h(" + 2 * t + ")", pr.sumcheck()[2 * s + t]));
                }
                Ext2 alpha = run.alphas().get(i)[s];
                Fn[] folded = new Fn[poly.length / 2];
                for (int j = 0; j < folded.length; j++) {
                    folded[j] = new Fn(poly[2 * j].c0().clone(), poly[2 * j].c1().clone());
                    folded[j].addTimes(alpha, poly[2 * j + 1]);
                }
                poly = folded;
                weight = Mle.foldLowest(weight, alpha);
            }
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] oodPoints = run.oodPoints().get(i);
            for (int j = 0; j < oodPoints.length; j++) {
                rows.add(univariate(u, poly, oodPoints[j]).row("iteration " + i + " ood " + j, pr.ood()[j]));
            }
            int[] queries = run.queries().get(i);
            int stride = 1 << (r.logDomain() - r.fold());
            long omega = Goldilocks.rootOfUnity(r.logDomain());
            for (int q = 0; q < queries.length; q++) {
                for (int m = 0; m < 1 << r.fold(); m++) {
                    Ext2 xm = Ext2.of(Goldilocks.pow(omega, queries[q] + (long) m * stride));
                    String what = "iteration " + i + " fibre " + queries[q] + "." + m;
                    if (i == 0) {
                        rows.add(powersRow(u, 0, size, xm).row("a " + what, Ext2.of(pr.fibres()[q][m])));
                        rows.add(powersRow(u, size, size, xm).row("b " + what, Ext2.of(proof.toLeaves().fibres()[q][m])));
                        rows.add(powersRow(u, 2 * size, size, xm).row("g " + what, Ext2.of(pr.mask().fibres()[q][m]))); // g's leaves are f′'s
                    } else {
                        rows.add(univariate(u, oracle, xm).row(what, new Ext2(pr.fibres()[q][2 * m], pr.fibres()[q][2 * m + 1])));
                    }
                }
            }
            if (last) {
                for (int j = 0; j < poly.length; j++) {
                    rows.add(poly[j].row("final " + j, g.finalCoefficients()[j]));
                }
            } else {
                int nextVars = schedule.rounds().get(i + 1).vars();
                Ext2 gamma = run.gammas().get(i);
                Ext2 c = gamma;
                for (Ext2 p : oodPoints) {
                    WeightKernels.addEq(weight, c, Codewords.powers(p, nextVars));
                    c = c.mul(gamma);
                }
                for (int q : queries) {
                    WeightKernels.addEq(weight, c, Codewords.powers(Ext2.of(Codewords.foldedPoint(r.logDomain(), r.fold(), q)), nextVars));
                    c = c.mul(gamma);
                }
            }
        }
        return rows;
    }

    /**
     * Component j of a batched plain run, alone: its claims, commit-time out-of-domain answers and the
     * iteration-0 fibres of its own tree (read at the leaves F's {@code queries} reach), as functionals of
     * its 2^n_j coefficients.
     */
    static List<Row> component(WhirParameters params, List<PcsClaim> claims, WhirProof.Group g, int j, int[] queries) {
        int n = claims.getFirst().numVars();
        int size = 1 << n;
        List<Row> rows = new ArrayList<>();
        byte[] root = j == 0 ? g.merkleRoot() : g.batch().others().get(j - 1).merkleRoot();
        Ext2[] ood = j == 0 ? g.commitOod() : g.batch().others().get(j - 1).commitOod();
        Ext2[] points = WhirTranscript.commitOodPoints(params, n, root, ood.length);
        for (int k = 0; k < points.length; k++) {
            rows.add(powersRow(size, 0, size, points[k]).row("commit ood " + k, ood[k]));
        }
        for (int c = 0; c < claims.size(); c++) {
            Ext2[] mono = monomials(claims.get(c).point());
            Fn f = Fn.zero(size);
            for (int i = 0; i < size; i++) {
                f.addTimes(mono[i], Fn.unit(size, i, Ext2.ONE));
            }
            rows.add(f.row("claim " + c, claims.get(c).claimedValue()));
        }
        WhirSchedule.Round r = params.schedule(n).rounds().getFirst();
        int[] leaves = Batching.leaves(queries, r.fibres());
        long[][] fibres = j == 0 ? g.rounds().getFirst().fibres() : g.batch().openings().get(j - 1).fibres();
        long omega = Goldilocks.rootOfUnity(r.logDomain());
        for (int l = 0; l < leaves.length; l++) {
            for (int m = 0; m < 1 << r.fold(); m++) {
                Ext2 x = Ext2.of(Goldilocks.pow(omega, leaves[l] + ((long) m << (r.logDomain() - r.fold()))));
                rows.add(powersRow(size, 0, size, x).row("component " + j + " fibre " + leaves[l] + "." + m, Ext2.of(fibres[l][m])));
            }
        }
        return rows;
    }

    /** How a batched hiding run masks its components (docs/proof-system.md, "Hiding commitments", item 9). */
    enum BatchMasking {
        /**
         * Mask each component first, then batch the masked words: each component's own opening g_j (its values at f′_j's
         * commit points, f̂′_j and ĝ_j at its own out-of-domain points w_j, g_j at its claims), ρ, then the cross values of
         * the masked words F_i = f′_i + ρ·g_i, μ, and WHIR on F = Σ_j μ^j·F̃_j.
         */
        EACH_FIRST,
        /**
         * The plain run's batching over the f′_j (cross values f′_i at the other components' points) with one fresh g
         * of the top arity: F = Σ_j μ^j·f̃′_j + ρ·g. Rejected: a cross value at a claim point is a plain evaluation of f_i.
         */
        ONE_MASK
    }

    /**
     * A component of a batched hiding run: its commitment, the claim points (on f's face) this proof opens it at, and
     * where f′'s coefficients and this opening's g_j begin among the unknowns (g_j unused by {@link BatchMasking#ONE_MASK}).
     */
    record Member(WhirHidingCommitment c, List<Ext2[]> claims, int fAt, int gAt) {
        int vars() {
            return c.layout.vars();
        }
    }

    /** The coins of a modelled batched run, in the order the run would squeeze them. */
    interface ModelCoins {
        Ext2[] maskPoints(int count);

        Ext2 rho();

        Ext2 mu();

        Ext2 beta();

        Ext2 alpha(int iteration, int round);

        Ext2[] ood(int iteration, int count);

        int[] queries(int iteration, WhirSchedule.Round r);

        Ext2 gamma(int iteration);

        /** Uniform coins (and distinct sorted queries, as {@link WhirTranscript#queries} gives). */
        static ModelCoins random(SplittableRandom rng) {
            return new ModelCoins() {
                public Ext2[] maskPoints(int count) {
                    return ood(0, count);
                }

                public Ext2 rho() {
                    return Ext2.random(rng);
                }

                public Ext2 mu() {
                    return Ext2.random(rng);
                }

                public Ext2 beta() {
                    return Ext2.random(rng);
                }

                public Ext2 alpha(int iteration, int round) {
                    return Ext2.random(rng);
                }

                public Ext2[] ood(int iteration, int count) {
                    Ext2[] z = new Ext2[count];
                    for (int k = 0; k < count; k++) {
                        z[k] = Ext2.random(rng);
                    }
                    return z;
                }

                public int[] queries(int iteration, WhirSchedule.Round r) {
                    return rng.ints(r.queries(), 0, r.fibres()).sorted().distinct().toArray();
                }

                public Ext2 gamma(int iteration) {
                    return Ext2.random(rng);
                }
            };
        }

        /** An accepted hiding batch's coins ({@link HidingBatch}): each member's mask points in turn, ρ, μ, then the run's. */
        static ModelCoins replayBatch(WhirVerifier.Coins c) {
            ModelCoins run = replay(c);
            int[] member = {0};
            return new ModelCoins() {
                public Ext2[] maskPoints(int count) {
                    return c.memberMaskPoints().get(member[0]++);
                }

                public Ext2 rho() {
                    return c.rho();
                }

                public Ext2 mu() {
                    return c.mu();
                }

                public Ext2 beta() {
                    return c.beta();
                }

                public Ext2 alpha(int iteration, int round) {
                    return run.alpha(iteration, round);
                }

                public Ext2[] ood(int iteration, int count) {
                    return run.ood(iteration, count);
                }

                public int[] queries(int iteration, WhirSchedule.Round r) {
                    return run.queries(iteration, r);
                }

                public Ext2 gamma(int iteration) {
                    return run.gamma(iteration);
                }
            };
        }

        /** An accepted single hiding run's coins: the model of a batch of one then replays that run. */
        static ModelCoins replay(WhirVerifier.Coins c) {
            return new ModelCoins() {
                public Ext2[] maskPoints(int count) {
                    return c.maskPoints();
                }

                public Ext2 rho() {
                    return c.rho();
                }

                public Ext2 mu() {
                    throw new IllegalStateException("a single run draws no μ");
                }

                public Ext2 beta() {
                    return c.beta();
                }

                public Ext2 alpha(int iteration, int round) {
                    return c.alphas().get(iteration)[round];
                }

                public Ext2[] ood(int iteration, int count) {
                    return c.oodPoints().get(iteration);
                }

                public int[] queries(int iteration, WhirSchedule.Round r) {
                    return c.queries().get(iteration);
                }

                public Ext2 gamma(int iteration) {
                    return c.gammas().get(iteration);
                }
            };
        }
    }

    /**
     * Every value one batched hiding run would send, as functionals of the unknowns (u of them: each member's f′ and
     * g_j at {@link Member#fAt}/{@link Member#gAt}, the one mask at {@code oneMaskAt}). The run is item 9's design, not
     * code of {@code verinfer-whir}: its coins (ρ, μ, β, out-of-domain points, folding challenges, queries, γ) come from
     * {@code coins} where a transcript would squeeze them — uniform ones change no rank for all but a negligible fraction
     * (the functionals are polynomials in them, Schwartz–Zippel); a built single run's replayed ones check the model. Over V = max v_j variables, member j lifted by
     * d_j = V − v_j (its variables the highest, as {@link Batching} lifts plain components), first fold that of the top
     * member's layout; iteration 0 reveals each member's f′_j leaves (and g_j's: pairs in f′_j's leaf for a commitment
     * made for one opening, wide leaves otherwise; the one mask's wide leaves) wherever F's queries reach them.
     */
    static List<Row> batched(WhirParameters params, List<Member> members, int u, int oneMaskAt, BatchMasking masking, ModelCoins coins) {
        return batched(params, members, u, oneMaskAt, masking, coins, null);
    }

    /**
     * {@link #batched}, reading each row's value from {@code sent}, a built hiding batch ({@link HidingBatch}) of these members
     * in this order, masked each first, whose verifier's coins {@code coins} replays ({@link ModelCoins#replayBatch}): then
     * the rows are what the built run sends, each value where the proof holds it (null: the model alone, values null).
     */
    static List<Row> batched(WhirParameters params, List<Member> members, int u, int oneMaskAt, BatchMasking masking, ModelCoins coins, WhirProof.Group sent) {
        return batched(params, members, u, oneMaskAt, masking, coins, sent, false);
    }

    /**
     * {@link #batched}, with {@code firstFold}: also F₁ whole — the batch's F = Σ_j μ^j(f̃′_j + ρ·g̃_j) folded by iteration 0's
     * challenges, one row per coefficient (value null) — everything the run's unsalted later trees could give away
     * ({@link HidingLayout#unsaltedLaterOracles}; 2026-12-06, branch rank28).
     */
    static List<Row> batched(WhirParameters params, List<Member> members, int u, int oneMaskAt, BatchMasking masking, ModelCoins coins, WhirProof.Group sent,
                             boolean firstFold) {
        boolean each = masking == BatchMasking.EACH_FIRST;
        Sent in = sent == null ? null : new Sent(sent, members.stream().mapToInt(m -> m.c().schedule.rounds().getFirst().fibres()).toArray());
        int top = 0;
        for (int j = 1; j < members.size(); j++) {
            if (members.get(j).vars() > members.get(top).vars()) {
                top = j;
            }
        }
        int vTop = members.get(top).vars();
        WhirSchedule schedule = params.hidingSchedule(vTop, members.get(top).c().layout.firstFold());
        List<Row> rows = new ArrayList<>();
        List<Ext2[]> points = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int j = 0; j < members.size(); j++) {
            Member mj = members.get(j);
            int v = mj.vars();
            int size = 1 << v;
            WhirSchedule own = mj.c().schedule;
            Ext2[] commitPoints = WhirTranscript.commitOodPoints(params, v, mj.c().merkleRoot(), own.commitOod());
            List<Ext2[]> constraints = new ArrayList<>();
            for (int k = 0; k < commitPoints.length; k++) {
                rows.add(powersRow(u, mj.fAt(), size, commitPoints[k]).row(j + ": commit ood " + k, in == null ? null : in.commitOod(j)[k]));
            }
            for (Ext2[] r : mj.claims()) {
                constraints.add(HidingOpening.embed(r, v));
            }
            for (Ext2 z : commitPoints) {
                constraints.add(Codewords.powers(z, v));
            }
            if (each) { // item 3's values of g_j's own opening
                for (int k = 0; k < commitPoints.length; k++) {
                    rows.add(powersRow(u, mj.gAt(), size, commitPoints[k]).row(j + ": g at commit ood " + k, in == null ? null : in.mask(j).ood()[k]));
                }
                Ext2[] ws = coins.maskPoints(HidingLayout.maskOod(own, mj.c().once()));
                for (int k = 0; k < ws.length; k++) {
                    Ext2 w = ws[k];
                    int at = commitPoints.length + 2 * k;
                    rows.add(powersRow(u, mj.fAt(), size, w).row(j + ": f' at mask ood " + k, in == null ? null : in.mask(j).ood()[at]));
                    rows.add(powersRow(u, mj.gAt(), size, w).row(j + ": g at mask ood " + k, in == null ? null : in.mask(j).ood()[at + 1]));
                    constraints.add(Codewords.powers(w, v));
                }
                for (int c = 0; c < mj.claims().size(); c++) {
                    rows.add(monomialRow(u, mj.gAt(), constraints.get(c)).row(j + ": g at claim " + c, in == null ? null : in.mask(j).claims()[c]));
                }
            }
            for (Ext2[] p : constraints) {
                points.add(Batching.lift(p, vTop));
                owners.add(j);
            }
        }
        if (!each) { // the one g: at every constraint point, and f̃′_j and g at its own out-of-domain points
            int constraints = points.size();
            Ext2[] ws = coins.maskPoints(HidingLayout.maskOod(schedule));
            for (int k = 0; k < ws.length; k++) {
                Ext2 w = ws[k];
                for (int j = 0; j < members.size(); j++) {
                    Member mj = members.get(j);
                    rows.add(powersRow(u, mj.fAt(), 1 << mj.vars(), pow2(w, vTop - mj.vars())).row(j + ": f' at mask ood " + k, null));
                }
                points.add(Codewords.powers(w, vTop));
                owners.add(-1); // F(w) follows from the rows just added and g(w) below
            }
            for (int c = 0; c < points.size(); c++) {
                rows.add(monomialRow(u, oneMaskAt, points.get(c)).row("g at constraint " + c + (c < constraints ? "" : " (mask ood)"), null));
            }
        }
        Ext2 rho = coins.rho();
        int crossAt = 0;
        for (int c = 0; c < points.size(); c++) { // the cross values, sent before μ
            for (int i = 0; i < members.size(); i++) {
                if (owners.get(c) == -1 || i == owners.get(c)) {
                    continue;
                }
                Member mi = members.get(i);
                Ext2[] tail = Batching.tail(points.get(c), mi.vars());
                Fn f = monomialRow(u, mi.fAt(), tail);
                if (each) {
                    f.addTimes(rho, monomialRow(u, mi.gAt(), tail));
                }
                rows.add(f.row("cross value of " + i + " at constraint " + c + " of " + owners.get(c), in == null ? null : sent.maskedBatch().cross()[crossAt++]));
            }
        }
        Ext2 mu = members.size() > 1 ? coins.mu() : Ext2.ONE;
        Fn[] poly = new Fn[1 << vTop];
        for (int x = 0; x < poly.length; x++) {
            poly[x] = Fn.zero(u);
        }
        Ext2 muPower = Ext2.ONE;
        for (Member mj : members) {
            int d = vTop - mj.vars();
            for (int i = 0; i < 1 << mj.vars(); i++) {
                poly[i << d].addTimes(muPower, Fn.unit(u, mj.fAt() + i, Ext2.ONE));
                if (each) {
                    poly[i << d].addTimes(muPower.mul(rho), Fn.unit(u, mj.gAt() + i, Ext2.ONE));
                }
            }
            muPower = muPower.mul(mu);
        }
        if (!each) {
            for (int i = 0; i < poly.length; i++) {
                poly[i].addTimes(rho, Fn.unit(u, oneMaskAt + i, Ext2.ONE));
            }
        }
        Ext2 beta = coins.beta();
        ExtVector weight = ExtVector.zeros(1 << vTop);
        Ext2 coefficient = Ext2.ONE;
        for (Ext2[] p : points) {
            WeightKernels.addEq(weight, coefficient, p);
            coefficient = coefficient.mul(beta);
        }

        for (int i = 0; i < schedule.rounds().size(); i++) {
            WhirSchedule.Round r = schedule.rounds().get(i);
            Fn[] oracle = poly;
            for (int s = 0; s < r.fold(); s++) {
                for (int t = 0; t < 2; t++) {
                    rows.add(sumcheckRow(u, poly, weight, 2 * t).row("iteration " + i + " round " + s + " h(" + 2 * t + ")",
                            in == null ? null : sent.rounds().get(i).sumcheck()[2 * s + t]));
                }
                Ext2 alpha = coins.alpha(i, s);
                Fn[] folded = new Fn[poly.length / 2];
                for (int j = 0; j < folded.length; j++) {
                    folded[j] = new Fn(poly[2 * j].c0().clone(), poly[2 * j].c1().clone());
                    folded[j].addTimes(alpha, poly[2 * j + 1]);
                }
                poly = folded;
                weight = Mle.foldLowest(weight, alpha);
            }
            for (int j = 0; firstFold && i == 0 && j < poly.length; j++) {
                rows.add(poly[j].row("F1 " + j, null));
            }
            boolean last = i == schedule.rounds().size() - 1;
            Ext2[] oodPoints = coins.ood(i, last ? 0 : r.ood());
            for (int k = 0; k < oodPoints.length; k++) {
                rows.add(univariate(u, poly, oodPoints[k]).row("iteration " + i + " ood " + k, in == null ? null : sent.rounds().get(i).ood()[k]));
            }
            int[] queries = coins.queries(i, r);
            if (i == 0) {
                for (int j = 0; j < members.size(); j++) {
                    rows.addAll(memberLeaves(u, members.get(j), each, r, queries, j, in));
                }
                if (!each) { // g's leaves are the run's first round's (HidingLayout.maskFunctionals)
                    rows.addAll(leafRows(u, oneMaskAt, 1 << vTop, r, Batching.leaves(queries, r.fibres()), "g", null));
                }
            } else {
                int stride = 1 << (r.logDomain() - r.fold());
                long omega = Goldilocks.rootOfUnity(r.logDomain());
                for (int qi = 0; qi < queries.length; qi++) {
                    int q = queries[qi];
                    for (int m = 0; m < 1 << r.fold(); m++) {
                        long[] fibre = in == null ? null : sent.rounds().get(i).fibres()[qi];
                        rows.add(univariate(u, oracle, Ext2.of(Goldilocks.pow(omega, q + (long) m * stride))).row("iteration " + i + " fibre " + q + "." + m,
                                in == null ? null : new Ext2(fibre[2 * m], fibre[2 * m + 1])));
                    }
                }
            }
            if (last) {
                for (int j = 0; j < poly.length; j++) {
                    rows.add(poly[j].row("final " + j, in == null ? null : sent.finalCoefficients()[j]));
                }
            } else {
                int nextVars = schedule.rounds().get(i + 1).vars();
                Ext2 gamma = coins.gamma(i);
                Ext2 c = gamma;
                for (Ext2 z : oodPoints) {
                    WeightKernels.addEq(weight, c, Codewords.powers(z, nextVars));
                    c = c.mul(gamma);
                }
                for (int q : queries) {
                    WeightKernels.addEq(weight, c, Codewords.powers(Ext2.of(Codewords.foldedPoint(r.logDomain(), r.fold(), q)), nextVars));
                    c = c.mul(gamma);
                }
            }
        }
        return rows;
    }

    /**
     * Member j's iteration-0 leaves that F's queries reach: F's fibre q holds the points x = ω^(q + p·|L₀|/2^k₀), whose
     * lift reads f′_j's codeword at x^(2^d_j), exponent e = (q + p·|L₀|/2^k₀) mod |L₀_j| ({@link Batching#fibre}), in
     * f′_j's leaf e mod (its leaf count), and g_j's leaf of the same index. Whole leaves are revealed.
     */
    private static List<Row> memberLeaves(int u, Member mj, boolean each, WhirSchedule.Round r, int[] queries, int j, Sent in) {
        WhirSchedule.Round own = mj.c().schedule.rounds().getFirst();
        java.util.TreeSet<Integer> leaves = new java.util.TreeSet<>();
        for (int q : queries) {
            for (int p = 0; p < 1 << r.fold(); p++) {
                long e = (q + ((long) p << (r.logDomain() - r.fold()))) & ((1L << own.logDomain()) - 1);
                leaves.add((int) (e & (own.fibres() - 1)));
            }
        }
        int size = 1 << mj.vars();
        int[] opened = leaves.stream().mapToInt(Integer::intValue).toArray();
        boolean pairs = mj.c().once();
        long[][] fs = in == null ? null : in.leaves(j, queries, opened);
        List<Row> rows = new ArrayList<>(leafRows(u, mj.fAt(), size, own, opened, j + ": f'", fs == null ? null : (l, m) -> fs[l][pairs ? 2 * m : m]));
        if (each) {
            long[][] gs = in == null || pairs ? null : in.maskLeaves(j, queries, opened);
            rows.addAll(leafRows(u, mj.gAt(), size, own, opened, j + (pairs ? ": g (pair)" : ": g"),
                    fs == null ? null : pairs ? (l, m) -> fs[l][2 * m + 1] : (l, m) -> gs[l][m]));
        }
        return rows;
    }

    /** A committed block's values at each opened leaf of a first round (2^fold points ω^(leaf + m·leaf count)). */
    private static List<Row> leafRows(int u, int offset, int count, WhirSchedule.Round r, int[] leaves, String what, LeafValue value) {
        List<Row> rows = new ArrayList<>();
        long omega = Goldilocks.rootOfUnity(r.logDomain());
        for (int l = 0; l < leaves.length; l++) {
            for (int m = 0; m < 1 << r.fold(); m++) {
                Ext2 x = Ext2.of(Goldilocks.pow(omega, leaves[l] + (long) m * r.fibres()));
                rows.add(powersRow(u, offset, count, x).row(what + " leaf " + leaves[l] + "." + m, value == null ? null : Ext2.of(value.at(l, m))));
            }
        }
        return rows;
    }

    /** The base value at position m of the l-th opened leaf. */
    private interface LeafValue {
        long at(int l, int m);
    }

    /**
     * Where a built hiding batch holds each member's part: member 0's in the group and round 0, the others' in its batch, and a
     * carried member's leaves in the carrier's (its leaf q mod its count in carrier leaf q mod the carrier's; {@code fibres}: each
     * member's leaf count).
     */
    private record Sent(WhirProof.Group g, int[] fibres) {
        /** Member j's values at its leaves {@code opened} (ascending) that the run's {@code queries} reach: its own tree's, or the carrier's copies. */
        long[][] leaves(int j, int[] queries, int[] opened) {
            int part = part(j);
            return part < 0 || g.maskedBatch().carrier() == null || mask(j).root().length > 0 ? leaves(j).fibres() : carried(j, part, queries, opened);
        }

        long[][] maskLeaves(int j, int[] queries, int[] opened) {
            int part = part(j);
            return part < 0 ? maskLeaves(j).fibres() : carried(j, part, queries, opened);
        }

        private int part(int j) {
            WhirProof.CarrierOpening c = g.maskedBatch() == null ? null : g.maskedBatch().carrier();
            for (int p = 0; c != null && p < c.members().length; p++) {
                if (c.members()[p] == j) {
                    return p;
                }
            }
            return -1;
        }

        /** Member j's leaves {@code opened} from the carrier: its fibres in the carrier's leaves (a top part) or its injected ones. */
        private long[][] carried(int j, int part, int[] queries, int[] opened) {
            WhirProof.CarrierOpening c = g.maskedBatch().carrier();
            int count = java.util.Arrays.stream(c.members()).map(m -> fibres[m]).max().orElseThrow();
            if (fibres[j] < count) { // injected: its fibres at its own leaves, in part order among the injected parts
                int injected = 0;
                for (int p = 0; p < part; p++) {
                    injected += fibres[c.members()[p]] < count ? 1 : 0;
                }
                return c.injected().get(injected);
            }
            int[] carrierLeaves = Batching.leaves(queries, count);
            int from = 0;
            for (int p = 0; p < part; p++) {
                from += fibres[c.members()[p]] == count ? width(c.members()[p]) : 0;
            }
            int to = from + width(j);
            long[][] out = new long[opened.length][];
            for (int l = 0; l < opened.length; l++) {
                long[] values = c.leaves().fibres()[java.util.Arrays.binarySearch(carrierLeaves, opened[l])];
                out[l] = java.util.Arrays.copyOfRange(values, from, to);
            }
            return out;
        }

        /** Values of member j's part in a carrier leaf: its (f′, g) pairs or its g. */
        private int width(int j) {
            return c0Width(j) * (mask(j).root().length == 0 ? 2 : 1);
        }

        private int c0Width(int j) {
            return 1 << mask(j).firstFold();
        }

        Ext2[] commitOod(int j) {
            return j == 0 ? g.commitOod() : g.maskedBatch().others().get(j - 1).commitOod();
        }

        WhirProof.Mask mask(int j) {
            return j == 0 ? g.mask() : g.maskedBatch().others().get(j - 1).mask();
        }

        WhirProof.Opened leaves(int j) {
            WhirProof.Round r0 = g.rounds().getFirst();
            return j == 0 ? new WhirProof.Opened(r0.fibres(), r0.salts(), r0.paths()) : g.maskedBatch().others().get(j - 1).leaves();
        }

        WhirProof.Opened maskLeaves(int j) {
            return j == 0 ? g.rounds().getFirst().mask() : g.maskedBatch().others().get(j - 1).maskLeaves();
        }
    }

    /** z^(2^d). */
    private static Ext2 pow2(Ext2 z, int d) {
        for (int i = 0; i < d; i++) {
            z = z.mul(z);
        }
        return z;
    }

    /** Σ_i mono_i(p)·e_(offset+i): a multilinear evaluation of a committed block at p. */
    private static Fn monomialRow(int u, int offset, Ext2[] p) {
        Ext2[] mono = monomials(p);
        Fn f = Fn.zero(u);
        for (int i = 0; i < mono.length; i++) {
            f.c0[offset + i] = mono[i].c0();
            f.c1[offset + i] = mono[i].c1();
        }
        return f;
    }

    /** Σ_i z^i·e_(offset+i) for i < count: a univariate evaluation of a committed block. */
    private static Fn powersRow(int u, int offset, int count, Ext2 z) {
        Fn f = Fn.zero(u);
        Ext2 p = Ext2.ONE;
        for (int i = 0; i < count; i++) {
            f.c0[offset + i] = p.c0();
            f.c1[offset + i] = p.c1();
            p = p.mul(z);
        }
        return f;
    }

    private static Fn univariate(int u, Fn[] poly, Ext2 z) {
        Fn f = Fn.zero(u);
        Ext2 p = Ext2.ONE;
        for (Fn c : poly) {
            f.addTimes(p, c);
            p = p.mul(z);
        }
        return f;
    }

    /** mono_i(p) = Π_{bit b of i} p_b. */
    static Ext2[] monomials(Ext2[] p) {
        Ext2[] m = new Ext2[1 << p.length];
        m[0] = Ext2.ONE;
        for (int b = 0; b < p.length; b++) {
            for (int i = 0; i < 1 << b; i++) {
                m[i + (1 << b)] = m[i].mul(p[b]);
            }
        }
        return m;
    }

    /**
     * h(t) = Σ_x F(t, x)·w(t, x) with F = Σ_j F_j·mono_j: Σ_j F_j·t^(j mod 2)·S_t[j / 2], where S_t is the
     * superset sum of w(t, ·) (S[T] = Σ_{x ⊇ T} w(t, x)).
     */
    private static Fn sumcheckRow(int u, Fn[] poly, ExtVector weight, int t) {
        int half = weight.length() / 2;
        Ext2[] s = new Ext2[half];
        for (int x = 0; x < half; x++) {
            Ext2 lo = weight.get(2 * x);
            Ext2 hi = weight.get(2 * x + 1);
            s[x] = lo.add(hi.sub(lo).mul(t));
        }
        for (int bit = 1; bit < half; bit <<= 1) {
            for (int x = 0; x < half; x++) {
                if ((x & bit) == 0) {
                    s[x] = s[x].add(s[x | bit]);
                }
            }
        }
        Fn f = Fn.zero(u);
        for (int j = 0; j < poly.length; j++) {
            Ext2 c = (j & 1) == 0 ? s[j >> 1] : s[j >> 1].mul(t);
            f.addTimes(c, poly[j]);
        }
        return f;
    }
}
