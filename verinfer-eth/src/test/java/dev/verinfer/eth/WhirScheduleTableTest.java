package dev.verinfer.eth;

import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirSchedule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WhirVerifier.sol carries the WHIR schedules as a constant (the Java parameters derive them with
 * floating point, which the EVM has not): this test re-derives the table from WhirParameters.PROVEN_UNIQUE,
 * CONJECTURED, PROVEN, PROVEN_EVM and CONJECTURED_EVM (sets 0–4; the first three numbered as their regime's ordinal,
 * PROVEN_EVM in PROVEN's regime, CONJECTURED_EVM in CONJECTURED's, with its own rate, query grinding and Keccak-256 Merkle
 * hash; and their batch proof-of-work bits) and requires
 * the contract's constants to be exactly it,
 * so the two cannot drift.
 */
class WhirScheduleTableTest {
    static final int RECORD = 27;
    /** The contract's parameter sets, in the order of their numbers (WhirOpening.SCHEDULES). */
    static final List<WhirParameters> SETS = List.of(WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED, WhirParameters.PROVEN,
            WhirParameters.PROVEN_EVM, WhirParameters.CONJECTURED_EVM);
    /** WhirOpening.MAX_NUM_VARS: the records per set. */
    static final int MAX_NUM_VARS = 26;

    static String table() {
        StringBuilder sb = new StringBuilder();
        for (WhirParameters p : SETS) {
            int set = SETS.indexOf(p);
            assertEquals(set == 3 ? 2 : set == 4 ? 1 : set, p.soundness().ordinal(), "the contract absorbs the set as the regime (set 3 as 2, set 4 as 1)");
            assertEquals(set == 2 ? 3 : set == 4 ? WhirParameters.CONJECTURED_EVM.logInverseRate() : set > 2 ? 5 : 2, p.logInverseRate(),
                    "the contract's logInverseRate(set)");
            assertEquals(set >= 2 ? 25 : 32, p.digestBytes(), "the contract's digestBytes(set)");
            assertEquals(set == 4 ? MerkleHash.KECCAK256 : MerkleHash.SHA256, p.merkleHash(), "the contract's merkle(set)");
            assertEquals(28 - p.logInverseRate(), p.maxNumVars(), "the contract refuses n + logInverseRate(set) > 28");
            assertTrue(p.foldingFactor() == 4 && p.finalVars() == 10 && p.securityBits() == 100, "the contract absorbs these parameters as constants");
            assertEquals(set == 4 ? WhirParameters.CONJECTURED_EVM.queryPowBits() : 14, p.queryPowBits(), "the contract's queryPowBits(set)");
            for (int n = 0; n <= MAX_NUM_VARS; n++) {
                byte[] rec = new byte[RECORD];
                if (n > p.maxNumVars()) {
                    sb.append(HexFormat.of().formatHex(rec));
                    continue;
                }
                WhirSchedule s = p.schedule(n);
                assertTrue(s.rounds().size() <= (RECORD - 2) / 5, "too many rounds for a record");
                assertEquals(set == 0 ? 0 : 2, s.commitOod(), "the contract's oodSamples(set)");
                rec[0] = (byte) s.finalVars();
                rec[1] = (byte) s.rounds().size();
                int o = 2;
                int vars = n;
                int logDomain = n + p.logInverseRate();
                for (int i = 0; i < s.rounds().size(); i++) {
                    WhirSchedule.Round r = s.rounds().get(i);
                    assertEquals(vars, r.vars(), "the contract derives a round's variables");
                    assertEquals(logDomain, r.logDomain(), "the contract derives a round's domain");
                    assertEquals(i == s.rounds().size() - 1 ? 0 : s.commitOod(), r.ood(), "the contract derives a round's out-of-domain samples");
                    assertTrue(r.queries() < 1 << 16 && r.powBits() < 256 && r.combinePowBits() < 256, "a record's field overflows");
                    rec[o++] = (byte) r.fold();
                    rec[o++] = (byte) (r.queries() >> 8);
                    rec[o++] = (byte) r.queries();
                    rec[o++] = (byte) r.powBits();
                    rec[o++] = (byte) r.combinePowBits();
                    vars -= r.fold();
                    logDomain = Math.max(vars + 1, logDomain - 2);
                }
                sb.append(HexFormat.of().formatHex(rec));
            }
        }
        return sb.toString();
    }

