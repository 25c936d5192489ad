package dev.verinfer.market;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of transaction bodies: a tag, then the record's fields in order ({@link Wire}:
 * big-endian i32/i64, length-prefixed bytes and strings; a list is an i32 count then its items).
 * Tags 1..13 are the original kinds. 14 SubmitCommittedRequest: model, roots, maxFee, deadline,
 * mode, oracle set, signatures. 15 SubmitCommittedResult: request, roots, proof. 16
 * SubmitBatchResult: i32 count and i64 request ids, outputs, proof. 17 SubmitWorkflow: i32 count of
 * steps, each model, maxFee, deadline, mode, then input tag 1 (public bytes) or 2 (i32 count of
 * tensors, each tag 1 and root bytes, or tag 2, i32 step, i32 output tensor), oracle set, signatures.
 * SubmitRequest (8) ends with the sampling commitment's bytes (empty for none). 18 RevealSample:
 * request, secret. 19 CancelRequest: request. 20 ClaimUnprovable: request, values. 21
 * WithdrawTreasury: amount. 22 LockRequests: i32 count and i64 request ids. 23 RotateWeights: model, from root,
 * next root, link proof.
 */
final class TxCodec {
    /** Bound on decoded lists (oracle keys, signatures, roots, batch members, workflow steps). */
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
            case Tx.SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode, Tx.Attestation attestation, byte[] commitment) -> {
                w.i32(8).str(modelId).bytes(input).i64(maxFee).i64(deadline);
                writeMode(w, mode);
                w.str(attestation.oracleSet());
                writeList(w, attestation.signatures());
                w.bytes(commitment);
            }
            case Tx.LockRequest(long id) -> w.i32(9).i64(id);
            case Tx.LockRequests(List<Long> ids) -> {
                w.i32(22).i32(ids.size());
                ids.forEach(w::i64);
            }
            case Tx.SubmitResult(long id, byte[] output, byte[] proof) -> w.i32(10).i64(id).bytes(output).bytes(proof);
            case Tx.Challenge(long id) -> w.i32(11).i64(id);
            case Tx.SubmitProof(long id, byte[] proof) -> w.i32(12).i64(id).bytes(proof);
            case Tx.RegisterOracleSet(int threshold, List<byte[]> keys) -> {
                w.i32(13).i32(threshold);
                writeList(w, keys);
            }
            case Tx.SubmitCommittedRequest(String modelId, List<byte[]> roots, long maxFee, long deadline, Mode mode, Tx.Attestation attestation) -> {
                w.i32(14).str(modelId);
                writeList(w, roots);
                w.i64(maxFee).i64(deadline);
                writeMode(w, mode);
                w.str(attestation.oracleSet());
                writeList(w, attestation.signatures());
            }
            case Tx.SubmitCommittedResult(long id, List<byte[]> roots, byte[] proof) -> {
                w.i32(15).i64(id);
                writeList(w, roots);
                w.bytes(proof);
            }
            case Tx.SubmitBatchResult(List<Long> ids, List<byte[]> outputs, byte[] proof) -> {
                w.i32(16).i32(ids.size());
                ids.forEach(w::i64);
                writeList(w, outputs);
                w.bytes(proof);
            }
            case Tx.SubmitWorkflow(List<Tx.Step> steps) -> {
                w.i32(17).i32(steps.size());
                steps.forEach(step -> writeStep(w, step));
            }
            case Tx.RevealSample(long id, byte[] secret) -> w.i32(18).i64(id).bytes(secret);
            case Tx.CancelRequest(long id) -> w.i32(19).i64(id);
            case Tx.ClaimUnprovable(long id, byte[] values) -> w.i32(20).i64(id).bytes(values);
            case Tx.WithdrawTreasury(long amount) -> w.i32(21).i64(amount);
            case Tx.RotateWeights(String modelId, byte[] from, byte[] next, byte[] proof) -> w.i32(23).str(modelId).bytes(from).bytes(next).bytes(proof);
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
                case 8 -> new Tx.SubmitRequest(r.str(), r.bytes(), r.i64(), r.i64(), readMode(r), new Tx.Attestation(r.str(), readList(r)), r.bytes());
                case 9 -> new Tx.LockRequest(r.i64());
                case 10 -> new Tx.SubmitResult(r.i64(), r.bytes(), r.bytes());
                case 11 -> new Tx.Challenge(r.i64());
                case 12 -> new Tx.SubmitProof(r.i64(), r.bytes());
                case 13 -> new Tx.RegisterOracleSet(r.i32(), readList(r));
                case 14 -> new Tx.SubmitCommittedRequest(r.str(), readList(r), r.i64(), r.i64(), readMode(r), new Tx.Attestation(r.str(), readList(r)));
                case 15 -> new Tx.SubmitCommittedResult(r.i64(), readList(r), r.bytes());
                case 16 -> new Tx.SubmitBatchResult(readIds(r), readList(r), r.bytes());
                case 17 -> new Tx.SubmitWorkflow(readSteps(r));
                case 18 -> new Tx.RevealSample(r.i64(), r.bytes());
                case 19 -> new Tx.CancelRequest(r.i64());
                case 20 -> new Tx.ClaimUnprovable(r.i64(), r.bytes());
                case 21 -> new Tx.WithdrawTreasury(r.i64());
                case 22 -> new Tx.LockRequests(readIds(r));
                case 23 -> new Tx.RotateWeights(r.str(), r.bytes(), r.bytes(), r.bytes());
                default -> throw new Wire.MalformedException("unknown transaction tag " + tag);
            };
        } catch (IllegalArgumentException e) {
            throw new Wire.MalformedException(e.getMessage());
        }
    }

    private static int count(Wire.Reader r) throws Wire.MalformedException {
        int n = r.i32();
        if (n < 0 || n > MAX_LIST) {
            throw new Wire.MalformedException("list of " + n + " items (at most " + MAX_LIST + ")");
        }
        return n;
    }

    private static List<Long> readIds(Wire.Reader r) throws Wire.MalformedException {
        int n = count(r);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(r.i64());
        }
        return ids;
    }

    private static void writeStep(Wire.Writer w, Tx.Step step) {
        w.str(step.modelId()).i64(step.maxFee()).i64(step.deadline());
        writeMode(w, step.mode());
        switch (step.input()) {
            case Tx.StepInput.Public(byte[] input) -> w.i32(1).bytes(input);
            case Tx.StepInput.Committed(List<Tx.TensorRef> tensors) -> {
                w.i32(2);
                writeRefs(w, tensors);
            }
        }
        w.str(step.attestation().oracleSet());
        writeList(w, step.attestation().signatures());
    }

    private static List<Tx.Step> readSteps(Wire.Reader r) throws Wire.MalformedException {
        int n = count(r);
        List<Tx.Step> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String model = r.str();
            long maxFee = r.i64();
            long deadline = r.i64();
            Mode mode = readMode(r);
            int tag = r.i32();
            Tx.StepInput input = switch (tag) {
                case 1 -> new Tx.StepInput.Public(r.bytes());
                case 2 -> new Tx.StepInput.Committed(readRefs(r));
                default -> throw new Wire.MalformedException("unknown step input " + tag);
            };
            steps.add(new Tx.Step(model, maxFee, deadline, mode, input, new Tx.Attestation(r.str(), readList(r))));
        }
        return steps;
    }

    static void writeRefs(Wire.Writer w, List<Tx.TensorRef> refs) {
        w.i32(refs.size());
        for (Tx.TensorRef ref : refs) {
            switch (ref) {
                case Tx.TensorRef.Root(byte[] root) -> w.i32(1).bytes(root);
                case Tx.TensorRef.Output(int step, int tensor) -> w.i32(2).i32(step).i32(tensor);
            }
        }
    }

    static List<Tx.TensorRef> readRefs(Wire.Reader r) throws Wire.MalformedException {
        int n = count(r);
        List<Tx.TensorRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int tag = r.i32();
            refs.add(switch (tag) {
                case 1 -> new Tx.TensorRef.Root(r.bytes());
                case 2 -> new Tx.TensorRef.Output(r.i32(), r.i32());
                default -> throw new Wire.MalformedException("unknown tensor reference " + tag);
            });
        }
        return refs;
    }

    static void writeList(Wire.Writer w, List<byte[]> items) {
        w.i32(items.size());
        items.forEach(w::bytes);
    }

    static List<byte[]> readList(Wire.Reader r) throws Wire.MalformedException {
        int n = count(r);
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
