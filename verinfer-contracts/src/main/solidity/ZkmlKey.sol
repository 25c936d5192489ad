// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ZkmlStatement} from "ZkmlStatement.sol";
import {LogUpGkr} from "LogUpGkr.sol";
import {LookupChecks} from "LookupChecks.sol";

/// @notice The part of a verifying key the proof-side stages read, as a flat word array `cfg` (layout in
/// ZkmlLookupStage), decoded: the statement's key (public tensor sizes and bounds), the output points' variables,
/// the LogUp shape, and the look-up checks' plan (function tables' tree codes in `tables`).
library ZkmlKey {
    function decodePlan(LogUpGkr.Shape memory shape, uint256[] calldata cfg, uint256 i, bytes calldata tables)
        internal
        pure
        returns (LookupChecks.Plan memory plan)
    {
        uint256 groups = shape.groupVars.length;
        plan.groupDims = new uint256[][](groups);
        plan.extraTerms = new uint256[][](groups);
        for (uint256 g = 0; g < groups; g++) {
            uint256 rank = cfg[i++];
            plan.groupDims[g] = cfg[i:i + rank];
            i += rank;
            uint256 cols = shape.tableCols[shape.groupTable[g]];
            plan.extraTerms[g] = cfg[i:i + cols];
            i += cols;
        }
        uint256 n = shape.tableVars.length;
        plan.isFunction = new bool[](n);
        plan.committed = new bool[](n);
        plan.inMin = new uint256[](n);
        plan.values = new uint256[](n);
        plan.valuesEnd = new uint256[](n);
        uint256 at;
        assembly ("memory-safe") {
            at := tables.offset
        }
        for (uint256 k = 0; k < n; k++) {
            uint256 kind = cfg[i++]; // 0 range, 1 function (its tree code in `tables`), 2 function committed with the weights
            plan.isFunction[k] = kind != 0;
            plan.committed[k] = kind == 2;
            plan.inMin[k] = cfg[i++];
            uint256 words = cfg[i++];
            if (kind == 1) {
                plan.values[k] = at;
                at += 8 * words;
                plan.valuesEnd[k] = at;
            }
        }
    }

    function decode(bytes32 modelId, uint256[] calldata cfg)
        internal
        pure
        returns (ZkmlStatement.Key memory key, uint256[] memory outputVars, LogUpGkr.Shape memory shape, uint256 i)
    {
        key.modelId = modelId;
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
        i += 3 * n;
    }
}
