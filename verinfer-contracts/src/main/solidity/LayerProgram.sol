// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks as F} from "Goldilocks.sol";
import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {SumcheckVerifier as SV} from "SumcheckVerifier.sol";
import {ZkmlStatement} from "ZkmlStatement.sol";

/// @notice The layer protocols of a verinfer proof (everything between the look-up phase and the
/// commitment opening: the look-up claims handed to their sources, the max checks, every linear
/// layer's sumcheck, the claim batching with the padding zero-check, the public tensors' MLEs) run
/// as a straight-line program over extension-field registers. The program is part of the verifying
/// key: the proof's shape follows from the model alone, so which challenge, message, sumcheck and
/// arithmetic comes next, and in which register each value lands, is fixed before any proof exists
/// (verinfer-eth's test EvmLayerProgram compiles it from the ProofPlan in Verifier.check's order).
/// Only data-independent choices are compiled away; every value that depends on the proof is
/// computed here. A proof format change changes the compiler and the program, not this library.
///
/// Program: instructions back to back in calldata, an opcode byte then operands (register numbers
/// and counts u16, big-endian; a register list is u16 count then u16 numbers; labels are the
/// transcript's bytes32 label words). Registers hold (c0, c1) of F_p[X]/(X² − 7).
library LayerProgram {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    uint256 private constant P = 0xFFFFFFFF00000001;

    uint256 internal constant OP_CHALLENGES = 1; // dst, n, label: n challenges (Transcript.challengeExts)
    uint256 internal constant OP_RECEIVE = 2; // dst, label: one element (VerifierChannel.receiveExt)
    uint256 internal constant OP_RECEIVE_VECTOR = 3; // dst, n, label: u32 length = n, then n elements (receiveExts)
    uint256 internal constant OP_SUMCHECK = 4; // sum, vars, degree, dst point, dst expected
    uint256 internal constant OP_ADD = 5; // dst, a, b
    uint256 internal constant OP_SUB = 6;
    uint256 internal constant OP_MUL = 7;
    uint256 internal constant OP_CONST = 8; // dst, c0 u64, c1 u64
    uint256 internal constant OP_CHECK = 9; // a, b, code: Rejected(code) unless equal
    uint256 internal constant OP_INV = 10; // dst, a: Rejected(INVERSE) on zero
    uint256 internal constant OP_EQ = 11; // dst, list a, list b: Π_j eq(a_j, b_j)
    uint256 internal constant OP_PUBLIC = 12; // dst, which (0 input, 1 output), index, list point, rank, dims: the padded tensor's MLE
    uint256 internal constant OP_SELECTION = 13; // dst, list r, list ρ, count u32, out rank, dims, src rank, dims: Σ_{i<count} eq(r, out(i))·eq(ρ, src(i))
    uint256 internal constant OP_OUTPUT = 14; // list: append the registers to the result

    uint256 internal constant TRUNCATED = 150;
    uint256 internal constant NON_CANONICAL = 151;
    uint256 internal constant BAD_LENGTH = 152;
    uint256 internal constant INVERSE = 153;
    uint256 internal constant BAD_OPCODE = 154;

    /// The machine: registers, the proof cursor, the statement's public tensors (ZkmlStatement.Head) and the result.
    struct M {
        uint256[] r;
        uint256 pos;
        uint256 end;
        ZkmlStatement.Head head;
        uint256[] out;
        uint256 outCount;
    }

    /// Runs the program's instructions from calldata `pc` (an instruction's start) on transcript `t`, reading the proof from
    /// m.pos, up to the first instruction that starts at or past `pend`; returns where it starts (so the instructions run are
    /// those of a run from the program's start, whatever `pend` is: stage 2 in parts cuts only between them).
    function run(Tr.T memory t, M memory m, uint256 pc, uint256 pend) internal view returns (uint256) {
        while (pc < pend) {
            pc = straight(m.r, pc, pend);
            if (pc >= pend) break;
            uint256 op = u8(pc);
            pc += 1;
            if (op == OP_EQ) {
                uint256 n = u16(pc + 2);
                uint256 la = pc + 4;
                uint256 lb = la + 2 * n + 2;
                (uint256 e0, uint256 e1) = eqProduct(m.r, la, lb, n);
                set(m, u16(pc), e0, e1);
                pc = lb + 2 * n;
            } else if (op == OP_CHALLENGES) {
                uint256 d = u16(pc);
                uint256 n = u16(pc + 2);
                bytes32 label = bytes32(word(pc + 4));
                for (uint256 j = 0; j < n; j++) {
                    (uint256 c0, uint256 c1) = t.challengeExt(label);
                    set(m, d + j, c0, c1);
                }
                pc += 36;
            } else if (op == OP_RECEIVE) {
                uint256 d = u16(pc);
                bytes32 label = bytes32(word(pc + 2));
                pc += 34;
                need(m, 16);
                (uint256 c0, uint256 c1) = element(m.pos);
                t.absorbExt(label, c0, c1);
                set(m, d, c0, c1);
                m.pos += 16;
            } else if (op == OP_RECEIVE_VECTOR) {
                uint256 d = u16(pc);
                uint256 n = u16(pc + 2);
                bytes32 label = bytes32(word(pc + 4));
                pc += 36;
                need(m, 4);
                if (word(m.pos) >> 224 != n) revert Rejected(BAD_LENGTH);
                m.pos += 4;
                need(m, 16 * n);
                for (uint256 j = 0; j < n; j++) {
                    (uint256 c0, uint256 c1) = element(m.pos + 16 * j);
                    set(m, d + j, c0, c1);
                }
                t.absorbExtsCalldata(label, m.pos, n);
                m.pos += 16 * n;
            } else if (op == OP_INV) {
                (uint256 a0, uint256 a1) = get(m, u16(pc + 2));
                // (a0 + a1·X)^{-1} = (a0 − a1·X)/(a0² − 7·a1²)
                uint256 norm = addmod(mulmod(a0, a0, P), P - mulmod(7, mulmod(a1, a1, P), P), P);
                if (norm == 0) revert Rejected(INVERSE);
                uint256 inv = F.pow(norm, P - 2);
                set(m, u16(pc), mulmod(a0, inv, P), mulmod((P - a1) % P, inv, P));
                pc += 4;
            } else if (op == OP_SUMCHECK || op == OP_PUBLIC || op == OP_SELECTION) {
                // Their arrays (a sumcheck's point and round values, eq tables, walks) are scratch once the
                // results are in registers: the memory is given back, so that later ones reuse it instead of
                // expanding memory further (its price grows with its square).
                uint256 free;
                assembly ("memory-safe") {
                    free := mload(0x40)
                }
                pc = op == OP_SUMCHECK ? sumcheck(t, m, pc) : op == OP_PUBLIC ? publicMle(m, pc) : selection(m, pc);
                uint256 kept = t.memoryEnd(); // the transcript's buffer, if it grew meanwhile
                if (kept > free) free = kept;
                assembly ("memory-safe") {
                    mstore(0x40, free)
                }
            } else if (op == OP_OUTPUT) {
                pc = output(m, pc);
            } else {
                revert Rejected(BAD_OPCODE);
            }
        }
        return pc;
    }

    /// The straight-line instructions from calldata `from` on — add, sub, mul, const and check, in one loop — up to the first
    /// other instruction or `pend`; returns where that begins. Registers read as `get` reads them, written as `set` writes
    /// them (refused past the registers), the arithmetic of F.emul, F.eadd, F.esub (which refuses b above p: P − b
    /// underflows); a failed check reverts with Rejected(its code). The loop is a Yul function left by `leave` (the
    /// optimizer inlines none that holds one): its variables stay on its own stack frame instead of the interpreter's,
    /// whose spill slots in memory it read each instruction, and these instructions cost no trip through `run`'s chain.
    function straight(uint256[] memory r, uint256 from, uint256 pend) private pure returns (uint256 next) {
        assembly ("memory-safe") {
            // register d is r's words 2d, 2d + 1: refused unless 2d + 1 < r.length, i.e. its address below `top`
            next := loop(add(r, 32), add(r, shl(5, mload(r))), from, pend)

            // Each case decodes the operands it reads, after the dispatch: register d's address base + 64·d from the u16 d at
            // bits 232, 216, 200 of the instruction's word is base + and(shr(226 | 210 | 194, w), 0x3fffc0).
            function loop(base, top, i, e) -> j {
                for {} lt(i, e) {} {
                    let w := calldataload(i)
                    switch shr(248, w)
                    case 7 {
                        let at := add(base, and(shr(226, w), 0x3fffc0))
                        let a := add(base, and(shr(210, w), 0x3fffc0))
                        let b := add(base, and(shr(194, w), 0x3fffc0))
                        let a0 := mload(a)
                        let a1 := mload(add(a, 32))
                        let b0 := mload(b)
                        let b1 := mload(add(b, 32))
                        if iszero(lt(at, top)) { revert(0, 0) }
                        mstore(at, mod(add(mul(a0, b0), mul(mul(7, a1), b1)), 0xFFFFFFFF00000001))
                        mstore(add(at, 32), mod(add(mul(a0, b1), mul(a1, b0)), 0xFFFFFFFF00000001))
                        i := add(i, 7)
                    }
                    case 5 {
                        let at := add(base, and(shr(226, w), 0x3fffc0))
                        let a := add(base, and(shr(210, w), 0x3fffc0))
                        let b := add(base, and(shr(194, w), 0x3fffc0))
                        if iszero(lt(at, top)) { revert(0, 0) }
                        mstore(at, addmod(mload(a), mload(b), 0xFFFFFFFF00000001))
                        mstore(add(at, 32), addmod(mload(add(a, 32)), mload(add(b, 32)), 0xFFFFFFFF00000001))
                        i := add(i, 7)
                    }
                    case 6 {
                        let at := add(base, and(shr(226, w), 0x3fffc0))
                        let a := add(base, and(shr(210, w), 0x3fffc0))
                        let b := add(base, and(shr(194, w), 0x3fffc0))
                        let b0 := mload(b)
                        let b1 := mload(add(b, 32))
                        if iszero(lt(at, top)) { revert(0, 0) }
                        if or(gt(b0, 0xFFFFFFFF00000001), gt(b1, 0xFFFFFFFF00000001)) { revert(0, 0) }
                        mstore(at, addmod(mload(a), sub(0xFFFFFFFF00000001, b0), 0xFFFFFFFF00000001))
                        mstore(add(at, 32), addmod(mload(add(a, 32)), sub(0xFFFFFFFF00000001, b1), 0xFFFFFFFF00000001))
                        i := add(i, 7)
                    }
                    case 8 {
                        // dst, c0 u64, c1 u64
                        let at := add(base, and(shr(226, w), 0x3fffc0))
                        if iszero(lt(at, top)) { revert(0, 0) }
                        mstore(at, and(shr(168, w), 0xFFFFFFFFFFFFFFFF))
                        mstore(add(at, 32), and(shr(104, w), 0xFFFFFFFFFFFFFFFF))
                        i := add(i, 19)
                    }
                    case 9 {
                        // a (in dst's place), b, code
                        let at := add(base, and(shr(226, w), 0x3fffc0))
                        let b := add(base, and(shr(210, w), 0x3fffc0))
                        if or(iszero(eq(mload(at), mload(b))), iszero(eq(mload(add(at, 32)), mload(add(b, 32))))) {
                            mstore(0, shl(224, 0x94064f91)) // Rejected(uint256)
                            mstore(4, and(shr(200, w), 0xffff))
                            revert(0, 36)
                        }
                        i := add(i, 7)
                    }
                    default {
                        j := i
                        leave
                    }
                }
                j := i
            }
        }
    }

    /// OP_OUTPUT at `pc`: the listed registers (read as `get` reads them) appended to the result, refused past its
    /// room; returns where the next instruction begins.
    function output(M memory m, uint256 pc) private pure returns (uint256) {
        uint256 n = u16(pc);
        uint256 list = pc + 2;
        uint256[] memory r = m.r;
        uint256[] memory out = m.out;
        uint256 count = m.outCount;
        bool full;
        assembly ("memory-safe") {
            for { let j := 0 } lt(j, n) { j := add(j, 1) } {
                let at := add(r, add(32, mul(64, shr(240, calldataload(add(list, shl(1, j)))))))
                let c0 := mload(at)
                let c1 := mload(add(at, 32))
                if gt(add(count, 2), mload(out)) {
                    full := 1
                    break
                }
                mstore(add(out, shl(5, add(count, 1))), c0)
                mstore(add(out, shl(5, add(count, 2))), c1)
                count := add(count, 2)
            }
        }
        if (full) revert Rejected(BAD_OPCODE);
        m.outCount = count;
        return list + 2 * n;
    }

    function sumcheck(Tr.T memory t, M memory m, uint256 pc) private view returns (uint256) {
        (uint256 s0, uint256 s1) = get(m, u16(pc));
        (uint256 vars, uint256 degree, uint256 dp, uint256 de) = (u16(pc + 2), u16(pc + 4), u16(pc + 6), u16(pc + 8));
        SV.SubClaim memory s;
        (s, m.pos) = SV.verify(t, s0, s1, vars, degree, m.pos, m.end);
        if (vars > 0) {
            // the point into registers dp.., as `set` writes them: refused past the registers (the last one checked)
            uint256[] memory r = m.r;
            (uint256[] memory p0, uint256[] memory p1) = (s.point0, s.point1);
            require(2 * (dp + vars) - 1 < r.length && p0.length >= vars && p1.length >= vars);
            assembly ("memory-safe") {
                let at := add(r, add(32, shl(6, dp)))
                for { let j := 0 } lt(j, vars) { j := add(j, 1) } {
                    mstore(add(at, shl(6, j)), mload(add(p0, shl(5, add(j, 1)))))
                    mstore(add(at, add(32, shl(6, j))), mload(add(p1, shl(5, add(j, 1)))))
                }
            }
        }
        set(m, de, s.e0, s.e1);
        return pc + 10;
    }

    /// The MLE at a point of a public tensor in its padded layout: Σ_i v_i·eq(r, padded(i)).
    function publicMle(M memory m, uint256 pc) private pure returns (uint256) {
        uint256 d = u16(pc);
        uint256 which = u16(pc + 2);
        uint256 index = u16(pc + 4);
        uint256 lp = pc + 6;
        Eq memory et = eqSplit(m, lp, 0);
        uint256 dimsAt = lp + 2 + 2 * u16(lp);
        uint256 count = realSize(dimsAt);
        uint256 from = which == 0 ? m.head.inputOffsets[index] : m.head.outputOffsets[index];
        // The head already checked these packed values (their width byte sits just before them): they are
        // decoded where they are summed (`valueRun`), without the checks.
        uint256 src = (from << 8) | (ZkmlStatement.word(from - 1) >> 248);
        if (src & 0xff <= 32) pack(et);
        Walk memory w = walk(dimsAt, 0);
        (uint256 s0, uint256 s1) = (0, 0);
        // a run of entries at a time: within a row of the last dimension the padded index moves by one
        for (uint256 i = 0; i < count;) {
            uint256 n = left(w);
            if (n > count - i) n = count - i;
            (s0, s1) = valueRun(et, w.k, n, src, i, s0, s1);
            advance(w, n);
            i += n;
        }
        set(m, d, s0, s1);
        return dimsAt + 2 + 2 * u16(dimsAt);
    }

    /// Σ_{i<count} eq(r, out(i))·eq(ρ, src(i)): a reshape's selection (LinearLayers.verifyGather, every entry i from i),
    /// summed over blocks of 2^t entries. 2^t divides both last dimensions and the count, so every run on which both
    /// walks stay in a row of their last dimension starts at i ≡ 0 mod 2^t (a row of either begins there), at padded
    /// indices a, b ≡ 0 mod 2^t, and its length is a multiple of 2^t. Over a block, with the coordinates below t apart,
    /// Σ_{j<2^t} eq(r, a + j)·eq(ρ, b + j) = eq(r_{≥t}, a >> t)·eq(ρ_{≥t}, b >> t)·Σ_x eq(r_{<t}, x)·eq(ρ_{<t}, x), and the
    /// last sum is Π_{j<t} eq(r_j, ρ_j): so the selection of the tensors with their last dimensions divided by 2^t, on
    /// the points without their first t coordinates, times that product (t = 5 for alexa's flatten: 48 blocks, not
    /// 1,536 entries).
    function selection(M memory m, uint256 pc) private pure returns (uint256) {
        uint256 d = u16(pc);
        uint256 lr = pc + 2;
        uint256 lrho = lr + 2 + 2 * u16(lr);
        uint256 count = word(lrho + 2 + 2 * u16(lrho)) >> 224;
        uint256 outDims = lrho + 6 + 2 * u16(lrho);
        uint256 srcDims = outDims + 2 + 2 * u16(outDims);
        uint256 t = blockBits(count | lastDim(outDims) | lastDim(srcDims), u16(lr), u16(lrho));
        Eq memory er = eqSplit(m, lr, t);
        Eq memory es = eqSplit(m, lrho, t);
        Walk memory wo = walk(outDims, t);
        Walk memory ws = walk(srcDims, t);
        (uint256 s0, uint256 s1) = (0, 0);
        count >>= t;
        // runs on which both walks stay in a row of their last dimension (both padded indices move by one)
        for (uint256 i = 0; i < count;) {
            uint256 n = count - i;
            uint256 r = left(wo);
            if (r < n) n = r;
            r = left(ws);
            if (r < n) n = r;
            (s0, s1) = productRun(er, es, wo.k, ws.k, n, s0, s1);
            advance(wo, n);
            advance(ws, n);
            i += n;
        }
        (uint256 e0, uint256 e1) = eqProduct(m.r, lr + 2, lrho + 2, t);
        (s0, s1) = F.emul(s0, s1, e0, e1);
        set(m, d, s0, s1);
        return srcDims + 2 + 2 * u16(srcDims);
    }

    /// The last dimension of the dims listed at `dimsAt` (1 for rank 0).
    function lastDim(uint256 dimsAt) private pure returns (uint256) {
        uint256 rank = u16(dimsAt);
        return rank == 0 ? 1 : u16(dimsAt + 2 * rank);
    }

    /// t: the trailing zero bits of g (0 for g = 0), at most the points' lengths n and m.
    function blockBits(uint256 g, uint256 n, uint256 m) private pure returns (uint256 t) {
        if (g == 0) return 0;
        while ((g >> t) & 1 == 0) t++;
        if (t > n) t = n;
        if (t > m) t = m;
    }

    /// Π_{j<n} eq(x_j, y_j) over the registers listed (u16 each) at calldata xl and yl, eq(x, y) = 1 − x − y + 2xy;
    /// registers read as `get` reads them; one MOD per product half.
    function eqProduct(uint256[] memory r, uint256 xl, uint256 yl, uint256 n) private pure returns (uint256 e0, uint256 e1) {
        assembly ("memory-safe") {
            e0 := 1
            let base := add(r, 32)
            for { let j := 0 } lt(j, n) { j := add(j, 1) } {
                let xa := add(base, shl(6, shr(240, calldataload(add(xl, shl(1, j))))))
                let ya := add(base, shl(6, shr(240, calldataload(add(yl, shl(1, j))))))
                let x0 := mload(xa)
                let x1 := mload(add(xa, 32))
                let y0 := mload(ya)
                let y1 := mload(add(ya, 32))
                // eq = 1 + 2xy + 2p − x − y left unreduced (like eqPowers): f0 < 2^134, f1 < 2^133 with x, y canonical,
                // so e·f with e reduced stays below 2^201 and one MOD a half serves
                let f0 := add(add(1, shl(1, add(mul(x0, y0), mul(mul(7, x1), y1)))), sub(shl(1, P), add(x0, y0)))
                let f1 := add(shl(1, add(mul(x0, y1), mul(x1, y0))), sub(shl(1, P), add(x1, y1)))
                let g0 := mod(add(mul(e0, f0), mul(mul(7, e1), f1)), P)
                e1 := mod(add(mul(e0, f1), mul(e1, f0)), P)
                e0 := g0
            }
        }
    }

    /// A walk over a padded tensor's real entries in row-major order: `k` is the current entry's padded
    /// index (the last dimension lowest, each dimension padded to a power of two), `idx` its digits.
    struct Walk {
        uint256 k;
        uint256[] idx;
        uint256[] dims;
        uint256[] shifts;
    }

    /// The walk over the dims listed at `dimsAt` with the last divided by 2^t (which divides it): its padded indices are
    /// the tensor's shifted right by t (ceilLog2(d / 2^t) = ceilLog2(d) − t).
    function walk(uint256 dimsAt, uint256 t) private pure returns (Walk memory w) {
        uint256 rank = u16(dimsAt);
        w.idx = new uint256[](rank);
        w.dims = new uint256[](rank);
        w.shifts = new uint256[](rank);
        uint256 shift = 0;
        for (uint256 e = rank; e > 0; e--) {
            uint256 d = u16(dimsAt + 2 * e);
            if (e == rank) d >>= t;
            w.dims[e - 1] = d;
            w.shifts[e - 1] = shift;
            shift += ceilLog2(d);
        }
    }

    /// The next real entry: the last digit moves on, carrying into the ones before it (in assembly: the
    /// three arrays have one length, so no bounds checks are needed).
    function step(Walk memory w) private pure {
        uint256[] memory idx = w.idx;
        uint256[] memory dims = w.dims;
        uint256[] memory shifts = w.shifts;
        uint256 k = w.k;
        assembly ("memory-safe") {
            for { let o := shl(5, mload(idx)) } o { o := sub(o, 32) } {
                // digit e − 1 at o = 32·e past each array's length word
                let sh := mload(add(shifts, o))
                k := add(k, shl(sh, 1))
                let i := add(mload(add(idx, o)), 1)
                if lt(i, mload(add(dims, o))) {
                    mstore(add(idx, o), i)
                    break
                }
                k := sub(k, shl(sh, mload(add(dims, o))))
                mstore(add(idx, o), 0)
            }
        }
        w.k = k;
    }

    /// The entries left in the current row of the last dimension, at least 1 (a rank-0 walk, an empty dimension).
    /// In assembly: idx and dims have one length (`walk`), a digit never passes its dimension (`step` and `advance`
    /// keep it below, or at 0 for an empty one), so neither the reads nor the difference can fail.
    function left(Walk memory w) private pure returns (uint256 n) {
        uint256[] memory idx = w.idx;
        uint256[] memory dims = w.dims;
        assembly ("memory-safe") {
            let o := shl(5, mload(idx))
            n := 1
            if o {
                n := sub(mload(add(dims, o)), mload(add(idx, o)))
                if iszero(n) { n := 1 }
            }
        }
    }

    /// `n` ≤ left(w) steps at once: the last digit moves by n − 1 (its shift is 0, so k by n − 1), then one step.
    /// Callers pass 1 ≤ n ≤ left(w), so the digit stays below its dimension (in assembly, as `left`).
    function advance(Walk memory w, uint256 n) private pure {
        uint256[] memory idx = w.idx;
        assembly ("memory-safe") {
            let o := shl(5, mload(idx))
            if o {
                mstore(add(idx, o), add(mload(add(idx, o)), sub(n, 1)))
                mstore(w, add(mload(w), sub(n, 1))) // w.k
            }
        }
        step(w);
    }

    function realSize(uint256 dimsAt) private pure returns (uint256 n) {
        n = 1;
        for (uint256 e = 1; e <= u16(dimsAt); e++) n *= u16(dimsAt + 2 * e);
    }

    function ceilLog2(uint256 n) private pure returns (uint256 b) {
        while ((1 << b) < n) b++;
    }

    /// eq(r, ·) over the hypercube of the point listed at `list` (r_0 the lowest bit) as two tables:
    /// eq(r, k) = lo[k mod 2^bits]·hi[k >> bits], lo over the `bits` = ⌈n/2⌉ lowest coordinates, hi over the
    /// rest (2^⌈n/2⌉ + 2^⌊n/2⌋ entries built, where one table of eq(r, ·) took 2^n).
    struct Eq {
        uint256[] lo;
        uint256[] hi;
        uint256 bits;
        bool packed; // lo's entries as e0 + e1·2^128, one word each (`pack`)
    }

    /// lo's 2^bits entries packed in place, entry l = e0 + e1·2^128 into word l (its source, words 2l and 2l + 1,
    /// read first: no later entry reads it).
    function pack(Eq memory e) private pure {
        uint256[] memory lo = e.lo;
        assembly ("memory-safe") {
            let t := add(lo, 32)
            for { let l := 0 } lt(l, shr(1, mload(lo))) { l := add(l, 1) } {
                let a := add(t, shl(6, l))
                mstore(add(t, shl(5, l)), or(mload(a), shl(128, mload(add(a, 32)))))
            }
        }
        e.packed = true;
    }

    /// The two tables of eq(r_{≥skip}, ·) for the point listed at `list` without its first `skip` coordinates.
    function eqSplit(M memory m, uint256 list, uint256 skip) private pure returns (Eq memory e) {
        uint256 n = u16(list) - skip;
        e.bits = (n + 1) / 2;
        e.lo = eqTable(m, list, skip, e.bits);
        e.hi = eqTable(m, list, skip + e.bits, n - e.bits);
    }

    /// Σ_j v_j·eq(r, k + j) over a run of n ≤ 2^64 entries whose values are the packed fields x, x + 1, … of
    /// `src` = (calldata offset << 8 | width w), as ZkmlStatement.values reads them (w-bit two's complement, most
    /// significant bit first; each v mod p, below 2^64), added to s: per stretch of k on which hi's index stays,
    /// Σ v_j·lo[·] unreduced (each product below 2^128, at most 2^bits of them), reduced, times hi[·]. With lo
    /// packed (w ≤ 32) the stretch's sum is Σ u_j·E − 2^(w−1)·Σ E over the packed entries E, u_j = v_j + 2^(w−1)
    /// (the field with its top bit flipped, below 2^32): u·e0 < 2^96, so the halves stay apart (bits ≤ 31).
    function valueRun(Eq memory e, uint256 k, uint256 n, uint256 src, uint256 x, uint256 s0, uint256 s1) private pure returns (uint256, uint256) {
        uint256[] memory lo = e.lo;
        uint256[] memory hi = e.hi;
        uint256 bits = e.bits;
        if (e.packed) return packedRun(lo, hi, bits, k, n, src, x, s0, s1);
        assembly ("memory-safe") {
            let w := and(src, 0xff)
            let from := shr(8, src)
            let half := shl(sub(w, 1), 1) // 2^(w−1): fields from here on are negative
            let full := shl(w, 1)
            let bit := mul(x, w)
            let mask := sub(shl(bits, 1), 1)
            for { let end := add(k, n) } lt(k, end) {} {
                let until := add(or(k, mask), 1)
                if gt(until, end) { until := end }
                let a0 := 0
                let a1 := 0
                let q := add(lo, add(32, shl(6, and(k, mask))))
                for { let last := add(q, shl(6, sub(until, k))) } lt(q, last) { q := add(q, 64) } {
                    let v := shr(sub(256, w), shl(and(bit, 7), calldataload(add(from, shr(3, bit)))))
                    if iszero(lt(v, half)) { v := sub(P, sub(full, v)) }
                    bit := add(bit, w)
                    a0 := add(a0, mul(v, mload(q)))
                    a1 := add(a1, mul(v, mload(add(q, 32))))
                }
                a0 := mod(a0, P)
                a1 := mod(a1, P)
                let h := add(hi, add(32, shl(6, shr(bits, k))))
                let h0 := mload(h)
                let h1 := mload(add(h, 32))
                s0 := addmod(s0, mod(add(mul(a0, h0), mul(mul(7, a1), h1)), P), P)
                s1 := addmod(s1, mod(add(mul(a0, h1), mul(a1, h0)), P), P)
                k := until
            }
        }
        return (s0, s1);
    }

    function packedRun(uint256[] memory lo, uint256[] memory hi, uint256 bits, uint256 k, uint256 n, uint256 src, uint256 x, uint256 s0, uint256 s1)
        private
        pure
        returns (uint256, uint256)
    {
        require(bits < 32);
        assembly ("memory-safe") {
            // One stretch's Σ u_j·E and Σ E over entries q..last, with the fields from bit `b` on (returned past
            // them). A Yul function left by `leave` (never inlined): its loop state stays on its own stack, not in
            // the spill slots of the inlined stage. Four fields a calldata word while four are left (4w ≤ 128 bits
            // after the byte's offset; `b` is the next field's bit address in calldata), their sign bits flipped by one
            // xor with h4 (u = f xor 2^(w−1) each), each shifted to the word's top; then one a load.
            function stretch(q, last, b, w, sh, h4) -> a, se, nb {
                for { let four := sub(last, 96) } lt(q, four) { q := add(q, 128) } {
                    let fw := xor(shl(and(b, 7), calldataload(shr(3, b))), h4)
                    let e0 := mload(q)
                    let e1 := mload(add(q, 32))
                    let e2 := mload(add(q, 64))
                    let e3 := mload(add(q, 96))
                    se := add(se, add(add(e0, e1), add(e2, e3)))
                    a := add(a, add(add(mul(shr(sh, fw), e0), mul(shr(sh, shl(w, fw)), e1)), add(mul(shr(sh, shl(shl(1, w), fw)), e2), mul(shr(sh, shl(mul(3, w), fw)), e3))))
                    b := add(b, shl(2, w))
                }
                nb := b
                let half := shr(sh, h4)
                for {} 1 { q := add(q, 32) } {
                    if iszero(lt(q, last)) { leave }
                    let en := mload(q)
                    a := add(a, mul(xor(shr(sh, shl(and(nb, 7), calldataload(shr(3, nb)))), half), en))
                    se := add(se, en)
                    nb := add(nb, w)
                }
            }
            let w := and(src, 0xff)
            let from := shr(8, src)
            let half := shl(sub(w, 1), 1)
            let hp := sub(P, half) // −2^(w−1) mod p
            // the sign bits of a word's first four fields (w ≤ 32): one xor flips them all
            let h4 := shl(sub(256, shl(2, w)), mul(half, add(add(shl(mul(3, w), 1), shl(shl(1, w), 1)), add(shl(w, 1), 1))))
            let m128 := sub(shl(128, 1), 1)
            let bit := add(shl(3, from), mul(x, w)) // the field's bit address in calldata
            let mask := sub(shl(bits, 1), 1)
            for { let end := add(k, n) } lt(k, end) {} {
                let until := add(or(k, mask), 1)
                if gt(until, end) { until := end }
                let q := add(lo, add(32, shl(5, and(k, mask))))
                let a, se, nb := stretch(q, add(q, shl(5, sub(until, k))), bit, w, sub(256, w), h4)
                bit := nb
                let a0 := mod(add(and(a, m128), mul(hp, and(se, m128))), P)
                let a1 := mod(add(shr(128, a), mul(hp, shr(128, se))), P)
                let h := add(hi, add(32, shl(6, shr(bits, k))))
                let h0 := mload(h)
                let h1 := mload(add(h, 32))
                s0 := addmod(s0, mod(add(mul(a0, h0), mul(mul(7, a1), h1)), P), P)
                s1 := addmod(s1, mod(add(mul(a0, h1), mul(a1, h0)), P), P)
                k := until
            }
        }
        return (s0, s1);
    }

    /// Σ_{j<n} eq(r, a + j)·eq(ρ, b + j) added to s: per stretch on which both hi indices stay,
    /// Σ x.lo[·]·y.lo[·] unreduced (each extension product's half below 2^132), reduced, times x.hi[·]·y.hi[·].
    function productRun(Eq memory x, Eq memory y, uint256 a, uint256 b, uint256 n, uint256 s0, uint256 s1) private pure returns (uint256, uint256) {
        (uint256[] memory xl, uint256 xb) = (x.lo, x.bits);
        (uint256[] memory yl, uint256 yb) = (y.lo, y.bits);
        while (n > 0) {
            uint256 len;
            uint256 a0;
            uint256 a1;
            assembly ("memory-safe") {
                let ma := sub(shl(xb, 1), 1)
                let mb := sub(shl(yb, 1), 1)
                len := sub(add(ma, 1), and(a, ma))
                let lb := sub(add(mb, 1), and(b, mb))
                if lt(lb, len) { len := lb }
                if lt(n, len) { len := n }
                let p := add(xl, add(32, shl(6, and(a, ma))))
                let q := add(yl, add(32, shl(6, and(b, mb))))
                for { let last := add(p, shl(6, len)) } lt(p, last) {} {
                    let x0 := mload(p)
                    let x1 := mload(add(p, 32))
                    let y0 := mload(q)
                    let y1 := mload(add(q, 32))
                    a0 := add(a0, add(mul(x0, y0), mul(mul(7, x1), y1)))
                    a1 := add(a1, add(mul(x0, y1), mul(x1, y0)))
                    p := add(p, 64)
                    q := add(q, 64)
                }
                a0 := mod(a0, P)
                a1 := mod(a1, P)
            }
            (a0, a1) = F.emul(a0, a1, x.hi[2 * (a >> xb)], x.hi[2 * (a >> xb) + 1]);
            (a0, a1) = F.emul(a0, a1, y.hi[2 * (b >> yb)], y.hi[2 * (b >> yb) + 1]);
            (s0, s1) = F.eadd(s0, s1, a0, a1);
            (a, b, n) = (a + len, b + len, n - len);
        }
        return (s0, s1);
    }

    /// eq(r_from..r_{from+n−1}, ·) over the hypercube of those coordinates of the point listed at `list`
    /// (r_from the lowest bit), interleaved (c0, c1).
    function eqTable(M memory m, uint256 list, uint256 from, uint256 n) private pure returns (uint256[] memory t) {
        t = F.eqTableAlloc(n);
        for (uint256 j = 0; j < n; j++) {
            (uint256 r0, uint256 r1) = get(m, u16(list + 2 + 2 * (from + j)));
            F.eqTableLevel(t, j, r0, r1);
        }
    }

    function get(M memory m, uint256 i) private pure returns (uint256 c0, uint256 c1) {
        uint256[] memory r = m.r;
        assembly ("memory-safe") {
            let at := add(r, add(32, mul(64, i)))
            c0 := mload(at)
            c1 := mload(add(at, 32))
        }
    }

    function set(M memory m, uint256 i, uint256 c0, uint256 c1) private pure {
        uint256[] memory r = m.r;
        assembly ("memory-safe") {
            // refused unless 2i + 1 < r.length, with `require`'s empty revert (i < 2^17: a u16 register, or one plus a
            // u16 count, so 2i + 1 does not overflow)
            if iszero(lt(add(shl(1, i), 1), mload(r))) { revert(0, 0) }
            let at := add(r, add(32, mul(64, i)))
            mstore(at, c0)
            mstore(add(at, 32), c1)
        }
    }

    function need(M memory m, uint256 n) private pure {
        if (m.pos > m.end || m.end - m.pos < n) revert Rejected(TRUNCATED);
    }

    function element(uint256 pos) private pure returns (uint256 c0, uint256 c1) {
        uint256 w = word(pos);
        c0 = w >> 192;
        c1 = (w >> 128) & 0xFFFFFFFFFFFFFFFF;
        if (c0 >= P || c1 >= P) revert Rejected(NON_CANONICAL);
    }

    function word(uint256 off) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(off)
        }
    }

    function u8(uint256 off) private pure returns (uint256) {
        return word(off) >> 248;
    }

    function u16(uint256 off) private pure returns (uint256) {
        return word(off) >> 240;
    }
}
