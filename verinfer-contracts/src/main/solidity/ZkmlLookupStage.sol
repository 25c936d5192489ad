// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {ZkmlStatement} from "ZkmlStatement.sol";
import {LogUpGkr} from "LogUpGkr.sol";
import {LookupChecks} from "LookupChecks.sol";
import {ZkmlKey} from "ZkmlKey.sol";

/// @notice Stage 1 of verifying a verinfer proof (Verifier.check's order): the head (statement checked
/// against the key and absorbed, witness root), the output points, the look-up phase's LogUp-GKR
/// argument and its claims' checks (selectors, range and function tables). It hands over what the next
/// stage (ZkmlLayerStage) continues from: the transcript (Sha256Transcript.snapshot), the layer
/// program's first registers (the output points, then per look-up block its point and evaluations,
/// (c0, c1) pairs), the proof offset reached and the public tensors' byte ranges (offsets from the
/// proof's start: count, then (start, end) per input, count, then per output) and the witness root for
/// the opening stage's claim on it (zero when the proof's root is not 32 bytes: WhirOpening then refuses
/// the claim, as WhirVerifier refuses a root of another length; no SHA-256 digest is zero).
/// A rejection reverts with Rejected(code) or Malformed(pos).
///
/// `cfg`, flat: nIn, sizes, bits, nOut, sizes, bits, output variables, nTables, columns, variables,
/// nGroups, variables, selectors, tables; then per group its rank, dimensions and per column its extra
/// term count, per table its kind (0 range, 1 function, 2 function committed with the weights: no tree code), its input
/// minimum and its tree code's length in words (`tables`: the uncommitted function tables' tree codes, LookupChecks.TableCode).
contract ZkmlLookupStage {
    using Tr for Tr.T;

    bytes32 private constant L_OUTPUT_POINT = bytes32("output-point") | bytes32(uint256(12));

    /// Stage 1 with the claims of tables [0, to) checked: all of them for `to` = 2^256 − 1, else `to` below the table count
    /// (Rejected(TABLE_RANGE) otherwise), the rest left to ZkmlTableStage (the session's stage 1 in parts). The return data is
    /// the same for every `to`: its registers hold every table's claims. Only the tree codes of tables below `to` are read
    /// (`tables` may be empty for `to` = 0).
    function run(bytes32 modelId, uint256[] calldata cfg, bytes calldata tables, bytes calldata proof, uint256 to)
        external
        view
        returns (
            bytes memory transcript,
            uint256 counter,
            uint256[] memory registers,
            uint256 consumed,
            uint256[] memory ranges,
            bytes32 witnessRoot
        )
    {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape, uint256 i) = ZkmlKey.decode(modelId, cfg);
        LookupChecks.Plan memory plan = ZkmlKey.decodePlan(shape, cfg, i, tables);
        uint256 start;
        assembly ("memory-safe") {
            start := proof.offset
        }
        uint256 end = start + proof.length;
        (Tr.T memory t, ZkmlStatement.Head memory h, uint256 pos) = ZkmlStatement.read(key, start, end, 65536);
        uint256 n = 0;
        for (uint256 o = 0; o < outputVars.length; o++) n += outputVars[o];
        uint256[] memory points = new uint256[](2 * n);
        for (uint256 j = 0; j < n; j++) (points[2 * j], points[2 * j + 1]) = t.challengeExt(L_OUTPUT_POINT);
        LogUpGkr.Claims memory c;
        (c, pos) = LogUpGkr.verify(t, shape, pos, end);
        if (to == type(uint256).max) to = shape.tableVars.length;
        else if (to >= shape.tableVars.length) revert LookupChecks.Rejected(LookupChecks.TABLE_RANGE);
        LookupChecks.checkClaims(shape, c, plan, to);
        // c.points and c.evals have one row a block (LogUpGkr.row: unchecked)
        for (uint256 b = 0; b < c.points.length; b++) n += (LogUpGkr.row(c.points, b).length + LogUpGkr.row(c.evals, b).length) / 2;
        registers = new uint256[](2 * n); // the lengths below add up to 2n (each is even)
        uint256 at;
        assembly ("memory-safe") {
            at := add(registers, 32)
        }
        at = append(at, points);
        for (uint256 b = 0; b < c.points.length; b++) {
            at = append(at, LogUpGkr.row(c.points, b));
            at = append(at, LogUpGkr.row(c.evals, b));
        }
        (transcript, counter, consumed, ranges, witnessRoot); // named for the ABI: returnSnapshot returns them
        t.returnSnapshot(registers, pos - start, true, rangesOf(h, start), h.witnessRootLength == 32 ? h.witnessRoot : bytes32(0));
    }

    /// Copies `a`'s words to memory `at`; returns where they end.
    function append(uint256 at, uint256[] memory a) private pure returns (uint256 end) {
        assembly ("memory-safe") {
            let n := shl(5, mload(a))
            mcopy(at, add(a, 32), n)
            end := add(at, n)
        }
    }

    function rangesOf(ZkmlStatement.Head memory h, uint256 start) private pure returns (uint256[] memory r) {
        uint256 ni = h.inputOffsets.length;
        uint256 no = h.outputOffsets.length;
        r = new uint256[](2 + 2 * ni + 2 * no);
        r[0] = ni;
        for (uint256 j = 0; j < ni; j++) (r[1 + 2 * j], r[2 + 2 * j]) = (h.inputOffsets[j] - start, h.inputEnds[j] - start);
        r[1 + 2 * ni] = no;
        for (uint256 j = 0; j < no; j++) (r[2 + 2 * ni + 2 * j], r[3 + 2 * ni + 2 * j]) = (h.outputOffsets[j] - start, h.outputEnds[j] - start);
    }
}
