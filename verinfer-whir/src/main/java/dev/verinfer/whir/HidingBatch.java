package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.merkle.InjectedMerkleTree;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleProofException;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One zero-knowledge WHIR run over several hiding commitments (docs/proof-system.md, "Hiding commitments", item 9: mask each
 * component first, then batch the masked words). Member j (f′_j of v_j variables) gets its own opening's g_j and the values
 * {@link HidingOpening} sends before ρ; one grind and one ρ for all; then, at every member's constraint point p (lifted to
 * V = max v_j variables, member j's variables the highest, d_j = V − v_j: {@link Batching}), the cross values of the masked
 * words F_i = f′_i + ρ·g_i, each F̃_i(p) = F_i(tail of p); the batch grind and μ; WHIR on F = Σ_j μ^j·F̃_j with
 * F(p) = μ^o·(y + ρ·g_o(p)) + Σ_{i≠o} μ^i·F̃_i(p) for p of member o. Iteration 0 opens each member's f′_j and g_j leaves
 * where F's queries reach; later oracles are F's (salted from the top member's stream).
 *
 * <p>Soundness: once ρ is fixed every F_j is a fixed word; the cross values and μ follow, the plain batching's argument
 * ({@link WhirSchedule#batchPowBits}) on the words F_j, then each (f′_j, g_j) by the line argument of {@link HidingOpening}:
 * one ρ for m lines adds log2 m bits to ρ's grind ({@link #rhoPowBits}). Zero knowledge needs each member's leaf to hold a
 * whole fibre of F's first fold ({@link #fits}), at most its own opening's leaves read ({@link #admits}), and the cross
 * points not to overfill a sub-face of any g_i ({@link #crossPointsHide}); members that fail stay in their own runs.
 */
final class HidingBatch {
    private HidingBatch() {}

    /**
     * A candidate member: its layout and schedule, its claims and how many of them are off the face, whether it is a
     * commitment for one opening ({@link WhirHidingCommitment#commitOnce}), the units of its layout's budget left, and each
     * claim's free coordinates over its v variables ({@link Batching.Block}: what another member's evaluation there reads).
     */
    record Candidate(HidingLayout layout, WhirSchedule schedule, int claims, int offFace, boolean once, int unitsLeft, List<Span> claimSpans) {
        /** Claims over the whole table (its face, or one coordinate more when off it): the most their cross values can read. */
        Candidate(HidingLayout layout, WhirSchedule schedule, int claims, int offFace, boolean once, int unitsLeft) {
            this(layout, schedule, claims, offFace, once, unitsLeft, wholeSpans(layout, claims, offFace));
        }

        static Candidate of(WhirHidingCommitment c, List<PcsOpening> openings) {
            List<Span> spans = openings.stream().map(o -> Span.of(HidingOpening.embed(o.point(), c.layout.vars()))).toList();
            return new Candidate(c.layout, c.schedule, openings.size(), HidingOpening.offFace(c, openings), c.once(), c.unitsLeft(), spans);
        }

        private static List<Span> wholeSpans(HidingLayout layout, int claims, int offFace) {
            List<Span> spans = new ArrayList<>();
            for (int k = 0; k < claims; k++) {
                spans.add(new Span(0, layout.tableVars() + (k < offFace ? 1 : 0)));
            }
            return spans;
        }

        /** Constraint points it brings to the run: claims, f′'s commit-time points, g's own. */
        int points() {
            return claims + schedule.commitOod() + HidingLayout.maskOod(schedule, once);
        }

        /** Every constraint point's free coordinates: the claims', then the out-of-domain points (powers of z: all v). */
        List<Span> pointSpans() {
            List<Span> out = new ArrayList<>(claimSpans);
            for (int k = claims; k < points(); k++) {
                out.add(new Span(0, layout.vars()));
            }
            return out;
        }
    }

    /** A constraint point's free coordinates [from, to) over its member's variables (the rest are 0, or 0 and 1 after {@code to}). */
    record Span(int from, int to) {
        static Span of(Ext2[] point) {
            Batching.Block b = Batching.Block.of(point);
            return new Span(b.from(), b.to());
        }

        /**
         * The free coordinates of the point's tail over another member's {@code vars} variables (its last ones, lifted:
         * {@link Batching#tail}), for a point over {@code ownVars}: an evaluation of that member there reads 2^this entries.
         */
        int freeAt(int ownVars, int vars) {
            return Math.max(0, to - Math.max(from, ownVars - vars));
        }
    }

    /** The first member of the largest arity: its layout's schedule is the run's. */
    static int top(List<HidingLayout> layouts) {
        int top = 0;
        for (int j = 1; j < layouts.size(); j++) {
            if (layouts.get(j).vars() > layouts.get(top).vars()) {
                top = j;
            }
        }
        return top;
    }

    /** Whether every member's leaf holds a whole fibre of F's first fold: d_j + k₀_j ≥ k₀(top). */
    static boolean fits(List<HidingLayout> layouts) {
        HidingLayout top = layouts.get(top(layouts));
        return layouts.stream().allMatch(l -> top.vars() - l.vars() + l.firstFold() >= top.firstFold());
    }

    /**
     * The admission rule of item 9: for every member i whose claims leave f_i something to hide (2·claims < 2^n_i), every
     * run of i's variables S that claim points reach (a claim of member o sits at V-positions d_o … d_o + n_o − 1, one more
     * when off the face; i's variable k at V-position d_i + k) holds at most 2^|S| / 2 claim points reaching only S: each is
     * an extension value whose g_i-part lives on the 2^|S| coefficients of g_i over S (Hall's condition; exact on the sweep
     * of {@code WhirBatchedZeroKnowledgeTest}, a heuristic in general, like {@link HidingLayout#claimsHide}).
     */
    static boolean crossPointsHide(List<HidingLayout> layouts, int[] claims, int[] offFace) {
        int top = layouts.stream().mapToInt(HidingLayout::vars).max().orElseThrow();
        for (int i = 0; i < layouts.size(); i++) {
            HidingLayout li = layouts.get(i);
            if (2L * claims[i] >= 1L << li.tableVars()) {
                continue;
            }
            int di = top - li.vars();
            List<int[]> supports = new ArrayList<>(); // {lo, hi, how many claim points}
            for (int o = 0; o < layouts.size(); o++) {
                int d = top - layouts.get(o).vars();
                for (int extra = 0; extra <= 1; extra++) {
                    int lo = Math.max(0, d - di);
                    int hi = Math.min(li.vars(), d + layouts.get(o).tableVars() + extra - di);
                    supports.add(new int[] {lo, Math.max(lo, hi), extra == 0 ? claims[o] - offFace[o] : offFace[o]});
                }
            }
            for (int[] s : supports) {
                long within = supports.stream().filter(t -> t[0] >= s[0] && t[1] <= s[1]).mapToLong(t -> t[2]).sum();
                if (s[2] > 0 && 2 * within > 1L << (s[1] - s[0])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Units of its budget a member spends in a run whose first round is {@code first}: f′_j reveals its leaves that the run's
     * t₀ queries reach (2^k₀_j values each) and f̂′_j at g_j's points, and ĥ two functionals per off-face claim, in units of
     * its own opening's {@link HidingLayout#tableFunctionals} — {@link HidingLayout#openingUnits} when t₀ is its own.
     */
    static int units(Candidate c, WhirSchedule.Round first) {
        WhirSchedule.Round own = c.schedule().rounds().getFirst();
        long revealed = ((long) Math.min(first.queries(), own.fibres()) << own.fold()) + 2L * HidingLayout.maskOod(c.schedule(), c.once())
                + 2L * HidingOpening.maskReads(c.layout(), c.claims(), c.offFace());
        long unit = HidingLayout.tableFunctionals(c.schedule());
        return (int) ((revealed + unit - 1) / unit);
    }

    /**
     * Whether these members may share one run without revealing more than their budgets count: they {@link #fit}, pass
     * {@link #crossPointsHide}, each member's {@link #units} are within what is left of its budget (and, for a reusable
     * commitment, whose units are counted across proofs, the same as its own run's), and each g_j covers its functionals
     * with the other members' points as claims and its leaves (f′_j's fibres, {@link HidingLayout#maskFunctionals}) that the run's t₀
     * reaches beyond its own t₀ (≤ 2^v_j).
     */
    static boolean admits(List<Candidate> members) {
        List<HidingLayout> layouts = members.stream().map(Candidate::layout).toList();
        if (!fits(layouts)) {
            return false;
        }
        WhirSchedule.Round first = members.get(top(layouts)).schedule().rounds().getFirst();
        int points = members.stream().mapToInt(Candidate::points).sum();
        for (Candidate c : members) {
            int units = units(c, first);
            if (units > c.unitsLeft() || (!c.once() && units != HidingLayout.openingUnits(c.schedule(), c.offFace()))) {
                return false;
            }
            WhirSchedule.Round own = c.schedule().rounds().getFirst();
            long moreLeaves = Math.max(0, Math.min(first.queries(), own.fibres()) - Math.min(own.queries(), own.fibres()));
            if (HidingLayout.maskFunctionals(c.schedule(), c.claims() + points - c.points()) + (moreLeaves << own.fold()) > 1L << c.layout().vars()) {
                return false;
            }
        }
        return crossPointsHide(layouts, members.stream().mapToInt(Candidate::claims).toArray(), members.stream().mapToInt(Candidate::offFace).toArray());
    }

    /**
     * Bytes a batch saves against its members' own runs (estimated): every member's later iterations and final polynomial but
     * the top's, less 16 bytes per cross value and per value of g a member sends at its own constraint points, which its own
     * run would send as one sum ({@link WhirProof.Mask#summed}: points − 1 values fewer). Later leaves are salted as the real
     * runs salt them ({@link HidingLayout#unsaltedLaterOracles}): a member's own run at its own points, the batch's at all of
     * them (the top's later oracles, salted when the batch's points make F₁ whole too much for the top's g).
     */
    static double saving(List<Candidate> members) {
        if (members.size() < 2) {
            return 0;
        }
        int top = top(members.stream().map(Candidate::layout).toList());
        double saved = 0;
        for (Candidate c : members) {
            saved += laterBytes(c.schedule(), c.points());
        }
        int points = members.stream().mapToInt(Candidate::points).sum();
        saved -= laterBytes(members.get(top).schedule(), points);
        return saved - 16.0 * points * (members.size() - 1) - 16.0 * (points - members.size());
    }

    /**
     * Estimated bytes of a hiding run beyond iteration 0's leaves, with {@code points} constraint points: later iterations (their
     * leaves salted, 16 bytes each, unless {@link HidingLayout#unsaltedLaterOracles}) and the final polynomial.
     */
    private static double laterBytes(WhirSchedule s, int points) {
        int salt = HidingLayout.unsaltedLaterOracles(s, points) ? 0 : 16;
        double bytes = 16 * Math.pow(2, s.finalVars());
        for (int i = 0; i < s.rounds().size(); i++) {
            WhirSchedule.Round r = s.rounds().get(i);
            bytes += 32.0 * r.fold() + 32 + 16.0 * r.ood();
            if (i > 0) {
                int logFibres = r.logDomain() - r.fold();
                double t = Math.min(r.queries(), Math.pow(2, logFibres));
                bytes += t * ((16 << r.fold()) + salt) + s.parameters().digestBytes() * t * Math.max(0, logFibres - WhirParameters.log2(t));
            }
        }
        return bytes;
    }

    /**
     * The most members a run takes: it holds every member's g (coefficients and salted tree; its codeword softly) and f′'s tables at once,
     * where members in their own runs are held one after another (a proof's own runs batch at most three: witness, weights,
     * M; ch_ppocr_mobile_v2.0_cls's bounds proof batched eight within a 6 GB heap).
     */
    static final int MAX_MEMBERS = 8;

    /**
     * The entries the cross values may read, in units of the top member's first codeword (whose g the run encodes and hashes
     * anyway; {@link #codewordVars}): every constraint point is evaluated on every other member's f′ and g, so the work grows
     * with the members squared while what a member saves (its later iterations) grows with them linearly. The proofs' batches
     * read up to 3.1 units (embedding_model's witness, weights and M), the weight bounds proofs' 2–4; embedding_model's bounds
     * proof, 34 commitments by bytes alone, every point at 33 members.
     */
    static final int MAX_CROSS_READS = 4;

    /** Cross values reading fewer entries than this (milliseconds) are cheap whatever the run's size. */
    static final long SMALL_CROSS_READS = 1L << 20;

    /**
     * Entries the cross values read: at each member's constraint point, every other member's f′ and g evaluated on the block
     * the point's tail reaches there ({@link Batching.Evaluator}).
     */
    static long crossReads(List<Candidate> members) {
        long reads = 0;
        for (int o = 0; o < members.size(); o++) {
            int own = members.get(o).layout().vars();
            for (Span p : members.get(o).pointSpans()) {
                for (int i = 0; i < members.size(); i++) {
                    if (i != o) {
                        reads += 2L << p.freeAt(own, members.get(i).layout().vars());
                    }
                }
            }
        }
        return reads;
    }

    /** Whether a batch's cross values are {@link #SMALL_CROSS_READS small} or within {@link #MAX_CROSS_READS} of its top member's first codeword. */
    static boolean cheap(List<Candidate> members) {
        int top = top(members.stream().map(Candidate::layout).toList());
        long reads = crossReads(members);
        return reads <= SMALL_CROSS_READS || reads <= (long) MAX_CROSS_READS << codewordVars(members.get(top));
    }

    /**
     * log2 of the unit of {@link #MAX_CROSS_READS}: the top member's first codeword with its mask above its table — one
     * variable more than its own codeword when the mask is in the table's tail ({@link HidingLayout#inTail}, v = n). Where the
     * mask lives is a layout detail of the top's commitment, not a change in the tables the cross values read: with the
     * unit the top's own codeword, the tail layout halved the zero-knowledge witness's (the proofs' top on
     * ch_ppocr_mobile_v2.0_cls and embedding_model) and so refused the member it batched before, M on the one, the weights on
     * the other, each then in a run of its own (≈ 33 KB more per proof). Bounds proofs have no member in a tail.
     */
    static int codewordVars(Candidate top) {
        return top.schedule().rounds().getFirst().logDomain() + (top.layout().inTail() ? 1 : 0);
    }

    /**
     * The hiding commitments (each a list of its openings, in claim order) that share one run: the members of a carrier tree
     * ({@link Carrier}: their per-proof leaves are opened in one run or not at all), then greedily, in order, a commitment joins
     * when the batch with it is {@link #admits admitted}, has at most {@link #MAX_MEMBERS}, is {@link #cheap} and saves more
     * bytes than without it. Empty when fewer than two would.
     */
    static List<List<PcsOpening>> choose(List<List<PcsOpening>> hiding) {
        List<Candidate> candidates = new ArrayList<>();
        Set<Integer> carried = new HashSet<>();
        for (int j = 0; j < hiding.size(); j++) {
            WhirHidingCommitment c = (WhirHidingCommitment) hiding.get(j).getFirst().commitment();
            candidates.add(Candidate.of(c, hiding.get(j)));
            if (c.carrier != null) {
                carried.add(j);
            }
        }
        return chosen(candidates, carried).stream().map(hiding::get).toList();
    }

    /** {@link #choose} on candidates none of which a carrier holds (the rule a prover's carrier follows: {@link WhirPcs#sharedRun}). */
    static List<Integer> chosen(List<Candidate> candidates) {
        return chosen(candidates, Set.of());
    }

    /**
     * {@link #choose} on the candidates, {@code carried} those a carrier holds (every one of them joins; they must be
     * {@link #admits admitted} together, which the prover's rule at commit time, {@link #chosen(List)}, ensured): the
     * indices of those that share the run, ascending (none when fewer than two would).
     */
    static List<Integer> chosen(List<Candidate> candidates, Set<Integer> carried) {
        List<Integer> batch = new ArrayList<>(new TreeSet<>(carried));
        if (!batch.isEmpty() && !admits(batch.stream().map(candidates::get).toList())) {
            throw new IllegalStateException("a carrier's members do not share a hiding run (HidingBatch.admits)");
        }
        for (int j = 0; j < candidates.size() && batch.size() < MAX_MEMBERS; j++) {
            if (carried.contains(j)) {
                continue;
            }
            List<Integer> with = new ArrayList<>(batch);
            with.add(j);
            with.sort(null); // in order: the top is the first member of the largest arity
            List<Candidate> members = batch.stream().map(candidates::get).toList();
            List<Candidate> withMembers = with.stream().map(candidates::get).toList();
            if (members.isEmpty() || (admits(withMembers) && cheap(withMembers) && saving(withMembers) > saving(members))) {
                batch = with;
            }
        }
        return batch.size() < 2 ? List.of() : List.copyOf(batch);
    }

    /**
     * Bits ground before ρ: the largest member's first-fold bits, plus ⌈log2 m⌉ for m lines (a union bound: member j's line
     * error ε_j is what its own run's grind of max(0, ⌈security − log2(1/ε_j)⌉) bits covers).
     */
    static int rhoPowBits(List<WhirSchedule> schedules) {
        int bits = schedules.stream().mapToInt(s -> s.rounds().getFirst().powBits()).max().orElseThrow();
        return bits + (32 - Integer.numberOfLeadingZeros(schedules.size() - 1));
    }

    /** The run over {@code members} (each commitment's openings), as {@link #choose} formed it. */
    static WhirProof.Group open(Transcript t, List<List<PcsOpening>> members, MerkleNode node, int group, WhirProver.Deviation deviation) {
        int m = members.size();
        WhirHidingCommitment[] cs = new WhirHidingCommitment[m];
        for (int j = 0; j < m; j++) {
            cs[j] = (WhirHidingCommitment) members.get(j).getFirst().commitment();
        }
        List<HidingLayout> layouts = Arrays.stream(cs).map(c -> c.layout).toList();
        List<Candidate> candidates = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            candidates.add(Candidate.of(cs[j], members.get(j)));
        }
        if (!admits(candidates)) {
            throw new IllegalArgumentException("these hiding commitments do not share a run (HidingBatch.admits)");
        }
        int top = top(layouts);
        for (int j = 0; j < m; j++) {
            HidingOpening.checkAndSpend(cs[j], members.get(j), units(candidates.get(j), cs[top].schedule.rounds().getFirst()), deviation);
        }
        int vTop = layouts.get(top).vars();
        WhirSchedule schedule = cs[top].schedule;
        int firstFold = schedule.rounds().getFirst().fold();
        HidingOpening.Source[] sources = new HidingOpening.Source[m];
        long[][] honest = new long[2 * m][];
        for (int j = 0; j < m; j++) {
            sources[j] = HidingOpening.source(cs[j], node, group, deviation);
            honest[2 * j] = cs[j].evaluations();
            honest[2 * j + 1] = sources[j].table();
        }
        // An honest run whose iteration 0 is contracted makes the contractions member by member as the points are drawn, and
        // reads the values sent before ρ off them (HidingOpening.ConstraintValues); a test's deviation may change the tables after ρ.
        Contractions early = deviation == WhirProver.Deviation.NONE && contracts(honest, cs, members, vTop, firstFold)
                ? new Contractions(honest, vTop, firstFold) : null;
        HidingOpening.Masked[] masked = new HidingOpening.Masked[m];
        for (int j = 0; j < m; j++) {
            int member = j;
            Map<Integer, Ext2[][]> ahead = early == null ? Map.of() : contractedAhead(cs[j], sources[j], j, vTop, firstFold);
            masked[j] = HidingOpening.mask(t, cs[j], members.get(j), sources[j], false,
                    early == null ? null : (own, claims, commits) -> valuesAt(early, own, claims, commits, member, vTop, ahead));
        }
        sources = null; // the masks hold what iteration 0 needs from here (Masked)
        long rhoNonce = WhirTranscript.grind(t, rhoPowBits(Arrays.stream(cs).map(c -> c.schedule).toList()));
        Ext2 rho = WhirTranscript.maskCombiner(t);

        // The constraint points, lifted, member by member: claims, f′_j's commit points, g_j's points.
        List<Ext2[]> points = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            for (Ext2[] p : constraintPoints(masked[j].points(), masked[j].commitPoints(), masked[j].maskPoints(), cs[j].layout.vars())) {
                points.add(Batching.lift(p, vTop));
                owners.add(j);
            }
        }
        long[][] fTables = new long[m][];
        long[][] gTables = new long[m][];
        for (int j = 0; j < m; j++) {
            fTables[j] = deviation.batchMember(group, j, honest[2 * j]);
            gTables[j] = deviation.batchMask(group, j, honest[2 * j + 1], rho, points);
        }
        honest = null;
        long[][] tables = new long[2 * m][];
        int[] tableVars = new int[2 * m];
        for (int j = 0; j < m; j++) {
            tables[2 * j] = fTables[j];
            tables[2 * j + 1] = gTables[j];
            tableVars[2 * j] = Integer.numberOfTrailingZeros(fTables[j].length);
            tableVars[2 * j + 1] = Integer.numberOfTrailingZeros(gTables[j].length);
        }
        boolean contract = early != null || Contractions.cheaper(tableVars, owners.stream().mapToInt(Integer::intValue).toArray(), points, vTop, firstFold);
        if (System.getProperty("verinfer.trace") != null) {
            System.err.printf("verinfer hiding batch: %d members, %d points over %d variables, iteration 0 on %s%n", m, points.size(), vTop,
                    contract ? "contractions" : "tables");
        }
        // Iteration 0 from the tables' contractions at the points (the same messages, F₁ and w₁), where that is the cheaper.
        Contractions contractions = early != null ? early : contract ? Contractions.of(tables, points, vTop, firstFold) : null;
        Ext2[] cross = contractions != null ? crossValues(contractions, owners, m, rho) : crossValues(cs, fTables, gTables, points, owners, rho);
        deviation.cross(group, cross);
        WhirTranscript.absorbCross(t, cross);
        long muNonce = WhirTranscript.grind(t, schedule.batchPowBits(m));
        Ext2 mu = WhirTranscript.batchCombiner(t);

        Ext2[] coefficients = new Ext2[2 * m];
        Ext2 muPower = Ext2.ONE;
        for (int j = 0; j < m; j++) {
            coefficients[2 * j] = muPower;
            coefficients[2 * j + 1] = muPower.mul(rho);
            muPower = muPower.mul(mu);
        }
        fTables = null;
        gTables = null;
        ExtVector f = contractions != null ? null : Batching.combine(tables, vTop, coefficients);
        tables = null;

        Ext2 beta = WhirTranscript.claimCombiner(t);
        ExtVector weight = contractions != null ? null : Batching.constraintWeight(points, beta, vTop);
        Contractions.Sumcheck contracted = contractions != null ? contractions.sumcheck(coefficients, beta) : null;
        Leaves leaves = new Leaves(masked);
        WhirProver.Run run = WhirProver.iterate(t, schedule, f, null, weight, contracted, null, null,
                HidingLayout.unsaltedLaterOracles(schedule, points.size()) ? null : cs[top].random, node, group, deviation, leaves);
        List<WhirProof.HidingMember> others = new ArrayList<>();
        for (int j = 1; j < m; j++) {
            others.add(new WhirProof.HidingMember(cs[j].merkleRoot(), cs[j].oodAnswers.clone(), masked[j].mask(0), run.components().get(j), leaves.masks[j]));
        }
        WhirProof.CarrierOpening carried = leaves.carrier == null ? null
                : leaves.carrier.open(leaves.carrier.tree.root(), carrierMembers(cs, leaves.carrier), leaves.carrierQueries);
        return new WhirProof.Group(cs[0].merkleRoot(), cs[0].oodAnswers.clone(), run.rounds(), run.finalCoefficients(), masked[0].mask(rhoNonce), null,
                new WhirProof.MaskedBatch(List.copyOf(others), cross, muNonce, carried));
    }

    /**
     * Whether the run's iteration 0 is contracted ({@link Contractions#cheaper}), decided before the out-of-domain points are
     * drawn: each member's claims as embedded, then its f′'s and g's out-of-domain points as powers of a stand-in z (whole
     * points, as the drawn ones are unless a power of z is 0 or 1, which has negligible probability; the choice is the prover's
     * speed only, the messages are the same either way).
     */
    private static boolean contracts(long[][] tables, WhirHidingCommitment[] cs, List<List<PcsOpening>> members, int vTop, int fold) {
        int[] tableVars = Arrays.stream(tables).mapToInt(table -> Integer.numberOfTrailingZeros(table.length)).toArray();
        Ext2 z = new Ext2(3, 5);
        List<Ext2[]> points = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int j = 0; j < cs.length; j++) {
            int vars = cs[j].layout.vars();
            for (PcsOpening o : members.get(j)) {
                points.add(Batching.lift(HidingOpening.embed(o.point(), vars), vTop));
                owners.add(j);
            }
            for (int k = cs[j].schedule.commitOod() + HidingLayout.maskOod(cs[j].schedule, cs[j].once()); k > 0; k--) {
                points.add(Batching.lift(Codewords.powers(z, vars), vTop));
                owners.add(j);
            }
        }
        return Contractions.cheaper(tableVars, owners.stream().mapToInt(Integer::intValue).toArray(), points, vTop, fold);
    }

    /**
     * The contractions of member j's f′ and g at f′'s commit points made ahead (tables 2j and 2j + 1), when the member tops the run
     * with its own first fold (no lift): f′'s once per commitment, g's with the reserve that drew it ({@link WhirHidingCommitment#prepareMasks}).
     * Empty otherwise.
     */
    private static Map<Integer, Ext2[][]> contractedAhead(WhirHidingCommitment c, HidingOpening.Source g, int j, int vTop, int fold) {
        if (g.contracted() == null || c.layout.vars() != vTop || c.schedule.rounds().getFirst().fold() != fold) {
            return Map.of();
        }
        return Map.of(2 * j, c.contractionsAtCommitPoints(), 2 * j + 1, g.contracted());
    }

    /**
     * f′_j's and g_j's values at member j's constraint points (over its own variables: {@code claims} claims, then {@code commits}
     * of f′'s commit points, then g's), read off their contractions, added now (at the commit points with those made {@code ahead}).
     */
    private static Ext2[][] valuesAt(Contractions contractions, List<Ext2[]> own, int claims, int commits, int j, int vTop, Map<Integer, Ext2[][]> ahead) {
        List<Ext2[]> lifted = own.stream().map(p -> Batching.lift(p, vTop)).toList();
        int first = contractions.add(lifted.subList(0, claims));
        contractions.add(lifted.subList(claims, claims + commits), ahead);
        contractions.add(lifted.subList(claims + commits, lifted.size()));
        Ext2[][] out = new Ext2[2][own.size()];
        for (int c = 0; c < own.size(); c++) {
            out[0][c] = contractions.value(first + c, 2 * j);
            out[1][c] = contractions.value(first + c, 2 * j + 1);
        }
        return out;
    }

    /** The cross values (f′_i + ρ·g_i at each constraint point c of another member, member by member) from the contractions. */
    private static Ext2[] crossValues(Contractions contractions, List<Integer> owners, int m, Ext2 rho) {
        Ext2[] cross = new Ext2[owners.size() * (m - 1)];
        int k = 0;
        for (int c = 0; c < owners.size(); c++) {
            for (int i = 0; i < m; i++) {
                if (i != owners.get(c)) {
                    cross[k++] = contractions.value(c, 2 * i).add(rho.mul(contractions.value(c, 2 * i + 1)));
                }
            }
        }
        return cross;
    }

    /** The cross values evaluated on each member's tables ({@link Batching.Evaluator}: each point reads its block). */
    private static Ext2[] crossValues(WhirHidingCommitment[] cs, long[][] fTables, long[][] gTables, List<Ext2[]> points, List<Integer> owners, Ext2 rho) {
        int m = cs.length;
        Batching.Evaluator[] fAt = new Batching.Evaluator[m];
        Batching.Evaluator[] gAt = new Batching.Evaluator[m];
        for (int i = 0; i < m; i++) {
            fAt[i] = new Batching.Evaluator(fTables[i]);
            gAt[i] = new Batching.Evaluator(gTables[i]);
        }
        Ext2[] cross = new Ext2[points.size() * (m - 1)];
        int k = 0;
        for (int c = 0; c < points.size(); c++) {
            for (int i = 0; i < m; i++) {
                if (i != owners.get(c)) {
                    Ext2[] tail = Batching.tail(points.get(c), cs[i].layout.vars());
                    // = tail, but at the whole point for a table over V variables (WhirProver.Deviation#batchMember)
                    Ext2[] fTail = Batching.tail(points.get(c), Integer.numberOfTrailingZeros(fTables[i].length));
                    Ext2[] fg = fTail.length == tail.length ? fAt[i].atWith(gAt[i], tail) : new Ext2[] {fAt[i].at(fTail), gAt[i].at(tail)};
                    cross[k++] = fg[0].add(rho.mul(fg[1]));
                }
            }
        }
        return cross;
    }

    /**
     * The carrier the members' per-proof leaves share (null: none), checked to hold exactly the carried members as its parts:
     * a carrier's parts are opened in one run or not at all.
     */
    static Carrier carrier(WhirHidingCommitment[] cs) {
        Carrier carrier = Arrays.stream(cs).map(c -> c.carrier).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (carrier != null) {
            carrierMembers(cs, carrier);
        }
        return carrier;
    }

    /** The member each of the carrier's parts is (every carried member in it, every part a member). */
    private static int[] carrierMembers(WhirHidingCommitment[] cs, Carrier carrier) {
        int[] members = new int[carrier.parts.size()];
        Arrays.fill(members, -1);
        for (int j = 0; j < cs.length; j++) {
            if (cs[j].carrier != null) {
                if (cs[j].carrier != carrier) {
                    throw new IllegalArgumentException("members of one hiding batch are carried by two carriers");
                }
                members[cs[j].carrierPart] = j;
            }
        }
        if (Arrays.stream(members).anyMatch(j -> j < 0)) {
            throw new IllegalArgumentException("a carrier's parts are opened in one hiding batch (a part is missing from it)");
        }
        return members;
    }

    /** A member's constraint points over its own v variables: each claim embedded, then (z, z², …) for f′'s and g's points. */
    static List<Ext2[]> constraintPoints(Ext2[][] claims, Ext2[] commitPoints, Ext2[] maskPoints, int vars) {
        List<Ext2[]> out = new ArrayList<>(Arrays.asList(claims));
        for (Ext2 z : commitPoints) {
            out.add(Codewords.powers(z, vars));
        }
        for (Ext2 w : maskPoints) {
            out.add(Codewords.powers(w, vars));
        }
        return out;
    }

    /**
     * Each member's iteration-0 leaves of f′ (pairs when g is in its tree) and of g's own tree (f′'s fibres, at the same indices), at the
     * leaves F's queries reach; it reads each member's codewords only then, and only the fibres it opens ({@link SoftCodeword#fibres}: from a
     * codeword the collector has cleared, coset by coset). With one member, a hiding opening's own run: its queries are its
     * own leaves.
     */
    static final class Leaves implements WhirProver.FirstLeaves {
        private final HidingOpening.Masked[] members;
        final WhirProof.Opened[] masks;
        /** The members' carrier (null: none) and the run's iteration-0 queries, where it is opened. */
        final Carrier carrier;
        int[] carrierQueries;

        Leaves(HidingOpening.Masked[] members) {
            this.members = members;
            this.masks = new WhirProof.Opened[members.length];
            this.carrier = HidingBatch.carrier(Arrays.stream(members).map(HidingOpening.Masked::c).toArray(WhirHidingCommitment[]::new));
        }

        @Override
        public List<WhirProof.Opened> open(int[] queries, int group, WhirProver.Deviation deviation) {
            List<WhirProof.Opened> out = new ArrayList<>();
            if (carrier != null) {
                carrierQueries = queries.clone();
            }
            for (int j = 0; j < members.length; j++) {
                HidingOpening.Masked mj = members[j];
                WhirSchedule.Round own = mj.c().schedule.rounds().getFirst();
                int[] leaves = Batching.leaves(queries, own.fibres());
                if (mj.c().carriesLeaves()) { // in the carrier's leaves; member 0's round-0 leaves are then empty
                    out.add(j == 0 ? new WhirProof.Opened(new long[0][], new long[0], MerkleMultiProof.empty(mj.c().params.digestBytes())) : null);
                    continue;
                }
                WhirProof.Opened o = mj.openLeaves(own, leaves);
                if (j == 0) {
                    deviation.fibres(group, 0, o.fibres());
                } else {
                    deviation.batchFibres(group, j, o.fibres());
                }
                out.add(o);
                masks[j] = mj.openMask(own, leaves);
            }
            return out;
        }

        @Override
        public WhirProof.Opened firstMask() {
            return masks[0];
        }
    }

    /**
     * The verifier's side up to β: checks each member (its digest against its claims' root, its layout's bounds, the shape
     * of its mask values; that it fits the top member's first fold on a domain of the same rate), absorbs as
     * {@link #open} does, checks both grinds, and adds every constraint with F's value there to {@code points},
     * {@code values} and {@code powers}. Its per-proof trees (once members', g's, the carrier) are checked with {@code node}'s inner
     * nodes, reusable members' f′ trees with padded ones.
     */
    static Verified verify(WhirParameters params, MerkleNode node, Transcript t, List<List<PcsClaim>> components, WhirProof.Group g,
                           List<Ext2[]> points, List<Ext2> values, List<Boolean> powers) throws PcsRejectedException {
        int m = components.size();
        WhirProof.MaskedBatch b = g.maskedBatch();
        if (g.mask() == null || g.batch() != null || g.components() != m) {
            throw new PcsRejectedException("hiding batch opens " + g.components() + " commitments, claims name " + m);
        }
        byte[][] roots = new byte[m][];
        Ext2[][] oods = new Ext2[m][];
        WhirProof.Mask[] masks = new WhirProof.Mask[m];
        WhirSchedule[] schedules = new WhirSchedule[m];
        int[] vars = new int[m];
        int[] partOf = carrierParts(b.carrier(), m);
        for (int j = 0; j < m; j++) {
            WhirProof.HidingMember member = j == 0 ? null : b.others().get(j - 1);
            roots[j] = j == 0 ? g.merkleRoot() : member.merkleRoot();
            oods[j] = j == 0 ? g.commitOod() : member.commitOod();
            masks[j] = j == 0 ? g.mask() : member.mask();
            boolean once = masks[j].root().length == 0;
            boolean carriedLeaves = partOf[j] >= 0 && once;
            boolean carriedMask = partOf[j] >= 0 && !once;
            if (j > 0 && (masks[j].nonce() != 0 || (!once && !carriedMask) != (member.maskLeaves() != null) || carriedLeaves != (member.leaves() == null))) {
                throw new PcsRejectedException("hiding batch member " + j + ": malformed");
            }
            WhirProof.Round r0 = g.rounds().isEmpty() ? null : g.rounds().getFirst();
            if (j == 0 && carriedLeaves && (r0 == null || r0.fibres().length != 0 || r0.salts().length != 0 || r0.paths().siblingCount() != 0)) {
                throw new PcsRejectedException("hiding batch member 0: its leaves are the carrier's, yet round 0 opens some");
            }
            // A carried member is named by its part's root: its f′ (with g) or its g are the carrier's leaves.
            if (partOf[j] >= 0 && !Arrays.equals(carriedLeaves ? roots[j] : masks[j].root(), WhirTranscript.carrierMemberRoot(b.carrier().root(), partOf[j]))) {
                throw new PcsRejectedException("hiding batch member " + j + ": not the carrier's part " + partOf[j]);
            }
            List<PcsClaim> claims = components.get(j);
            int n = claims.getFirst().numVars();
            WhirProof.Mask mask = masks[j];
            vars[j] = WhirVerifier.maskedVars(params, n, mask, once, claims, "hiding batch member " + j);
            schedules[j] = params.hidingSchedule(vars[j], mask.firstFold());
            if (roots[j].length != MerkleHasher.DIGEST_BYTES || oods[j].length != schedules[j].commitOod()
                    || (!once && mask.root().length != MerkleHasher.DIGEST_BYTES)
                    || mask.ood().length != schedules[j].commitOod() + 2 * HidingLayout.maskOod(schedules[j], once) || mask.claims().length != claims.size()) {
                throw new PcsRejectedException("hiding batch member " + j + ": malformed root, answers or mask values");
            }
            byte[] digest = WhirTranscript.hidingCommitmentDigest(n, vars[j], mask.firstFold(), mask.tailVars(), once, roots[j], oods[j]);
            if (!Arrays.equals(digest, claims.getFirst().root())) {
                throw new PcsRejectedException("hiding batch member " + j + ": Merkle root and out-of-domain answers do not hash to the commitment");
            }
        }
        int top = 0;
        for (int j = 1; j < m; j++) {
            if (vars[j] > vars[top]) {
                top = j;
            }
        }
        int vTop = vars[top];
        WhirSchedule schedule = schedules[top];
        WhirSchedule.Round first = schedule.rounds().getFirst();
        for (int j = 0; j < m; j++) {
            WhirSchedule.Round own = schedules[j].rounds().getFirst();
            int d = vTop - vars[j];
            if (first.logDomain() - own.logDomain() != d || d + own.fold() < first.fold()) {
                throw new PcsRejectedException("hiding batch member " + j + " does not fit the run's first fold");
            }
        }
        List<Ext2[]> commitPoints = new ArrayList<>();
        List<Ext2[]> maskPoints = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            WhirTranscript.absorbCommitment(t, roots[j], oods[j]);
            commitPoints.add(WhirTranscript.commitOodPoints(params, vars[j], roots[j], schedules[j].commitOod()));
            maskPoints.add(WhirTranscript.maskOracle(t, masks[j].root(), HidingLayout.maskOod(schedules[j], masks[j].root().length == 0)));
            WhirTranscript.absorbMaskValues(t, masks[j].ood(), masks[j].claims());
        }
        int rhoBits = rhoPowBits(Arrays.asList(schedules));
        if (!WhirTranscript.checkGrind(t, rhoBits, masks[0].nonce())) {
            throw new PcsRejectedException("mask combiner: proof of work does not reach " + rhoBits + " bits");
        }
        Ext2 rho = WhirTranscript.maskCombiner(t);
        List<Integer> owners = new ArrayList<>();
        List<Ext2> own = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            List<PcsClaim> claims = components.get(j);
            WhirProof.Mask mask = masks[j];
            Ext2[][] embedded = new Ext2[claims.size()][];
            for (int c = 0; c < claims.size(); c++) {
                embedded[c] = HidingOpening.embed(claims.get(c).point(), vars[j]);
                own.add(claims.get(c).claimedValue().add(rho.mul(mask.claims()[c])));
                powers.add(false);
            }
            Ext2[] cp = commitPoints.get(j);
            for (int k = 0; k < cp.length; k++) {
                own.add(oods[j][k].add(rho.mul(mask.ood()[k])));
                powers.add(vars[j] == vTop);
            }
            for (int k = 0; k < maskPoints.get(j).length; k++) {
                own.add(mask.ood()[cp.length + 2 * k].add(rho.mul(mask.ood()[cp.length + 2 * k + 1])));
                powers.add(vars[j] == vTop);
            }
            for (Ext2[] p : constraintPoints(embedded, cp, maskPoints.get(j), vars[j])) {
                points.add(Batching.lift(p, vTop));
                owners.add(j);
            }
        }
        if (b.cross().length != points.size() * (m - 1)) {
            throw new PcsRejectedException("hiding batch of " + m + " carries " + b.cross().length + " cross values for " + points.size() + " points");
        }
        WhirTranscript.absorbCross(t, b.cross());
        if (!WhirTranscript.checkGrind(t, schedule.batchPowBits(m), b.nonce())) {
            throw new PcsRejectedException("batch combiner: proof of work does not reach " + schedule.batchPowBits(m) + " bits");
        }
        Ext2 mu = WhirTranscript.batchCombiner(t);
        Ext2[] muPowers = Batching.combinedValues(mu, m, b.cross(), owners, own, values);
        return new Verified(schedule, rho, mu, muPowers, roots, masks, schedules, List.copyOf(commitPoints), List.copyOf(maskPoints), params, node, partOf);
    }

    /** The carrier part of each of the m members (−1: not carried), checked: parts name distinct members. */
    private static int[] carrierParts(WhirProof.CarrierOpening carrier, int m) throws PcsRejectedException {
        int[] partOf = new int[m];
        Arrays.fill(partOf, -1);
        if (carrier == null) {
            return partOf;
        }
        if (carrier.root().length != MerkleHasher.DIGEST_BYTES || carrier.members().length == 0) {
            throw new PcsRejectedException("hiding batch carrier: malformed");
        }
        for (int p = 0; p < carrier.members().length; p++) {
            int j = carrier.members()[p];
            if (j < 0 || j >= m || partOf[j] >= 0) {
                throw new PcsRejectedException("hiding batch carrier: part " + p + " names member " + j);
            }
            partOf[j] = p;
        }
        return partOf;
    }

    /** Whether member 0 of this hiding batch has its g in a carrier (round 0 then opens no mask leaves). */
    static boolean carriesFirstMask(WhirProof.Group g) {
        WhirProof.MaskedBatch b = g.maskedBatch();
        return b != null && b.carrier() != null && !g.once() && Arrays.stream(b.carrier().members()).anyMatch(j -> j == 0);
    }

    /** A checked hiding batch's coins and members, for iteration 0. */
    record Verified(WhirSchedule schedule, Ext2 rho, Ext2 mu, Ext2[] muPowers, byte[][] roots, WhirProof.Mask[] masks, WhirSchedule[] schedules,
                    List<Ext2[]> commitPoints, List<Ext2[]> maskPoints, WhirParameters params, MerkleNode node, int[] partOf) {
        /**
         * Checks each member's iteration-0 leaves (f′_j's, salted, at q mod its leaf count; g_j's own at the same indices, or the pairs
         * of f′_j's tree) against its roots and returns F's queried fibres folded: F at point e of fibre q is
         * Σ_j μ^j·(f′_j(x^(2^d_j)) + ρ·g_j(x^(2^d_j))), read where {@link Batching#fibre} reads a lifted component.
         */
        Ext2[] open(WhirSchedule.Round r, WhirProof.Round pr, WhirProof.Group g, int[] queries, Ext2[] alphas) throws PcsRejectedException {
            int m = roots.length;
            int[][] leaves = new int[m][];
            WhirProof.Opened[] f = new WhirProof.Opened[m];
            WhirProof.Opened[] gs = new WhirProof.Opened[m];
            Carried carried = carried(g.maskedBatch().carrier(), queries);
            for (int j = 0; j < m; j++) {
                WhirProof.HidingMember member = j == 0 ? null : g.maskedBatch().others().get(j - 1);
                f[j] = j == 0 ? new WhirProof.Opened(pr.fibres(), pr.salts(), pr.paths()) : member.leaves();
                gs[j] = j == 0 ? pr.mask() : member.maskLeaves();
                boolean once = masks[j].root().length == 0;
                WhirSchedule.Round own = schedules[j].rounds().getFirst();
                leaves[j] = Batching.leaves(queries, own.fibres());
                if (partOf[j] < 0 || !once) { // a reusable member's f′ tree is padded (WhirHidingCommitment#commit), a once member's per-proof
                    opened(j, own, (once ? 2 : 1) << own.fold(), roots[j], once ? node : MerkleNode.PADDED, f[j], leaves[j]);
                }
                if (!once && partOf[j] < 0) {
                    opened(j, own, 1 << own.fold(), masks[j].root(), node, gs[j], leaves[j]);
                }
            }
            Ext2[] folded = new Ext2[queries.length];
            int size = 1 << r.fold();
            Ext2[] rhoMu = new Ext2[m];
            for (int j = 0; j < m; j++) {
                rhoMu[j] = muPowers[j].mul(rho);
            }
            for (int k = 0; k < queries.length; k++) {
                int q = queries[k];
                long[] combined = new long[2 * size];
                for (int j = 0; j < m; j++) {
                    WhirSchedule.Round own = schedules[j].rounds().getFirst();
                    int logFibres = own.logDomain() - own.fold();
                    int index = Arrays.binarySearch(leaves[j], q & (own.fibres() - 1));
                    boolean once = masks[j].root().length == 0;
                    // A carried member's leaf q mod its count is read from carrier leaf q mod the carrier's count (its copy there).
                    long[] part = partOf[j] < 0 ? null : carried.part(q, partOf[j]);
                    long[] leaf = part != null && once ? part : f[j].fibres()[index];
                    long[] gLeaf = once ? null : part != null ? part : gs[j].fibres()[index]; // g's leaves are f′_j's, opened at the same indices
                    for (int p = 0; p < size; p++) {
                        long e = (q + ((long) p << (r.logDomain() - r.fold()))) & ((1L << own.logDomain()) - 1);
                        int at = (int) (e >>> logFibres);
                        long fv = once ? leaf[2 * at] : leaf[at];
                        long gv = once ? leaf[2 * at + 1] : gLeaf[at];
                        combined[2 * p] = Goldilocks.add(combined[2 * p], Goldilocks.add(Goldilocks.mul(muPowers[j].c0(), fv), Goldilocks.mul(rhoMu[j].c0(), gv)));
                        combined[2 * p + 1] = Goldilocks.add(combined[2 * p + 1], Goldilocks.add(Goldilocks.mul(muPowers[j].c1(), fv), Goldilocks.mul(rhoMu[j].c1(), gv)));
                    }
                }
                folded[k] = Codewords.foldFibre(combined, true, alphas, r.logDomain(), q);
            }
            return folded;
        }

        /**
         * The carrier's opening at the queries, checked against its root (null: no carrier): its leaves at q mod 2^L (the top parts'
         * fibres, salted) at the tree positions bitrev_L(q), each smaller part's fibres at its own leaves hashed into the nodes at its
         * height ({@link Carrier}).
         */
        private Carried carried(WhirProof.CarrierOpening c, int[] queries) throws PcsRejectedException {
            if (c == null) {
                return null;
            }
            int parts = c.members().length;
            int[] logFibres = new int[parts];
            int[] widths = new int[parts];
            for (int p = 0; p < parts; p++) {
                int j = c.members()[p];
                WhirSchedule.Round own = schedules[j].rounds().getFirst();
                logFibres[p] = own.logDomain() - own.fold();
                widths[p] = (masks[j].root().length == 0 ? 2 : 1) << own.fold();
            }
            int logLeaves = Arrays.stream(logFibres).max().orElseThrow(); // the carrier has as many leaves as its largest part
            int[] leaves = Batching.leaves(queries, 1 << logLeaves);
            int[][] at = new int[parts][];
            long[][][] fibres = new long[parts][][];
            int[] from = new int[parts];
            int[] to = new int[parts];
            int[] injectedBytes = new int[logLeaves + 1];
            int topWidth = 0;
            int injected = 0;
            List<Integer> top = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                if (logFibres[p] == logLeaves) {
                    at[p] = leaves;
                    fibres[p] = c.leaves().fibres();
                    from[p] = topWidth;
                    topWidth += widths[p];
                    to[p] = topWidth;
                    top.add(p);
                } else {
                    if (injected == c.injected().size()) {
                        throw new PcsRejectedException("hiding batch carrier: part " + p + "'s fibres missing");
                    }
                    at[p] = Batching.leaves(queries, 1 << logFibres[p]);
                    fibres[p] = c.injected().get(injected++);
                    to[p] = widths[p];
                    if (fibres[p].length != at[p].length) {
                        throw new PcsRejectedException("hiding batch carrier: part " + p + " opens " + fibres[p].length + " fibres, " + at[p].length + " queried");
                    }
                    WhirVerifier.checkFibres(0, widths[p], fibres[p]);
                    injectedBytes[logLeaves - logFibres[p]] += 8 * widths[p];
                }
            }
            if (injected != c.injected().size()) {
                throw new PcsRejectedException("hiding batch carrier: " + c.injected().size() + " injected parts, " + injected + " expected");
            }
            WhirProof.Opened o = c.leaves();
            WhirVerifier.checkFibres(0, topWidth, o.fibres());
            if (o.fibres().length != leaves.length || o.salts().length != 2 * leaves.length) {
                throw new PcsRejectedException("hiding batch carrier: " + o.fibres().length + " leaves and " + o.salts().length + " salt values for " + leaves.length + " leaves");
            }
            if (o.paths().digestBytes() != params.digestBytes()) {
                throw new PcsRejectedException("Merkle paths of " + o.paths().digestBytes() + "-byte digests, the parameters' are " + params.digestBytes());
            }
            MerkleHasher hasher = params.hasher();
            boolean[] pairs = new boolean[top.size()]; // the top parts' fibres in part order, a pair's (f′, g) interleaved
            int[] topWidths = new int[top.size()];
            for (int t = 0; t < top.size(); t++) {
                pairs[t] = masks[c.members()[top.get(t)]].root().length == 0;
                topWidths[t] = widths[top.get(t)];
            }
            byte[][] hashes = new byte[leaves.length][];
            for (int k = 0; k < leaves.length; k++) {
                hashes[k] = Carrier.leafHash(hasher, o.fibres()[k], pairs, topWidths, o.salts()[2 * k], o.salts()[2 * k + 1]);
            }
            try {
                InjectedMerkleTree.verify(o.paths(), params.merkleHash(), node, c.root(), logLeaves, leaves, hashes, Arrays.stream(injectedBytes).max().orElse(0), (h, j, buf, off) -> {
                    int end = off;
                    for (int p = 0; p < parts; p++) {
                        if (logLeaves - logFibres[p] == h) { // class j: on an opened leaf's path, so among the part's opened fibres
                            end = Codewords.writeFibre(buf, end, fibres[p][Arrays.binarySearch(at[p], j)], null, 0, 1, widths[p]);
                        }
                    }
                    return end - off;
                });
            } catch (MerkleProofException e) {
                throw new PcsRejectedException("fibre openings: " + e.getMessage());
            }
            return new Carried(at, fibres, from, to, logFibres);
        }

        /** A checked carrier's parts: each part's opened leaves (ascending), their fibres, and where its values lie in a fibre. */
        private record Carried(int[][] at, long[][][] fibres, int[] from, int[] to, int[] logFibres) {
            long[] part(int q, int p) {
                long[] fibre = fibres[p][Arrays.binarySearch(at[p], q & ((1 << logFibres[p]) - 1))];
                return Arrays.copyOfRange(fibre, from[p], to[p]);
            }
        }

        /** One member's opened salted leaves: present, of the width its round fixes, one salt pair each, under its root (of {@code treeNode}'s nodes). */
        private void opened(int j, WhirSchedule.Round round, int width, byte[] root, MerkleNode treeNode, WhirProof.Opened o, int[] leaves)
                throws PcsRejectedException {
            if (o == null) {
                throw new PcsRejectedException("hiding batch member " + j + ": iteration-0 leaves missing");
            }
            WhirVerifier.checkFibres(0, width, o.fibres());
            if (o.salts().length != 2 * o.fibres().length) {
                throw new PcsRejectedException("hiding batch member " + j + ": " + o.salts().length + " salt values for " + o.fibres().length + " leaves");
            }
            WhirVerifier.checkLeaves(params, treeNode, root, round, o.fibres(), o.salts(), o.paths(), leaves);
        }
    }
}
