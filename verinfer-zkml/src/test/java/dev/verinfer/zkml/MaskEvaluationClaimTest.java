package dev.verinfer.zkml;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.logup.LogUpMaskLayout;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Libra mask's g(r) opened as one linear claim on the mask commitment M (proof format 11, {@link ProofMasks#evaluationClaim}),
 * on the real hiding WHIR: the layout has the linear claims' sumcheck (an empty look-up layout switches it on), so the
 * masks of the sumchecks are opened without pieces; M's only point claims are the linear claims' own mask pieces and M̃(ρ).
 *
 * <p><b>Soundness</b>: M committed with any entry of a mask block altered (the protocol using the masks as drawn, so the
 * g(r) it sends is not the committed block's) is refused or rejected, and so is every byte flip. <b>Zero knowledge</b>: every
 * value the M machinery sends — the linear sumcheck's rounds, mask sum and evaluation, its mask's pieces, M̃(ρ) — written as a
 * functional of M's entries (checked against the true table), gains rank 0 on the opened masks' blocks beyond the claim g(r)
 * itself; with the linear sumcheck's mask taken as known the rows gain rank, and so do format 10's pieces (the shares).
 */
class MaskEvaluationClaimTest {
    private static final MultilinearPcs PCS = PcsSecurity.PROVEN.pcs();
    private static final LogUpMaskLayout LINEAR_ONLY = new LogUpMaskLayout(0, List.of(), List.of());
    private static final Ext2 XI = new Ext2(0, 1);

    /** A proof of the instances' sumchecks and M's opening, its table (as committed), the instances' points and the linear sumcheck's point. */
    record Run(byte[] proof, long[] table, List<Ext2[]> points, Ext2[] linearPoint, SumcheckMask linearMask, int claimsOnM) {}

    static Run prove(ProofMasks.ZkLayout layout, List<ProofMasksTest.Instance> instances, long seed, Consumer<long[]> edit) {
        long[][] table = new long[1][];
        ProofMasks.Committer committer = new ProofMasks.Committer(layout, PcsSecurity.PROVEN, PCS, new SplittableRandom(seed), true, t -> {
            edit.accept(t);
            table[0] = t;
        });
        ProofWriter out = ProofWriter.begin("TEST", 1);
        ProverChannel ch = new ProverChannel(new Transcript("mask-claim-test"), out, ProverChannel.Tamper.NONE);
        committer.send(ch);
        List<Ext2[]> points = new ArrayList<>();
        for (int j = 0; j < instances.size(); j++) {
            ProofMasksTest.Instance inst = instances.get(j);
            ZkSumcheckProverResult res = ZkSumcheckProver.prove(ch.transcript, inst.sum(), inst.tables(), inst.terms(), null, committer.mask(j), committer);
            res.proof().write(out);
            committer.flush(out);
            ch.sendExts("finals", res.finalEvaluations());
            points.add(res.point());
        }
        committer.proveLinear(ch);
        List<PcsOpening> openings = committer.openings();
        PCS.open(ch.transcript, openings).write(out);
        return new Run(out.toByteArray(), table[0], points, openings.getLast().point(), committer.mask(layout.linearSumcheck()), openings.size());
    }

    static void verify(ProofMasks.ZkLayout layout, List<ProofMasksTest.Instance> instances, byte[] proof) throws Exception {
        ProofReader in = ProofReader.open(proof, "TEST", 1);
        VerifierChannel ch = new VerifierChannel(new Transcript("mask-claim-test"), in);
        ProofMasks.Verifier masks = new ProofMasks.Verifier(layout, ch);
        for (int j = 0; j < instances.size(); j++) {
            ProofMasksTest.Instance inst = instances.get(j);
            ZkSumcheckProof p = ZkSumcheckProof.read(in, inst.degrees());
            SubClaim sub = ZkSumcheckVerifier.verify(ch.transcript, inst.sum(), inst.degrees()[0], inst.degrees(), p, masks.sumcheck(j));
            sub.check(inst.terms(), ch.receiveExts("finals", inst.tables().size()));
        }
        masks.verifyLinear(ch);
        List<PcsClaim> claims = masks.claims();
        PcsOpeningProof opening = PCS.readProof(in);
        PCS.verify(ch.transcript, claims, opening);
        if (in.remaining() != 0) {
            throw new IllegalStateException(in.remaining() + " bytes left over");
        }
    }

    static List<ProofMasksTest.Instance> instances(SplittableRandom rng, int count) {
        List<ProofMasksTest.Instance> all = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            all.add(ProofMasksTest.instance(rng, 1 + rng.nextInt(3), 1 + rng.nextInt(3)));
        }
        return all;
    }

    static ProofMasks.ZkLayout layout(List<ProofMasksTest.Instance> instances) {
        List<Integer> outputs = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int j = 0; j < instances.size(); j++) {
            outputs.add(100 + j);
            shapes.add(instances.get(j).degrees());
        }
        return new ProofMasks.ZkLayout(outputs, shapes, LINEAR_ONLY);
    }

    @Test
    void masksOpenedByALinearClaimSendNoPiecesAndAnAlteredBlockOrByteIsRejected() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        List<ProofMasksTest.Instance> instances = instances(rng, 3);
        ProofMasks.ZkLayout layout = layout(instances);
        for (int j = 0; j < instances.size(); j++) {
            assertTrue(layout.opensByLinearClaim(j));
        }
        assertFalse(layout.opensByLinearClaim(layout.linearSumcheck()), "the linear claims' own mask is opened by pieces");
        Run honest = prove(layout, instances, 5, t -> {});
        verify(layout, instances, honest.proof());
        int tableVars = Integer.numberOfTrailingZeros(honest.table().length);
        assertEquals(tableVars + 1, honest.claimsOnM(), "M's point claims: the linear sumcheck's pieces and M̃(ρ), none for the masks");

        // M holding other values than the masks the sumchecks used: each entry of every opened block, in turn.
        for (int j = 0; j < instances.size(); j++) {
            int first = layout.firstBlock(j);
            for (int b = first; b < first + ProofMasks.ZkLayout.pieces(instances.get(j).degrees()); b++) {
                for (int e : new int[] {0, 5, 8, 15}) { // a share, a coefficient, both halves
                    int entry = (b << ProofMasks.BLOCK_VARS) + e;
                    assertThrows(Exception.class, () -> verify(layout, instances,
                            prove(layout, instances, 5, t -> t[entry] = dev.verinfer.field.Goldilocks.add(t[entry], 1)).proof()),
                            "M with entry " + entry + " altered was accepted");
                }
            }
        }
        // Byte flips anywhere in the proof.
        byte[] proof = honest.proof();
        SplittableRandom flips = new SplittableRandom(3);
        for (int k = 0; k < 200; k++) {
            byte[] bad = proof.clone();
            int pos = 5 + flips.nextInt(proof.length - 5);
            bad[pos] ^= (byte) (1 << flips.nextInt(8));
            assertThrows(Exception.class, () -> verify(layout, instances, bad), "flip at byte " + pos);
        }
    }

    @Test
    void theLinearClaimRevealsNothingOfTheMaskBeyondItsValue() {
        for (int n = 1; n <= 3; n++) {
            for (long seed = 1; seed <= 2; seed++) {
                SplittableRandom rng = new SplittableRandom(100 * n + seed);
                ProofMasksTest.Instance inst = ProofMasksTest.instance(rng, n, 1 + rng.nextInt(3));
                List<ProofMasksTest.Instance> instances = List.of(inst);
                ProofMasks.ZkLayout layout = layout(instances);
                Run run = prove(layout, instances, seed, t -> {});
                assertDoesNotThrow(() -> verify(layout, instances, run.proof()));
                Rows rows = Rows.read(layout, inst, run);
                // What the verifier learns of the mask's blocks is its value g(r): two base functionals.
                assertEquals(2, rows.rank(rows.claimOnly()), "the claim");
                assertEquals(2, rows.rank(rows.all()), "n = " + n + ": the linear claims' sumcheck gains rank beyond the claim");
                assertTrue(rows.rank(rows.withMaskKnown()) > 2, "n = " + n + ": with its mask known the linear sumcheck gains no rank (the control)");
                assertEquals(2 * n, rows.rank(rows.withFormat10Pieces()), "format 10's pieces reveal the shares: n ext values");
            }
        }
    }

    /**
     * Every value the M machinery sends, as a functional of M's entries (base field; an F_{p²} relation is two rows), each
     * checked against the true table. Private columns: the opened mask's blocks; nuisance: the rest of M (the linear
     * sumcheck's mask blocks, the unread block, the random fill).
     */
    static final class Rows {
        final long[] table;
        final int[] privateColumns;
        final List<Ext2[]> claim = new ArrayList<>();
        final List<Ext2> claimValues = new ArrayList<>();
        final List<Ext2[]> rest = new ArrayList<>();
        final List<Ext2> restValues = new ArrayList<>();
        final List<Ext2[]> unmaskedRounds = new ArrayList<>();
        final List<Ext2> unmaskedValues = new ArrayList<>();
        final List<Ext2[]> pieces = new ArrayList<>();
        final List<Ext2> pieceValues = new ArrayList<>();

        private Rows(long[] table, int[] privateColumns) {
            this.table = table;
            this.privateColumns = privateColumns;
        }

        static Rows read(ProofMasks.ZkLayout layout, ProofMasksTest.Instance inst, Run run) {
            long[] m = run.table();
            int size = m.length;
            int vars = Integer.numberOfTrailingZeros(size);
            int first = layout.firstBlock(0);
            int n = inst.degrees().length;
            int blocks = ProofMasks.ZkLayout.pieces(inst.degrees());
            int[] priv = new int[blocks << ProofMasks.BLOCK_VARS];
            for (int k = 0; k < priv.length; k++) {
                priv[k] = (first << ProofMasks.BLOCK_VARS) + k;
            }
            Rows rows = new Rows(m, priv);
            try {
                ProofReader in = ProofReader.open(run.proof(), "TEST", 1);
                in.readBytes(64, "root");
                in.readExt();
                ZkSumcheckProof p = ZkSumcheckProof.read(in, inst.degrees());
                in.readExts(8, "finals");
                Ext2[] r = run.points().getFirst();
                // The claim: Σ_i p_i(r_i) = g(r), g(r) the instance's mask evaluation.
                Ext2[] c = new Ext2[size];
                for (int i = 0; i < blocks; i++) {
                    add(c, piece(first + i, i < n ? r[i] : Ext2.ZERO, size), Ext2.ONE);
                }
                rows.claim(c, p.maskEvaluation());
                for (int i = 0; i < blocks; i++) { // format 10 sent each p_i(r_i)
                    rows.pieces.add(piece(first + i, i < n ? r[i] : Ext2.ZERO, size));
                    rows.pieceValues.add(rows.value(rows.pieces.getLast()));
                }
                // The linear claims' sumcheck over M: Σ_x M̃(x)·W̃(x) + ρ·g_lin, W the claim's weights times (1 − b).
                int[] degrees = new int[vars];
                java.util.Arrays.fill(degrees, MaskLinearClaims.DEGREE);
                ZkSumcheckProof lin = ZkSumcheckProof.read(in, degrees);
                Ext2[] linPieces = in.readExts(64, "pieces");
                Ext2 finalValue = in.readExt();
                Ext2[] rho = run.linearPoint();
                Ext2[] w = new Ext2[size];
                for (int e = 0; e < size; e++) {
                    w[e] = c[e] == null ? Ext2.ZERO : c[e].mul(Ext2.ONE.sub(ProofMasks.HALF_POINT));
                }
                int linFirst = layout.firstBlock(layout.linearSumcheck());
                Ext2[] sum = new Ext2[size];
                for (int j = 0; j < vars; j++) {
                    Ext2 half = Ext2.of(2).pow(vars - 1);
                    add(sum, piece(linFirst + j, Ext2.ZERO, size), half);
                    add(sum, piece(linFirst + j, Ext2.ONE, size), half);
                }
                rows.rest(sum, lin.maskSum());
                Ext2 weight = null;
                Ext2[][] values = lin.rounds().rounds();
                for (int i = 0; i < vars; i++) {
                    for (int e = 0; e < values[i].length; e++) {
                        Ext2 t = Ext2.of(e == 0 ? 0 : e + 1);
                        Ext2[] f = roundOfProduct(w, rho, i, t, size);
                        Ext2[] g = new Ext2[size];
                        for (int j = 0; j < vars; j++) {
                            if (j < i) {
                                add(g, piece(linFirst + j, rho[j], size), Ext2.of(2).pow(vars - i - 1));
                            } else if (j == i) {
                                add(g, piece(linFirst + j, t, size), Ext2.of(2).pow(vars - i - 1));
                            } else {
                                add(g, piece(linFirst + j, Ext2.ZERO, size), Ext2.of(2).pow(vars - i - 2));
                                add(g, piece(linFirst + j, Ext2.ONE, size), Ext2.of(2).pow(vars - i - 2));
                            }
                        }
                        if (weight == null) { // ρ from the first value: v = F(M) + ρ·G(M)
                            weight = values[i][e].sub(rows.value(f)).mul(rows.value(g).inverse());
                        }
                        Ext2[] both = f.clone();
                        add(both, g, weight);
                        rows.rest(both, values[i][e]);
                        rows.unmaskedRounds.add(f);
                        rows.unmaskedValues.add(values[i][e].sub(weight.mul(rows.value(g))));
                    }
                }
                Ext2[] evaluation = new Ext2[size];
                for (int j = 0; j < vars; j++) {
                    Ext2[] pj = piece(linFirst + j, rho[j], size);
                    rows.rest(pj, linPieces[j]);
                    add(evaluation, pj, Ext2.ONE);
                }
                rows.rest(evaluation, lin.maskEvaluation());
                Ext2[] at = new Ext2[size];
                for (int e = 0; e < size; e++) {
                    at[e] = eq(rho, e);
                }
                rows.rest(at, finalValue);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return rows;
        }

        /** Round i's value at t of Σ_x M̃(x)·W̃(x) over x = (ρ_<i, t, high bits): coefficient of M[e] is eq(ρ_<i, t; e_≤i)·W̃(ρ_<i, t, e_>i). */
        private static Ext2[] roundOfProduct(Ext2[] w, Ext2[] rho, int i, Ext2 t, int size) {
            Ext2[] low = new Ext2[size];
            for (int e = 0; e < size; e++) {
                Ext2 x = Ext2.ONE;
                for (int j = 0; j < i; j++) {
                    x = x.mul(((e >>> j) & 1) == 1 ? rho[j] : Ext2.ONE.sub(rho[j]));
                }
                low[e] = x.mul(((e >>> i) & 1) == 1 ? t : Ext2.ONE.sub(t));
            }
            Ext2[] byHigh = new Ext2[size >>> (i + 1)];
            java.util.Arrays.fill(byHigh, Ext2.ZERO);
            for (int e = 0; e < size; e++) {
                byHigh[e >>> (i + 1)] = byHigh[e >>> (i + 1)].add(low[e].mul(w[e]));
            }
            Ext2[] c = new Ext2[size];
            for (int e = 0; e < size; e++) {
                c[e] = low[e].mul(byHigh[e >>> (i + 1)]);
            }
            return c;
        }

        /** p(X) of block {@code block}: Σ_m eq((X, X², X⁴), m)·(M[real m] + ξ·M[imaginary m]). */
        private static Ext2[] piece(int block, Ext2 x, int size) {
            Ext2[] z = {x, x.mul(x), x.mul(x).mul(x.mul(x))};
            Ext2[] c = new Ext2[size];
            int base = block << ProofMasks.BLOCK_VARS;
            for (int m = 0; m < 8; m++) {
                Ext2 e = Ext2.ONE;
                for (int j = 0; j < 3; j++) {
                    e = e.mul(((m >>> j) & 1) == 1 ? z[j] : Ext2.ONE.sub(z[j]));
                }
                c[base + m] = e;
                c[base + 8 + m] = e.mul(XI);
            }
            return c;
        }

        private static void add(Ext2[] into, Ext2[] c, Ext2 factor) {
            for (int e = 0; e < into.length; e++) {
                if (c[e] != null) {
                    Ext2 v = c[e].mul(factor);
                    into[e] = into[e] == null ? v : into[e].add(v);
                }
            }
        }

        private static Ext2 eq(Ext2[] point, int index) {
            Ext2 e = Ext2.ONE;
            for (int j = 0; j < point.length; j++) {
                e = e.mul(((index >>> j) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
            }
            return e;
        }

        Ext2 value(Ext2[] c) {
            Ext2 v = Ext2.ZERO;
            for (int e = 0; e < c.length; e++) {
                if (c[e] != null) {
                    v = v.add(c[e].mul(new Ext2(table[e], 0)));
                }
            }
            return v;
        }

        private void claim(Ext2[] c, Ext2 v) {
            assertEquals(value(c), v, "the claim's functional");
            claim.add(c);
            claimValues.add(v);
        }

        private void rest(Ext2[] c, Ext2 v) {
            assertEquals(value(c), v, "functional " + rest.size() + " of the linear claims' sumcheck");
            rest.add(c);
            restValues.add(v);
        }

        record Set(List<Ext2[]> rows, List<Ext2> values) {}

        Set all() {
            return concat(claimOnly(), new Set(rest, restValues));
        }

        Set withMaskKnown() {
            return concat(claimOnly(), new Set(unmaskedRounds, unmaskedValues));
        }

        Set withFormat10Pieces() {
            return concat(claimOnly(), new Set(pieces, pieceValues));
        }

        private static Set concat(Set a, Set b) {
            List<Ext2[]> r = new ArrayList<>(a.rows());
            r.addAll(b.rows());
            List<Ext2> v = new ArrayList<>(a.values());
            v.addAll(b.values());
            return new Set(r, v);
        }

        Set claimOnly() {
            return new Set(claim, claimValues);
        }

        /** Rank on the private columns ({@link LinearLeakage}); every row's two base halves. */
        int rank(Set set) {
            java.util.Set<Integer> priv = new java.util.HashSet<>();
            for (int p : privateColumns) {
                priv.add(p);
            }
            int[] column = new int[table.length];
            int np = 0;
            int nn = 0;
            for (int e = 0; e < table.length; e++) {
                column[e] = priv.contains(e) ? np++ : nn++;
            }
            LinearLeakage leak = new LinearLeakage(np, nn);
            for (int k = 0; k < set.rows().size(); k++) {
                Ext2[] c = set.rows().get(k);
                Ext2 v = set.values().get(k);
                for (int half = 0; half < 2; half++) {
                    long[] a = new long[np];
                    long[] b = new long[nn];
                    for (int e = 0; e < c.length; e++) {
                        if (c[e] != null) {
                            long x = half == 0 ? c[e].c0() : c[e].c1();
                            if (priv.contains(e)) {
                                a[column[e]] = x;
                            } else {
                                b[column[e]] = x;
                            }
                        }
                    }
                    leak.reveal(a, b, half == 0 ? v.c0() : v.c1());
                }
            }
            return leak.privateRank();
        }
    }
}
