package dev.verinfer.ledger;

/**
 * The deterministic state a ledger maintains. The ledger calls, for every block in order,
 * {@link #beginBlock} once and then {@link #apply} for each transaction; given the same blocks, an
 * implementation must reach the same state and the same outcomes (the ledger checks the outcomes
 * when it replays its journal). Implementations read no wall clock, randomness or I/O.
 */
public interface StateMachine {
    /** Time-driven transitions (deadlines, expiries, draws) at the start of a block. */
    void beginBlock(BlockContext block);

    /** Validates and applies one transaction; a rejected transaction leaves no effect beyond what the implementation documents. */
    TxOutcome apply(BlockContext block, byte[] transaction);

    /** The whole state, for a snapshot. */
    byte[] snapshot();

    /** Replaces the state by a snapshot taken by {@link #snapshot()}. */
    void restore(byte[] snapshot);
}
