package dev.verinfer.ledger;

/**
 * What a state machine knows of time: the height and timestamp of the block being applied, the
 * hash of its parent (fixed before this block's transactions are known, unpredictable before the
 * parent was sealed) and the parent's timestamp (the gap between the two is time the ledger made
 * no block: a node that was down). State machines read no other clock.
 */
public record BlockContext(long height, long timeMillis, Hash parentHash, long parentTimeMillis) {
    public BlockContext {
        if (parentTimeMillis > timeMillis) {
            throw new IllegalArgumentException("a block's time " + timeMillis + " lies before its parent's " + parentTimeMillis);
        }
    }

    /** A block whose parent's time is not known (or that has none): no gap. */
    public BlockContext(long height, long timeMillis, Hash parentHash) {
        this(height, timeMillis, parentHash, timeMillis);
    }

    /** How long the ledger made no block before this one. */
    public long gapMillis() {
        return timeMillis - parentTimeMillis;
    }
}
