package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.logup.LogUpMaskLayout;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.sumcheck.MaskCommitter;
import dev.verinfer.sumcheck.MaskVerifier;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The per-proof mask commitment M of a zero-knowledge proof: one hiding commitment (budget 1, masks from
 * the proof's fresh generator), sent right after the witness root, holding the Libra masks g of every
 * zero-knowledge sumcheck of the proof ({@link ZkLayout} sizes it from the plan; unused blocks stay random).
 *
 * <p><b>Opening g(r) with multilinear claims.</b> A mask g = a_0 + Σ_i g_i(x_i) has degree d_i ≥ 2 per
 * variable, so g(r) is no evaluation of a multilinear table. It is a sum of univariates, though, and a
 * univariate p(X) = Σ_{j<8} c_j·X^j is the multilinear P with monomial coefficients c evaluated at
 * (X, X², X⁴) — WHIR's own correspondence between f̂ and f. So variable i of sumcheck j gets a block
 * holding the piece p_i(X) = s_i + g_i(X), where the shares s_i are uniform with Σ_i s_i = a_0; the prover
 * sends the pieces p_i(r_i), the verifier checks that they add up to g(r), and each piece is one claim
 * on M. Coefficients live in F_{p²} and M in F_p: a block has a real and an imaginary half (one more
 * variable b), and P(z, b) = (1 − b)·P_re(z) + b·P_im(z) at b = ξ/(1 + ξ) (ξ the generator of F_{p²}) is
 * (1 − b)·(P_re(z) + ξ·P_im(z)), so one claim carries one piece.
 *
 * <p><b>g(r) as one linear claim</b> (proof format 11): where the proof runs the linear claims' sumcheck (a layout
 * with look-ups, {@link MaskLinearClaims}), no piece is sent: g(r) = Σ_i p_i(r_i) is itself a linear functional of M —
 * Σ_i Σ_e eq((r_i, r_i², r_i⁴, b), e)·M[block i, e] = (1 − b)·g(r) ({@link #evaluationClaim}) — and joins those claims.
 * Only the linear claims' own mask (it cannot be its own claim) and layouts without look-ups (a MatMul-only proof, the
 * weight bounds proof) still open by pieces. <i>Soundness</i>: g(r) is absorbed (the sumcheck's mask evaluation) before
 * the linear claims' γ, so a g(r) other than the committed blocks' survives with the linear claims' error
 * ((#claims)/|F_{p²}|, the sumcheck's, M's binding at its point). <i>Zero knowledge</i>: the verifier learns g(r), which
 * Libra's simulator already has, where pieces revealed n − 1 further uniform values; the linear claims' sumcheck is
 * Libra-masked and its M̃(ρ) uniform (below), rank-tested in {@code MaskEvaluationClaimTest}.
 *
 * <p><b>Soundness.</b> M is bound before every ρ of the proof; whatever a cheating prover committed, block
 * (j, i) defines a univariate p_{j,i} of degree ≤ 7, so g_j = Σ_i p_{j,i}(x_i) is a fixed polynomial and
 * the zero-knowledge sumcheck's argument holds with its degree (the round messages' degree bound only
 * shrinks the prover's options). The pieces are bound by M's opening; their sum by the verifier's check.
 *
 * <p><b>Zero knowledge.</b> What the pieces reveal beyond g(r): with the rounds fixed (they fix every
 * a_{i,k}, k ≥ 1), the pieces are s_i + (known), uniform subject to Σ p_i(r_i) = g(r) — n − 1 fresh
 * uniform values per sumcheck, so a simulator samples them. M's opening is zero-knowledge beyond these
 * claimed values (hiding WHIR, {@code WhirZeroKnowledgeTest}).
 */
final class ProofMasks {
    /** Variables of a block: three for the powers (X, X², X⁴), one for the real/imaginary half. */
    static final int BLOCK_VARS = 4;
    /** The largest round degree a block holds. */
    static final int MAX_DEGREE = 7;
    /** The largest mask table a proof may claim (bounds the verifier's work). */
    static final int MAX_VARS = 24;

    /** b = ξ/(1 + ξ): the real/imaginary coordinate of every piece claim. */
    static final Ext2 HALF_POINT = new Ext2(0, 1).mul(new Ext2(1, 1).inverse());

    private ProofMasks() {}

    /**
     * The proof's zero-knowledge sumchecks: the output tensor of each MatMul one's node (its key) and its
     * round degrees, and the look-up argument's masks ({@code lookups}, null without look-ups). Mask j
     * (MatMuls, then the look-up's sumchecks, then the linear claims' sumcheck, {@link MaskLinearClaims})
     * takes max(1, n_j) blocks from firstBlock(j); the look-up's layer masks and blinding follow as
     * scalars (real, imaginary halves), then one block that nothing but the linear claims' final value reads.
     */
    record ZkLayout(List<Integer> outputs, List<int[]> shapes, LogUpMaskLayout lookups, int leafScalars) {
        /** The key in {@code outputs} of the witness opening's zero-knowledge batching sumcheck ({@link ZkWitnessBatching}). */
        static final int WITNESS = -1;
        /** The key of the zero-knowledge batching sumcheck of the weights' off-face claims ({@link ZkWeightBatching}). */
        static final int WEIGHTS = Integer.MIN_VALUE;

        ZkLayout(List<Integer> outputs, List<int[]> shapes, LogUpMaskLayout lookups) {
            this(outputs, shapes, lookups, 0);
        }

        ZkLayout(List<Integer> outputs, List<int[]> shapes) {
            this(outputs, shapes, null);
        }

        /** The look-up scalars (layer masks, then blinding) end here; the leaf masks' scalars follow ({@link LookupPhase#leafScalars}). */
        int firstLeafScalar() {
            return lookups == null ? 0 : lookups.totalLayerMasks() + lookups.blindedTrees() * LogUpMaskLayout.blindingValues();
        }

        /** The sumcheck of the node writing {@code output}, or −1. */
        int index(int output) {
            return outputs.indexOf(output);
        }

        /**
         * Whether mask {@code sumcheck}'s evaluation g(r) is a {@link MaskLinearClaims linear claim} on M, its pieces
         * never sent: every mask of a layout with the linear claims' sumcheck (look-ups), but that sumcheck's own, whose
         * pieces stay point claims on M (the linear claims end in it).
         */
        boolean opensByLinearClaim(int sumcheck) {
            return lookups != null && sumcheck != linearSumcheck();
        }

        /** Whether a proof needs no M: no zero-knowledge MatMul and no look-up. */
        boolean isEmpty() {
            return outputs.isEmpty() && lookups == null;
        }

        /** The masks opened by pieces, in block order, but the linear claims' (its arity is M's own). */
        List<int[]> pieceShapes() {
            List<int[]> all = new ArrayList<>(shapes);
            if (lookups != null) {
                all.addAll(lookups.sumchecks());
            }
            return all;
        }

        /** The mask index of the look-up's k-th sumcheck. */
        int lookupSumcheck(int k) {
            return shapes.size() + k;
        }

        /** The mask index of the linear claims' sumcheck (with look-ups only). */
        int linearSumcheck() {
            return shapes.size() + lookups.sumcheckCount();
        }

        /** The variables of piece-opened mask {@code sumcheck} ({@link #pieceShapes}' entry's length, without the copy). */
        int pieceVars(int sumcheck) {
            return sumcheck < shapes.size() ? shapes.get(sumcheck).length : lookups.sumcheckVars(sumcheck - shapes.size());
        }

        /** Pieces of a mask of these round degrees: one per variable, one for a constant mask. */
        static int pieces(int[] degrees) {
            return Math.max(1, degrees.length);
        }

        int firstBlock(int sumcheck) {
            int masks = shapes.size() + (lookups == null ? 0 : lookups.sumcheckCount());
            int b = 0;
            for (int j = 0; j < sumcheck; j++) { // asked once per scalar and claim: no copy of the layout
                b += j < masks ? Math.max(1, pieceVars(j)) : MAX_VARS;
            }
            return b;
        }

        /** The look-up's layer masks then its blinding, one F_{p²} value each. */
        int scalars() {
            return firstLeafScalar() + leafScalars;
        }

        /** The first block of the scalars. */
        int scalarBlock() {
            return lookups == null ? firstBlock(shapes.size()) : firstBlock(linearSumcheck() + 1);
        }

        /** The table index of scalar k's real half (its imaginary half follows). */
        int scalarIndex(int k) {
            return (scalarBlock() << BLOCK_VARS) + 2 * k;
        }

        int blocks() {
            if (lookups == null) {
                return scalarBlock();
            }
            int blockSize = 1 << BLOCK_VARS;
            return scalarBlock() + (2 * scalars() + blockSize - 1) / blockSize + 1;
        }

        /** The least table arity holding every block. */
        int minVars() {
            int blocks = Math.max(1, blocks());
            return BLOCK_VARS + (32 - Integer.numberOfLeadingZeros(blocks - 1));
        }
    }

    /** Entries of a piece block read by p(0) and p(1): P_re(0,0,0), P_re(1,1,1), then the imaginary halves. */
    private static final int[] CORNERS = {0, 7, 8, 15};
    /** ξ, the generator of F_{p²} over F_p: a value is re + ξ·im. */
    private static final Ext2 XI = new Ext2(0, 1);

    /**
     * Records G* = Σg − Δ/ρ of mask {@code sumcheck} ({@code numVars} variables) as a linear claim on M:
     * Σg = 2^(n−1)·Σ_i (p_i(0) + p_i(1)) (Σ_x Σ_i p_i(x_i), the shares adding up to a_0), p_i(0) and p_i(1)
     * a piece block's corner entries (ξ·the imaginary half), and Δ the {@code offset}, a functional of M.
     */
    static void adjustedSum(ZkLayout layout, MaskLinearClaims linear, int sumcheck, int numVars, HiddenOffset offset, Ext2 rho, Ext2 value) {
        int first = layout.firstBlock(sumcheck);
        Ext2 half = Ext2.of(2).pow(numVars - 1);
        int[] entries = new int[4 * numVars];
        Ext2[] w = new Ext2[entries.length];
        int at = 0;
        for (int i = 0; i < numVars; i++) {
            int base = (first + i) << BLOCK_VARS;
            for (int c = 0; c < CORNERS.length; c++, at++) {
                entries[at] = base + CORNERS[c];
                w[at] = c < 2 ? half : half.mul(XI);
            }
        }
        HiddenOffset all = new HiddenOffset(entries, w).plus(offset.times(rho.inverse().neg()));
        linear.add(all.entries(), all.weights(), value);
    }

    /**
     * Records g(r) = {@code value} of mask {@code sumcheck} as one linear claim on M: Σ_i p_i(r_i) = g(r) with
     * (1 − b)·p_i(r_i) = M(piecePoint(r_i, block i)), the eq-weighted sum of block i's 16 entries at (r_i, r_i², r_i⁴, b);
     * so Σ_i Σ_e eq((r_i, r_i², r_i⁴, b), e)·M[block i, e] = (1 − b)·g(r). The pieces themselves are never sent.
     */
    static void evaluationClaim(ZkLayout layout, MaskLinearClaims linear, int sumcheck, Ext2[] point, Ext2 value) {
        int pieces = Math.max(1, point.length);
        int size = 1 << BLOCK_VARS;
        int[] entries = new int[pieces * size];
        Ext2[] w = new Ext2[entries.length];
        int first = layout.firstBlock(sumcheck);
        for (int i = 0; i < pieces; i++) {
            Ext2[] low = piecePoint(pieceCoordinate(point, i), 0, BLOCK_VARS);
            int base = (first + i) << BLOCK_VARS;
            for (int e = 0; e < size; e++) {
                Ext2 eq = Ext2.ONE;
                for (int j = 0; j < BLOCK_VARS; j++) {
                    eq = eq.mul(((e >>> j) & 1) == 1 ? low[j] : Ext2.ONE.sub(low[j]));
                }
                entries[i * size + e] = base + e;
                w[i * size + e] = eq;
            }
        }
        linear.add(entries, w, pieceClaim(value));
    }

    /** The claim point of piece (block, r): (r, r², r⁴, b, bits of block). */
    static Ext2[] piecePoint(Ext2 r, long block, int tableVars) {
        Ext2[] p = new Ext2[tableVars];
        p[0] = r;
        p[1] = r.mul(r);
        p[2] = p[1].mul(p[1]);
        p[3] = HALF_POINT;
        for (int j = BLOCK_VARS; j < tableVars; j++) {
            p[j] = ((block >>> (j - BLOCK_VARS)) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
        }
        return p;
    }

    /** (1 − b)·piece: the value M takes at {@link #piecePoint}. */
    static Ext2 pieceClaim(Ext2 piece) {
        return Ext2.ONE.sub(HALF_POINT).mul(piece);
    }

    /** The prover's side: draws every mask, commits M, and opens pieces through the proof's channel. */
    static final class Committer implements MaskCommitter {
        private final ZkLayout layout;
        private final List<SumcheckMask> masks = new ArrayList<>();
        private final List<Ext2[]> shares = new ArrayList<>();
        private final Ext2[] scalars;
        private final Ext2[][] blinding;
        private PcsCommitment commitment;
        private final int tableVars;
        private final long[] table;
        private final List<PcsOpening> openings = new ArrayList<>();
        private final MaskLinearClaims linear = new MaskLinearClaims();
        private ProverChannel channel;
        private Ext2[] pending;
        private int next;
        private HiddenOffset offset;

        Committer(ZkLayout layout, PcsSecurity security, MultilinearPcs pcs, RandomGenerator random) {
            this(layout, security, pcs, random, false, table -> {});
        }

        /**
         * As above; {@code narrow}: M committed with the narrowest leaves ({@link MultilinearPcs#commitHidingOnce} with {@code narrow}: a
         * proof's M, a small member of the proof's batched hiding run, sends 2 of each opened leaf's values where it sent 16);
         * {@code edit} may overwrite the table before it is committed (the tests' adversarial prover).
         */
        Committer(ZkLayout layout, PcsSecurity security, MultilinearPcs pcs, RandomGenerator random, boolean narrow,
                  java.util.function.Consumer<long[]> edit) {
            this.layout = layout;
            for (int[] shape : layout.pieceShapes()) {
                drawMask(shape, random);
            }
            LogUpMaskLayout lookups = layout.lookups();
            this.scalars = new Ext2[layout.scalars()];
            this.blinding = lookups == null ? new Ext2[0][] : lookups.drawBlinding(random);
            int layerMasks = lookups == null ? 0 : lookups.totalLayerMasks();
            for (int k = 0; k < layerMasks; k++) {
                scalars[k] = Ext2.random(random);
            }
            for (int t = 0; t < blinding.length; t++) {
                System.arraycopy(blinding[t], 0, scalars, layerMasks + t * blinding[t].length, blinding[t].length);
            }
            for (int k = layout.firstLeafScalar(); k < scalars.length; k++) {
                scalars[k] = Ext2.random(random);
            }
            PcsCommitment c = null;
            long[] values = null;
            int vars = layout.minVars();
            while (true) {
                if (lookups != null) { // the linear claims' sumcheck runs over all of M: its mask has M's arity
                    if (masks.size() > layout.linearSumcheck()) {
                        masks.removeLast();
                        shares.removeLast();
                    }
                    int[] degrees = new int[vars];
                    java.util.Arrays.fill(degrees, MaskLinearClaims.DEGREE);
                    drawMask(degrees, random);
                }
                values = table(vars, random);
                edit.accept(values);
                c = ZeroKnowledge.commitHidingOnce(security, pcs, values, ZeroKnowledge.PROOF_OPENING_BUDGET, narrow, random);
                if (!(c instanceof HidingCommitment h) || h.maxClaims() >= layout.blocks() || vars >= MAX_VARS) {
                    break;
                }
                vars++;
            }
            this.commitment = c;
            this.tableVars = vars;
            this.table = values;
        }

        /** A Libra mask of these round degrees and its pieces' shares s_i (Σ s_i = a_0; a constant mask is its own piece). */
        private void drawMask(int[] shape, RandomGenerator random) {
            for (int d : shape) {
                if (d > MAX_DEGREE) {
                    throw new IllegalStateException("a zero-knowledge sumcheck round of degree " + d + " exceeds a mask block's " + MAX_DEGREE);
                }
            }
            SumcheckMask g = SumcheckMask.random(shape, random);
            Ext2[] s = new Ext2[ZkLayout.pieces(shape)];
            Ext2 rest = g.constant();
            for (int i = 0; i + 1 < s.length; i++) {
                s[i] = Ext2.random(random);
                rest = rest.sub(s[i]);
            }
            s[s.length - 1] = rest;
            masks.add(g);
            shares.add(s);
        }

        /** Blocks of the masks' pieces (monomial coefficients → evaluations), the scalars, the rest uniformly random. */
        private long[] table(int vars, RandomGenerator random) {
            long[] table = new long[1 << vars];
            for (int i = 0; i < table.length; i++) {
                table[i] = Goldilocks.random(random);
            }
            for (int j = 0; j < masks.size(); j++) {
                Ext2[][] a = masks.get(j).coefficients();
                int block = layout.firstBlock(j);
                for (int i = 0; i < shares.get(j).length; i++, block++) {
                    long[] re = new long[1 << (BLOCK_VARS - 1)];
                    long[] im = new long[1 << (BLOCK_VARS - 1)];
                    re[0] = shares.get(j)[i].c0();
                    im[0] = shares.get(j)[i].c1();
                    for (int k = 0; i < a.length && k < a[i].length; k++) {
                        re[k + 1] = a[i][k].c0();
                        im[k + 1] = a[i][k].c1();
                    }
                    toEvaluations(re);
                    toEvaluations(im);
                    int base = block << BLOCK_VARS;
                    System.arraycopy(re, 0, table, base, re.length);
                    System.arraycopy(im, 0, table, base + re.length, im.length);
                }
            }
            for (int k = 0; k < scalars.length; k++) {
                table[layout.scalarIndex(k)] = scalars[k].c0();
                table[layout.scalarIndex(k) + 1] = scalars[k].c1();
            }
            return table;
        }

        /** M's arity. */
        int tableVars() {
            return tableVars;
        }

        /** M's table as committed (its values, {@code edit}ed), for a carrier that commits it again with the witness. */
        long[] committedTable() {
            return table.clone();
        }

        /** M committed again in the proof's carrier tree ({@link Prover}): the same table and layout, before its root is sent. */
        void carriedBy(PcsCommitment carried) {
            if (channel != null || carried.numVars() != commitment.numVars()) {
                throw new IllegalStateException("M is carried before its root is sent, with its own arity");
            }
            this.commitment = carried;
        }

        void send(ProverChannel ch) {
            this.channel = ch;
            ch.sendBytes("mask-root", commitment.root());
            ch.sendExt("mask-vars", Ext2.of(tableVars));
        }

        /** The mask of the zero-knowledge sumcheck {@code sumcheck} (its index in the layout). */
        SumcheckMask mask(int sumcheck) {
            next = sumcheck;
            return masks.get(sumcheck);
        }

        @Override
        public void commit(Transcript transcript, SumcheckMask mask) {
            if (mask != masks.get(next)) {
                throw new IllegalStateException("a zero-knowledge sumcheck's mask is not the one M holds for it");
            }
        }

        @Override
        public void open(Transcript transcript, SumcheckMask mask, Ext2[] point, Ext2 value) {
            if (layout.opensByLinearClaim(next)) {
                evaluationClaim(layout, linear, next, point, value);
                pending = null;
                return;
            }
            Ext2[] s = shares.get(next);
            Ext2[] pieces = new Ext2[s.length];
            int first = layout.firstBlock(next);
            for (int i = 0; i < pieces.length; i++) {
                Ext2 x = pieceCoordinate(point, i);
                pieces[i] = i < point.length ? s[i].add(mask.univariate(i, x)) : s[i];
                openings.add(new PcsOpening(commitment, piecePoint(x, first + i, tableVars), pieceClaim(pieces[i])));
            }
            pending = channel.absorbExts("mask-pieces", pieces);
        }

        /** The hidden offset of the next sumcheck run with one ({@link #openAdjustedSum}); returns Δ's value on M. */
        Ext2 hideOffset(HiddenOffset delta) {
            this.offset = delta;
            return delta.value(table);
        }

        @Override
        public void openAdjustedSum(Transcript transcript, SumcheckMask mask, Ext2 rho, Ext2 value) {
            if (offset == null) {
                throw new IllegalStateException("no hidden offset to open");
            }
            adjustedSum(layout, linear, next, mask.numVars(), offset, rho, value);
            offset = null;
        }

        /**
         * Writes the pieces of the last opening: they are absorbed inside the sumcheck (after g(r)) but
         * written after its proof, which the verifier reads first.
         */
        void flush(dev.verinfer.codec.ProofWriter out) {
            Ext2[] p = takePending();
            if (p != null) {
                out.writeExts(p);
            }
        }

        /** The pieces of the last opening, absorbed but not yet written; null when it sent none (a linear claim). */
        Ext2[] takePending() {
            Ext2[] p = pending;
            pending = null;
            return p;
        }

        /** The look-up phase's view of M ({@link LookupProofMasks}). */
        LookupMaskCommitment lookups(int[] leafSlots) {
            return new LookupProofMasks.Committer(this, leafSlots);
        }

        ZkLayout layout() {
            return layout;
        }

        Ext2[] scalars() {
            return scalars.clone();
        }

        Ext2[][] blinding() {
            return blinding;
        }

        MaskLinearClaims linear() {
            return linear;
        }

        /** Proves the linear claims collected (with look-ups; before the batch opening), adding M's claim at the sumcheck's point. */
        void proveLinear(ProverChannel ch) {
            if (layout.lookups() == null) {
                return;
            }
            openings.add(new PcsOpening(commitment, linear.prove(ch, table, mask(layout.linearSumcheck()), this), linear.finalValue()));
        }

        /**
         * The claims M's opening will carry, {@link #openings}' count, known when M is committed: with look-ups only the linear
         * claims' sumcheck (of M's arity) sends pieces, one per variable, and its final claim follows; else each mask's pieces.
         */
        int claimCount() {
            return layout.lookups() != null ? ZkLayout.pieces(new int[tableVars]) + 1
                    : layout.pieceShapes().stream().mapToInt(ZkLayout::pieces).sum();
        }

        /** M's openings: one per piece sent (the masks a linear claim opens send none), and the linear claims' final one. */
        List<PcsOpening> openings() {
            return List.copyOf(openings);
        }
    }

    /** The verifier's side: reads M's root, then each opening's pieces, and collects their claims on M. */
    static final class Verifier implements MaskVerifier {
        private final ZkLayout layout;
        private final VerifierChannel channel;
        private final byte[] root;
        private final int tableVars;
        private final List<PcsClaim> claims = new ArrayList<>();
        private final MaskLinearClaims linear = new MaskLinearClaims();
        private int next;
        private HiddenOffset offset;

        Verifier(ZkLayout layout, VerifierChannel ch) throws MalformedProofException, ProofRejectedException {
            this.layout = layout;
            this.channel = ch;
            this.root = ch.receiveBytes("mask-root", 64);
            Ext2 vars = ch.receiveExt("mask-vars");
            if (vars.c1() != 0 || vars.c0() < layout.minVars() || vars.c0() > MAX_VARS) {
                throw new ProofRejectedException("mask commitment of " + vars + " variables: this proof needs " + layout.minVars() + " to " + MAX_VARS);
            }
            this.tableVars = (int) vars.c0();
        }

        /** Selects the zero-knowledge sumcheck whose mask the next opening is of. */
        Verifier sumcheck(int sumcheck) {
            next = sumcheck;
            return this;
        }

        @Override
        public void receiveCommitment(Transcript transcript) {}

        @Override
        public void verifyOpening(Transcript transcript, Ext2[] point, Ext2 value) throws SumcheckRejectedException {
            if (layout.opensByLinearClaim(next)) {
                evaluationClaim(layout, linear, next, point, value);
                return;
            }
            Ext2[] pieces;
            try {
                pieces = channel.receiveExts("mask-pieces", Math.max(1, point.length));
            } catch (MalformedProofException e) {
                throw new SumcheckRejectedException("mask pieces: " + e.getMessage());
            }
            Ext2 sum = Ext2.ZERO;
            int first = layout.firstBlock(next);
            for (int i = 0; i < pieces.length; i++) {
                sum = sum.add(pieces[i]);
                claims.add(new PcsClaim(root, tableVars, piecePoint(pieceCoordinate(point, i), first + i, tableVars), pieceClaim(pieces[i])));
            }
            if (!sum.equals(value)) {
                throw new SumcheckRejectedException("the mask's pieces add up to " + sum + ", not to its evaluation " + value);
            }
        }

        /** The hidden offset of the next sumcheck run with one ({@link #verifyAdjustedSum}). */
        Verifier hideOffset(HiddenOffset delta) {
            this.offset = delta;
            return this;
        }

        @Override
        public void verifyAdjustedSum(Transcript transcript, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
            if (offset == null) {
                throw new SumcheckRejectedException("no hidden offset to open");
            }
            adjustedSum(layout, linear, next, layout.pieceVars(next), offset, rho, value);
            offset = null;
        }

        /** The look-up phase's view of M ({@link LookupProofMasks}). */
        LookupMaskVerifier lookups(int[] leafSlots) {
            return new LookupProofMasks.Verifier(this, leafSlots);
        }

        ZkLayout layout() {
            return layout;
        }

        MaskLinearClaims linear() {
            return linear;
        }

        /** Verifies the linear claims collected (with look-ups; before the batch opening), adding M's claim at the sumcheck's point. */
        void verifyLinear(VerifierChannel ch) throws MalformedProofException, ProofRejectedException {
            if (layout.lookups() == null) {
                return;
            }
            int[] degrees = new int[tableVars];
            java.util.Arrays.fill(degrees, MaskLinearClaims.DEGREE);
            PcsClaim last = linear.verify(ch, root, tableVars, degrees, sumcheck(layout.linearSumcheck()));
            claims.add(last);
        }

        /** M's claims, one per piece received, and the linear claims' final one. */
        List<PcsClaim> claims() {
            return List.copyOf(claims);
        }
    }

    /** The coordinate piece i is evaluated at: r_i, or 0 for the single piece of a constant mask. */
    static Ext2 pieceCoordinate(Ext2[] point, int i) {
        return i < point.length ? point[i] : Ext2.ZERO;
    }

    /** Monomial coefficients → evaluations over {0,1}^k (index bit j ↔ variable j): e[i | bit] += e[i]. */
    static void toEvaluations(long[] e) {
        for (int bit = 1; bit < e.length; bit <<= 1) {
            for (int i = 0; i < e.length; i++) {
                if ((i & bit) == 0) {
                    e[i | bit] = Goldilocks.add(e[i | bit], e[i]);
                }
            }
        }
    }
}
