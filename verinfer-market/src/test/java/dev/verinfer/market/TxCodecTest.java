package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transaction kinds of committed inputs, batches and workflows survive the signed encoding field for field. */
class TxCodecTest {
    private final Signer signer = Signer.generate(MarketDriver.CHAIN);

    private Tx roundTrip(Tx body) throws Wire.MalformedException {
        SignedTx signed = signer.sign(7, body);
        SignedTx decoded = SignedTx.fromBytes(signed.toBytes());
        assertArrayEquals(signed.toBytes(), decoded.toBytes());
        assertTrue(decoded.signatureValid(MarketDriver.CHAIN));
        return decoded.body();
    }

    @Test
    void newKindsRoundTrip() throws Exception {
        byte[] r1 = {1, 2};
        byte[] r2 = {3};
        Tx.SubmitCommittedRequest request = (Tx.SubmitCommittedRequest) roundTrip(new Tx.SubmitCommittedRequest("m", List.of(r1, r2), 5, 6,
                new Mode.Sampled(10, 20), new Tx.Attestation("set", List.of(r2, new byte[0]))));
        assertEquals(List.of("m", 5L, 6L, new Mode.Sampled(10, 20), "set"),
                List.of(request.modelId(), request.maxFee(), request.deadline(), request.mode(), request.attestation().oracleSet()));
        assertArrayEquals(r2, request.inputRoots().get(1));
        assertEquals(0, request.attestation().signatures().get(1).length);

        Tx.SubmitCommittedResult result = (Tx.SubmitCommittedResult) roundTrip(new Tx.SubmitCommittedResult(9, List.of(r1), r2));
        assertEquals(9, result.requestId());
        assertArrayEquals(r1, result.outputRoots().getFirst());
        assertArrayEquals(r2, result.proof());

        Tx.SubmitBatchResult batch = (Tx.SubmitBatchResult) roundTrip(new Tx.SubmitBatchResult(List.of(4L, 8L), List.of(r1, r2), r1));
        assertEquals(List.of(4L, 8L), batch.requestIds());
        assertArrayEquals(r2, batch.outputs().get(1));

        Tx.SubmitWorkflow workflow = (Tx.SubmitWorkflow) roundTrip(new Tx.SubmitWorkflow(List.of(
                new Tx.Step("a", 10, 11, new Mode.Zk(), new Tx.StepInput.Public(r1)),
                new Tx.Step("b", 12, 13, new Mode.Optimistic(14), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(r2), new Tx.TensorRef.Output(0, 3))),
                        new Tx.Attestation("set", List.of(r1))))));
        Tx.Step first = workflow.steps().get(0);
        Tx.Step second = workflow.steps().get(1);
        assertEquals(List.of("a", 10L, 11L, new Mode.Zk()), List.of(first.modelId(), first.maxFee(), first.deadline(), first.mode()));
        assertArrayEquals(r1, ((Tx.StepInput.Public) first.input()).input());
        assertEquals(List.of("b", 12L, 13L, new Mode.Optimistic(14)), List.of(second.modelId(), second.maxFee(), second.deadline(), second.mode()));
        List<Tx.TensorRef> refs = ((Tx.StepInput.Committed) second.input()).tensors();
        assertArrayEquals(r2, ((Tx.TensorRef.Root) refs.get(0)).root());
        assertEquals(new Tx.TensorRef.Output(0, 3), refs.get(1));
        assertEquals("", first.attestation().oracleSet());
        assertEquals("set", second.attestation().oracleSet());
        assertArrayEquals(r1, second.attestation().signatures().getFirst());

        Tx.RotateWeights rotation = (Tx.RotateWeights) roundTrip(new Tx.RotateWeights("m@o", r1, r2, new byte[] {5, 6, 7}));
        assertEquals("m@o", rotation.modelId());
        assertArrayEquals(r1, rotation.fromRoot());
        assertArrayEquals(r2, rotation.nextRoot());
        assertArrayEquals(new byte[] {5, 6, 7}, rotation.proof());
    }

    @Test
    void malformedNewKindsAreRefusedWithTheReason() {
        Wire.Writer w = new Wire.Writer().i32(17).i32(1).str("a").i64(1).i64(2).i32(1).i32(3).str("").i32(0);
        Wire.MalformedException e = org.junit.jupiter.api.Assertions.assertThrows(Wire.MalformedException.class, () -> TxCodec.read(new Wire.Reader(w.toBytes())));
        assertEquals("unknown step input 3", e.getMessage());
        Wire.Writer refs = new Wire.Writer().i32(16).i32(TxCodec.MAX_LIST + 1);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(Wire.MalformedException.class, () -> TxCodec.read(new Wire.Reader(refs.toBytes())))
                .getMessage().startsWith("list of 257 items"));
    }
}
