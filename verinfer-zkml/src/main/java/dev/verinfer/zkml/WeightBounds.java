package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.logup.GroupClaim;
import dev.verinfer.logup.LogUpClaims;
import dev.verinfer.logup.LogUpProof;
import dev.verinfer.logup.LogUpProver;
import dev.verinfer.logup.LogUpProverResult;
import dev.verinfer.logup.LogUpRejectedException;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.logup.LogUpVerifier;
import dev.verinfer.logup.LookupWitness;
import dev.verinfer.logup.RangeTable;
import dev.verinfer.logup.TableClaim;
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
import dev.verinfer.sumcheck.SumcheckProof;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.transcript.Transcript;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PolyPacking;
import dev.verinfer.zkml.layout.WeightLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The weight bounds proof, made once at setup and carried in the verifying key: against the weight
 * commitment root it proves that every real entry w of weight tensor t (declared bound b_t in the
 * architecture) is an integer with |w| < 2^b_t, and that every other slot of the packed weight
 * polynomial W — tensor padding and the gaps of the packing — is zero. The no-wrap argument of every
 * proof rests on both, and a market's clients do not trust the model owner who ran the setup.
 *
 * <p>With c(x) = 2^b_t − 1 on tensor t's block and real(x) the indicator of real entries (both public,
 * O(#tensors · log) to evaluate at a point), v = W + c and u = c − W are both in [0, 2^(16L)) on real
 * slots iff w is an integer in (−2^b, 2^b): v an integer makes W one, and v, u ≥ 0 give −c ≤ W ≤ c; no
 * wrap-around since v + u = 2c and 2^(16L) ≤ 2^48 ≪ p/2. L = ⌈(b_max + 2)/16⌉ over the model's weight
 * tensors (2 for 12-bit weights with biases up to 30 bits). Each of v, u is split into L committed
 * 16-bit limbs, range-checked by one LogUp argument (real-region selector) against [0, 2^16);
 * one zero-check Σ_x eq(τ, x)·[real·(v − L_v) + γ·real·(u − L_u) + γ²·(1 − real)·W](x) = 0 ties the limbs
 * to W and pins the padding (Schwartz–Zippel over τ and γ). It ends in one batch of openings through
 * {@link MultilinearPcs}: W at the zero-check's point, the limb commitment at one point (its claims merged
 * by {@link ClaimBatching}) and the multiplicity commitment at the look-up's table point.
 *
 * <p>A proven-evm key that commits its function tables in W's free tail ({@link TableCommitment}) gives the padding term as
 * γ²·((1 − real)·W − T), T the tables at their slots and zero elsewhere, so the same zero-check pins those slots to the public
 * tables (the verifier evaluates T's MLE at the zero-check's point, once per key).
 *
 * <p>A zero-knowledge model's bounds proof is {@link ZkWeightBounds}'s (bits and a zero-knowledge
 * zero-check, every evaluation claimed off the face of a hiding commitment): same statement, nothing else revealed.
 */
final class WeightBounds {
    static final String DOMAIN = "verinfer-weight-bounds-v1";
    private static final String MAGIC = "VIWB";
    /** 2: the chained transcript (verinfer-transcript-v2); 3: the WHIR opening batched into one run, with query grinding. */
    private static final int VERSION = 3;
    private static final int LIMB_BITS = 16;
    /** The range-checked values v and u. */
    private static final int VALUES = 2;

    private WeightBounds() {}

    /** Limbs per value: enough for 2^(b_max + 2), at most 3 (b ≤ 40). */
    private static int limbs(ProofPlan plan) {
        int bmax = 0;
        for (int t : plan.weightTensors) {
            bmax = Math.max(bmax, plan.graph.tensor(t).bits());
        }
        return Math.max(1, (bmax + 2 + LIMB_BITS - 1) / LIMB_BITS);
    }

    /** The layout of the limb commitment: v's L limb tables then u's, each of W's size (the multiplicities are committed apart). */
    private static PolyPacking packing(int weightVars, int limbs) {
        int[] vars = new int[VALUES * limbs];
        java.util.Arrays.fill(vars, weightVars);
        return new PolyPacking(vars);
    }

