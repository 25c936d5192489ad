package dev.verinfer.market;

import java.util.ArrayList;
import java.util.List;

/** The snapshot encoding of the whole {@link MarketState}. */
final class StateCodec {
    private static final int VERSION = 4;
    /** Snapshots written before weight rotations: read as listings never rotated (written as {@link #VERSION}). */
    private static final int VERSION_WITHOUT_ROTATIONS = 3;

    private StateCodec() {
    }

    static byte[] encode(MarketState s) {
        Wire.Writer w = new Wire.Writer().i32(VERSION).i64(s.treasury).i64(s.deposited).i64(s.withdrawn).i64(s.nextRequestId).i64(s.nextWorkflowId);
        w.i32(s.accounts.size());
        s.accounts.forEach((id, a) -> w.str(id).i64(a.balance()).i64(a.nonce()));
        w.i32(s.models.size());
        s.models.values().forEach(m -> w.str(m.id()).str(m.owner()).bytes(m.verifyingKey()).i64(m.royalty()).bool(m.deprecated()).bytes(m.weightRotations()));
        w.i32(s.provers.size());
        s.provers.forEach((id, p) -> w.str(id).i64(p.stake()).i64(p.collateral()).i64(p.served()).i64(p.failed()).i64(p.slashed()));
        w.i32(s.oracleSets.size());
        s.oracleSets.values().forEach(o -> {
            w.str(o.id()).str(o.owner()).i32(o.threshold());
            TxCodec.writeList(w, o.publicKeys());
        });
        w.i32(s.requests.size());
        s.requests.values().forEach(r -> writeRequest(w, r));
        w.i32(s.workflows.size());
        s.workflows.values().forEach(f -> {
            w.i64(f.id()).str(f.client()).i64(f.firstRequest()).i32(f.status().ordinal()).i32(f.size());
            f.inputs().forEach(refs -> TxCodec.writeRefs(w, refs));
        });
        w.i32(s.payments.size());
        s.payments.forEach(p -> w.i64(p.requestId()).str(p.prover()).i64(p.price()).i64(p.royalty()).i64(p.protocolFee()).i64(p.height()));
        w.i32(s.slashes.size());
        s.slashes.forEach(x -> w.i64(x.requestId()).str(x.prover()).i64(x.amount()).str(x.victim()).i64(x.toVictim()).str(x.challenger())
                .i64(x.toChallenger()).str(x.cause()).i64(x.height()));
        w.i32(s.samples.size());
        s.samples.forEach((id, x) -> w.i64(id).bytes(x.commitment()).bytes(x.seed()));
        return w.toBytes();
    }

    static void writeRequest(Wire.Writer w, Request r) {
        w.i64(r.id()).str(r.client()).str(r.modelId()).bytes(r.input()).i64(r.maxFee()).i64(r.deadline());
        TxCodec.writeMode(w, r.mode());
        w.i32(r.status().ordinal()).i64(r.openedAt());
        w.bool(r.lock() != null);
        if (r.lock() != null) {
            w.str(r.lock().prover()).i64(r.lock().price()).i64(r.lock().collateral()).i64(r.lock().expiresAt());
        }
        w.bool(r.result() != null);
        if (r.result() != null) {
            w.bytes(r.result().output());
            TxCodec.writeList(w, r.result().outputRoots());
            w.i64(r.result().postedAt()).i64(r.result().postedHeight());
        }
        w.bool(r.dispute() != null);
        if (r.dispute() != null) {
            w.str(r.dispute().challenger()).i64(r.dispute().bond()).i64(r.dispute().respondBy());
        }
        TxCodec.writeList(w, r.inputRoots());
        w.bool(r.outputCommitted()).i64(r.workflowId());
    }

