package dev.verinfer.eth;

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
 * floating point, which the EVM has not): this test re-derives the table from WhirParameters.PROVEN,
 * CONJECTURED and their final-arity-4 variants and requires the contract's constant to be exactly it,
 * so the two cannot drift.
 */
class WhirScheduleTableTest {
    static final int RECORD = 50;

    static String table() {
        StringBuilder sb = new StringBuilder();
        List<WhirParameters> sets = List.of(WhirParameters.PROVEN, WhirParameters.CONJECTURED,
                WhirVerifierDifferentialTest.GAS_PROVEN, WhirVerifierDifferentialTest.GAS_CONJECTURED);
        for (WhirParameters p : sets) {
            assertEquals(26, p.maxNumVars());
            assertTrue(p.logInverseRate() == 2 && p.foldingFactor() == 4 && p.finalVars() == (sets.indexOf(p) < 2 ? 10 : 4) && p.securityBits() == 100,
                    "the contract absorbs these parameters as constants");
            assertEquals(sets.indexOf(p) & 1, p.soundness().ordinal(), "the contract reads the regime from the set's low bit");
            for (int n = 0; n <= p.maxNumVars(); n++) {
                WhirSchedule s = p.schedule(n);
                byte[] rec = new byte[RECORD];
                assertTrue(s.rounds().size() <= (RECORD - 2) / 8, "too many rounds for a record");
                rec[0] = (byte) s.finalVars();
                rec[1] = (byte) s.rounds().size();
                int o = 2;
                for (WhirSchedule.Round r : s.rounds()) {
                    rec[o++] = (byte) r.vars();
                    rec[o++] = (byte) r.logDomain();
                    rec[o++] = (byte) r.fold();
                    rec[o++] = (byte) (r.queries() >> 8);
                    rec[o++] = (byte) r.queries();
                    rec[o++] = (byte) r.ood();
                    rec[o++] = (byte) r.powBits();
                    rec[o++] = (byte) r.combinePowBits();
                }
                sb.append(HexFormat.of().formatHex(rec));
            }
        }
        return sb.toString();
    }

    @Test
    void contractScheduleTableIsTheJavaOne() throws IOException {
        String source = Files.readString(Path.of("src/main/solidity/WhirVerifier.sol"));
        Matcher m = Pattern.compile("SCHEDULES = hex\"([0-9a-f]*)\"").matcher(source);
        assertTrue(m.find(), "no SCHEDULES constant in WhirVerifier.sol");
        assertEquals(table(), m.group(1), "regenerate SCHEDULES in WhirVerifier.sol from WhirScheduleTableTest.table()");
    }
}
