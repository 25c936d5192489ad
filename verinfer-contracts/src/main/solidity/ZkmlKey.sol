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
            plan.groupDims[g] = slice(cfg, i, rank);
            i += rank;
            uint256 cols = shape.tableCols[shape.groupTable[g]];
            plan.extraTerms[g] = slice(cfg, i, cols);
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
        key.inputSizes = slice(cfg, i, n);
        key.inputBits = slice(cfg, i + n, n);
        i += 2 * n;
        n = cfg[i++];
        key.outputSizes = slice(cfg, i, n);
        key.outputBits = slice(cfg, i + n, n);
        outputVars = slice(cfg, i + 2 * n, n);
        i += 3 * n;
        n = cfg[i++];
        shape.tableCols = slice(cfg, i, n);
        shape.tableVars = slice(cfg, i + n, n);
        i += 2 * n;
        n = cfg[i++];
        shape.groupVars = slice(cfg, i, n);
        shape.groupSel = new bool[](n);
        for (uint256 g = 0; g < n; g++) shape.groupSel[g] = cfg[i + n + g] != 0;
        shape.groupTable = slice(cfg, i + 2 * n, n);
        i += 3 * n;
    }

    /// cfg[from:from + n] as a memory array, copied whole: the slice's checks (from + n with overflow checked, then
    /// at most cfg.length, else an empty revert) without solc's copy loop a word.
    function slice(uint256[] calldata cfg, uint256 from, uint256 n) private pure returns (uint256[] memory a) {
        if (from + n > cfg.length) revert();
        assembly ("memory-safe") {
            a := mload(0x40)
            mstore(a, n)
            calldatacopy(add(a, 32), add(cfg.offset, shl(5, from)), shl(5, n))
            mstore(0x40, add(a, shl(5, add(n, 1))))
        }
    }
}
