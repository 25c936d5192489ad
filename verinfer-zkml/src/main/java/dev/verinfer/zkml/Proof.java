package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import java.util.Arrays;

/** A proof: its public statement and its bytes (which carry the statement too). */
public record Proof(PublicStatement statement, byte[] bytes) {
    static final String MAGIC = "VIPF";
    /**
     * 2: the statement carries the batch size and the proof context; 3: the chained transcript (verinfer-transcript-v2);
     * 4: WHIR openings batch every plain commitment into one run and grind before their queries;
     * 5: public tensor values as zig-zag varints (one or two bytes for quantised values, not eight);
     * 6: public tensor values packed at the fewest bits they need (a width byte, then w bits a value: 16 bits for |v| &lt; 2^15);
     * 7: a batch proof's look-up tables chosen by cost and its two-way maxima range-checked by one look-up
     * ({@link ProofPlan#batched}); a single proof's bytes are format 6's but for this number;
     * 8: a batch proof's look-ups of saturating functions clamped into the function's non-constant window
     * ({@link SaturatedLookups}) and its clamp tables of 9–16 bits chosen by cost; a single proof's bytes are format 7's
     * but for this number;
     * 9: a single proof without zero knowledge is planned as a batch's ({@link ProofPlan#batched}: tables by cost,
     * two-way maxima) with its saturating look-ups clamped into their window ({@link SaturatedLookups}); a
     * zero-knowledge proof's or a batch proof's bytes are format 8's but for this number. Proofs without zero knowledge
     * are still written in format 9.
     */
    static final int VERSION = 9;
    /**
     * 10: a zero-knowledge proof (format 9 for a zero-knowledge key is an older build's): its plan takes the size rules
     * of a plain key's (the table search, two-way maxima, the saturated-look-up cut, {@link SaturatedLookups#plan}), and a
     * WHIR run of one hiding commitment sends its mask's values summed (verinfer-whir {@code HidingOpening});
     * 11: a zero-knowledge proof with look-ups opens each Libra mask's g(r) as one linear claim on the mask commitment M
     * ({@link ProofMasks#evaluationClaim}), where format 10 sent a piece per variable, each a point claim on M; and M is
     * committed with the narrowest first fold its layout covers (its leaves in the batched hiding run 2 + 2 values, not 16 + 16),
     * and (both in 11, 2026-12-06) a zero-knowledge witness whose packing leaves its last aligned block of 2^d slots free keeps its arity, with its
     * commitment's mask in that block ({@link ZkWitnessBatching#tail}: its opening's sumcheck without a vanishing mask, its
     * claim on the witness's arity, the WHIR mask's layout written as 0 mask variables and d), that commitment with the narrowest
     * first fold when the weights top its batched run ({@link ZkWitnessBatching#narrow}, also in 11); format 10 is an older build's;
     * 12 (2026-12-06): a reusable hiding commitment's per-proof mask g (the registered weights', a committed input's or output's)
     * is committed with f′'s own iteration-0 leaves (2^k₀ values each) instead of wide ones of 2^K, so its opened leaves reveal g
     * only where f′ is opened (verinfer-whir {@code HidingLayout.maskFunctionals}); format 11 is an older build's;
     * 13 (2026-12-06): the off-face claims on the registered weights, when there are two or more, are merged by one
     * zero-knowledge sumcheck into one ({@link ZkWeightBatching}: its mask in M, its value "weights-eval"), where format 12 handed
     * each to the weights' opening; format 12 is an older build's;
     * 14 (2026-12-06): when the weights top the batched hiding run ({@link ZkWitnessBatching#narrow}) the witness's and M's
     * iteration-0 leaves and the weights' per-proof g share one salted carrier tree, committed with the witness (verinfer-whir
     * {@code Carrier}: a hiding batch of group flag 7 or 8), and a hiding WHIR run whose first fold is narrower than the
     * plain one (the registered weights' k₀ = 1–2) commits its next oracle at half the rate ({@code WhirParameters.nextLogDomain}),
     * so its later iterations draw fewer queries; format 13 is an older build's;
     * 15 (2026-12-06): the carrier holds the per-proof leaves of whichever members the batched hiding run will hold, predicted
     * when the witness is committed by the scheme's batching rule (verinfer-pcs {@code MultilinearPcs.sharedRun}), so also when
     * the witness tops the run (ch_ppocr_mobile_v2.0_cls, embedding_model, melspectrogram: the witness's, M's and the weights'
     * per-proof g in one tree of the witness's leaf count; branch carrier28); a narrow run's second later oracle keeps the first
     * one's domain ({@code WhirParameters.nextLogDomain}: alexa_v0.1's last iteration 30 → 23 queries), and a hiding run's oracles
     * after iteration 0 go unsalted where F₁ whole hides the table ({@code HidingLayout.unsaltedLaterOracles}; branch bytes28);
     * format 14 is an older build's;
     * 16 (2026-12-06): the carrier's smaller parts are injected at their own height, each fibre hashed once into the node over
     * the carrier leaves that read it (query q's leaf at position bitrev(q); verinfer-merkle {@code InjectedMerkleTree}), and the
     * carrier opening sends each such part's fibres once, after the top's leaves (branch inject29); and every Merkle tree the
     * proof makes for itself (the witness's and M's, the carrier, openings' masks g, every later oracle) hashes its inner nodes
     * over the digests' kept bytes only ({@link VerifyingKey#proofPcs}, verinfer-merkle {@code MerkleNode.COMPACT}; branch
     * compact29); format 15 is an older build's;
     * 17 (2026-12-06): a carrier leaf with a pair (f′, g) on top is hashed in two halves, H(0x00 ‖ the top pairs' f′ ‖ R_q[0, d))
     * with R_q = H(0x03 ‖ the top parts' masks ‖ salt) made ahead by the reserve ({@code Carrier}, verinfer-merkle
     * {@code InjectedMerkleTree.halves}; branch carrier30), and a commitment for one opening (the witness's, M's) sends no
     * out-of-domain points of its mask g in the list regimes — f′'s commit points, drawn from the root that binds g, serve as g's
     * (verinfer-whir {@code HidingLayout.maskOod}; branch points30); format 16 is an older build's;
     * 18 (2026-12-07): a witness committed with the narrowest first fold under the registered weights on top of its batched run
     * folds no narrower than that run admits under the weights' layout at the key's budget ({@link ZkWitnessBatching#top},
     * verinfer-whir {@code HidingLayout.narrowestUnder}), and its mask block d follows that fold: unchanged wherever the weights
     * fold at most 1 + (v_top − n_w) (every real model's budget-1024 key under proven, proven-evm, proven-unique and conjectured,
     * every pinned proof: such a proof's bytes differ from format 17's in the version byte alone), wider under smaller budgets
     * (hey_mycroft_v0.1 at 256: k₀ = 3, d = 10, where format 17 folded 1 with d = 8 and left the weights' run) and where the
     * weights fold wider already at 1024 (hey_mycroft_v0.1 under conjectured-evm); branch heyfold31; format 17 is an older build's;
     * 19 (2026-12-07): a hiding WHIR run's second oracle is at half the first's rate after the plain first fold too, not only
     * after a narrow one ({@code WhirParameters.nextLogDomain}: the wake-word models' weights on top, v = 19, k₀ = 4, re-encode
     * iteration 1 on 2^19 points with 45 queries where 2^20 drew 36; the larger models' witness on top likewise); branch rate35;
     * format 18 is an older build's.
     */
    static final int ZK_VERSION = 19;

