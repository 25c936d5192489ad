package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.BlockScaledProducts;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;

import java.util.Arrays;
import java.util.List;

/**
 * The zero-knowledge proof's claims on the registered weights, merged into one off-face claim (2026-12-06, branch zkclaims25).
 * Every zero-knowledge reduction that reads a weight ends in an off-face claim F(x_k, z_k) = v_k on the weights' hiding
 * commitment, F(x, y) = f′(x, y, 0, …) = f(x) + y·h(x) (f the packed weights, h its first mask face, z_k = Z(ρ_k) of the
 * reducing sumcheck; {@link LinearLayers}). With K ≥ {@link #MIN_CLAIMS} of them, one zero-knowledge sumcheck (Libra §4.1, its
 * mask in the proof's M) proves
 * Σ_k α^k·v_k = Σ_x f(x)·G(x) + h(x)·H(x), G = Σ_k α^k·eq(x_k, ·), H = Σ_k α^k·z_k·eq(x_k, ·)
 * (Σ_x f·eq(x_k, ·) = f(x_k) for multilinear f), over the weights' n variables. At its end ρ the statement is
 * f(ρ)·G(ρ) + h(ρ)·H(ρ) = G(ρ)·F(ρ, β) with β = H(ρ)/G(ρ): the prover sends u = F(ρ, β) ("weights-eval"), the verifier checks
 * G(ρ)·u against the sumcheck's final value (G and H it evaluates itself, O(K·n)), and (ρ, β) with u is the one off-face claim
 * handed to the weights' opening, where the proof used to hand all K (the hiding batch evaluated four 2^n tables and added one
 * eq table of its run per claim; here the eq tables live on each claim's own subcube of the n-variable sumcheck).
 *
 * <p><b>Soundness.</b> F is multilinear in (x, y) for whatever f′ the registered root binds (F = A + y·B, A = f′(·, 0, …) the
 * weights the setup's bounds proof constrains), so the identity above holds for it exactly; a false v_k survives α with
 * probability ≤ K/|F_{p²}|, the rounds with the zero-knowledge sumcheck's error (its mask g bound in M before ρ, g(ρ) and the
 * mask's sum claims on M), and u is bound by the weights' opening at (ρ, β). G(ρ) = 0 (probability ≤ n/|F_{p²}|) is refused.
 *
 * <p><b>Simulator</b> (as {@link ZkWitnessBatching}'s): the rounds and g's sum are Libra's (uniform through a_0, the rounds
 * through g); u = f(ρ) + β·h(ρ) is uniform through h(ρ), a functional of the mask face independent of the v_k's h(x_k) (distinct
 * points; β = 0, probability ≤ n/|F_{p²}|, is refused), so the simulator samples it. The proof thus reveals K + 1 values of h where it
 * revealed K: the v_k stay revealed (the reductions send them), and the weight budget is charged for K + 1 off-face values
 * ({@link #revealed}), not for the one claim the opening carries.
 */
