package dev.verinfer.market;

import java.util.ArrayList;
import java.util.List;

/** The binary encoding of transaction bodies: a tag, then the record's fields in order. */
final class TxCodec {
    /** Bound on decoded lists (oracle keys, signatures). */
    static final int MAX_LIST = 256;

    private TxCodec() {
    }

    static void write(Wire.Writer w, Tx tx) {
        switch (tx) {
            case Tx.Deposit(String account, long amount) -> w.i32(1).str(account).i64(amount);
            case Tx.Withdraw(long amount) -> w.i32(2).i64(amount);
            case Tx.RegisterModel(byte[] key, long royalty) -> w.i32(3).bytes(key).i64(royalty);
            case Tx.DeprecateModel(String modelId) -> w.i32(4).str(modelId);
            case Tx.RegisterProver(long stake) -> w.i32(5).i64(stake);
            case Tx.AddStake(long amount) -> w.i32(6).i64(amount);
            case Tx.WithdrawStake(long amount) -> w.i32(7).i64(amount);
            case Tx.SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode, Tx.Attestation attestation) -> {
                w.i32(8).str(modelId).bytes(input).i64(maxFee).i64(deadline);
                writeMode(w, mode);
                w.str(attestation.oracleSet());
                writeList(w, attestation.signatures());
            }
            case Tx.LockRequest(long id) -> w.i32(9).i64(id);
            case Tx.SubmitResult(long id, byte[] output, byte[] proof) -> w.i32(10).i64(id).bytes(output).bytes(proof);
            case Tx.Challenge(long id) -> w.i32(11).i64(id);
            case Tx.SubmitProof(long id, byte[] proof) -> w.i32(12).i64(id).bytes(proof);
            case Tx.RegisterOracleSet(int threshold, List<byte[]> keys) -> {
                w.i32(13).i32(threshold);
                writeList(w, keys);
            }
        }
    }

    static Tx read(Wire.Reader r) throws Wire.MalformedException {
        int tag = r.i32();
        try {
            return switch (tag) {
                case 1 -> new Tx.Deposit(r.str(), r.i64());
                case 2 -> new Tx.Withdraw(r.i64());
                case 3 -> new Tx.RegisterModel(r.bytes(), r.i64());
                case 4 -> new Tx.DeprecateModel(r.str());
                case 5 -> new Tx.RegisterProver(r.i64());
                case 6 -> new Tx.AddStake(r.i64());
                case 7 -> new Tx.WithdrawStake(r.i64());
                case 8 -> new Tx.SubmitRequest(r.str(), r.bytes(), r.i64(), r.i64(), readMode(r), new Tx.Attestation(r.str(), readList(r)));
                case 9 -> new Tx.LockRequest(r.i64());
                case 10 -> new Tx.SubmitResult(r.i64(), r.bytes(), r.bytes());
                case 11 -> new Tx.Challenge(r.i64());
                case 12 -> new Tx.SubmitProof(r.i64(), r.bytes());
                case 13 -> new Tx.RegisterOracleSet(r.i32(), readList(r));
                default -> throw new Wire.MalformedException("unknown transaction tag " + tag);
            };
        } catch (IllegalArgumentException e) {
            throw new Wire.MalformedException(e.getMessage());
        }
    }

    static void writeList(Wire.Writer w, List<byte[]> items) {
        w.i32(items.size());
        items.forEach(w::bytes);
    }

    static List<byte[]> readList(Wire.Reader r) throws Wire.MalformedException {
        int n = r.i32();
        if (n < 0 || n > MAX_LIST) {
            throw new Wire.MalformedException("list of " + n + " items (at most " + MAX_LIST + ")");
        }
        List<byte[]> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(r.bytes());
        }
        return items;
    }

    static void writeMode(Wire.Writer w, Mode mode) {
        switch (mode) {
            case Mode.Zk() -> w.i32(1);
            case Mode.Optimistic(long window) -> w.i32(2).i64(window);
            case Mode.Sampled(int bps, long window) -> w.i32(3).i32(bps).i64(window);
        }
    }

    static Mode readMode(Wire.Reader r) throws Wire.MalformedException {
        int tag = r.i32();
        return switch (tag) {
            case 1 -> new Mode.Zk();
            case 2 -> new Mode.Optimistic(r.i64());
            case 3 -> new Mode.Sampled(r.i32(), r.i64());
            default -> throw new Wire.MalformedException("unknown verification mode " + tag);
        };
    }
}
