package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Function tables committed with the weights ({@link TableCommitment}, proven-evm keys without zero knowledge): the key places its
 * sigmoid table in the weight polynomial's free tail and proves and verifies with the table's claim opened with the weights; a
 * model owner who commits one wrong table entry, or fills a slot around the table, is refused when the key is loaded (the bounds
 * proof's zero-check pins those slots); a prover whose look-up argument reads another table than the committed one is rejected
 * by the weights' opening, the one check left on the table's values.
 */
class TableCommitmentTest {
    /** sigmoid(q / 2^7)·2^8 over q ∈ [−2^11, 2^11). */
    private static final LookupTable SIGMOID = LookupTable.build("sigmoid", 7, 8, 9, -(1L << 11), 1 << 12);
    private static final QuantGraph GRAPH = graph();
    private static final ProvingKey KEY = Setup.setup(GRAPH, PcsSecurity.PROVEN_EVM);

    /** x[1, 64] → MatMul(x, w[64, 128]) + b[128] → Rescale by 2 → sigmoid table → output: 2^13 + 2^7 weight slots of 2^14. */
    private static QuantGraph graph() {
        TestGraphs b = new TestGraphs(11);
        int x = b.input("x", 4, 5, 1, 64);
        int w = b.weight("w", 4, 3, 64, 128);
        int bias = b.weight("b", 8, 100, 128);
        int z = b.node("z", new QOp.MatMul(x, w, bias), 8, 16, 1, 128);
        int q = b.node("q", new QOp.Rescale(z, 1), 7, 11, 1, 128);
        b.output(b.node("y", new QOp.Lookup(q, SIGMOID), 8, 10, 1, 128));
        return b.build();
    }

    private static Map<Integer, long[]> inputs(ProvingKey key) {
        return Map.of(key.graph().inputs().getFirst(), LongStream.range(0, 64).map(i -> (i * 7) % 31 - 15).toArray());
    }

    private static TableCommitment.Entry entry(ProvingKey key) {
        assertEquals(1, key.verifyingKey().tableCommitment().entries().size(), "the sigmoid table is committed");
        return key.verifyingKey().tableCommitment().entries().getFirst();
    }

    @Test
    void aProvenEvmKeyCommitsItsFunctionTableInTheWeightsTailAndItsProofsVerify() throws MalformedProofException {
        TableCommitment.Entry e = entry(KEY);
        ProofPlan plan = KEY.plan();
        assertEquals(14, plan.weightPacking.numVars(), "the arity the weights alone need");
        assertTrue(e.block() << e.vars() >= (1L << 13) + (1L << 7), "after the weight pieces");
        ProofPlan.Table table = plan.tables.stream().filter(t -> !t.isRange()).findFirst().orElseThrow();
        assertSame(e, KEY.verifyingKey().tableCommitment().entry(table));
        VerifyingKey loaded = VerifyingKey.fromBytes(KEY.verifyingKey().toBytes()); // the bounds proof, with the tables' term, verifies
        Proof p = AdversarialProver.prove(KEY, AdversarialProver.trace(KEY, inputs(KEY), AdversarialProver.Rewrite.NONE), Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(loaded, p.bytes()).valid(), Verifier.verify(loaded, p.bytes()).reason());
        // A batch's plan looks up its own tables: an equal one is the committed one, any other the verifier evaluates.
        ProvingKey batch = KEY.batched(4);
        Map<Integer, long[]> four = Map.of(batch.graph().inputs().getFirst(), LongStream.range(0, 4 * 64).map(i -> (i * 5) % 29 - 14).toArray());
        Proof b = AdversarialProver.prove(batch, AdversarialProver.trace(batch, four, AdversarialProver.Rewrite.NONE), Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(loaded, b.bytes()).valid(), Verifier.verify(loaded, b.bytes()).reason());
        System.out.println("batch of 4: function tables " + batch.plan().tables.stream().filter(t -> !t.isRange())
                .map(t -> t.function().inMin() + "+2^" + t.numVars() + (loaded.tableCommitment().entry(t) != null ? " committed" : " evaluated")).toList());
        for (PcsSecurity other : new PcsSecurity[] {PcsSecurity.PROVEN, PcsSecurity.CONJECTURED}) {
            assertTrue(Setup.setup(GRAPH, other).verifyingKey().tableCommitment().isEmpty(), other + " keys commit no table (their proofs are unchanged)");
        }
        assertTrue(Setup.setup(GRAPH, PcsSecurity.PROVEN_EVM, true).verifyingKey().tableCommitment().isEmpty(), "nor do zero-knowledge keys");
    }

    @Test
    void aKeyWhoseWeightsLeaveNoRoomCommitsNoTableAndProvesAsBefore() throws MalformedProofException {
        TestGraphs b = new TestGraphs(12);
        int x = b.input("x", 4, 5, 1, 64);
        int w = b.weight("w", 4, 3, 64, 64); // 2^12 slots, all used: the table would raise the arity
        int z = b.node("z", new QOp.MatMul(x, w, -1), 8, 16, 1, 64);
        int q = b.node("q", new QOp.Rescale(z, 1), 7, 11, 1, 64);
        b.output(b.node("y", new QOp.Lookup(q, SIGMOID), 8, 10, 1, 64));
        ProvingKey key = Setup.setup(b.build(), PcsSecurity.PROVEN_EVM);
        assertTrue(key.verifyingKey().tableCommitment().isEmpty());
        assertEquals(12, key.plan().weightPacking.numVars());
        VerifyingKey loaded = VerifyingKey.fromBytes(key.verifyingKey().toBytes());
        Proof p = AdversarialProver.prove(key, AdversarialProver.trace(key, inputs(key), AdversarialProver.Rewrite.NONE), Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(loaded, p.bytes()).valid());
    }

    @Test
    void anOwnerWhoCommitsAWrongTableEntryOrFillsASlotBesideTheTableIsRefusedAtLoad() {
        TableCommitment.Entry e = entry(KEY);
        int first = (int) (e.block() << e.vars());
        int size = 1 << e.vars();
        long honest = Goldilocks.fromSigned(e.table().values()[size / 2]);
        assertRefused(packed -> set(packed, first + size / 2, Goldilocks.add(honest, 1)), "one table entry off by one");
        assertRefused(packed -> set(packed, first, Goldilocks.fromSigned(-1)), "the table's first entry");
        assertRefused(packed -> set(packed, first - 1, 5), "the slot before the table (the packing's gap)");
        if (first + size < packed(KEY).length) {
            assertRefused(packed -> set(packed, first + size, 5), "the slot after the table");
        }
        assertRefused(packed -> set(packed, packed.length - 1, 7), "the polynomial's last slot");
    }

    private static long[] packed(ProvingKey key) {
        return key.packedWeights();
    }

    private static long[] set(long[] packed, int slot, long value) {
        long[] out = packed.clone();
        out[slot] = value;
        return out;
    }

    private static void assertRefused(UnaryOperator<long[]> owner, String what) {
        ProvingKey cheat = Setup.setup(GRAPH, PcsSecurity.PROVEN_EVM, owner);
        MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(cheat.verifyingKey().toBytes()), what + ": accepted");
        assertTrue(e.getMessage().contains("weight bounds"), what + ": " + e.getMessage());
    }

    @Test
    void aProverWhoseLookUpsReadAnotherTableThanTheCommittedOneIsRejected() {
        TableCommitment.Entry e = entry(KEY);
        int k = KEY.plan().tables.indexOf(KEY.plan().tables.stream().filter(t -> !t.isRange()).findFirst().orElseThrow());
        long[][] trace = AdversarialProver.trace(KEY, inputs(KEY), AdversarialProver.Rewrite.NONE);
        // The table's last entry is looked up by no input here (|q| < 2^10), so the look-up argument balances with it changed:
        // only the table's claim on the weights, opened with them, can tell the two tables apart.
        int last = (1 << e.vars()) - 1;
        ProverChannel.Tamper otherTable = new ProverChannel.Tamper() {
            @Override
            public dev.verinfer.field.Ext2 message(int sequence, String label, dev.verinfer.field.Ext2 value) {
                return value;
            }

            @Override
            public void table(int table, long[] values) {
                if (table == k) {
                    values[last] = Goldilocks.add(values[last], 1);
                }
            }
        };
        Proof honest = AdversarialProver.prove(KEY, trace, Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(KEY.verifyingKey(), honest.bytes()).valid());
        VerificationResult r = Verifier.verify(KEY.verifyingKey(), AdversarialProver.prove(KEY, trace, Visibility.PUBLIC, Visibility.PUBLIC, otherTable).bytes());
        assertFalse(r.valid(), "a look-up argument over another table is accepted");
        assertTrue(r.reason().contains("commitment opening") || r.reason().contains("claim batching"), r.reason());
    }
}
