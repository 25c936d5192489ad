// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {LogUpGkr} from "LogUpGkr.sol";
import {LookupChecks} from "LookupChecks.sol";
import {ZkmlKey} from "ZkmlKey.sol";

/// @notice Stage 1's table checks in parts (ZkmlVerifierSession.runTables), for a key whose function tables' look-ups do not fit
/// one transaction with the rest of stage 1: the claims of a range of the key's tables, read from stage 1's hand-over, checked
/// as ZkmlLookupStage checks them (LookupChecks.checkTables). A contract of its own: ZkmlLookupStage has no room for it
/// (EIP-170), and the tree codes' MLE would be inlined twice.
contract ZkmlTableStage {
    /// The claims of tables [from, to) (from < to ≤ the table count, else Rejected(TABLE_RANGE)) as stage 1 checks them, read
    /// from its hand-over's `registers` (the output points, then per block its point and evaluations: LogUpGkr.Claims' rows,
    /// whose lengths the key's shape gives); returns the table count. A rejection reverts as stage 1's would.
    function checkTables(bytes32 modelId, uint256[] calldata cfg, bytes calldata tables, uint256[] calldata registers, uint256 from, uint256 to)
        external
        pure
        returns (uint256 n)
    {
        (, uint256[] memory outputVars, LogUpGkr.Shape memory shape, uint256 i) = ZkmlKey.decode(modelId, cfg);
        LookupChecks.Plan memory plan = ZkmlKey.decodePlan(shape, cfg, i, tables);
        n = shape.tableVars.length;
        if (from >= to || to > n) revert LookupChecks.Rejected(LookupChecks.TABLE_RANGE);
        uint256 at = 0;
        for (uint256 o = 0; o < outputVars.length; o++) at += 2 * outputVars[o];
        uint256 groups = shape.groupVars.length;
        LogUpGkr.Claims memory c;
        (c.points, c.evals) = (new uint256[][](groups + n), new uint256[][](groups + n));
        for (uint256 b = 0; b < groups + n; b++) {
            // LogUpGkr.leaves' rows: a point of `vars` coordinates, then the columns and a selector (groups with one) or the multiplicity
            uint256 vars = b < groups ? shape.groupVars[b] : shape.tableVars[b - groups];
            uint256 cols = b < groups ? shape.tableCols[shape.groupTable[b]] + (shape.groupSel[b] ? 1 : 0) : shape.tableCols[b - groups] + 1;
            if (b >= groups + from) {
                c.points[b] = registers[at:at + 2 * vars];
                c.evals[b] = registers[at + 2 * vars:at + 2 * (vars + cols)];
            }
            at += 2 * (vars + cols);
        }
        if (at != registers.length) revert LookupChecks.Rejected(LookupChecks.TABLE_RANGE);
        LookupChecks.checkTables(shape, c, plan, from, to);
    }


    /// The key's table count (for a prover planning stage 1's parts).
    function tableCount(bytes32 modelId, uint256[] calldata cfg) external pure returns (uint256) {
        (,, LogUpGkr.Shape memory shape,) = ZkmlKey.decode(modelId, cfg);
        return shape.tableVars.length;
    }
}