final class ZkWeightBatching {
    /** The fewest weight claims merged; one claim goes to the opening as it is (no sumcheck, no further value of h). */
    static final int MIN_CLAIMS = 2;
    /** f (table 0) by G (table 1) plus h (table 2) by H (table 3). */
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE, 2, 3));

    private ZkWeightBatching() {}

    /** The sumcheck's round degrees over the packed weights' {@code numVars} variables (2 each: no vanishing mask). */
    static int[] degrees(int numVars) {
        return ZkSumcheckProver.roundDegrees(numVars, TERMS, false, null);
    }

    /** Whether K off-face weight claims are merged (both sides know K when they reach the opening: a function of the plan). */
    static boolean merges(int claims) {
        return claims >= MIN_CLAIMS;
    }

    /** Off-face values of the mask face h that a proof with K off-face weight claims reveals: K, and u when they are merged. */
    static int revealed(int claims) {
        return merges(claims) ? claims + 1 : claims;
    }

    /**
     * The prover's side: {@code claims} (each at (x_k, z_k) on f′, n + 1 coordinates) merged into one at (ρ, β), or returned
     * as they are when {@link #merges} is false. {@code weights} is f (the packed weights), {@code face} h.
     */
    static List<PcsOpening> prove(ProverChannel ch, ZkProver zk, long[] weights, int numVars, List<PcsOpening> claims) {
        if (!merges(claims.size())) {
            return claims;
        }
        List<Claim> offFace = claims.stream().map(o -> new Claim(o.point(), o.value())).toList();
        requireOffFace(numVars, offFace);
        Ext2 alpha = ch.challenge("batch-alpha");
        ProofMasks.Committer masks = zk.masks();
        SumcheckMask mask = masks.mask(zk.layout().index(ProofMasks.ZkLayout.WEIGHTS));
        long[] face = zk.weightFace();
        // Claims on disjoint item blocks (H = z_k·G on each): the leading rounds on G and f + z_k·h, the same messages.
        BlockScaledProducts leading = BlockScaledProducts.of(weights, face, blocks(numVars, offFace, alpha));
        ZkSumcheckProverResult res;
        if (leading != null) {
            res = ZkSumcheckProver.proveLeading(ch.transcript, batchedValue(offFace, alpha), leading, TERMS, mask, masks);
        } else {
            ExtVector[] gh = weightTables(numVars, offFace, alpha);
            res = ZkSumcheckProver.prove(ch.transcript, batchedValue(offFace, alpha),
                    List.of(new BaseTable(weights), new ExtTable(gh[0]), new BaseTable(face), new ExtTable(gh[1])), TERMS, null, mask, masks);
        }
        res.proof().write(ch.out);
        masks.flush(ch.out);
        Ext2[] e = res.finalEvaluations();
        if (e[1].equals(Ext2.ZERO) || e[3].equals(Ext2.ZERO)) {
            throw new IllegalStateException("the weight claims' batch weight G or H vanishes at the sumcheck's point");
        }
        Ext2 beta = e[3].mul(e[1].inverse());
        Ext2 value = e[0].add(beta.mul(e[2]));
        ch.sendExt("weights-eval", value);
        return List.of(new PcsOpening(claims.getFirst().commitment(), offFacePoint(res.point(), beta), value));
    }

    /** The verifier's side of {@link #prove}: the claims as they are, or the one merged claim. */
    static List<PcsClaim> verify(VerifierChannel ch, ZkVerifier zk, List<PcsClaim> claims) throws MalformedProofException, ProofRejectedException {
        if (!merges(claims.size())) {
            return claims;
        }
        int numVars = zk.weightVars();
        List<Claim> offFace = claims.stream().map(c -> new Claim(c.point(), c.claimedValue())).toList();
        try {
            requireOffFace(numVars, offFace);
        } catch (IllegalStateException e) {
            throw new ProofRejectedException(e.getMessage());
        }
        Ext2 alpha = ch.challenge("batch-alpha");
        int[] degrees = degrees(numVars);
        ZkSumcheckProof proof = ZkSumcheckProof.read(ch.in, degrees);
        String what = "zero-knowledge batching of the weight claims";
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verify(ch.transcript, batchedValue(offFace, alpha), 2, degrees, proof,
                    zk.masks().sumcheck(zk.layout().index(ProofMasks.ZkLayout.WEIGHTS)));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + ": " + e.getMessage(), e);
        }
        Ext2 value = ch.receiveExt("weights-eval");
        Ext2[] gh = weightsAt(offFace, alpha, sub.point());
        if (gh[0].equals(Ext2.ZERO) || gh[1].equals(Ext2.ZERO)) {
            throw new ProofRejectedException(what + ": the batch weight G or H vanishes at the sumcheck's point");
        }
        if (!gh[0].mul(value).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException(what + ": final evaluation does not match");
        }
        return List.of(new PcsClaim(zk.weightRoot(), numVars, offFacePoint(sub.point(), gh[1].mul(gh[0].inverse())), value));
    }

    /** Every claim has the weights' n coordinates and the mask coordinate z_k. */
    private static void requireOffFace(int numVars, List<Claim> claims) {
        for (Claim c : claims) {
            if (c.point().length != numVars + 1) {
                throw new IllegalStateException("a zero-knowledge weight claim with " + c.point().length + " coordinates, not the weights' "
                        + numVars + " and the mask's");
            }
        }
    }

    private static Ext2[] offFacePoint(Ext2[] rho, Ext2 beta) {
        Ext2[] p = Arrays.copyOf(rho, rho.length + 1);
        p[rho.length] = beta;
        return p;
    }

    /** Σ_k α^k·v_k. */
    static Ext2 batchedValue(List<Claim> claims, Ext2 alpha) {
        return ClaimBatching.powerCombination(claims.stream().map(Claim::value).toList(), alpha);
    }

    /**
     * G and H over {0,1}^n. A claim's packed point ends in the bits of its item's block (the coordinates in {0, 1} from the
     * last one down), where eq(x_k, ·) vanishes off the block: its terms are added on the block's 2^l entries only.
     */
    static ExtVector[] weightTables(int numVars, List<Claim> claims, Ext2 alpha) {
        ExtVector g = ExtVector.zeros(1 << numVars);
        ExtVector h = ExtVector.zeros(1 << numVars);
        Ext2 power = Ext2.ONE;
        for (Claim c : claims) {
            Ext2[] p = c.point();
            int low = localVars(numVars, p);
            Ext2[] local = Arrays.copyOf(p, low);
            int offset = blockOffset(numVars, p, low);
            Mle.addEqTable(local, power, g, offset, 1);
            Mle.addEqTable(local, power.mul(p[numVars]), h, offset, 1);
            power = power.mul(alpha);
        }
        return new ExtVector[] {g, h};
    }

    /** Each claim's block of G (α^k·eq(x_k, ·) on its item's 2^l entries) with H = z_k·G there ({@link BlockScaledProducts}). */
    static List<BlockScaledProducts.Block> blocks(int numVars, List<Claim> claims, Ext2 alpha) {
        List<BlockScaledProducts.Block> out = new java.util.ArrayList<>();
        Ext2 power = Ext2.ONE;
        for (Claim c : claims) {
            Ext2[] p = c.point();
            int low = localVars(numVars, p);
            out.add(new BlockScaledProducts.Block(blockOffset(numVars, p, low), Mle.eqTable(Arrays.copyOf(p, low), power), p[numVars]));
            power = power.mul(alpha);
        }
        return out;
    }

    /** l: the point's coordinates below its trailing run of 0s and 1s (the item block's bits) among the first n. */
    private static int localVars(int numVars, Ext2[] p) {
        int low = numVars;
        while (low > 0 && (p[low - 1].equals(Ext2.ZERO) || p[low - 1].equals(Ext2.ONE))) {
            low--;
        }
        return low;
    }

    /** The block's first entry: the trailing bits as an index, times 2^l. */
    private static int blockOffset(int numVars, Ext2[] p, int low) {
        long block = 0;
        for (int i = numVars - 1; i >= low; i--) {
            block = block << 1 | (p[i].equals(Ext2.ONE) ? 1 : 0);
        }
        return (int) (block << low);
    }

    /** G(ρ) and H(ρ), which the verifier computes itself. */
    static Ext2[] weightsAt(List<Claim> claims, Ext2 alpha, Ext2[] rho) {
        Ext2 g = Ext2.ZERO;
        Ext2 h = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (Claim c : claims) {
            Ext2 eq = Mle.eq(Arrays.copyOf(c.point(), rho.length), rho).mul(power);
            g = g.add(eq);
            h = h.add(eq.mul(c.point()[rho.length]));
            power = power.mul(alpha);
        }
        return new Ext2[] {g, h};
    }
}