    static MarketState decode(byte[] bytes) {
        try {
            Wire.Reader r = new Wire.Reader(bytes);
            int version = r.i32();
            if (version != VERSION && version != VERSION_WITHOUT_ROTATIONS) {
                throw new IllegalArgumentException("market snapshot version " + version + ", expected " + VERSION);
            }
            MarketState s = new MarketState();
            s.treasury = r.i64();
            s.deposited = r.i64();
            s.withdrawn = r.i64();
            s.nextRequestId = r.i64();
            s.nextWorkflowId = r.i64();
            for (int i = r.i32(); i > 0; i--) {
                s.accounts.put(r.str(), new Account(r.i64(), r.i64()));
            }
            for (int i = r.i32(); i > 0; i--) {
                Model m = new Model(r.str(), r.str(), r.bytes(), r.i64(), r.bool(),
                        version == VERSION_WITHOUT_ROTATIONS ? new byte[0] : r.bytes());
                s.models.put(m.id(), m);
            }
            for (int i = r.i32(); i > 0; i--) {
                s.provers.put(r.str(), new Prover(r.i64(), r.i64(), r.i64(), r.i64(), r.i64()));
            }
            for (int i = r.i32(); i > 0; i--) {
                OracleSet o = new OracleSet(r.str(), r.str(), r.i32(), TxCodec.readList(r));
                s.oracleSets.put(o.id(), o);
            }
            for (int i = r.i32(); i > 0; i--) {
                Request q = readRequest(r);
                s.requests.put(q.id(), q);
            }
            for (int i = r.i32(); i > 0; i--) {
                Workflow f = readWorkflow(r);
                s.workflows.put(f.id(), f);
            }
            for (int i = r.i32(); i > 0; i--) {
                s.payments.add(new Payment(r.i64(), r.str(), r.i64(), r.i64(), r.i64(), r.i64()));
            }
            for (int i = r.i32(); i > 0; i--) {
                s.slashes.add(new Slash(r.i64(), r.str(), r.i64(), r.str(), r.i64(), r.str(), r.i64(), r.str(), r.i64()));
            }
            for (int i = r.i32(); i > 0; i--) {
                s.samples.put(r.i64(), new Sample(r.bytes(), r.bytes()));
            }
            r.end();
            return s;
        } catch (Wire.MalformedException e) {
            throw new IllegalArgumentException("malformed market snapshot: " + e.getMessage());
        }
    }

    static Request readRequest(Wire.Reader r) throws Wire.MalformedException {
        long id = r.i64();
        String client = r.str();
        String model = r.str();
        byte[] input = r.bytes();
        long maxFee = r.i64();
        long deadline = r.i64();
        Mode mode = TxCodec.readMode(r);
        Request.Status status = ordinal(Request.Status.values(), r.i32(), "request status");
        long openedAt = r.i64();
        Request.Lock lock = r.bool() ? new Request.Lock(r.str(), r.i64(), r.i64(), r.i64()) : null;
        Request.Result result = r.bool() ? new Request.Result(r.bytes(), TxCodec.readList(r), r.i64(), r.i64()) : null;
        Request.Dispute dispute = r.bool() ? new Request.Dispute(r.str(), r.i64(), r.i64()) : null;
        return new Request(id, client, model, input, maxFee, deadline, mode, status, openedAt, lock, result, dispute,
                TxCodec.readList(r), r.bool(), r.i64());
    }

    private static Workflow readWorkflow(Wire.Reader r) throws Wire.MalformedException {
        long id = r.i64();
        String client = r.str();
        long first = r.i64();
        Workflow.Status status = ordinal(Workflow.Status.values(), r.i32(), "workflow status");
        List<List<Tx.TensorRef>> inputs = new ArrayList<>();
        for (int i = r.i32(); i > 0; i--) {
            inputs.add(TxCodec.readRefs(r));
        }
        return new Workflow(id, client, first, inputs, status);
    }

    private static <E> E ordinal(E[] values, int ordinal, String what) throws Wire.MalformedException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new Wire.MalformedException(what + " " + ordinal);
        }
        return values[ordinal];
    }
}
