package dev.verinfer.zkml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Register reuse for a compiled layer program (LayerProgram.sol's encoding): the compiler writes every register once
 * (SSA, a new number per value), so LayerStage's register file — 64 bytes of memory a register, whose price grows with
 * its square — was as long as the program. Here each value gets the lowest free register at its definition (a
 * contiguous run for a block: a sumcheck's point, challenges, a received vector) and gives it back after its last read,
 * so the file is as long as the largest live set. The registers below {@code entry} (stage 1's hand-over: the output
 * points and the look-up blocks' claims) keep their numbers, are live from the start and freed after their last read.
 *
 * <p>Verdict-preserving: the instructions, their order, their operands' values and every read are unchanged; an
 * instruction's destination never shares a register with one of its own sources (sources are freed after the
 * instruction), and a register is reused only after the last read of its previous value, so each read sees the value
 * the SSA program gave it.
 */
final class RegisterReuse {
    /** An operand that names registers: at byte {@code at}, a def of a block of {@code count} registers, or a use of one. */
    record Operand(int at, boolean def, int count) {}

    private RegisterReuse() {
    }

    /** The program {@code code} (registers written once each; {@code entry} live on entry) renumbered; with its register count. */
    static EvmLayerProgram.Compiled reuse(byte[] code, int entry, int instructions) {
        List<List<Operand>> ops = decode(code);
        int vregs = entry;
        for (List<Operand> in : ops) {
            for (Operand o : in) {
                vregs = Math.max(vregs, u16(code, o.at) + (o.def ? o.count : 1));
            }
        }
        int[] lastUse = new int[vregs];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < ops.size(); i++) {
            for (Operand o : ops.get(i)) {
                if (!o.def) {
                    lastUse[u16(code, o.at)] = i;
                }
            }
        }
        int[] phys = new int[vregs];
        Arrays.fill(phys, -1);
        BitSet used = new BitSet();
        for (int r = 0; r < entry; r++) {
            phys[r] = r;
            used.set(r);
        }
        int high = entry;
        byte[] out = code.clone();
        for (int i = 0; i < ops.size(); i++) {
            List<Operand> in = ops.get(i);
            List<Integer> dying = new ArrayList<>();
            for (Operand o : in) {
                if (!o.def) {
                    int v = u16(code, o.at);
                    if (phys[v] < 0) {
                        throw new IllegalStateException("register " + v + " read before it is written, instruction " + i);
                    }
                    put(out, o.at, phys[v]);
                    if (lastUse[v] == i) {
                        dying.add(v);
                    }
                }
            }
            for (Operand o : in) {
                if (o.def) {
                    int v = u16(code, o.at);
                    int p = o.count == 0 ? high : run(used, o.count);
                    put(out, o.at, p);
                    for (int j = 0; j < o.count; j++) {
                        if (phys[v + j] >= 0) {
                            throw new IllegalStateException("register " + (v + j) + " written twice, instruction " + i);
                        }
                        phys[v + j] = p + j;
                        used.set(p + j);
                        if (lastUse[v + j] <= i) {
                            dying.add(v + j); // never read: free again after the instruction
                        }
                    }
                    high = Math.max(high, p + o.count);
                }
            }
            for (int v : dying) {
                used.clear(phys[v]);
            }
        }
        return new EvmLayerProgram.Compiled(out, high, instructions);
    }

    /** The lowest start of {@code n} free registers in a row. */
    private static int run(BitSet used, int n) {
        int p = used.nextClearBit(0);
        while (true) {
            int busy = used.nextSetBit(p);
            if (busy < 0 || busy >= p + n) {
                return p;
            }
            p = used.nextClearBit(busy);
        }
    }

    /** Per instruction, its register operands (LayerProgram.sol's formats). */
    static List<List<Operand>> decode(byte[] c) {
        List<List<Operand>> ops = new ArrayList<>();
        int pc = 0;
        while (pc < c.length) {
            int op = c[pc] & 0xFF;
            int a = pc + 1;
            List<Operand> in = new ArrayList<>();
            switch (op) {
                case EvmLayerProgram.OP_CHALLENGES, EvmLayerProgram.OP_RECEIVE_VECTOR -> {
                    in.add(new Operand(a, true, u16(c, a + 2)));
                    pc = a + 36;
                }
                case EvmLayerProgram.OP_RECEIVE -> {
                    in.add(new Operand(a, true, 1));
                    pc = a + 34;
                }
                case EvmLayerProgram.OP_SUMCHECK -> {
                    in.add(new Operand(a, false, 1));
                    in.add(new Operand(a + 6, true, u16(c, a + 2)));
                    in.add(new Operand(a + 8, true, 1));
                    pc = a + 10;
                }
                case EvmLayerProgram.OP_ADD, EvmLayerProgram.OP_SUB, EvmLayerProgram.OP_MUL -> {
                    in.add(new Operand(a + 2, false, 1));
                    in.add(new Operand(a + 4, false, 1));
                    in.add(new Operand(a, true, 1));
                    pc = a + 6;
                }
                case EvmLayerProgram.OP_CONST -> {
                    in.add(new Operand(a, true, 1));
                    pc = a + 18;
                }
                case EvmLayerProgram.OP_CHECK -> {
                    in.add(new Operand(a, false, 1));
                    in.add(new Operand(a + 2, false, 1));
                    pc = a + 6;
                }
                case EvmLayerProgram.OP_INV -> {
                    in.add(new Operand(a + 2, false, 1));
                    in.add(new Operand(a, true, 1));
                    pc = a + 4;
                }
                case EvmLayerProgram.OP_EQ -> {
                    int n = u16(c, a + 2);
                    pc = uses(in, c, a + 4, n);
                    pc = uses(in, c, pc + 2, u16(c, pc));
                    in.add(new Operand(a, true, 1));
                }
                case EvmLayerProgram.OP_PUBLIC -> {
                    int lp = a + 6;
                    pc = dims(c, uses(in, c, lp + 2, u16(c, lp)));
                    in.add(new Operand(a, true, 1));
                }
                case EvmLayerProgram.OP_SELECTION -> {
                    int lr = a + 2;
                    int lrho = uses(in, c, lr + 2, u16(c, lr));
                    pc = dims(c, dims(c, uses(in, c, lrho + 2, u16(c, lrho)) + 4));
                    in.add(new Operand(a, true, 1));
                }
                case EvmLayerProgram.OP_OUTPUT -> pc = uses(in, c, a + 2, u16(c, a));
                default -> throw new IllegalStateException("opcode " + op + " at " + pc);
            }
            ops.add(in);
        }
        return ops;
    }

    /** {@code n} register reads from {@code at} on; returns the byte after them. */
    private static int uses(List<Operand> in, byte[] c, int at, int n) {
        for (int j = 0; j < n; j++) {
            in.add(new Operand(at + 2 * j, false, 1));
        }
        return at + 2 * n;
    }

    /** A shape's rank and dimensions from {@code at} on; returns the byte after them. */
    private static int dims(byte[] c, int at) {
        return at + 2 + 2 * u16(c, at);
    }

    static int u16(byte[] c, int at) {
        return ((c[at] & 0xFF) << 8) | (c[at + 1] & 0xFF);
    }

    private static void put(byte[] c, int at, int v) {
        c[at] = (byte) (v >>> 8);
        c[at + 1] = (byte) v;
    }
}
