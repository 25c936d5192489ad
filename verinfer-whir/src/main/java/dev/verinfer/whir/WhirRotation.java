package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A zero-knowledge proof that two hiding commitments of one layout (n, v, k₀) hold the same table f: the rotation of a
 * registered commitment a to a fresh one b of the same weights, whose masks are independent. Transcript: a's and b's
 * Merkle roots and commit-time answers; a point r ∈ K^n; a fresh g of v variables (wide-leaf salted tree, as an opening's);
 * before ρ every out-of-domain value the constraints need — ĝ and the other commitment's f̂′ at each commitment's commit
 * points, f̂′_a, f̂′_b and ĝ at g's own points w; the grind of the first fold's bits and ρ; then
 * z = f(r) + ρ·g(r, 0); the batch grind and μ; WHIR on F = f′_a + μ·f′_b + ρ(1 + μ)·g, i.e. X + μ·Y for the masked
 * words X = f′_a + ρ·g and Y = f′_b + ρ·g, with F(r, 0) = (1 + μ)·z and F's value at every out-of-domain point.
 * Iteration 0 opens a's, b's and g's leaves at each query and combines them; later oracles are F's folds (salted).
 *
 * <p><b>Soundness.</b> Let A, B be the polynomials a and b hold (the codewords their words are close to that agree with
 * their commit-time answers, which the run constrains F to) and G g's. Once ρ is drawn X and Y are fixed words and z is
 * fixed before μ: F = X + μ·Y close to the code implies X and Y close with correlated agreement (proximity gap of a line,
 * Ben-Sasson et al. FOCS 2020 Thm 1.4, as WHIR's batching, ACFY24 §5; μ's error ground by the batch grind), and each of
 * X, Y close implies its pair (f′, g) close (the same line argument in ρ, ground as an opening's). The constraint at (r, 0)
 * reads A(r, 0) + ρ·G(r, 0) − z + μ·(B(r, 0) + ρ·G(r, 0) − z) = 0, a polynomial of degree 1 in μ, so both brackets vanish
 * except with probability 1/|K|: A(r, 0) = B(r, 0), the same G cancelling. r is drawn after both roots, so by
 * Schwartz–Zippel A(·, 0) = B(·, 0) — the faces, i.e. the tables — except with probability n/|K|. The members are
 * combined from their own leaves at every query (not committed as one word), which is what makes A and B each the
 * polynomial its root holds: a word f′_a − f′_b alone would be close to A − B only within the sum of three distances.
 *
 * <p><b>Zero knowledge.</b> The values fall in three blocks: (i) on f′_a alone — its t₀ iteration-0 fibres, f̂′_a at g's
 * points and at b's commit points: an opening's {@link HidingLayout#tableFunctionals} plus 2 per commit point, which
 * {@link #UNITS} units of a's budget cover; (ii) the same on f′_b, covered by b's budget; (iii) on g — g's leaves and
 * out-of-domain values — and z = f(r) + ρ·g(r, 0) and every value of F (sumcheck, later oracles and answers, final
 * polynomial), whose g-parts are an opening's {@link HidingLayout#maskFunctionals} with g(r, 0) in the claim's place
 * (λ = ρ(1 + μ) ≠ 0). On the masks the matrix is block-triangular: (i) touches ĥ_a only, (ii) ĥ_b only, (iii) g and
 * anything; each diagonal block has full rank (ĥ's by the budget's Vandermonde count, g's when g's face covers z's 2
 * functionals and {@link HidingLayout#faceFunctionals}: {@link HidingLayout#rotationHides}, checked here). So the values
 * are uniform whatever f is, and a simulator samples them: nothing about f is revealed, not even f(r) (b = a, one ĥ,
 * is the same with 2·UNITS of a's budget). Checked by {@code WhirRotationZeroKnowledgeTest}'s rank test. Every tree of a
 * rotation has padded inner nodes ({@link MerkleNode#PADDED}: links and chains keep their format; not a zero-knowledge proof's).
 */
final class WhirRotation {
    /** Budget units a rotation spends of each commitment (an opening's functionals plus the cross answers, at most 2 units). */
    static final int UNITS = 2;

    private WhirRotation() {}

    /**
     * The rotation proof: {@code run} is a hiding group whose root and answers are a's, whose {@link WhirProof.Mask} holds
     * g's root, the values sent before ρ (per a's commit point ĝ then f̂′_b; per b's ĝ then f̂′_a; per g's point f̂′_a, f̂′_b,
     * ĝ) and ρ's nonce, and whose round 0 carries a's fibres and g's; b's root, answers and iteration-0 leaves, z and μ's
     * nonce follow.
     */
    record Proof(WhirProof.Group run, byte[] toRoot, Ext2[] toOod, Ext2 z, long muNonce, WhirProof.Opened toLeaves) implements PcsOpeningProof {
        @Override
        public void write(ProofWriter w) {
            new WhirProof(List.of(run)).write(w);
            w.writeBytes(toRoot);
            w.writeExts(toOod);
            w.writeExts(new Ext2[] {z});
            w.writeLong(muNonce);
            WhirProof.writeFibres(w, toLeaves.fibres());
            WhirProof.writeLongs(w, toLeaves.salts());
            toLeaves.paths().write(w);
        }

        static Proof read(ProofReader r, int digestBytes) throws MalformedProofException {
            WhirProof p = WhirProof.read(r, digestBytes);
            if (p.groups().size() != 1 || !p.groups().getFirst().hiding() || p.groups().getFirst().once()) {
                throw new MalformedProofException("a rotation proof is one hiding WHIR run with a mask tree");
            }
            byte[] root = r.readBytes(MerkleHasher.DIGEST_BYTES, "rotation: new Merkle root");
            Ext2[] ood = r.readExts(16, "rotation: new commitment's out-of-domain answers");
            Ext2[] z = r.readExts(1, "rotation: masked value");
            if (z.length != 1) {
                throw new MalformedProofException("rotation: " + z.length + " masked values");
            }
            long nonce = r.readLong();
            WhirProof.Opened leaves = new WhirProof.Opened(WhirProof.readFibres(r), WhirProof.readLongs(r), WhirProof.readPaths(r, digestBytes));
            return new Proof(p.groups().getFirst(), root, ood, z[0], nonce, leaves);
        }
    }

    static Proof prove(Transcript t, WhirHidingCommitment a, WhirHidingCommitment b) {
        return prove(t, a, b, true, WhirProver.Deviation.NONE);
    }

    /**
     * {@code check} false: the test suite's cheating owner, whose b holds another table, proves anyway; {@code deviation}
     * sees the fresh g as drawn (the rank test's seam).
     */
    static Proof prove(Transcript t, WhirHidingCommitment a, WhirHidingCommitment b, boolean check, WhirProver.Deviation deviation) {
        HidingLayout layout = a.layout;
        if (a.once() || b.once() || !a.params.equals(b.params) || layout.tableVars() != b.layout.tableVars() || layout.vars() != b.layout.vars()
                || layout.firstFold() != b.layout.firstFold()) {
            throw new IllegalArgumentException("a rotation links two reusable hiding commitments of one layout (same parameters, n, v and first fold)");
        }
        if (check && !Arrays.equals(a.table, b.table)) {
            throw new IllegalArgumentException("the new commitment holds another table");
        }
        if (!layout.rotationHides(a.params)) {
            throw new IllegalArgumentException("a table of " + layout.tableVars() + " variables is too small to rotate in zero knowledge (HidingLayout.rotationHides)");
        }
        a.spend(UNITS, 0);
        b.spend(UNITS, 0); // if b's budget refuses, a's units stay spent: a budget counts what was attempted, never less
        int v = layout.vars();
        WhirSchedule schedule = a.schedule;
        WhirSchedule.Round r0 = schedule.rounds().getFirst();
        WhirTranscript.absorbCommitment(t, a.tree.root(), a.oodAnswers);
        WhirTranscript.absorbCommitment(t, b.tree.root(), b.oodAnswers);
        Ext2[] r = point(t, layout.tableVars());

        long[] g = a.random.fields(1 << v);
        deviation.mask(0, g);
        long[] gCode = Codewords.encode(g, r0.logDomain());
        long[] gSalts = a.random.salts(r0.fibres()); // g's leaves are f′'s fibres (HidingLayout.maskFunctionals)
        MerkleTree gTree = Codewords.commit(gCode, null, r0.logDomain(), r0.fold(), a.params, gSalts, MerkleNode.PADDED);
        Ext2[] aPoints = WhirTranscript.commitOodPoints(a.params, v, a.tree.root(), schedule.commitOod());
        Ext2[] bPoints = WhirTranscript.commitOodPoints(a.params, v, b.tree.root(), schedule.commitOod());
        Ext2[] wPoints = WhirTranscript.maskOracle(t, gTree.root(), HidingLayout.maskOod(schedule));
        List<Ext2> values = new ArrayList<>();
        for (Ext2 p : aPoints) {
            values.add(Codewords.univariate(g, p));
            values.add(Codewords.univariate(b.coefficients, p));
        }
        for (Ext2 p : bPoints) {
            values.add(Codewords.univariate(g, p));
            values.add(Codewords.univariate(a.coefficients, p));
        }
        for (Ext2 p : wPoints) {
            values.add(Codewords.univariate(a.coefficients, p));
            values.add(Codewords.univariate(b.coefficients, p));
            values.add(Codewords.univariate(g, p));
        }
        Ext2[] ood = values.toArray(Ext2[]::new);
        WhirTranscript.absorbMaskValues(t, ood, new Ext2[0]);
        long rhoNonce = WhirTranscript.grind(t, r0.powBits());
        Ext2 rho = WhirTranscript.maskCombiner(t);

        long[] gTable = g.clone();
        Codewords.toEvaluations(gTable);
        Ext2[] face = HidingOpening.embed(r, v);
        Ext2 z = WeightKernels.evaluate(a.table, r).add(rho.mul(WeightKernels.evaluate(gTable, face)));
        WhirTranscript.absorbCross(t, new Ext2[] {z});
        long muNonce = WhirTranscript.grind(t, schedule.batchPowBits(2));
        Ext2 mu = WhirTranscript.batchCombiner(t);
        Ext2 lambda = rho.mul(mu.add(1));

        Ext2 beta = WhirTranscript.claimCombiner(t);
        ExtVector weight = ExtVector.zeros(1 << v);
        Ext2 coefficient = Ext2.ONE;
        for (Ext2[] p : constraintPoints(face, aPoints, bPoints, wPoints, v)) {
            WeightKernels.addEq(weight, coefficient, p);
            coefficient = coefficient.mul(beta);
        }
        ExtVector f = combine(a.evaluations(), b.evaluations(), gTable, mu, lambda);
        WhirProver.Oracle aOracle = new WhirProver.Oracle(a.codeword(), null, a.tree, a.salts);
        WhirProver.Oracle bOracle = new WhirProver.Oracle(b.codeword(), null, b.tree, b.salts);
        WhirProver.Components members = new WhirProver.Components(new WhirProver.Oracle[] {aOracle, bOracle}, new WhirSchedule.Round[] {r0, r0});
        WhirProver.Run run = WhirProver.iterate(t, schedule, f, null, weight, aOracle, new WhirProver.Oracle(gCode, null, gTree, gSalts), a.random, MerkleNode.PADDED, 0,
                WhirProver.Deviation.NONE, members);
        WhirProof.Mask mask = new WhirProof.Mask(v - layout.tableVars(), gTree.root(), ood, new Ext2[0], rhoNonce, layout.firstFold());
        WhirProof.Group group = new WhirProof.Group(a.tree.root(), a.oodAnswers.clone(), run.rounds(), run.finalCoefficients(), mask);
        return new Proof(group, b.tree.root(), b.oodAnswers.clone(), z, muNonce, run.components().get(1));
    }

    /**
     * Checks a rotation proof from the commitment {@code from} to {@code to} (their public roots, hiding digests), both of
     * {@code numVars} variables: the layout (v, k₀) is the proof's, and both digests must name it.
     */
    static Coins verify(WhirParameters params, Transcript t, byte[] from, byte[] to, int numVars, PcsOpeningProof proof) throws PcsRejectedException {
        if (!(proof instanceof Proof p)) {
            throw new PcsRejectedException("not a WHIR rotation proof");
        }
        WhirProof.Group g = p.run();
        WhirProof.Mask mask = g.mask();
        if (numVars < 0 || numVars > params.maxNumVars() || mask.extraVars() < 1 || numVars + mask.extraVars() > params.maxNumVars()) {
            throw new PcsRejectedException("rotation of " + numVars + " variables with " + mask.extraVars() + " mask variables");
        }
        if (mask.firstFold() < 1 || mask.firstFold() > params.foldingFactor()) {
            throw new PcsRejectedException("rotation folds " + mask.firstFold() + " variables first");
        }
        int v = numVars + mask.extraVars();
        WhirSchedule schedule = params.hidingSchedule(v, mask.firstFold());
        WhirVerifier.checkShape(schedule, g);
        int commitOod = schedule.commitOod();
        int maskOod = HidingLayout.maskOod(schedule);
        if (p.toRoot().length != MerkleHasher.DIGEST_BYTES || p.toOod().length != commitOod || mask.claims().length != 0
                || mask.ood().length != 4 * commitOod + 3 * maskOod) {
            throw new PcsRejectedException("rotation: malformed new commitment or out-of-domain values");
        }
        if (!Arrays.equals(WhirTranscript.hidingCommitmentDigest(numVars, v, mask.firstFold(), false, g.merkleRoot(), g.commitOod()), from)) {
            throw new PcsRejectedException("rotation: Merkle root and out-of-domain answers do not hash to the commitment rotated from");
        }
        if (!Arrays.equals(WhirTranscript.hidingCommitmentDigest(numVars, v, mask.firstFold(), false, p.toRoot(), p.toOod()), to)) {
            throw new PcsRejectedException("rotation: Merkle root and out-of-domain answers do not hash to the commitment rotated to");
        }
        WhirTranscript.absorbCommitment(t, g.merkleRoot(), g.commitOod());
        WhirTranscript.absorbCommitment(t, p.toRoot(), p.toOod());
        Ext2[] r = point(t, numVars);
        Ext2[] aPoints = WhirTranscript.commitOodPoints(params, v, g.merkleRoot(), commitOod);
        Ext2[] bPoints = WhirTranscript.commitOodPoints(params, v, p.toRoot(), commitOod);
        Ext2[] wPoints = WhirTranscript.maskOracle(t, mask.root(), maskOod);
        WhirTranscript.absorbMaskValues(t, mask.ood(), new Ext2[0]);
        WhirSchedule.Round r0 = schedule.rounds().getFirst();
        if (!WhirTranscript.checkGrind(t, r0.powBits(), mask.nonce())) {
            throw new PcsRejectedException("rotation: mask combiner's proof of work does not reach " + r0.powBits() + " bits");
        }
        Ext2 rho = WhirTranscript.maskCombiner(t);
        WhirTranscript.absorbCross(t, new Ext2[] {p.z()});
        if (!WhirTranscript.checkGrind(t, schedule.batchPowBits(2), p.muNonce())) {
            throw new PcsRejectedException("rotation: batch combiner's proof of work does not reach " + schedule.batchPowBits(2) + " bits");
        }
        Ext2 mu = WhirTranscript.batchCombiner(t);
        Ext2 lambda = rho.mul(mu.add(1));

        // F's value at each constraint point: (1 + μ)·z at (r, 0); f̂′_a + μ·f̂′_b + λ·ĝ at each out-of-domain point.
        Ext2[] x = mask.ood();
        List<Ext2> values = new ArrayList<>();
        values.add(mu.add(1).mul(p.z()));
        int k = 0;
        for (int j = 0; j < commitOod; j++, k += 2) {
            values.add(g.commitOod()[j].add(mu.mul(x[k + 1])).add(lambda.mul(x[k])));
        }
        for (int j = 0; j < commitOod; j++, k += 2) {
            values.add(x[k + 1].add(mu.mul(p.toOod()[j])).add(lambda.mul(x[k])));
        }
        for (int j = 0; j < maskOod; j++, k += 3) {
            values.add(x[k].add(mu.mul(x[k + 1])).add(lambda.mul(x[k + 2])));
        }
        List<Ext2[]> points = constraintPoints(HidingOpening.embed(r, v), aPoints, bPoints, wPoints, v);
        List<Boolean> powers = new ArrayList<>();
        for (int j = 0; j < points.size(); j++) {
            powers.add(j > 0);
        }
        WhirVerifier.Coins run = WhirVerifier.iterations(params, MerkleNode.PADDED, t, schedule, g, points, values, powers, rho, aPoints, wPoints, (round, pr, queries, alphas) -> {
            WhirVerifier.checkFibres(0, 1 << round.fold(), p.toLeaves().fibres());
            if (p.toLeaves().salts().length != 2 * p.toLeaves().fibres().length) {
                throw new PcsRejectedException("rotation: " + p.toLeaves().salts().length + " salt values for " + p.toLeaves().fibres().length + " fibres");
            }
            WhirVerifier.checkLeaves(params, MerkleNode.PADDED, g.merkleRoot(), round, pr.fibres(), pr.salts(), pr.paths(), queries);
            WhirVerifier.checkLeaves(params, MerkleNode.PADDED, p.toRoot(), round, p.toLeaves().fibres(), p.toLeaves().salts(), p.toLeaves().paths(), queries);
            WhirProof.Opened m = pr.mask();
            WhirVerifier.checkLeaves(params, MerkleNode.PADDED, mask.root(), round, m.fibres(), m.salts(), m.paths(), queries); // g's leaves are f′'s
            Ext2[] folded = new Ext2[queries.length];
            for (int q = 0; q < queries.length; q++) {
                long[] fa = pr.fibres()[q];
                long[] fb = p.toLeaves().fibres()[q];
                long[] ga = m.fibres()[q];
                long[] combined = new long[2 * fa.length];
                for (int e = 0; e < fa.length; e++) {
                    long ge = ga[e];
                    combined[2 * e] = Goldilocks.add(fa[e], Goldilocks.add(Goldilocks.mul(mu.c0(), fb[e]), Goldilocks.mul(lambda.c0(), ge)));
                    combined[2 * e + 1] = Goldilocks.add(Goldilocks.mul(mu.c1(), fb[e]), Goldilocks.mul(lambda.c1(), ge));
                }
                folded[q] = Codewords.foldFibre(combined, true, alphas, round.logDomain(), queries[q]);
            }
            return folded;
        });
        return new Coins(r, mu, bPoints, run);
    }

    /** The public coins of an accepted rotation (for the rank test): r, μ, b's commit points and the run's (ρ, β, a's and g's points, …). */
    record Coins(Ext2[] r, Ext2 mu, Ext2[] toPoints, WhirVerifier.Coins run) {}

    static Proof read(ProofReader r, int digestBytes) throws MalformedProofException {
        return Proof.read(r, digestBytes);
    }

    /** The point r ∈ K^n at which the two tables are compared, drawn after both roots. */
    private static Ext2[] point(Transcript t, int n) {
        return t.challengeExts("pcs/whir/rotation-point", n);
    }

    /** (r, 0), then a's commit points, b's and g's, as powers (z, z², z⁴, …) of v coordinates. */
    private static List<Ext2[]> constraintPoints(Ext2[] face, Ext2[] aPoints, Ext2[] bPoints, Ext2[] wPoints, int v) {
        List<Ext2[]> points = new ArrayList<>();
        points.add(face);
        for (Ext2[] zs : List.of(aPoints, bPoints, wPoints)) {
            for (Ext2 z : zs) {
                points.add(Codewords.powers(z, v));
            }
        }
        return points;
    }

    /** a + μ·b + λ·g over the base tables, as an extension table. */
    private static ExtVector combine(long[] a, long[] b, long[] g, Ext2 mu, Ext2 lambda) {
        long[] c0 = new long[a.length];
        long[] c1 = new long[a.length];
        Parallelism.forEachChunk(a.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                c0[i] = Goldilocks.add(a[i], Goldilocks.add(Goldilocks.mul(mu.c0(), b[i]), Goldilocks.mul(lambda.c0(), g[i])));
                c1[i] = Goldilocks.add(Goldilocks.mul(mu.c1(), b[i]), Goldilocks.mul(lambda.c1(), g[i]));
            }
        });
        return new ExtVector(c0, c1);
    }
}
