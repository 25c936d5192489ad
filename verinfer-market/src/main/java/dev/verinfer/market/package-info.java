/**
 * The verifiable inference market: one deterministic state machine
 * ({@link dev.verinfer.market.Market}) run on a {@link dev.verinfer.ledger.Ledger}. It sees proofs
 * only through {@link dev.verinfer.market.ProofVerifier}; {@link dev.verinfer.market.ZkmlProofVerifier}
 * is the implementation on verinfer-zkml proofs.
 *
 * <h2>Transactions</h2>
 * A {@link dev.verinfer.market.SignedTx} carries the sender's Ed25519 public key, the sender's next
 * nonce, a {@link dev.verinfer.market.Tx} body and a signature over (domain, chain id, key, nonce,
 * body). A transaction above its kind's size cap ({@link dev.verinfer.market.Market#maxBytes}: 16 MiB
 * for results, proofs, batches and workflows, 1 MiB + 64 KiB for a request, 4 MiB for a model, 64 KiB
 * for committed requests and oracle sets, 4 KiB for the rest), with an invalid signature, from an
 * unknown sender or with a wrong nonce is refused without effect (the node refuses all of these
 * before the journal). Once authenticated a transaction consumes its nonce and pays its fee
 * ({@code txFee} + {@code txFeePerKiB} per started KiB, to the treasury; the operator pays none)
 * even if the rules refuse it; a sender whose balance is below the fee loses its balance. Every
 * refusal is recorded on the ledger with its reason. A result or proof that fails verification
 * slashes its prover and is answered as refused ("…; prover slashed"). The market's only clock is
 * the block's timestamp and height.
 *
 * <h2>Rules (parameters: {@link dev.verinfer.market.MarketParams})</h2>
 * <ul>
 *   <li>Value enters by {@code Deposit}, signed by the operator only, and leaves by {@code Withdraw}.
 *       Every amount, and the value the market holds (deposits less withdrawals), is bounded by
 *       10^14 units, so no sum overflows. The operator moves the treasury to its own balance by
 *       {@code WithdrawTreasury}.</li>
 *   <li>Models are <em>listings</em>: {@code RegisterModel} lists the verifying key's model under the
 *       sender, keyed {@code modelId@owner} ({@link dev.verinfer.market.Model#key}); the owner earns
 *       its royalty per paid inference. Anyone may list any model, but only under its own key, so
 *       nobody can squat another's listing. A request names a listing key, or a bare model id when
 *       exactly one owner lists it (else it is refused and must name the owner). A deprecated or
 *       unknown listing takes no new requests.</li>
 *   <li>Provers register with at least {@code minProverStake}. A lock moves collateral from the stake
 *       ({@link dev.verinfer.market.MarketParams#collateral}): ZK {@code collateralBps} of the max fee F;
 *       OPTIMISTIC at least the smallest K with (1 − challengeReward)·K > F; SAMPLED(q) at least F/q.
 *       Stake cannot be withdrawn while collateral is held. Counters: served, failed, slashed.</li>
 *   <li>Oracle sets: anyone registers a set of Ed25519 keys with a threshold k (its id is the SHA-256
 *       of both). A request may carry an attestation: k valid signatures of the set's oracles over
 *       (chain id, set id, model, SHA-256 of the input), else it is refused.</li>
 *   <li>Requests escrow the max fee. Where a public input enters (a request, a public workflow step)
 *       the verifier checks it against the verifying key ({@link dev.verinfer.market.ProofVerifier#checkInput}:
 *       the model's tensor count and sizes, every value within its input's calibrated bound);
 *       the deadline lies {@code minLockMillis}..{@code maxDeadlineMillis} after the block; an
 *       OPTIMISTIC or SAMPLED window is at least {@code minWindowMillis}. The client cancels a
 *       request nobody has locked ({@code CancelRequest}: escrow back).</li>
 *   <li>Reverse Dutch auction: the price rises linearly from {@code floorBps} of the max fee to the
 *       max fee over {@code rampMillis} from (re-)opening; the first lock wins at the block's price.
 *       The floor must cover the royalty. A lock is refused with less than {@code minLockMillis}
 *       left before the deadline, and to a prover slashed on that request before. {@code LockRequests}
 *       locks several in one transaction, each exactly as its own lock would (price, collateral,
 *       expiry), skipping those it cannot lock; refused only if it locks none.</li>
 *   <li>ZK: the result carries its proof; valid pays, invalid slashes. OPTIMISTIC(w): the result
 *       settles at w unless challenged (bond {@code challengeBondBps} of the max fee); the prover then
 *       owes a valid proof within {@code responseMillis}: valid pays the prover and gives it the bond;
 *       invalid or late slashes. SAMPLED(q, w): drawn by commit–reveal ({@link dev.verinfer.market.SampleDraw}):
 *       the request carries the client's commitment to a secret, the lock records its block's parent
 *       hash as the seed, the client reveals the secret once the result is posted ({@code RevealSample},
 *       refused earlier) and the result is drawn iff SHA-256(secret, seed, id) falls below q; a drawn
 *       result owes a valid proof within w. A client that does not reveal within {@code revealMillis},
 *       a request without a commitment, and any later round of a request whose secret was revealed
 *       owe the proof: withholding never spares a prover.</li>
 *   <li>Payment at the locked price p: royalty to the owner, {@code protocolFeeBps} of (p − royalty)
 *       to the treasury, the rest to the prover; max fee − p back to the client; collateral back to
 *       the stake.</li>
 *   <li>Slashing (invalid proof, no result by the lock's expiry, no proof when demanded) takes the
 *       whole collateral K: {@code slashVictimBps} of K to the client, {@code challengeRewardBps} of K
 *       to the challenger who caused it (with its bond back), the rest to the treasury. Each slash is
 *       recorded with its cause. The request re-opens, or is refunded if its deadline has passed.
 *       An open request past its deadline is refunded.</li>
 *   <li>Excused downtime: a block more than 2 s after its parent (the node was down: nobody could
 *       send anything) moves every running clock of a live request later by the whole gap — a lock's
 *       expiry (even past the deadline), a posted result's challenge and reveal windows, a demanded
 *       proof's due time — before the timers run; an open request's deadline does not move (it is
 *       refunded, nobody is slashed). The gap is the ledger's own record, not anything a party sends.</li>
 *   <li>Unprovable input ({@code ClaimUnprovable}, by the locking prover): the ledger re-runs the
 *       verifier's input check, on the public input or on the values the prover reveals for a
 *       committed input (which must commit to its roots, {@link dev.verinfer.market.ProofVerifier#inputRoots}).
 *       If the check fails it is the client's fault: the client pays {@code clientFaultBps} of the
 *       max fee to the prover, who keeps its collateral, and gets the rest back. If the check passes
 *       the claim is refused and the lock stands. (A public input passes by construction, since it
 *       was checked on entry; an input within the calibrated input bound that overflows an
 *       intermediate bound cannot be shown without the weights, so the bundled worker runs the model
 *       before it locks and never locks such an input.)</li>
 * </ul>
 *
 * <h2>Proof context</h2>
 * Every proof the market checks — a ZK result, a proof demanded by a challenge or a sample, a batch
 * proof, a workflow step's — must be bound to its occasion: its statement's context (verinfer-zkml
 * absorbs it before any prover message) must equal {@link dev.verinfer.market.ProofContext}: SHA-256
 * of the chain id, the request id (for a batch: the listed ids, in order) and the locking prover's
 * account. Otherwise the proof is invalid and the prover slashed as for any invalid proof. So proof
 * bytes copied from the ledger pay nobody: not another prover on a duplicate request (another id,
 * another account), not the same prover on another request. {@code InferenceService.prove} takes
 * the context; the bundled {@code ProverWorker} passes its own.
 *
 * <h2>Why cheating does not pay</h2>
 * A cheating prover saves at most the price p ≤ F (the max fee) when it is not caught, and when
 * caught loses its collateral K (less what it recovers) and is not paid.
 * {@link dev.verinfer.market.MarketParams#bestCheatingGain} computes its best expected gain over
 * honest service from the parameters, and {@code CheatingGainTest} checks that it is negative for
 * any parameters the constructor accepts and checks this table, at the defaults and F = 2,000:
 * <table>
 *   <caption>Attacker's best expected gain at the defaults (F = 2,000)</caption>
 *   <tr><th>Mode or attack</th><th>Collateral K</th><th>Best strategy</th><th>Expected gain</th></tr>
 *   <tr><td>ZK</td><td>400 (20 %)</td><td>any wrong result: always caught</td><td>−400</td></tr>
 *   <tr><td>OPTIMISTIC (w ≥ 1 s)</td><td>2,667</td><td>cheat, challenge itself first, keep the 25 % reward</td><td>−2,001</td></tr>
 *   <tr><td>SAMPLED 10 %</td><td>20,000</td><td>cheat, caught with probability 0.1 (no bias)</td><td>0.9·2,000 − 0.1·20,000 = −200</td></tr>
 *   <tr><td>SAMPLED 50 %</td><td>4,000</td><td>same</td><td>−1,000</td></tr>
 *   <tr><td>SAMPLED 100 %</td><td>2,000</td><td>same</td><td>−2,000</td></tr>
 *   <tr><td>client, unprovable committed input</td><td>—</td><td>make the prover fail</td><td>−(200 + fee) (claim upheld)</td></tr>
 *   <tr><td>client, unprovable public input or short deadline</td><td>—</td><td>refused on entry</td><td>−fee (11 for 100 B)</td></tr>
 *   <tr><td>spammer</td><td>—</td><td>any journaled transaction</td><td>−(10 + 1 per KiB)</td></tr>
 *   <tr><td>squatter</td><td>—</td><td>list a public model at a high royalty</td><td>−fee; only clients that choose it pay it</td></tr>
 * </table>
 * A proof copied from the ledger is bound to another context, so it counts as an invalid proof
 * (above): copying is one more wrong result, caught whenever a proof is checked, and changes no row.
 * Assumptions: the operator of the embedded ledger is trusted for ordering, time and inclusion (it
 * could censor a challenge; an Ethereum backend removes that); for OPTIMISTIC, at least one honest
 * watcher sees each result within its window and its challenge is included (without one, a cheat
 * gains up to F); SHA-256 hides and binds; a client keeps its secret until its result is posted
 * and uses a fresh one per request (a leaked or reused secret only weakens its own check); a
 * cheater gains nothing from a wrong output beyond the fee (outside stakes are not deterred).
 *
 * <p><b>Residual bias of the draw.</b> The draw's inputs (secret, lock seed, request id) are fixed
 * before anyone but the client knows the secret, and nothing a prover or the operator puts in later
 * blocks enters it, so the prover's bias is 0 (the earlier draw, the next block's hash, was steered
 * by slipping junk into that block). The client can predict the seed of no lock (it commits first)
 * and its only choice, withholding, makes the proof due. The operator can only censor the reveal,
 * which also makes the proof due. The collateral F/q is therefore exact.
 *
 * <p><b>Watchers.</b> The challenger's reward comes out of the cheater's collateral. A prover that
 * challenges its own wrong result from another account takes the reward but still loses
 * (1 − challengeReward)·K > F, more than any fee it could earn, and the client is paid its share; an
 * honest watcher that catches a cheat earns challengeReward·K (667 at F = 2,000) plus its bond. The
 * reward is capped at half the collateral, or the collateral would exceed 2F. Limitation: where
 * nobody cheats, watchers earn nothing; a standing fee share needs a proof of watching, which this
 * market does not have (stated, not solved).
 *
 * <p><b>Listings rather than a first-come registry.</b> A model id is public (any holder of the
 * files computes it), and proving ownership of public weights is impossible; so ownership is of a
 * listing, keyed by the registrant's account. A squatter's listing cannot block the owner's, earns
 * only from clients that choose it, and a second listing only makes the bare model id ambiguous
 * (clients then name the owner).
 *
 * <p><b>Admission (the node).</b> A later nonce than the account's next waits in memory (at most
 * 1,024 transactions and 32 MiB per account), never in the journal, and is applied in nonce order;
 * the same signed bytes reach the journal once. A block holds at most 256 MiB of transactions; the
 * producer seals blocks only when transactions wait or once per idle second.
 *
 * <h2>Committed inputs</h2>
 * {@code SubmitCommittedRequest} names the input by one commitment root per input tensor of the
 * model ({@code TensorCommitments.root}, the root a verinfer-zkml proof with
 * {@code Visibility.COMMITTED} inputs states); the client hands the values to the prover off the
 * market. An attestation then signs the roots ({@code Signer.attestCommitted}, its own domain). A
 * proof settles such a request only if its statement commits the input with exactly these roots
 * (a proof on the public values does not). Any mode is allowed, but watchers and the bundled
 * {@code ProverWorker} serve public inputs only.
 *
 * <p><b>A private model</b> (a zero-knowledge key: {@code verinfer compile}'s default since 2026-12-05) takes ZK requests
 * only ({@code Transitions.checkPrivacy}): an OPTIMISTIC or SAMPLED result settles unproven unless someone who re-ran the
 * model challenges it or the draw demands a proof, and nobody but the owner holds the weights to re-run it. The refusal
 * names the opt-out: for those modes the owner lists a plain key ({@code verinfer compile --no-zk}, its own model id).
 *
 * <p><b>A private model's committed input</b> (a zero-knowledge key; ZK mode only, as every request
 * of a private model) is a hiding root: {@code TensorCommitments.hidingRoot(vk, shape, values, seed)},
 * derived from the values and a secret 32-byte seed per tensor (fresh per request), so the root tells
 * nobody the values — a value-derived root would let anyone test a guess. The client hands (values,
 * seed) to the provers it trusts through a {@link dev.verinfer.market.TensorStore}, each tensor
 * naming the client; a prover rebuilds the commitment from them, locks only if it names the
 * request's roots and the request is that client's (a root is public: another account naming it
 * would otherwise be served the model's output on the hidden input), and proves with it (its
 * openings draw their own randomness). The market, the model owner and the public see the roots and a
 * zero-knowledge proof; the serving prover sees the values. The commitment is hiding for
 * {@code ZeroKnowledge.LINKED_OPENING_BUDGET} units, two proofs' openings, and every posted proof is
 * public, so a request with such an input is <em>refunded, not re-opened</em>, after an invalid proof
 * (the posted proof may have opened it; a fresh seed in a new request commits afresh); a silent
 * prover's lock expiry re-opens it as any other. A {@code ClaimUnprovable} on it carries the values
 * and their seeds ({@code Openings}), checked against the roots: the input it
 * shows unprovable becomes public, so a {@code StepWorker} claims only once its own input check
 * fails (a refused claim is committed too, and would publish an input it merely failed to prove). A root nothing opens is never locked by a prover that checks
 * (as for any committed request), so it expires and is refunded.
 *
 * <p><b>A private model's weight commitment rotates</b> ({@code Tx.RotateWeights}, 2026-12-05). Its hiding weight
 * commitment covers a budget of openings (each proof spends 1–2 units; the last 2 are a rotation's), so the owner commits
 * the same weights afresh with a zero-knowledge proof linking the roots (verinfer-zkml {@code WeightRotations}; the model
 * id and verifying key do not change) and posts each link: the listing key (or the bare model id, read as the sender's
 * listing), the root it starts from, the next root and the link proof. Only the listing's owner (the signer) may post
 * it; the node verifies the link against the listing's current root ({@code WeightRotations.extend}: the transcript names
 * the model id and the epoch) and refuses, without effect, a non-owner's, one not starting from the current root (a link
 * posted twice or out of order), and one that does not verify (another table, altered bytes). The chain is the listing's
 * state ({@code Model.weightRotations}: the {@code verifying.key.rotations} file bytes; snapshot and replay), and every
 * proof of the listing — a result, a demanded proof, a batch — is valid under any root of it, the current first
 * ({@code WeightRotations.verify}); a proof under a root the chain does not link is invalid and slashed as any other.
 * A prover locks none of a model's requests while its inference refuses the model ({@code InferenceService.refusal}: the
 * key's count kept beside it is spent down to the rotation's units), naming {@code verinfer rotate -m DIR} and
 * {@code verinfer market rotate -m DIR}; the owner's {@code market prover --rotate-when-spent} (verinfer-node) rotates
 * instead and queues the link ahead of its next lock and proof. The Solidity market has no rotations.
 *
 * <h2>Batch settlement</h2>
 * {@code SubmitBatchResult} settles 2..256 ZK requests with one batch proof
 * ({@code ProvingKey.batched(B)}). Refused without effect unless: the requests are distinct and
 * listed in increasing id order (the order of the proof's inferences), each is LOCKED by the
 * sender, ZK, with public input and output, all of one model, and there is one output per request.
 * The proof must then state exactly B inferences, bound to the batch's context, the k-th on request k's input with result k's
 * output: valid, every request is paid at its own locked price (or, for a workflow step, verified);
 * invalid (a changed output, a swapped request, another batch's proof, another count), every
 * request of the batch is slashed as for an invalid proof with a single result.
 *
 * <h2>Workflows</h2>
 * {@code SubmitWorkflow} lists steps in topological order, each a model, max fee, deadline, mode
 * (only ZK: a watcher cannot re-run a step whose input it does not know) and input: public bytes, or
 * committed tensors, one per input tensor of the step's model, each a client root or output tensor
 * t of an earlier step (so a step may join several earlier outputs). An input the client gives
 * (public, or client roots only) may carry an attestation as a request's does; one taken from
 * earlier steps may not (their proofs bind it). Each link from an earlier step's output must fit
 * the consumer's input by the chain rules ({@code ProofVerifier.linkFailure}, verinfer-zkml's
 * {@code TensorLink}): the same shape (so the same padded layout: the consumer never reads the
 * producer's padding slots as inputs), the same scale, the producer's bound within the consumer's,
 * one commitment security; else the workflow is refused with the reason. The transaction escrows the total and creates one
 * request per step. A step whose output a later step takes commits its
 * output ({@code SubmitCommittedResult}: the roots with the proof); the others post public outputs.
 * <ul>
 *   <li>A step is WAITING until every step it takes from is VERIFIED; it then opens (its auction
 *       starts) with its input roots resolved: the proof must state exactly those roots, so it is
 *       chained to the predecessors' proven outputs.</li>
 *   <li>A verified step returns its collateral and is VERIFIED, unpaid; when every step has
 *       verified, all are paid in the same transition and the workflow is SETTLED.</li>
 *   <li>Invalid proofs and silent provers are slashed as for single requests, and the step re-opens
 *       while its deadline allows (a private model's step on a committed input is refunded after an
 *       invalid proof instead, failing the workflow: see "Committed inputs"). A step refunded at its deadline (open, waiting, or slashed
 *       late) fails the workflow: verified steps are paid (their work is proven), a lock with time
 *       left is released without penalty, a lock that has run out is slashed as silent, and every
 *       other step is refunded. A step that names an output its predecessor's result lacks also
 *       fails the workflow when the predecessor verifies.</li>
 * </ul>
 * The committed intermediate values travel off the market (from a step's prover to the next
 * step's, through the client or directly); the market only sees and checks roots. A private
 * model's committed output is a hiding commitment from a seed the producing prover draws afresh
 * for each proof (so a proof made again after a slash commits anew), stored with the values for
 * the consumer's prover; it feeds one consumer input only (its budget covers the producer's
 * proof and one consumer's), and a link joins two private models or two public ones
 * ({@code TensorLink}: a hiding root is opened only as hiding).
 *
 * {@link dev.verinfer.market.Invariants} states what holds after every transition, workflows
 * included (a step waits exactly while a predecessor has not verified, its input roots are its
 * predecessors' output roots, a settled workflow was paid in one block).
 */
package dev.verinfer.market;
