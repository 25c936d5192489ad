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
        Tr.T memory t = Tr.resume(transcript, counter, 65536);
        LayerProgram.M memory m;
        uint256[] memory r = new uint256[](2 * regs);
        assembly ("memory-safe") {
            // the first registers as handed over (registers.length ≤ 2·regs, checked above)
            calldatacopy(add(r, 32), registers.offset, shl(5, registers.length))
        }
        m.r = r;
        m.out = new uint256[](256);
        uint256 start;
        uint256 at;
        assembly ("memory-safe") {
            start := proof.offset
            at := program.offset
        }
        m.pos = start + from;
        m.end = start + proof.length;
        m.head = headOf(ranges, start);
        LayerProgram.run(t, m, at, at + program.length);
        uint256 n = m.outCount;
        uint256[] memory out = m.out;
        assembly ("memory-safe") {
            mstore(out, n) // the result: out's first n words (n ≤ out.length: OP_OUTPUT refuses more)
        }
        (transcriptOut, counterOut, claims, consumed); // named for the ABI: returnSnapshot returns them
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
