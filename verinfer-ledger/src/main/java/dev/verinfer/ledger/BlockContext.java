package dev.verinfer.ledger;

/**
 * What a state machine knows of time: the height and timestamp of the block being applied and the
 * hash of its parent (fixed before this block's transactions are known, unpredictable before the
 * parent was sealed). State machines read no other clock.
 */
public record BlockContext(long height, long timeMillis, Hash parentHash) {
}
