package dev.verinfer.zkml;

import dev.verinfer.model.RealModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RegisterReuse on the real models' layer programs: the renumbered program is the program written once per register but for its
 * register numbers (the same instructions and bytes elsewhere), and every read sees the value of the same instruction's write
 * (def-use chains kept: a register is reused only after its value's last read, never as a source of the writing instruction),
 * over fewer registers. The layer differential tests check the verdicts on anvil.
 */
class RegisterReuseTest {
    @ParameterizedTest
    @EnumSource(value = RealModels.class, names = {"ALEXA", "HEY_MYCROFT", "EMBEDDING"})
    void everyReadSeesTheSameWriteOverFewerRegisters(RealModels model) {
        VerifyingKey key = EthProofFixture.keyOf(model, PcsSecurity.PROVEN);
        EvmLayerProgram.Compiled once = EvmLayerProgram.compileOnce(key);
        EvmLayerProgram.Compiled reused = EvmLayerProgram.compile(key);
        int entry = once.registers();
        List<List<RegisterReuse.Operand>> ops = RegisterReuse.decode(once.code());
        assertEquals(once.code().length, reused.code().length);
        byte[] masked = reused.code().clone();
        List<Integer> once0 = writers(once.code(), ops, entry);
        List<Integer> reused0 = writers(reused.code(), ops, entry);
        assertEquals(once0.size(), reused0.size());
        for (int i = 0; i < once0.size(); i++) {
            assertEquals(once0.get(i), reused0.get(i), model + ": read " + i + " sees another instruction's write");
        }
        // Outside the register operands the bytes are the same.
        byte[] a = once.code().clone();
        for (List<RegisterReuse.Operand> in : ops) {
            for (RegisterReuse.Operand o : in) {
                a[o.at()] = a[o.at() + 1] = masked[o.at()] = masked[o.at() + 1] = 0;
            }
        }
        assertArrayEquals(a, masked);
        int before = RegisterReuse.decode(once.code()).stream().flatMap(List::stream)
                .mapToInt(o -> RegisterReuse.u16(once.code(), o.at()) + (o.def() ? o.count() : 1)).max().orElse(entry);
        assertTrue(reused.registers() < before, model + ": " + reused.registers() + " registers, not fewer than " + before);
        System.out.printf("%s layer program: %,d instructions, %,d registers written once each, %,d reused (entry %d)%n", model.modelName,
                reused.instructions(), before, reused.registers(), entry);
    }

    /** Per read, in order: the instruction whose write it reads (−1 − r for entry register r). */
    private static List<Integer> writers(byte[] code, List<List<RegisterReuse.Operand>> ops, int entry) {
        int[] last = new int[1 << 16];
        Arrays.fill(last, Integer.MIN_VALUE);
        for (int r = 0; r < entry; r++) {
            last[r] = -1 - r;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            for (RegisterReuse.Operand o : ops.get(i)) {
                if (!o.def()) {
                    out.add(last[RegisterReuse.u16(code, o.at())]);
                }
            }
            for (RegisterReuse.Operand o : ops.get(i)) {
                if (o.def()) {
                    for (int j = 0; j < o.count(); j++) {
                        last[RegisterReuse.u16(code, o.at()) + j] = i;
                    }
                }
            }
        }
        return out;
    }
}