    static Transcript transcript(byte[] architectureDigest, byte[] weightRoot) {
        Transcript t = new Transcript(DOMAIN);
        t.absorbBytes("architecture", architectureDigest);
        t.absorbBytes("weight-root", weightRoot);
        return t;
    }

    /** real(x) and c(x) over the packed weight polynomial's hypercube (per piece: its real region, its tensor's bound). */
    static long[][] publicTables(ProofPlan plan) {
        int n = plan.weightPacking.numVars();
        long[] real = new long[1 << n];
        long[] c = new long[1 << n];
        for (int item = 0; item < plan.weightLayout.pieces(); item++) {
            WeightLayout.Piece piece = plan.weightLayout.piece(item);
            int offset = (int) plan.weightPacking.offset(item);
            long bound = Goldilocks.fromSigned((1L << plan.graph.tensor(plan.weightTensors.get(piece.tensor())).bits()) - 1);
            long[] region = Indicators.realRegionTable(piece.shape());
            for (int i = 0; i < region.length; i++) {
                real[offset + i] = region[i];
                c[offset + i] = bound;
            }
        }
        return new long[][] {real, c};
    }

    /** The MLEs of real and c at a point of W's variables (the verifier's O(#pieces · n) closed form). */
    static Ext2[] publicEvaluations(ProofPlan plan, Ext2[] point) {
        Ext2 real = Ext2.ZERO;
        Ext2 c = Ext2.ZERO;
        for (int item = 0; item < plan.weightLayout.pieces(); item++) {
            WeightLayout.Piece piece = plan.weightLayout.piece(item);
            int vars = plan.weightPacking.itemVars(item);
            long block = plan.weightPacking.offset(item) >>> vars;
            Ext2 sel = Ext2.ONE;
            for (int j = vars; j < point.length; j++) {
                sel = sel.mul(((block >>> (j - vars)) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
            }
            Ext2[] local = java.util.Arrays.copyOf(point, vars);
            real = real.add(sel.mul(Indicators.realRegion(piece.shape(), local)));
            c = c.add(sel.mul(Goldilocks.fromSigned((1L << plan.graph.tensor(plan.weightTensors.get(piece.tensor())).bits()) - 1)));
        }
        return new Ext2[] {real, c};
    }

    /** The zero-check's first tables, [real, 1 − real, W, c] (both proofs' layout); callers append theirs. */
    static List<MleTable> leadingTables(long[] real, long[] packed, long[] c) {
        long[] pad = new long[real.length];
        for (int x = 0; x < pad.length; x++) {
            pad[x] = 1 - real[x];
        }
        return new ArrayList<>(List.of(new BaseTable(real), new BaseTable(pad), new BaseTable(packed), new BaseTable(c)));
    }

    /**
     * Zero-check terms over tables [real, pad, W, c, v's limbs, u's limbs] and, with committed function tables, T (the
     * tables at their subcubes, zero elsewhere): the padding term is then γ²·((1 − real)·W − T), so W equals T on the tables'
     * slots (none of them real) and is zero on every other slot that is no real weight.
     */
    private static List<ProductTerm> terms(Ext2 gamma, int limbs, boolean tables) {
        List<ProductTerm> terms = new ArrayList<>();
        Ext2[] weight = {Ext2.ONE, gamma};
        for (int value = 0; value < VALUES; value++) {
            Ext2 g = weight[value];
            terms.add(ProductTerm.of(value == 0 ? g : g.neg(), 0, 2)); // ±real·W
            terms.add(ProductTerm.of(g, 0, 3)); // real·c
            for (int l = 0; l < limbs; l++) {
                terms.add(ProductTerm.of(g.mul(1L << (LIMB_BITS * l)).neg(), 0, 4 + limbs * value + l));
            }
        }
        terms.add(ProductTerm.of(gamma.mul(gamma), 1, 2)); // γ²·(1 − real)·W
        if (tables) {
            terms.add(ProductTerm.of(gamma.mul(gamma).neg(), 4 + VALUES * limbs)); // − γ²·T
        }
        return terms;
    }

    /** Proves the bounds of the packed weights {@code packed} committed as {@code weights}. */
    static byte[] prove(ProofPlan plan, byte[] architectureDigest, long[] packed, PcsCommitment weights, MultilinearPcs pcs) {
        return provePlain(plan, TableCommitment.NONE, architectureDigest, packed, weights, pcs);
    }

    /**
     * As above for a zero-knowledge model ({@code masks} non-null, reproducible from the key's seed): the
     * proof is then {@link ZkWeightBounds}'s, against the hiding weight commitment.
     */
    static byte[] prove(ProofPlan plan, byte[] architectureDigest, long[] packed, PcsCommitment weights, PcsSecurity security, MultilinearPcs pcs,
                        RandomGenerator masks) {
        return prove(plan, TableCommitment.NONE, architectureDigest, packed, weights, security, pcs, masks);
    }

    /** As above, with the function tables {@code tables} committed in the weights' tail (a key without zero knowledge only). */
    static byte[] prove(ProofPlan plan, TableCommitment tables, byte[] architectureDigest, long[] packed, PcsCommitment weights, PcsSecurity security,
                        MultilinearPcs pcs, RandomGenerator masks) {
        return masks == null ? provePlain(plan, tables, architectureDigest, packed, weights, pcs)
                : ZkWeightBounds.prove(plan, architectureDigest, packed, weights, security, pcs, masks, ProverChannel.Tamper.NONE);
    }

    private static byte[] provePlain(ProofPlan plan, TableCommitment committed, byte[] architectureDigest, long[] packed, PcsCommitment weights,
                                     MultilinearPcs pcs) {
        ProofWriter out = ProofWriter.begin(MAGIC, VERSION);
        if (plan.weightTensors.isEmpty()) {
            return out.toByteArray();
        }
        int n = plan.weightPacking.numVars();
        int limbs = limbs(plan);
        long[][] pub = publicTables(plan);
        long[] real = pub[0];
        long[] c = pub[1];
        long[][] limbTables = new long[VALUES * limbs][1 << n];
        for (int x = 0; x < real.length; x++) {
            if (real[x] == 0) {
                continue;
            }
            long[] values = {Goldilocks.add(packed[x], c[x]), Goldilocks.sub(c[x], packed[x])};
            for (int value = 0; value < VALUES; value++) {
                for (int l = 0; l < limbs; l++) {
                    long limb = values[value] >>> (LIMB_BITS * l);
                    limbTables[limbs * value + l][x] = l < limbs - 1 ? limb & ((1L << LIMB_BITS) - 1) : limb;
                }
            }
        }
        long[][] range = {RangeTable.values(LIMB_BITS)};
        List<LookupWitness> groups = new ArrayList<>();
        for (long[] limb : limbTables) {
            groups.add(new LookupWitness(new long[][] {limb}, real, 0));
        }
        long[] multiplicities = new long[1 << LIMB_BITS];
        for (long[] limb : limbTables) {
            for (int x = 0; x < limb.length; x++) {
                if (real[x] != 0 && limb[x] >= 0 && limb[x] < multiplicities.length) {
                    multiplicities[(int) limb[x]]++; // a limb outside the table cannot be counted: the look-up then fails
                }
            }
        }
        PolyPacking packing = packing(n, limbs);
        long[] witness = packing.pack(limbTables);
        PcsCommitment witnessCommitment = pcs.commit(witness);
        PcsCommitment multiplicityCommitment = pcs.commit(multiplicities);

        Transcript t = transcript(architectureDigest, weights.root());
        ProverChannel ch = new ProverChannel(t, out, ProverChannel.Tamper.NONE);
        ch.sendBytes("bounds-root", witnessCommitment.root());
        ch.sendBytes("bounds-multiplicity-root", multiplicityCommitment.root());
        LogUpProverResult lookups = LogUpProver.prove(t, groups, range, multiplicities);
        lookups.proof().write(out);
        LogUpClaims lookupClaims = lookups.claims();

        Ext2[] tau = ch.challenges("bounds-tau", n);
        Ext2 gamma = ch.challenge("bounds-gamma");
        List<MleTable> tables = leadingTables(real, packed, c);
        for (long[] limb : limbTables) {
            tables.add(new BaseTable(limb));
        }
        if (!committed.isEmpty()) {
            tables.add(new BaseTable(committed.table(n)));
        }
        SumcheckProverResult zero = SumcheckProver.proveWithEq(t, tau, Ext2.ZERO, tables, terms(gamma, limbs, !committed.isEmpty()));
        zero.proof().write(out);
        Ext2[] evals = zero.finalEvaluations();
        Ext2[] zeroPoint = zero.point();
        Ext2[] sent = new Ext2[1 + limbTables.length]; // W and the limbs at the zero-check's point; real, 1 − real and c are public
        sent[0] = evals[2];
        System.arraycopy(evals, 4, sent, 1, limbTables.length);
        ch.sendExts("bounds-evals", sent);

        List<ClaimBatching.SubcubeClaim> claims = witnessClaims(packing, lookupClaims, zeroPoint, java.util.Arrays.copyOfRange(evals, 4, 4 + limbTables.length));
        Claim merged = ClaimBatching.prove(ch, witness, packing.numVars(), claims);
        TableClaim table = lookupClaims.table();
        PcsOpeningProof opening = pcs.open(t, List.of(new PcsOpening(weights, zeroPoint, evals[2]),
                new PcsOpening(witnessCommitment, merged.point(), merged.value()),
                new PcsOpening(multiplicityCommitment, table.point(), table.multiplicityEvaluation())));
        opening.write(out);
        return out.toByteArray();
    }

    /** The claims on the limbs: each look-up group's, and the zero-check's. */
    private static List<ClaimBatching.SubcubeClaim> witnessClaims(PolyPacking packing, LogUpClaims lookups, Ext2[] point, Ext2[] limbValues) {
        List<ClaimBatching.SubcubeClaim> claims = new ArrayList<>();
        for (int g = 0; g < limbValues.length; g++) {
            GroupClaim gc = lookups.groups().get(g);
            claims.add(new ClaimBatching.SubcubeClaim(gc.point(), packing.itemVars(g), block(packing, g), gc.columnEvaluations()[0]));
            claims.add(new ClaimBatching.SubcubeClaim(point, packing.itemVars(g), block(packing, g), limbValues[g]));
        }
        return claims;
    }

    private static long block(PolyPacking packing, int item) {
        return packing.offset(item) >>> packing.itemVars(item);
    }

    /**
     * Checks a bounds proof against the weight root of a key.
     *
     * @throws ProofRejectedException saying which check failed
     */
    static void verify(ProofPlan plan, byte[] architectureDigest, byte[] weightRoot, int weightVars, MultilinearPcs pcs, byte[] proof)
            throws MalformedProofException, ProofRejectedException {
        verify(plan, architectureDigest, weightRoot, weightVars, pcs, proof, false);
    }

    /** As above for a zero-knowledge model's proof ({@link ZkWeightBounds}) when {@code zeroKnowledge}. */
    static void verify(ProofPlan plan, byte[] architectureDigest, byte[] weightRoot, int weightVars, MultilinearPcs pcs, byte[] proof,
                       boolean zeroKnowledge) throws MalformedProofException, ProofRejectedException {
        verify(plan, TableCommitment.NONE, architectureDigest, weightRoot, weightVars, pcs, proof, zeroKnowledge);
    }

    /** As above, with the function tables {@code tables} committed in the weights' tail (a key without zero knowledge only). */
    static void verify(ProofPlan plan, TableCommitment tables, byte[] architectureDigest, byte[] weightRoot, int weightVars, MultilinearPcs pcs,
                       byte[] proof, boolean zeroKnowledge) throws MalformedProofException, ProofRejectedException {
        if (zeroKnowledge) {
            if (!tables.isEmpty()) {
                throw new ProofRejectedException("weight bounds: a zero-knowledge key commits no function tables");
            }
            ZkWeightBounds.verify(plan, architectureDigest, weightRoot, weightVars, pcs, proof);
        } else {
            verifyPlain(plan, tables, architectureDigest, weightRoot, weightVars, pcs, proof);
        }
    }

    private static void verifyPlain(ProofPlan plan, TableCommitment committed, byte[] architectureDigest, byte[] weightRoot, int weightVars, MultilinearPcs pcs, byte[] proof)
            throws MalformedProofException, ProofRejectedException {
        ProofReader in = ProofReader.open(proof, MAGIC, VERSION);
        if (plan.weightTensors.isEmpty()) {
            in.finish();
            return;
        }
        int n = plan.weightPacking.numVars();
        int limbs = limbs(plan);
        PolyPacking packing = packing(n, limbs);
        Transcript t = transcript(architectureDigest, weightRoot);
        VerifierChannel ch = new VerifierChannel(t, in);
        byte[] witnessRoot = ch.receiveBytes("bounds-root", 64);
        byte[] multiplicityRoot = ch.receiveBytes("bounds-multiplicity-root", 64);
        List<LogUpShape.GroupShape> groups = new ArrayList<>();
        for (int g = 0; g < VALUES * limbs; g++) {
            groups.add(new LogUpShape.GroupShape(n, true));
        }
        LogUpShape shape = new LogUpShape(1, LIMB_BITS, groups);
        LogUpClaims lookups;
        try {
            lookups = LogUpVerifier.verify(t, shape, LogUpProof.read(in, shape));
        } catch (LogUpRejectedException e) {
            throw new ProofRejectedException("weight bounds: range look-up: " + e.getMessage());
        }
        for (GroupClaim gc : lookups.groups()) {
            if (!gc.selectorEvaluation().equals(publicEvaluations(plan, gc.point())[0])) {
                throw new ProofRejectedException("weight bounds: look-up selector is not the weights' real region");
            }
        }
        if (!lookups.table().columnEvaluations()[0].equals(RangeTable.evaluate(lookups.table().point()))) {
            throw new ProofRejectedException("weight bounds: range table evaluation is wrong");
        }

        Ext2[] tau = ch.challenges("bounds-tau", n);
        Ext2 gamma = ch.challenge("bounds-gamma");
        List<ProductTerm> terms = terms(gamma, limbs, !committed.isEmpty());
        SubClaim sub;
        try {
            sub = SumcheckVerifier.verify(t, Ext2.ZERO, n, ProductTerm.degree(terms) + 1, SumcheckProof.read(in, n, ProductTerm.degree(terms) + 1));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("weight bounds: zero-check: " + e.getMessage());
        }
        Ext2[] sent = ch.receiveExts("bounds-evals", 1 + VALUES * limbs);
        Ext2[] pub = publicEvaluations(plan, sub.point());
        Ext2[] evals = new Ext2[4 + VALUES * limbs + (committed.isEmpty() ? 0 : 1)];
        if (!committed.isEmpty()) {
            evals[4 + VALUES * limbs] = committed.evaluate(sub.point()); // the tables' MLE, once per key
        }
        evals[0] = pub[0];
        evals[1] = Ext2.ONE.sub(pub[0]);
        evals[2] = sent[0];
        evals[3] = pub[1];
        System.arraycopy(sent, 1, evals, 4, VALUES * limbs);
        try {
            sub.checkWithEq(tau, terms, evals);
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("weight bounds: the limbs do not add up to the weights, or the padding is not zero"
                    + (committed.isEmpty() ? "" : " or not the function tables committed with them (a proven-evm key made before they were: re-create it)"));
        }
        List<ClaimBatching.SubcubeClaim> claims = witnessClaims(packing, lookups, sub.point(), java.util.Arrays.copyOfRange(evals, 4, 4 + VALUES * limbs));
        Claim merged = ClaimBatching.verify(ch, packing.numVars(), claims);
        PcsOpeningProof opening = pcs.readProof(in);
        try {
            pcs.verify(t, List.of(new PcsClaim(weightRoot, weightVars, sub.point(), sent[0]),
                    new PcsClaim(witnessRoot, packing.numVars(), merged.point(), merged.value()),
                    new PcsClaim(multiplicityRoot, LIMB_BITS, lookups.table().point(), lookups.table().multiplicityEvaluation())), opening);
        } catch (PcsRejectedException e) {
            throw new ProofRejectedException("weight bounds: commitment opening: " + e.getMessage(), e);
        }
        in.finish();
    }
}
