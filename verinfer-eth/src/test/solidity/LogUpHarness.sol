// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {ZkmlStatement} from "ZkmlStatement.sol";
import {LogUpGkr} from "LogUpGkr.sol";
import {LookupChecks} from "LookupChecks.sol";
import {ZkmlKey} from "ZkmlKey.sol";

/// @notice Test only: a verinfer proof's head (statement, witness root, output points) and its look-up
/// phase's LogUp-GKR argument, as Verifier.check runs them; returns a digest of the block claims
/// (points, then evaluations, block by block, as 32-byte words) and the offset in the proof where the
/// argument ends. `cfg` is the key's part these need, flat: nIn, sizes, bits, nOut, sizes, bits,
/// output variables, nTables, columns, variables, nGroups, variables, selectors, tables; then, for
/// `phase`, per group its rank, dimensions and per column its extra term count, per table whether it
/// is a function table, its input minimum (a field element) and its tree code's length in words; `tables`
/// holds the function tables' tree codes (LookupChecks.TableCode).
contract LogUpHarness {
    using Tr for Tr.T;

    bytes32 private constant L_OUTPUT_POINT = bytes32("output-point") | bytes32(uint256(12));

    function verify(bytes32 modelId, uint256[] calldata cfg, bytes calldata proof) external view returns (bytes32 digest, uint256 consumed) {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape,) = ZkmlKey.decode(modelId, cfg);
        uint256 start;
        assembly ("memory-safe") {
            start := proof.offset
        }
        uint256 end = start + proof.length;
        (Tr.T memory t,, uint256 pos) = ZkmlStatement.read(key, start, end, 65536);
        for (uint256 i = 0; i < outputVars.length; i++) {
            for (uint256 j = 0; j < outputVars[i]; j++) t.challengeExt(L_OUTPUT_POINT);
        }
        LogUpGkr.Claims memory c;
        (c, pos) = LogUpGkr.verify(t, shape, pos, end);
        bytes memory all;
        for (uint256 b = 0; b < c.points.length; b++) all = abi.encodePacked(all, c.points[b], c.evals[b]);
        return (keccak256(all), pos - start);
    }

    /// The head alone (statement, witness root, output points): its gas is the statement's share.
    function head(bytes32 modelId, uint256[] calldata cfg, bytes calldata proof) external view returns (uint256 consumed) {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars,,) = ZkmlKey.decode(modelId, cfg);
        uint256 start;
        assembly ("memory-safe") {
            start := proof.offset
        }
        (Tr.T memory t,, uint256 pos) = ZkmlStatement.read(key, start, start + proof.length, 65536);
        for (uint256 i = 0; i < outputVars.length; i++) {
            for (uint256 j = 0; j < outputVars[i]; j++) t.challengeExt(L_OUTPUT_POINT);
        }
        return pos - start;
    }

    /// The head, the LogUp argument and the look-up phase's checks and column terms (LookupPhase.verifyLookups).
    function phase(bytes32 modelId, uint256[] calldata cfg, bytes calldata tables, bytes calldata proof) external view returns (uint256 consumed) {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape, uint256 i) = ZkmlKey.decode(modelId, cfg);
        LookupChecks.Plan memory plan = ZkmlKey.decodePlan(shape, cfg, i, tables);
        uint256 start;
        assembly ("memory-safe") {
            start := proof.offset
        }
        uint256 end = start + proof.length;
        (Tr.T memory t,, uint256 pos) = ZkmlStatement.read(key, start, end, 65536);
        for (uint256 o = 0; o < outputVars.length; o++) {
            for (uint256 j = 0; j < outputVars[o]; j++) t.challengeExt(L_OUTPUT_POINT);
        }
        LogUpGkr.Claims memory c;
        (c, pos) = LogUpGkr.verify(t, shape, pos, end);
        pos = LookupChecks.check(t, shape, c, plan, pos, end);
        return pos - start;
    }

    /// Execution gas (gasleft differences, calldata excluded) of the head, the LogUp argument, and the look-up checks with the column terms.
    function profile(bytes32 modelId, uint256[] calldata cfg, bytes calldata tables, bytes calldata proof)
        external
        view
        returns (uint256 headGas, uint256 logupGas, uint256 checksGas)
    {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape, uint256 i) = ZkmlKey.decode(modelId, cfg);
        LookupChecks.Plan memory plan = ZkmlKey.decodePlan(shape, cfg, i, tables);
        uint256 start;
        assembly ("memory-safe") {
            start := proof.offset
        }
        uint256 end = start + proof.length;
        uint256 g = gasleft();
        (Tr.T memory t,, uint256 pos) = ZkmlStatement.read(key, start, end, 65536);
        for (uint256 o = 0; o < outputVars.length; o++) {
            for (uint256 j = 0; j < outputVars[o]; j++) t.challengeExt(L_OUTPUT_POINT);
        }
        headGas = g - gasleft();
        g = gasleft();
        LogUpGkr.Claims memory c;
        (c, pos) = LogUpGkr.verify(t, shape, pos, end);
        logupGas = g - gasleft();
        g = gasleft();
        LookupChecks.check(t, shape, c, plan, pos, end);
        checksGas = g - gasleft();
    }

    /// `len` values as ZkmlStatement.values reads them after the width byte that starts `b` (no bound):
    /// each v mod p, and how many bytes it read (the width byte included).
    function packed(bytes calldata b, uint256 len) external pure returns (uint256[] memory vs, uint256 read) {
        uint256 start;
        assembly ("memory-safe") {
            start := b.offset
        }
        if (b.length == 0) revert ZkmlStatement.Rejected(ZkmlStatement.TRUNCATED);
        uint256[] memory scratch = new uint256[](len / 4 + 2); // mstore writes 32 bytes at each 8-byte slot
        uint256 at;
        assembly ("memory-safe") {
            at := add(scratch, 32)
        }
        uint256 fault;
        (read, fault) = ZkmlStatement.values(start + 1, start + b.length, len, uint8(b[0]), 1 << 64, at);
        if (fault != 0) revert ZkmlStatement.Rejected(fault);
        vs = new uint256[](len);
        for (uint256 j = 0; j < len; j++) {
            uint256 x;
            assembly ("memory-safe") {
                x := shr(192, mload(add(at, mul(8, j))))
            }
            vs[j] = x;
        }
        read -= start;
    }

    /// A function table's MLE at `pt` (interleaved extension coordinates) from its tree code, and its execution gas.
    function tableMle(uint256[] calldata pt, bytes calldata code) external view returns (uint256 s0, uint256 s1, uint256 gas) {
        uint256 at;
        assembly ("memory-safe") {
            at := code.offset
        }
        uint256[] memory point = pt;
        gas = gasleft();
        (s0, s1) = LookupChecks.mle(at, at + code.length, point);
        gas -= gasleft();
    }
}
