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
        finish(t, m, start, true, 0);
    }

    /// Stage 2 in parts (ZkmlVerifierSession.runLayersUpTo, runLayersFrom): the program's instructions from offset `pcFrom` —
    /// where the previous part stopped, an instruction's start (0 for the first part) — up to the first instruction starting at
    /// or past `pcTo` (pcFrom < pcTo ≤ the program's length, else Rejected(BAD_PART)), on the machine the previous part left: its
    /// transcript, registers (2·regs words; stage 1's first registers for the first part), proof offset `from` and result so far
    /// `out`. The instructions run are those of `run`'s run of the program, in its order, since every part starts where one
    /// stopped. Returns, as raw return data, `run`'s when the part reached the program's end (a split stage 2 ends exactly as the
    /// whole one: abi.encode(transcript, counter, claims, consumed), whose first word is 128), else the machine:
    /// abi.encode(transcript, counter, registers, consumed, out, pc), pc the program offset where it stopped (first word 192).
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
        uint256[] calldata out
    ) external view {
        if (registers.length > 2 * regs || from > proof.length || pcFrom >= pcTo || pcTo > program.length || out.length > 256) {
            revert Rejected(BAD_PART);
        }
        (Tr.T memory t, LayerProgram.M memory m, uint256 start, uint256 at) = machine(transcript, counter, registers, from, ranges, regs, proof, program);
        uint256[] memory o = m.out;
        assembly ("memory-safe") {
            calldatacopy(add(o, 32), out.offset, shl(5, out.length)) // out.length ≤ 256 = o.length, checked above
        }
        m.outCount = out.length;
        uint256 pc = LayerProgram.run(t, m, at + pcFrom, at + pcTo) - at;
        finish(t, m, start, pc >= program.length, pc);
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

    /// Returns (raw) the stage's result: `done`, run's abi.encode(transcript, counter, claims, consumed), the claims being the
    /// result's first m.outCount words (≤ its length: OP_OUTPUT refuses more); else a part's machine (runPart).
    function finish(Tr.T memory t, LayerProgram.M memory m, uint256 start, bool done, uint256 pc) private pure {
        uint256 n = m.outCount;
        uint256[] memory out = m.out;
        assembly ("memory-safe") {
            mstore(out, n)
        }
        t.returnSnapshot(done ? out : m.r, m.pos - start, !done, out, bytes32(pc));
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
