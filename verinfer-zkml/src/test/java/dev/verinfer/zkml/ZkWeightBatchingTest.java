package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-knowledge batching of the weights' off-face claims ({@link ZkWeightBatching}): a proof with K ≥ 2 of them hands
 * the weights' opening one; every new message altered is rejected; and what the batch reveals (its Libra-masked rounds, the
 * mask's sum, value and pieces, the merged value u) gains no rank on the weights beyond the claims' own masked values.
 */
class ZkWeightBatchingTest {

    /** The Gemm's two off-face weight claims (W′(ρ) and the bias's B′(ρ)) reach the opening as one; the MatMul's one as it is. */
    @Test
    void aProofWithTwoWeightClaimsOpensTheWeightsOnceOffTheFace() throws Exception {
        for (boolean bias : new boolean[] {true, false}) {
            var g = ZkMatMulProofTest.layer(5, 16, 8, bias);
            ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
            ProofMasks.ZkLayout layout = LinearLayers.zkLayout(g, pk.plan(), ZkWitnessBatching.tail(pk.verifyingKey().pcs(), pk.plan(), pk.verifyingKey().weightOpeningBudget()));
            assertTrue(layout.index(ProofMasks.ZkLayout.WEIGHTS) >= 0, "the batch's mask is in M");
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ZkMatMulProofTest.run(g, 3)), AdversarialProver.Rewrite.NONE);
            List<String> labels = new ArrayList<>();
            HidingCommitment weights = (HidingCommitment) pk.weightCommitment();
            int offFaceLeft = weights.offFaceClaimsLeft();
            Proof proof = AdversarialProver.proveRecording(pk, trace, labels, java.util.Set.of(), new ArrayList<>());
            // this process's count, as the ledger's: every value of h the proof reveals, the merged claims' and u
            assertEquals(ZkWeightBatching.revealed(bias ? 2 : 1), offFaceLeft - weights.offFaceClaimsLeft(), "off-face values charged");
            ZkWeightLeakageTest.ClaimRecorder recorder = new ZkWeightLeakageTest.ClaimRecorder(pk.verifyingKey().proofPcs());
            VerificationResult v = Verifier.verify(pk.verifyingKey(), proof.bytes(), recorder);
            assertTrue(v.valid(), v.reason());
            byte[] root = pk.verifyingKey().weightRoot();
            List<PcsClaim> onWeights = recorder.claims.getLast().stream().filter(c -> Arrays.equals(c.root(), root)).toList();
            assertEquals(1, onWeights.size(), "claims on the weights reaching the opening");
            assertEquals(pk.verifyingKey().weightVars() + 1, onWeights.getFirst().point().length, "off the face");
            assertEquals(bias, labels.contains("weights-eval"), "merged exactly when there are two claims: " + labels);
        }
    }

    /**
     * The merged value u ("weights-eval") and a weight claim's value before the merge (the bias's B′(ρ), the third "matmul-evals",
     * which only the batch now carries to the opening), altered with the rest re-derived honestly: rejected. So is every value of
     * the batch's sumcheck (G, each round's values, g(ρ)) altered in the proof's bytes: they sit just before its mask's
     * pieces and u, found by u's value.
     */
    @Test
    void everyAlteredMessageOfTheBatchIsRejected() throws Exception {
        var g = ZkMatMulProofTest.gemm(6);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 64);
        long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ZkMatMulProofTest.run(g, 3)), AdversarialProver.Rewrite.NONE);
        List<String> labels = new ArrayList<>();
        List<Ext2> u = new ArrayList<>();
        Proof honest = AdversarialProver.proveRecording(pk, trace, labels, java.util.Set.of("weights-eval"), u);
        assertTrue(Verifier.verify(pk.verifyingKey(), honest.bytes()).valid());
        for (int at : new int[] {labels.indexOf("weights-eval"), labels.lastIndexOf("matmul-evals")}) {
            Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, l, x) -> seq == at ? x.add(Ext2.ONE) : x);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + labels.get(at) + ") accepted");
        }
        // Before u: G* (16 bytes), the rounds' count, each round's count and values, g(ρ), the pieces' count and pieces (a layout
        // without look-ups opens the mask by pieces, one per variable).
        byte[] bytes = honest.bytes();
        int uAt = indexOf(bytes, ext(u.getFirst()));
        int[] degrees = ZkWeightBatching.degrees(pk.plan().weightPacking.numVars());
        int maskEvaluation = uAt - 16 * degrees.length - 4 - 16;
        List<Integer> at = new ArrayList<>(List.of(maskEvaluation));
        int end = maskEvaluation;
        for (int i = degrees.length - 1; i >= 0; i--) {
            for (int e = degrees[i] - 1; e >= 0; e--) {
                end -= 16;
                at.add(end);
            }
            end -= 4;
        }
        at.add(end - 4 - 16); // G*
        for (int k : at) {
            byte[] altered = bytes.clone();
            altered[k + 7] ^= 1;
            assertFalse(Verifier.verify(pk.verifyingKey(), altered).valid(), "the batch's sumcheck value at byte " + k + " altered");
        }
    }

    private static byte[] ext(Ext2 v) {
        ProofWriter w = ProofWriter.begin(Proof.MAGIC, Proof.ZK_VERSION);
        int header = w.toByteArray().length;
        w.writeExt(v);
        byte[] all = w.toByteArray();
        return Arrays.copyOfRange(all, header, all.length);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        int found = -1;
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                assertEquals(-1, found, "u's bytes occur once");
                found = i;
            }
        }
        assertTrue(found >= 0, "u's bytes are in the proof");
        return found;
    }

    // ---------------------------------------------------------------- rank

    private static final int N = 5;
    private static final int SIZE = 1 << N;
    private static final int CLAIMS = 3;
    /** Per proof, F_{p²} unknowns of the batch's Libra mask: a_0, a_{i,1}, a_{i,2} (degree 2 per variable), shares s_0 … s_{N−2}. */
    private static final int MASK_EXT = 1 + 2 * N + (N - 1);

    /**
     * Rows over (f | h, each proof's mask) as base-field relations: f the packed weights (private), h the mask face shared by
     * every proof, each proof's mask fresh. Three proofs of three claims each reveal 12 values of h's 32 entries.
     */
    @Test
    void theBatchGainsNoRankOnTheWeightsAndItsValueWithoutHWould() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        long[] f = new long[SIZE];
        long[] h = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            f[i] = Goldilocks.fromSigned(rnd.nextLong(-100, 100));
            h[i] = Goldilocks.random(rnd);
        }
        int proofs = 3;
        Rows rows = new Rows(proofs);
        Rows control = new Rows(proofs);
        for (int p = 0; p < proofs; p++) {
            Batch b = batch(f, h, rnd);
            b.addRows(rows, p, false);
            b.addRows(control, p, true);
        }
        assertEquals(0, rows.all.privateRank(), "the batch's revealed values gain no rank on the weights");
        assertTrue(control.all.privateRank() >= 1, "the control (u read as f(ρ), h's part dropped) gains rank: the test can fail");
    }

    /** One batch's transcript, proven by {@link ZkWeightBatching#prove} on K random off-face claims of (f, h). */
    private record Batch(List<Claim> claims, Ext2 alpha, ZkSumcheckProof proof, Ext2[] pieces, Ext2[] rho, Ext2 beta, Ext2 u, long[] f, long[] h) {
        void addRows(Rows rows, int proof, boolean control) {
            Ext2[] none = zeros(SIZE);
            for (Claim c : claims) { // v_k = f(x_k) + z_k·h(x_k)
                Ext2[] eq = eqRow(Arrays.copyOf(c.point(), N));
                rows.reveal(eq, scale(eq, c.point()[N]), zeros(MASK_EXT), proof, c.value());
            }
            ExtVector[] gh = ZkWeightBatching.weightTables(N, claims, alpha);
            Ext2[][] values = proof().rounds().rounds();
            // the mask weight ρ_m from the final relation: the rounds are affine in it (through H + ρ_m·G*)
            Ext2[] affine = ZkWeightLeakageTest.affineFinal(values, N, ZkWeightBatching.batchedValue(claims, alpha), proof().maskSum(), rho);
            Ext2 a = affine[0];
            Ext2 bb = affine[1];
            Ext2 pAtRho = Mle.evaluate(f, rho).mul(Mle.evaluate(gh[0], rho)).add(Mle.evaluate(h, rho).mul(Mle.evaluate(gh[1], rho)));
            Ext2 maskWeight = pAtRho.sub(a).mul(bb.sub(proof().maskEvaluation()).inverse());
            Ext2[] sum = zerosMask(); // G* = Σg = 2^N·a_0 + 2^(N−1)·Σ a_{i,k}
            sum[0] = Ext2.of(1L << N);
            for (int j = 1; j <= 2 * N; j++) {
                sum[j] = Ext2.of(1L << (N - 1));
            }
            rows.reveal(none, none, sum, proof, proof().maskSum());
            for (int i = 0; i < N; i++) {
                for (int e = 0; e < values[i].length; e++) {
                    Ext2 t = Ext2.of(e == 0 ? 0 : e + 1);
                    rows.reveal(roundRow(gh[0], i, t), roundRow(gh[1], i, t), scale(maskRound(i, t), maskWeight), proof, values[i][e]);
                }
            }
            Ext2[] ge = zerosMask(); // g(ρ) = a_0 + Σ a_{i,k}·ρ_i^k
            ge[0] = Ext2.ONE;
            for (int i = 0; i < N; i++) {
                ge[1 + 2 * i] = rho[i];
                ge[2 + 2 * i] = rho[i].mul(rho[i]);
            }
            rows.reveal(none, none, ge, proof, proof().maskEvaluation());
            for (int i = 0; i < N; i++) { // piece i = s_i + g_i(ρ_i); the last share is a_0 − Σ s
                Ext2[] pc = zerosMask();
                pc[1 + 2 * i] = rho[i];
                pc[2 + 2 * i] = rho[i].mul(rho[i]);
                if (i < N - 1) {
                    pc[1 + 2 * N + i] = Ext2.ONE;
                } else {
                    pc[0] = Ext2.ONE;
                    for (int s = 0; s < N - 1; s++) {
                        pc[1 + 2 * N + s] = Ext2.ONE.neg();
                    }
                }
                rows.reveal(none, none, pc, proof, pieces[i]);
            }
            Ext2[] eq = eqRow(rho); // u = f(ρ) + β·h(ρ); the control reads it as f(ρ)
            rows.reveal(eq, control ? none : scale(eq, beta), zerosMask(), proof, control ? Mle.evaluate(f, rho) : u);
        }

        /** Round i's value at t, on f (or h with H): Σ_{x>i} f(ρ_<i, t, x_>i)·G(ρ_<i, t, x_>i), on f_q: eq((ρ_<i, t), q_≤i)·G(ρ_<i, t, q_>i). */
        private Ext2[] roundRow(ExtVector weight, int i, Ext2 t) {
            Ext2[] out = new Ext2[SIZE];
            for (int q = 0; q < SIZE; q++) {
                Ext2[] y = new Ext2[N];
                Ext2 eq = Ext2.ONE;
                for (int j = 0; j < N; j++) {
                    int bit = (q >>> j) & 1;
                    if (j <= i) {
                        y[j] = j < i ? rho[j] : t;
                        eq = eq.mul(bit == 1 ? y[j] : Ext2.ONE.sub(y[j]));
                    } else {
                        y[j] = Ext2.of(bit);
                    }
                }
                out[q] = eq.mul(Mle.evaluate(weight, y));
            }
            return out;
        }

        /** The mask's round-i value at t on (a_0, a_{j,k}, shares): 2^free·(a_0 + Σ_{j<i} a_j(ρ_j) + a_i(t)) + 2^(free−1)·Σ_{j>i} Σ_k a_{j,k}. */
        private Ext2[] maskRound(int i, Ext2 t) {
            Ext2[] c = zerosMask();
            int free = N - i - 1;
            Ext2 scale = Ext2.of(1L << free);
            c[0] = scale;
            for (int j = 0; j < N; j++) {
                for (int k = 1; k <= 2; k++) {
                    Ext2 x = j < i ? rho[j] : t;
                    c[2 * j + k - 1 + 1] = j <= i ? scale.mul(k == 1 ? x : x.mul(x)) : free >= 1 ? Ext2.of(1L << (free - 1)) : Ext2.ZERO;
                }
            }
            return c;
        }
    }

    /** A batch of {@link #CLAIMS} claims at random (x_k, z_k), proven through a mask commitment M holding only its mask. */
    private static Batch batch(long[] f, long[] h, SplittableRandom rnd) throws Exception {
        List<Claim> claims = new ArrayList<>();
        for (int k = 0; k < CLAIMS; k++) {
            Ext2[] p = new Ext2[N + 1];
            for (int j = 0; j <= N; j++) {
                p[j] = Ext2.random(rnd);
            }
            Ext2[] x = Arrays.copyOf(p, N);
            claims.add(new Claim(p, Mle.evaluate(f, x).add(p[N].mul(Mle.evaluate(h, x)))));
        }
        ProofMasks.ZkLayout layout = new ProofMasks.ZkLayout(List.of(ProofMasks.ZkLayout.WEIGHTS), List.of(ZkWeightBatching.degrees(N)));
        ProofMasks.Committer masks = new ProofMasks.Committer(layout, PcsSecurity.CONJECTURED, PcsSecurity.CONJECTURED.pcs(), rnd);
        Transcript transcript = new Transcript("zk-weight-batching-test");
        ProofWriter out = ProofWriter.begin(Proof.MAGIC, Proof.ZK_VERSION);
        List<Ext2> pieces = new ArrayList<>();
        ProverChannel ch = new ProverChannel(transcript, out, (seq, label, v) -> {
            if (label.equals("mask-pieces")) {
                pieces.add(v);
            }
            return v;
        });
        masks.send(ch);
        ProofReader sent = ProofReader.open(out.toByteArray(), Proof.MAGIC, Proof.ZK_VERSION);
        Transcript replay = new Transcript("zk-weight-batching-test"); // α: the first challenge after M's root and arity
        replay.absorbBytes("mask-root", sent.readBytes(64, "mask root"));
        replay.absorbExt("mask-vars", sent.readExt());
        Ext2 alpha = replay.challengeExt("batch-alpha");
        ZkProver zk = new ZkProver(layout, masks, null, h, new ArrayList<>());
        List<PcsOpening> openings = claims.stream().map(c -> new PcsOpening(null, c.point(), c.value())).toList();
        List<PcsOpening> merged = ZkWeightBatching.prove(ch, zk, f, N, openings);
        assertEquals(1, merged.size());
        ProofReader in = ProofReader.open(out.toByteArray(), Proof.MAGIC, Proof.ZK_VERSION);
        in.readBytes(64, "mask root");
        in.readExt();
        ZkSumcheckProof proof = ZkSumcheckProof.read(in, ZkWeightBatching.degrees(N));
        Ext2[] sentPieces = in.readExts(N, "pieces");
        assertArrayEquals(pieces.toArray(new Ext2[0]), sentPieces);
        Ext2 u = in.readExt();
        Ext2[] point = merged.getFirst().point();
        Ext2[] rho = Arrays.copyOf(point, N);
        assertEquals(u, merged.getFirst().value());
        assertEquals(Mle.evaluate(f, rho).add(point[N].mul(Mle.evaluate(h, rho))), u, "u = F(ρ, β)");
        return new Batch(claims, alpha, proof, sentPieces, rho, point[N], u, f, h);
    }

    /** Rows over (f | h | masks of every proof), base-field. */
    private static final class Rows {
        final LinearLeakage all;
        final int nuisance;

        Rows(int proofs) {
            this.nuisance = SIZE + proofs * 2 * MASK_EXT;
            this.all = new LinearLeakage(SIZE, nuisance);
        }

        /** value = Σ w_i·f_i + Σ hc_i·h_i + Σ mc_j·m_j (m the proof's F_{p²} mask unknowns), both base parts. */
        void reveal(Ext2[] w, Ext2[] hc, Ext2[] mc, int proof, Ext2 value) {
            for (int part = 0; part < 2; part++) {
                long[] priv = new long[SIZE];
                long[] nu = new long[nuisance];
                for (int i = 0; i < SIZE; i++) {
                    priv[i] = part == 0 ? w[i].c0() : w[i].c1();
                    nu[i] = part == 0 ? hc[i].c0() : hc[i].c1();
                }
                int base = SIZE + proof * 2 * MASK_EXT;
                for (int j = 0; j < MASK_EXT; j++) {
                    Ext2 c = mc[j]; // c·(u0 + u1·X), X² = 7
                    nu[base + 2 * j] = part == 0 ? c.c0() : c.c1();
                    nu[base + 2 * j + 1] = part == 0 ? Goldilocks.mul(Ext2.W, c.c1()) : c.c0();
                }
                all.reveal(priv, nu, part == 0 ? value.c0() : value.c1());
            }
        }
    }

    private static Ext2[] eqRow(Ext2[] point) {
        ExtVector eq = Mle.eqTable(point);
        Ext2[] out = new Ext2[eq.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Ext2(eq.c0()[i], eq.c1()[i]);
        }
        return out;
    }

    private static Ext2[] scale(Ext2[] v, Ext2 s) {
        Ext2[] out = new Ext2[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].mul(s);
        }
        return out;
    }

    private static Ext2[] zeros(int n) {
        Ext2[] z = new Ext2[n];
        Arrays.fill(z, Ext2.ZERO);
        return z;
    }

    private static Ext2[] zerosMask() {
        return zeros(MASK_EXT);
    }
}
