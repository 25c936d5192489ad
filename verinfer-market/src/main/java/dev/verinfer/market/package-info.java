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
 * {@link dev.verinfer.market.Invariants} states what holds after every transition.
 */
package dev.verinfer.market;