    static final int BATCH_RECORD = 12;
    /** The largest batch the contract opens (WhirOpening.MAX_BATCH). */
    static final int MAX_BATCH = 256;

    /**
     * WhirSchedule.batchPowBits(m), m = 2..MAX_BATCH, per set and n: the bits at m = 2, the number of
     * steps, then per step the m − 2 from which the bits are one more (they grow by at most one per m).
     */
    static String batchTable() {
        StringBuilder sb = new StringBuilder();
        for (WhirParameters p : SETS) {
            for (int n = 0; n <= MAX_NUM_VARS; n++) {
                byte[] rec = new byte[BATCH_RECORD];
                if (n > p.maxNumVars()) {
                    sb.append(HexFormat.of().formatHex(rec));
                    continue;
                }
                WhirSchedule s = p.schedule(n);
                int bits = s.batchPowBits(2);
                assertTrue(bits < 256);
                rec[0] = (byte) bits;
                int steps = 0;
                for (int m = 3; m <= MAX_BATCH; m++) {
                    int next = s.batchPowBits(m);
                    assertTrue(next == bits || next == bits + 1, "batch bits jump by more than one at m = " + m);
                    if (next > bits) {
                        assertTrue(2 + steps + 1 <= BATCH_RECORD, "too many steps for a record");
                        rec[2 + steps] = (byte) (m - 2);
                        steps++;
                        bits = next;
                    }
                }
                rec[1] = (byte) steps;
                sb.append(HexFormat.of().formatHex(rec));
            }
        }
        return sb.toString();
    }

    @Test
    void contractScheduleTableIsTheJavaOne() throws IOException {
        String source = Files.readString(Path.of("../verinfer-contracts/src/main/solidity/WhirVerifier.sol"));
        Matcher m = Pattern.compile("SCHEDULES = hex\"([0-9a-f]*)\"").matcher(source);
        assertTrue(m.find(), "no SCHEDULES constant in WhirVerifier.sol");
        assertEquals(table(), m.group(1), "regenerate SCHEDULES in WhirVerifier.sol from WhirScheduleTableTest.table()");
        Matcher pow = Pattern.compile("EVM_QUERY_POW_BITS = (\\d+);").matcher(source);
        assertTrue(pow.find() && Integer.parseInt(pow.group(1)) == WhirParameters.CONJECTURED_EVM.queryPowBits(), "WhirOpening.EVM_QUERY_POW_BITS is set 4's query grinding");
        Matcher rate = Pattern.compile("EVM_LOG_INV_RATE = (\\d+);").matcher(source);
        assertTrue(rate.find() && Integer.parseInt(rate.group(1)) == WhirParameters.CONJECTURED_EVM.logInverseRate(), "WhirOpening.EVM_LOG_INV_RATE is set 4's rate");
    }

    @Test
    void contractBatchProofOfWorkTableIsTheJavaOne() throws IOException {
        String source = Files.readString(Path.of("../verinfer-contracts/src/main/solidity/WhirVerifier.sol"));
        Matcher m = Pattern.compile("BATCH_POW = hex\"([0-9a-f]*)\"").matcher(source);
        assertTrue(m.find(), "no BATCH_POW constant in WhirVerifier.sol");
        assertEquals(batchTable(), m.group(1), "regenerate BATCH_POW in WhirVerifier.sol from WhirScheduleTableTest.batchTable()");
    }
}
