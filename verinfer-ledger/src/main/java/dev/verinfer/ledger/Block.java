package dev.verinfer.ledger;

import java.util.List;

/**
 * A sealed block: its place in the hash chain, its transactions (opaque bytes, in order) and what
 * the state machine made of each. The hash covers height, time, parent and the transactions; the
 * outcomes follow from them deterministically and are checked again when the ledger replays.
 */
public record Block(long height, long timeMillis, Hash parentHash, Hash hash, List<byte[]> transactions, List<TxOutcome> outcomes) {
    public Block {
        transactions = transactions.stream().map(byte[]::clone).toList();
        outcomes = List.copyOf(outcomes);
        if (transactions.size() != outcomes.size()) {
            throw new IllegalArgumentException(transactions.size() + " transactions but " + outcomes.size() + " outcomes");
        }
    }

    /** The context this block was applied in, its parent having been sealed at {@code parentTimeMillis} ({@link Long#MIN_VALUE} for the first block). */
    public BlockContext context(long parentTimeMillis) {
        return new BlockContext(height, timeMillis, parentHash, parentTimeMillis == Long.MIN_VALUE ? timeMillis : parentTimeMillis);
    }

    @Override
    public List<byte[]> transactions() {
        return transactions.stream().map(byte[]::clone).toList();
    }
}
