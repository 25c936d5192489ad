/**
 * The ledger the market runs on: a {@link dev.verinfer.ledger.Ledger} of opaque signed
 * transactions grouped into hash-chained {@link dev.verinfer.ledger.Block}s, applied in order to a
 * deterministic {@link dev.verinfer.ledger.StateMachine} whose only clock is the block
 * ({@link dev.verinfer.ledger.BlockContext}: height, timestamp, parent hash).
 *
 * <h2>The embedded backend</h2>
 * {@link dev.verinfer.ledger.EmbeddedLedger} keeps one directory:
 * <ul>
 *   <li>{@code journal.log}: append-only records {@code magic | length | CRC32C | payload}, one per
 *       block, each forced to disk ({@code FileChannel.force}) before the block is acknowledged. The
 *       payload holds height, time, parent hash, block hash (SHA-256 over a domain tag, height, time,
 *       parent and the transactions' hashes), the transactions and their outcomes.</li>
 *   <li>{@code snapshot-<height>.bin}: the state machine's snapshot every N blocks, with its block
 *       hash and a SHA-256 trailer, written to a temporary file, forced and renamed atomically; the
 *       two newest are kept.</li>
 * </ul>
 * Opening scans the journal, checking every checksum, decoding, hash and parent link; restores the
 * newest intact snapshot that agrees with the chain; and replays the blocks after it, requiring
 * the recorded outcomes to come out again (so nondeterminism is caught, not silently forked).
 * A damaged last record — the process died inside the write, or the file ends in zeros — is cut
 * off; damage followed by intact records is not a crash artefact and opening fails with
 * {@link dev.verinfer.ledger.CorruptLedgerException}. A block is applied to the state before it is
 * written; if applying or writing fails the ledger stops (fail-stop) and is rebuilt from disk on reopen.
 */
package dev.verinfer.ledger;
