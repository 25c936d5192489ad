/**
 * The verifiable inference market: one deterministic state machine
 * ({@link dev.verinfer.market.Market}) run on a {@link dev.verinfer.ledger.Ledger}. It sees proofs
 * only through {@link dev.verinfer.market.ProofVerifier}; {@link dev.verinfer.market.ZkmlProofVerifier}
 * is the implementation on verinfer-zkml proofs.
 *
 * <h2>Transactions</h2>
 * A {@link dev.verinfer.market.SignedTx} carries the sender's Ed25519 public key, the sender's next
 * nonce, a {@link dev.verinfer.market.Tx} body and a signature over (domain, chain id, key, nonce,
 * body). Invalid signatures, unknown senders and wrong nonces are refused without effect; once
 * authenticated a transaction consumes its nonce even if the rules refuse it. Every refusal is
 * recorded on the ledger with its reason. The market's only clock is the block's timestamp and height.
 *
 * <h2>Rules (parameters: {@link dev.verinfer.market.MarketParams})</h2>
 * <ul>
 *   <li>Value enters by {@code Deposit}, signed by the operator only, and leaves by {@code Withdraw}.
 *       All amounts and all deposits together are bounded by 10^14 units, so no sum overflows.</li>
 *   <li>Models: the id is the verifying key's model id; the registrant owns it and earns its royalty
 *       per paid inference; a deprecated or unknown model takes no new requests.</li>
 *   <li>Provers register with at least {@code minProverStake}. A lock moves collateral from the
 *       stake: {@code collateralBps} of the max fee, and for SAMPLED(q) at least maxFee/q. Stake cannot
 *       be withdrawn while collateral is held. Counters: served, failed, slashed.</li>
 *   <li>Oracle sets: anyone registers a set of Ed25519 keys with a threshold k (its id is the SHA-256
 *       of both). A request may carry an attestation: k valid signatures of the set's oracles over
 *       (chain id, set id, model id, SHA-256 of the input), else it is refused.</li>
 *   <li>Requests escrow the max fee. Reverse Dutch auction: the price rises linearly from
 *       {@code floorBps} of the max fee to the max fee over {@code rampMillis} from (re-)opening; the
 *       first lock wins at the block's price. The floor must cover the model's royalty.</li>
 *   <li>ZK: the result carries its proof; valid pays, invalid slashes. OPTIMISTIC(w): the result
 *       settles at w unless challenged (bond {@code challengeBondBps} of the max fee); the prover then
 *       owes a valid proof within {@code responseMillis}: valid pays the prover and gives it the bond;
 *       invalid or late slashes. SAMPLED(q, w): the block after the result's is sealed, then its hash
 *       draws; a drawn result owes a valid proof within w.</li>
 *   <li>Payment at the locked price p: royalty to the owner, {@code protocolFeeBps} of (p − royalty)
 *       to the treasury, the rest to the prover; max fee − p back to the client; collateral back to
 *       the stake.</li>
 *   <li>Slashing (invalid proof, no result by the lock's expiry, no proof when demanded) takes the
 *       whole collateral: {@code slashVictimBps} to the wronged party (the challenger if there is one,
 *       else the client), the rest to the treasury; a challenger's bond is returned. Each slash is
 *       recorded with its cause. The request re-opens, or is refunded if its deadline has passed.
 *       An open request past its deadline is refunded.</li>
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
 * <h2>Committed inputs</h2>
 * {@code SubmitCommittedRequest} names the input by one commitment root per input tensor of the
 * model ({@code TensorCommitments.root}, the root a verinfer-zkml proof with
 * {@code Visibility.COMMITTED} inputs states); the client hands the values to the prover off the
 * market. An attestation then signs the roots ({@code Signer.attestCommitted}, its own domain). A
 * proof settles such a request only if its statement commits the input with exactly these roots
 * (a proof on the public values does not). Any mode is allowed, but watchers and the bundled
 * {@code ProverWorker} serve public inputs only.
 *
 * <h2>Batch settlement</h2>
 * {@code SubmitBatchResult} settles 2..64 ZK requests with one batch proof
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
 *       while its deadline allows. A step refunded at its deadline (open, waiting, or slashed
 *       late) fails the workflow: verified steps are paid (their work is proven), a lock with time
 *       left is released without penalty, a lock that has run out is slashed as silent, and every
 *       other step is refunded. A step that names an output its predecessor's result lacks also
 *       fails the workflow when the predecessor verifies.</li>
 * </ul>
 * The committed intermediate values travel off the market (from a step's prover to the next
 * step's, through the client or directly); the market only sees and checks roots.
 *
 * {@link dev.verinfer.market.Invariants} states what holds after every transition, workflows
 * included (a step waits exactly while a predecessor has not verified, its input roots are its
 * predecessors' output roots, a settled workflow was paid in one block).
 */
package dev.verinfer.market;