    /** The format a proof under a key of this zero-knowledge choice is written in. */
    static int version(boolean zeroKnowledge) {
        return zeroKnowledge ? ZK_VERSION : VERSION;
    }

    /** Opens a proof's bytes of either format; the verifier checks the format against the key ({@link #checkVersion}). */
    static ProofReader open(byte[] bytes) throws MalformedProofException {
        return ProofReader.open(bytes, MAGIC, VERSION, ZK_VERSION);
    }

    /** Refuses a proof whose format is not the one proofs under a key of this zero-knowledge choice are written in. */
    static void checkVersion(int version, boolean zeroKnowledge) throws MalformedProofException {
        if (version == version(zeroKnowledge)) {
            return;
        }
        throw new MalformedProofException(zeroKnowledge
                ? MAGIC + " format version " + version + " for a zero-knowledge key was made by an older verinfer (this build writes"
                        + " zero-knowledge proofs as version " + ZK_VERSION + "): re-prove it with this build"
                : "a zero-knowledge proof (" + MAGIC + " format version " + version + "), but this model's key is not zero-knowledge:"
                        + " a proof of another model");
    }

    public Proof {
        bytes = bytes.clone();
    }

    /** Reads the statement a proof file carries, without verifying anything. */
    public static Proof fromBytes(byte[] bytes) throws MalformedProofException {
        return new Proof(PublicStatement.read(open(bytes)), bytes);
    }

    /**
     * The same prover messages under another statement: what a cheating prover sends when it claims another
     * output, batch or context for a proof it has (the demo's tamper and the soundness tests; the verifier
     * must reject it, since the statement is absorbed before every prover message).
     */
    public static byte[] restated(byte[] bytes, PublicStatement statement) throws MalformedProofException {
        ProofReader r = open(bytes);
        PublicStatement.read(r);
        ProofWriter w = ProofWriter.begin(MAGIC, r.version());
        statement.write(w);
        w.writeRaw(Arrays.copyOfRange(bytes, bytes.length - r.remaining(), bytes.length));
        return w.toByteArray();
    }

    public int size() {
        return bytes.length;
    }
}
