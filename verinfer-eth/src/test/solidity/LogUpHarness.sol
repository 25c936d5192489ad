// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {ZkmlStatement} from "ZkmlStatement.sol";
import {LogUpGkr} from "LogUpGkr.sol";

/// @notice Test only: a verinfer proof's head (statement, witness root, output points) and its look-up
/// phase's LogUp-GKR argument, as Verifier.check runs them; returns a digest of the block claims
/// (points, then evaluations, block by block, as 32-byte words) and the offset in the proof where the
/// argument ends. `cfg` is the key's part these need, flat: nIn, sizes, bits, nOut, sizes, bits,
/// output variables, nTables, columns, variables, nGroups, variables, selectors, tables.
contract LogUpHarness {
    using Tr for Tr.T;

    bytes32 private constant L_OUTPUT_POINT = bytes32("output-point") | bytes32(uint256(12));

    function verify(bytes32 modelId, uint256[] calldata cfg, bytes calldata proof) external view returns (bytes32 digest, uint256 consumed) {
        (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape) = decode(modelId, cfg);
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
        (ZkmlStatement.Key memory key, uint256[] memory outputVars,) = decode(modelId, cfg);
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

    function decode(bytes32 modelId, uint256[] calldata cfg)
        private
        pure
        returns (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape)
    {
        key.modelId = modelId;
        uint256 i = 0;
        uint256 n = cfg[i++];
        key.inputSizes = cfg[i:i + n];
        key.inputBits = cfg[i + n:i + 2 * n];
        i += 2 * n;
        n = cfg[i++];
        key.outputSizes = cfg[i:i + n];
        key.outputBits = cfg[i + n:i + 2 * n];
        outputVars = cfg[i + 2 * n:i + 3 * n];
        i += 3 * n;
        n = cfg[i++];
        shape.tableCols = cfg[i:i + n];
        shape.tableVars = cfg[i + n:i + 2 * n];
        i += 2 * n;
        n = cfg[i++];
        shape.groupVars = cfg[i:i + n];
        shape.groupSel = new bool[](n);
        for (uint256 g = 0; g < n; g++) shape.groupSel[g] = cfg[i + n + g] != 0;
        shape.groupTable = cfg[i + 2 * n:i + 3 * n];
    }
}
