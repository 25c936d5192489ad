package dev.verinfer.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A small state machine for ledger tests: transfers between a few accounts, whose total never changes. */
final class TransferMachine implements StateMachine {
    static final int ACCOUNTS = 8;
    static final long INITIAL = 1_000;

    private final long[] balances = new long[ACCOUNTS];
    private long accepted;
    private long blocks;

    TransferMachine() {
        Arrays.fill(balances, INITIAL);
    }

    /** A transfer, padded with {@code padding} bytes so that blocks take a while to write. */
    static byte[] transfer(int from, int to, long amount, int padding) {
        byte[] text = (from + ":" + to + ":" + amount + ":").getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(text, text.length + padding);
    }

    @Override
    public void beginBlock(BlockContext block) {
        blocks++;
    }

    @Override
    public TxOutcome apply(BlockContext block, byte[] tx) {
        Hash h = Hash.of(tx);
        String[] f = new String(tx, StandardCharsets.US_ASCII).split(":");
        int from = Integer.parseInt(f[0]);
        int to = Integer.parseInt(f[1]);
        long amount = Long.parseLong(f[2]);
        if (balances[from] < amount) {
            return TxOutcome.rejected(h, "account " + from + " holds " + balances[from] + " < " + amount);
        }
        balances[from] -= amount;
        balances[to] += amount;
        accepted++;
        return TxOutcome.accepted(h);
    }

    long total() {
        return Arrays.stream(balances).sum();
    }

    long accepted() {
        return accepted;
    }

    long blocks() {
        return blocks;
    }

    @Override
    public byte[] snapshot() {
        ByteBuffer b = ByteBuffer.allocate(8 * (ACCOUNTS + 2));
        for (long x : balances) {
            b.putLong(x);
        }
        return b.putLong(accepted).putLong(blocks).array();
    }

    @Override
    public void restore(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        for (int i = 0; i < ACCOUNTS; i++) {
            balances[i] = b.getLong();
        }
        accepted = b.getLong();
        blocks = b.getLong();
    }
}
