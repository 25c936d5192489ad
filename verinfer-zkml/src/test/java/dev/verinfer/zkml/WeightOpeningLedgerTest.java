package dev.verinfer.zkml;

import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weight opening count kept beside a zero-knowledge proving key ({@link WeightOpeningLedger}): keys loaded afresh from one
 * key file (as separate processes load it; their commitment objects each count from zero) share it, proving at once too; a
 * spent count refuses a fresh load's proof; a missing, corrupt or foreign count is refused, never read as zero.
 */
class WeightOpeningLedgerTest {
    private static final QuantGraph GRAPH = ZkMatMulProofTest.matmul(13);
    @TempDir Path dir;

    private static ProvingKey load(byte[] key) throws Exception {
        return ProvingKey.fromBytes(key);
    }

    private static void prove(ProvingKey pk, long seed) {
        VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ZkMatMulProofTest.run(GRAPH, seed)).bytes());
        assertTrue(r.valid(), r.reason());
    }

    @Test
    void loadsOfOneKeyShareTheCountUntilItIsSpent() throws Exception {
        ProvingKey setUp = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.CONJECTURED, 24);
        byte[] key = setUp.toBytes();
        Path file = dir.resolve("proving.key" + WeightOpeningLedger.SUFFIX);
        WeightOpeningLedger.Count start = WeightOpeningLedger.create(file, setUp).count();
        assertEquals(2, start.units(), "the bounds proof's two units");

        ProvingKey a = load(key), b = load(key);
        WeightOpeningLedger.open(file, a);
        WeightOpeningLedger.open(file, b);
        prove(a, 1);
        WeightOpeningLedger.Count first = WeightOpeningLedger.read(file, a.verifyingKey());
        int perProof = first.units() - start.units(), claimsPerProof = first.offFace() - start.offFace();
        assertTrue(perProof == 1 || perProof == 2, "a proof spends 1 or 2 units, not " + perProof);
        prove(b, 2);
        assertEquals(start.units() + 2 * perProof, WeightOpeningLedger.read(file, b.verifyingKey()).units(), "both loads' proofs counted");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = new ArrayList<>();
            for (ProvingKey k : List.of(a, b)) {
                both.add(pool.submit(() -> prove(k, 3)));
            }
            for (Future<?> f : both) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        WeightOpeningLedger.Count now = WeightOpeningLedger.read(file, a.verifyingKey());
        assertEquals(start.units() + 4 * perProof, now.units(), "two proofs at once, each counted");

        int left = Math.min((now.unitBudget() - now.units() - WeightRotations.UNITS) / perProof, // the last units are a rotation's
                claimsPerProof == 0 ? Integer.MAX_VALUE : (now.offFaceBudget() - now.offFace()) / claimsPerProof);
        ProvingKey fresh = load(key); // its commitment has opened nothing: only the file knows the budget is spent
        WeightOpeningLedger.open(file, fresh);
        for (int i = 0; i < left; i++) {
            prove(fresh, 10 + i);
        }
        ProvingKey another = load(key);
        WeightOpeningLedger.open(file, another);
        WeightBudgetSpentException spent = assertThrows(WeightBudgetSpentException.class, () -> prove(another, 99));
        assertTrue(spent.getMessage().contains("counted in " + file), spent.getMessage());
        assertEquals(now.units() + left * perProof, WeightOpeningLedger.read(file, a.verifyingKey()).units(), "the refused proof spent nothing");
    }

    @Test
    void aMissingCorruptOrForeignCountIsRefused() throws Exception {
        ProvingKey pk = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.CONJECTURED, 8);
        Path file = dir.resolve("proving.key" + WeightOpeningLedger.SUFFIX);
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> WeightOpeningLedger.open(file, pk));
        assertTrue(missing.getMessage().contains(file + " is missing") && missing.getMessage().contains("--reset-openings"), missing.getMessage());

        WeightOpeningLedger.create(file, pk);
        String kept = Files.readString(file);
        for (String edit : List.of(kept.replace("units 2 of", "units 0 of"), kept.substring(0, kept.length() / 2), "")) {
            Files.writeString(file, edit);
            IllegalStateException corrupt = assertThrows(IllegalStateException.class, () -> WeightOpeningLedger.read(file, pk.verifyingKey()));
            assertTrue(corrupt.getMessage().contains(file + " is corrupt"), corrupt.getMessage());
        }
        Files.writeString(file, kept);
        ProvingKey other = ZkMatMulProofTest.zkKey(ZkMatMulProofTest.matmul(14), PcsSecurity.CONJECTURED, 8);
        IllegalStateException foreign = assertThrows(IllegalStateException.class, () -> WeightOpeningLedger.open(file, other));
        assertTrue(foreign.getMessage().contains("counts another model"), foreign.getMessage());

        Files.writeString(file, kept.replace("units 2 of", "units 0 of"));
        assertEquals(2, WeightOpeningLedger.reset(file, pk).count().units(), "reset: counted again from the bounds proof");
        assertThrows(IllegalArgumentException.class, () -> WeightOpeningLedger.create(dir.resolve("plain.openings"), Setup.setup(GRAPH, PcsSecurity.CONJECTURED)),
                "a key without zero knowledge has no count");
    }
}
