// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {ZkmlStatement} from "ZkmlStatement.sol";
import {LayerProgram} from "LayerProgram.sol";

/// @notice Stage 2 of verifying a verinfer proof: the key's layer program (LayerProgram) continuing
/// from ZkmlLookupStage's hand-over — the transcript, the first registers, the proof offset and the
/// public tensors' ranges — up to the commitment opening. Hands over the transcript, the opening's
/// claims (per claim its point's coordinates and its value, (c0, c1) words; the program's output) and
/// the offset where the opening begins. A rejection reverts with Rejected(code) or Malformed(pos).
contract ZkmlLayerStage {
    using Tr for Tr.T;

    error Rejected(uint256 code);

    /// runPart's span is empty or past the program's end, or its input is not a machine's.
    uint256 internal constant BAD_PART = 155;

    /// Stage 2 in one call: the whole program on the machine stage 1 left (its first registers, ≤ 2·regs words).
    function run(
        bytes calldata transcript,
        uint256 counter,
        uint256[] calldata registers,
        uint256 from,
        uint256[] calldata ranges,
        bytes calldata program,
        uint256 regs,
        bytes calldata proof
    ) external view returns (bytes memory transcriptOut, uint256 counterOut, uint256[] memory claims, uint256 consumed) {
        if (registers.length > 2 * regs || from > proof.length) revert Rejected(LayerProgram.BAD_OPCODE);
        (Tr.T memory t, LayerProgram.M memory m, uint256 start, uint256 at) = machine(transcript, counter, registers, from, ranges, regs, proof, program);
        LayerProgram.run(t, m, at, at + program.length);
        (transcriptOut, counterOut, claims, consumed); // named for the ABI: `finish` returns them
        finish(t, m, start);
    }

    /// Stage 2 in parts (ZkmlVerifierSession.runLayersUpTo, runLayersFrom): the program's instructions from offset `pcFrom` —
    /// where the previous part stopped, an instruction's start (0 for the first part) — up to the first instruction starting at
    /// or past `pcTo` (pcFrom < pcTo ≤ the program's length, else Rejected(BAD_PART)), on the machine the previous part left: its
    /// transcript, proof offset `from` and, for the first part, stage 1's first registers `registers` (`file` empty), else `file`
    /// (`registers` empty): the register file and the result so far as `pack` wrote them. The instructions run are those of
    /// `run`'s run of the program, in its order, since every part starts where one stopped. Returns, as raw return data, `run`'s
    /// when the part reached the program's end (a split stage 2 ends exactly as the whole one: abi.encode(transcript, counter,
    /// claims, consumed), first word 128), else the machine: abi.encode(transcript, counter, file, consumed, pc), pc the program
    /// offset where it stopped (first word 160).
    function runPart(
        bytes calldata transcript,
        uint256 counter,
        uint256[] calldata registers,
        uint256 from,
        uint256[] calldata ranges,
        bytes calldata program,
        uint256 regs,
        bytes calldata proof,
        uint256 pcFrom,
        uint256 pcTo,
        bytes calldata file
    ) external view {
        // a file: the 2·regs register words and an even number of result words (≤ the result's 256), 8 bytes each
        uint256 outWords = file.length < 16 * regs ? 0 : file.length / 8 - 2 * regs;
        if (registers.length > 2 * regs || from > proof.length || pcFrom >= pcTo || pcTo > program.length
                || (file.length != 0 && (registers.length != 0 || file.length % 16 != 0 || file.length < 16 * regs || outWords > 256))) {
            revert Rejected(BAD_PART);
        }
        (Tr.T memory t, LayerProgram.M memory m, uint256 start, uint256 at) = machine(transcript, counter, registers, from, ranges, regs, proof, program);
        if (file.length != 0) {
            (uint256[] memory r, uint256[] memory o) = (m.r, m.out);
            assembly ("memory-safe") {
                let src := file.offset
                for { let j := 0 } lt(j, mload(r)) { j := add(j, 1) } {
                    mstore(add(r, shl(5, add(j, 1))), shr(192, calldataload(add(src, shl(3, j)))))
                }
                src := add(src, shl(3, mload(r)))
                for { let j := 0 } lt(j, outWords) { j := add(j, 1) } {
                    mstore(add(o, shl(5, add(j, 1))), shr(192, calldataload(add(src, shl(3, j)))))
                }
            }
            m.outCount = outWords;
        }
        uint256 pc = LayerProgram.run(t, m, at + pcFrom, at + pcTo) - at;
        if (pc >= program.length) finish(t, m, start);
        (bytes memory buffer, uint256 ctr) = t.snapshot();
        bytes memory ret = abi.encode(buffer, ctr, pack(m), m.pos - start, pc);
        assembly ("memory-safe") {
            return(add(ret, 32), mload(ret))
        }
    }

    /// The machine's register words, then its result's first m.outCount words, 8 bytes each (big-endian): a quarter of their
    /// ABI words, for the hand-over between two parts. Every value is below p (reduced, or read and checked canonical), so below
    /// 2^64; one that is not is refused (Rejected(BAD_PART)), so a file always holds exactly the words it was packed from.
    function pack(LayerProgram.M memory m) private pure returns (bytes memory file) {
        uint256[] memory r = m.r;
        uint256[] memory o = m.out;
        uint256 n = m.outCount;
        file = new bytes(8 * (r.length + n));
        uint256 wide;
        assembly ("memory-safe") {
            let dst := add(file, 32)
            for { let j := 0 } lt(j, mload(r)) { j := add(j, 1) } {
                let v := mload(add(r, shl(5, add(j, 1))))
                wide := or(wide, shr(64, v))
                mstore(add(dst, shl(3, j)), shl(192, v)) // its low 24 zero bytes are overwritten next, or past the file's end
            }
            dst := add(dst, shl(3, mload(r)))
            for { let j := 0 } lt(j, n) { j := add(j, 1) } {
                let v := mload(add(o, shl(5, add(j, 1))))
                wide := or(wide, shr(64, v))
                mstore(add(dst, shl(3, j)), shl(192, v))
            }
            mstore(0x40, add(mload(0x40), 32)) // the last word's spill stays inside allocated memory
        }
        if (wide != 0) revert Rejected(BAD_PART);
    }

    /// The machine on the handed-over state: the transcript resumed, the registers (2·regs words, the first as handed over, the
    /// rest zero), the result's room, the proof cursor at `from`, the public tensors' ranges; and the program's calldata offset.
    function machine(
        bytes calldata transcript,
        uint256 counter,
        uint256[] calldata registers,
        uint256 from,
        uint256[] calldata ranges,
        uint256 regs,
        bytes calldata proof,
        bytes calldata program
    ) private pure returns (Tr.T memory t, LayerProgram.M memory m, uint256 start, uint256 at) {
        t = Tr.resume(transcript, counter, 65536);
        uint256[] memory r = new uint256[](2 * regs);
        assembly ("memory-safe") {
            // the first registers as handed over (registers.length ≤ 2·regs, checked by the caller)
            calldatacopy(add(r, 32), registers.offset, shl(5, registers.length))
        }
        m.r = r;
        m.out = new uint256[](256);
        assembly ("memory-safe") {
            start := proof.offset
            at := program.offset
        }
        m.pos = start + from;
        m.end = start + proof.length;
        m.head = headOf(ranges, start);
    }

    /// Returns (raw) the stage's result, run's abi.encode(transcript, counter, claims, consumed), the claims being the result's
    /// first m.outCount words (≤ its length: OP_OUTPUT refuses more).
    function finish(Tr.T memory t, LayerProgram.M memory m, uint256 start) private pure {
        uint256 n = m.outCount;
        uint256[] memory out = m.out;
        assembly ("memory-safe") {
            mstore(out, n)
        }
        t.returnSnapshot(out, m.pos - start, false, out, 0);
    }

    function headOf(uint256[] calldata r, uint256 start) private pure returns (ZkmlStatement.Head memory h) {
        uint256 ni = r[0];
        uint256 no = r[1 + 2 * ni];
        (h.inputOffsets, h.inputEnds) = (new uint256[](ni), new uint256[](ni));
        (h.outputOffsets, h.outputEnds) = (new uint256[](no), new uint256[](no));
        for (uint256 j = 0; j < ni; j++) (h.inputOffsets[j], h.inputEnds[j]) = (start + r[1 + 2 * j], start + r[2 + 2 * j]);
        for (uint256 j = 0; j < no; j++) (h.outputOffsets[j], h.outputEnds[j]) = (start + r[2 + 2 * ni + 2 * j], start + r[3 + 2 * ni + 2 * j]);
    }
}
