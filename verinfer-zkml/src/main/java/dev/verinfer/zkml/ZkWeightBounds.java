package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The weight bounds proof of a zero-knowledge model ({@link WeightBounds} states what it proves): a bit
 * decomposition checked by one zero-knowledge zero-check, every final evaluation masked by the mask face
 * of its own hiding commitment and claimed off the face, so the proof reveals nothing about the weights.
 *
 * <p>With B = b_max + 1, v = W + c and u = c − W (c = 2^b_t − 1 on tensor t's block) are written in B
 * committed bits each: tables β_0 … β_{2B−1} (v's then u's), packed into one hiding commitment (block j at
 * offset j·2^n, 2^k ≥ 2B blocks, unused blocks zero and read by nothing). One zero-check
 * Σ_x eq(τ, x)·[real·(v − Σ_l 2^l β_l) + γ·real·(u − Σ_l 2^l β_{B+l}) + γ²·(1 − real)·W
 * + Σ_j γ^{3+j}·(β_j − β_j²)](x) = 0 makes every β_j boolean, so v, u ∈ [0, 2^B) as integers,
 * 2^B ≪ p/2, and v + u = 2c then gives W an integer with −c ≤ W ≤ c on real slots, zero elsewhere.
 * It replaces the plain proof's 16-bit LogUp limbs because every piece of it is already zero-knowledge
 * without a look-up mask seam: the sumcheck is Libra's ({@link ZkSumcheckProver}, its mask g in a
 * {@link ProofMasks} commitment opened through pieces), W enters as W′ = W̃ + Z·h̃_W (h_W the weight
 * commitment's mask face, {@link HidingCommitment#maskFace}) and each β_j as β′_j = β̃_j + Z·h̃_j (h_j block
 * j of the bit commitment's face), Z = x_{n−1}(1 − x_{n−1}) (Libra §4.2, companion-table form; the last
 * round then has degree 3 + 3 + 1 = 7, a mask block's limit). The proof sends W′(ρ) and the 2^k values
 * e_j = β′_j(ρ); W′(ρ) is the off-face claim f′_W(ρ, Z(ρ)), and after a challenge σ the e_j are claimed
 * together as f′_β(ρ, σ, Z(ρ)) = Σ_j eq(σ, j)·e_j (one off-face claim; Schwartz–Zippel over σ binds every
 * e_j).
 *
 * <p><b>Simulator.</b> The rounds, G and g(r) are uniform given the claim 0 and the final values
 * (Libra §4.1); the pieces are uniform subject to their sum g(r) ({@link ProofMasks}); W′(ρ) and each e_j
 * are uniform through h_W(ρ) and h_j(ρ) (distinct blocks of a uniform face, independent); the hiding
 * openings reveal nothing beyond their claims (hiding WHIR). So the simulator needs nothing but the
 * statement (architecture, weight root). Each proof spends two budget units of the weight commitment
 * (one opening with one off-face claim, {@code HidingLayout.openingUnits}).
 */
final class ZkWeightBounds {
    static final String MAGIC = "VIWZ";
    static final int VERSION = 1;
    /** The bit commitment is opened once, with one off-face claim (two budget units). */
    private static final int BITS_BUDGET = 2;
    /** Tables before the bits: real, 1 − real, W, c. */
    private static final int FIRST_BIT = 4;

    private ZkWeightBounds() {}

    /** The shape of a model's proof: n weight variables, B bits per value, 2^k bit blocks. */
    record Shape(int n, int bits, int k) {
        static Shape of(ProofPlan plan) {
            int bmax = 0;
            for (int t : plan.weightTensors) {
                bmax = Math.max(bmax, plan.graph.tensor(t).bits());
            }
            int bits = bmax + 1;
            if (bits > 60) {
                throw new UnsupportedGraphException("weight bounds of " + bmax + " bits do not fit the field's no-wrap margin");
            }
            return new Shape(plan.weightPacking.numVars(), bits, 32 - Integer.numberOfLeadingZeros(2 * bits - 1));
        }

        int tables() {
            return 2 * bits;
        }

        /** [real, pad, W, c, β_0 … β_{2B−1}, h_W, h_0 … h_{2B−1}]: the companions come last and no term reads them. */
        int allTables() {
            return FIRST_BIT + 2 * tables() + 1;
        }

        VanishingMask[] hiding() {
            VanishingMask[] hiding = new VanishingMask[allTables()];
            hiding[2] = VanishingMask.ofTable(FIRST_BIT + tables());
            for (int j = 0; j < tables(); j++) {
                hiding[FIRST_BIT + j] = VanishingMask.ofTable(FIRST_BIT + tables() + 1 + j);
            }
            return hiding;
        }

        int[] roundDegrees(List<ProductTerm> terms) {
            return ZkSumcheckProver.roundDegrees(n, terms, true, hiding());
        }

        ProofMasks.ZkLayout layout(List<ProductTerm> terms) {
            return new ProofMasks.ZkLayout(List.of(0), List.<int[]>of(roundDegrees(terms)));
        }
    }

    /** The zero-check's terms (see the class comment). */
    static List<ProductTerm> terms(Ext2 gamma, Shape s) {
        List<ProductTerm> terms = new ArrayList<>();
        Ext2[] weight = {Ext2.ONE, gamma};
        for (int value = 0; value < 2; value++) {
            Ext2 g = weight[value];
            terms.add(ProductTerm.of(value == 0 ? g : g.neg(), 0, 2)); // ±real·W
            terms.add(ProductTerm.of(g, 0, 3)); // real·c
            for (int l = 0; l < s.bits(); l++) {
                terms.add(ProductTerm.of(g.mul(1L << l).neg(), 0, FIRST_BIT + s.bits() * value + l));
            }
        }
        Ext2 g = gamma.mul(gamma);
        terms.add(ProductTerm.of(g, 1, 2)); // γ²·(1 − real)·W
        for (int j = 0; j < s.tables(); j++) {
            g = g.mul(gamma);
            terms.add(ProductTerm.of(g, FIRST_BIT + j)); // γ^{3+j}·(β_j − β_j²)
            terms.add(ProductTerm.of(g.neg(), FIRST_BIT + j, FIRST_BIT + j));
        }
        return terms;
    }

    /** The packed bit table: v's B bits then u's, block j at offset j·2^n. */
    private static long[] bitTable(Shape s, long[] packed, long[] real, long[] c) {
        long[] table = new long[1 << (s.n() + s.k())];
        for (int x = 0; x < real.length; x++) {
            if (real[x] == 0) {
                continue;
            }
            long[] values = {dev.verinfer.field.Goldilocks.add(packed[x], c[x]), dev.verinfer.field.Goldilocks.sub(c[x], packed[x])};
            for (int value = 0; value < 2; value++) {
                for (int l = 0; l < s.bits(); l++) {
                    // A value outside [0, 2^B) (a weight out of bounds) keeps only its low bits: the zero-check then fails.
                    table[((value * s.bits() + l) << s.n()) + x] = (values[value] >>> l) & 1;
                }
            }
        }
        return table;
    }

    private static long[] block(long[] table, int n, int j) {
        return Arrays.copyOfRange(table, j << n, (j + 1) << n);
    }

    /** Proves the bounds of {@code packed}, committed hiding as {@code weights}; every mask from {@code masks}. */
    static byte[] prove(ProofPlan plan, byte[] architectureDigest, long[] packed, PcsCommitment weights, PcsSecurity security,
                        MultilinearPcs pcs, RandomGenerator masks, ProverChannel.Tamper tamper) {
        ProofWriter out = ProofWriter.begin(MAGIC, VERSION);
        if (plan.weightTensors.isEmpty()) {
            return out.toByteArray();
        }
        if (!(weights instanceof HidingCommitment hw)) {
            throw new UnsupportedGraphException("zero-knowledge weight bounds need the weights committed hiding (a mask face to claim off)");
        }
        Shape s = Shape.of(plan);
        int n = s.n();
        if (n == 0) {
            throw new UnsupportedGraphException("zero-knowledge weight bounds need at least two weight slots (a variable to mask)");
        }
        long[][] pub = WeightBounds.publicTables(plan);
        long[] real = pub[0];
        long[] c = pub[1];
        long[] bits = bitTable(s, packed, real, c);
        PcsCommitment bitCommitment = ZeroKnowledge.commitHiding(security, pcs, bits, BITS_BUDGET, masks);
        if (!(bitCommitment instanceof HidingCommitment hb)) {
            throw new UnsupportedGraphException("zero-knowledge weight bounds need a hiding commitment with a mask face");
        }
        long[] bitFace = hb.maskFace();

        Transcript t = WeightBounds.transcript(architectureDigest, weights.root());
        ProverChannel ch = new ProverChannel(t, out, tamper);
        ch.sendBytes("bounds-bits-root", bitCommitment.root());
        // The layout depends on the terms' shape only (γ's value does not change degrees).
        ProofMasks.ZkLayout layout = s.layout(terms(Ext2.ONE, s));
        ProofMasks.Committer m = new ProofMasks.Committer(layout, security, pcs, masks);
        m.send(ch);
        Ext2[] tau = ch.challenges("bounds-tau", n);
        Ext2 gamma = ch.challenge("bounds-gamma");
        List<MleTable> tables = WeightBounds.leadingTables(real, packed, c);
        for (int j = 0; j < s.tables(); j++) {
            tables.add(new BaseTable(block(bits, n, j)));
        }
        tables.add(new BaseTable(hw.maskFace()));
        for (int j = 0; j < s.tables(); j++) {
            tables.add(new BaseTable(block(bitFace, n, j)));
        }
        ZkSumcheckProverResult zero = ZkSumcheckProver.proveWithEq(t, tau, Ext2.ZERO, tables, terms(gamma, s), s.hiding(), m.mask(0), m);
        zero.proof().write(out);
        m.flush(out);
        Ext2[] rho = zero.point();
        Ext2 z = VanishingMask.vanishing(rho);
        Ext2[] evals = zero.finalEvaluations();
        Ext2[] sent = new Ext2[1 + (1 << s.k())];
        sent[0] = evals[2];
        for (int j = 0; j < 1 << s.k(); j++) {
            // e_j = β′_j(ρ); an unused block is zero, so its e_j is Z(ρ)·h̃_j(ρ).
            sent[1 + j] = j < s.tables() ? evals[FIRST_BIT + j] : z.mul(Mle.evaluate(block(bitFace, n, j), rho));
        }
        ch.sendExts("bounds-evals", sent);
        Ext2[] sigma = ch.challenges("bounds-sigma", s.k());
        List<PcsOpening> openings = new ArrayList<>();
        openings.add(new PcsOpening(weights, offFace(rho, new Ext2[0], z), sent[0]));
        openings.add(new PcsOpening(bitCommitment, offFace(rho, sigma, z), combined(sigma, Arrays.copyOfRange(sent, 1, sent.length))));
        openings.addAll(m.openings());
        pcs.open(t, openings).write(out);
        return out.toByteArray();
    }

    /** The off-face point (ρ, σ, Z(ρ)) of a table whose variables are (x, block). */
    private static Ext2[] offFace(Ext2[] rho, Ext2[] sigma, Ext2 z) {
        Ext2[] p = Arrays.copyOf(rho, rho.length + sigma.length + 1);
        System.arraycopy(sigma, 0, p, rho.length, sigma.length);
        p[p.length - 1] = z;
        return p;
    }

    /** Σ_j eq(σ, j)·e_j: the packed table's value at (ρ, σ) from its blocks' values at ρ. */
    private static Ext2 combined(Ext2[] sigma, Ext2[] e) {
        Ext2 sum = Ext2.ZERO;
        for (int j = 0; j < e.length; j++) {
            Ext2 w = Ext2.ONE;
            for (int i = 0; i < sigma.length; i++) {
                w = w.mul(((j >>> i) & 1) == 1 ? sigma[i] : Ext2.ONE.sub(sigma[i]));
            }
            sum = sum.add(w.mul(e[j]));
        }
        return sum;
    }

    /**
     * Checks a zero-knowledge bounds proof against the weight root of a key.
     *
     * @throws ProofRejectedException saying which check failed
     */
    static void verify(ProofPlan plan, byte[] architectureDigest, byte[] weightRoot, int weightVars, MultilinearPcs pcs, byte[] proof)
            throws MalformedProofException, ProofRejectedException {
        ProofReader in = ProofReader.open(proof, MAGIC, VERSION);
        if (plan.weightTensors.isEmpty()) {
            in.finish();
            return;
        }
        Shape s = Shape.of(plan);
        int n = s.n();
        if (n == 0 || weightVars != n) {
            throw new ProofRejectedException("weight bounds: a zero-knowledge bounds proof needs " + n + " ≥ 1 weight variables, the key has " + weightVars);
        }
        Transcript t = WeightBounds.transcript(architectureDigest, weightRoot);
        VerifierChannel ch = new VerifierChannel(t, in);
        byte[] bitRoot = ch.receiveBytes("bounds-bits-root", 64);
        ProofMasks.Verifier m = new ProofMasks.Verifier(s.layout(terms(Ext2.ONE, s)), ch);
        Ext2[] tau = ch.challenges("bounds-tau", n);
        Ext2 gamma = ch.challenge("bounds-gamma");
        List<ProductTerm> terms = terms(gamma, s);
        int[] degrees = s.roundDegrees(terms);
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verify(t, Ext2.ZERO, ProductTerm.degree(terms) + 1, degrees, ZkSumcheckProof.read(in, degrees), m.sumcheck(0));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("weight bounds: zero-check: " + e.getMessage());
        }
        Ext2[] sent = ch.receiveExts("bounds-evals", 1 + (1 << s.k()));
        Ext2[] pub = WeightBounds.publicEvaluations(plan, sub.point());
        Ext2[] evals = new Ext2[s.allTables()];
        Arrays.fill(evals, Ext2.ZERO); // the companions: no term reads them
        evals[0] = pub[0];
        evals[1] = Ext2.ONE.sub(pub[0]);
        evals[2] = sent[0];
        evals[3] = pub[1];
        System.arraycopy(sent, 1, evals, FIRST_BIT, s.tables());
        try {
            sub.checkWithEq(tau, terms, evals);
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("weight bounds: the bits are not bits, do not add up to the weights, or the padding is not zero");
        }
        Ext2[] sigma = ch.challenges("bounds-sigma", s.k());
        Ext2 z = VanishingMask.vanishing(sub.point());
        List<PcsClaim> claims = new ArrayList<>();
        claims.add(new PcsClaim(weightRoot, n, offFace(sub.point(), new Ext2[0], z), sent[0]));
        claims.add(new PcsClaim(bitRoot, n + s.k(), offFace(sub.point(), sigma, z), combined(sigma, Arrays.copyOfRange(sent, 1, sent.length))));
        claims.addAll(m.claims());
        PcsOpeningProof opening = pcs.readProof(in);
        try {
            pcs.verify(t, claims, opening);
        } catch (PcsRejectedException e) {
            throw new ProofRejectedException("weight bounds: commitment opening: " + e.getMessage(), e);
        }
        in.finish();
    }
}
