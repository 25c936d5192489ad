// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {WhirOpening} from "WhirVerifier.sol";

/// @notice Stages 4 and 5, the last, of verifying a verinfer proof: the opening's checks on its final
/// polynomial (WhirOpening.finish) on what ZkmlOpeningStage handed over — pure arithmetic, no
/// transcript: part 0 the last round's folded values (f̂ at each query's point), part 1 the weight terms'
/// sum σ. Two parts because together they are ≈ 20 M gas for a proven alexa_v0.1 opening (222
/// evaluations of a 1,024-coefficient polynomial). True, or a revert with Rejected(code).
contract ZkmlFinalStage {
    function run(bytes calldata handover, uint256 part) external pure returns (bool) {
        if (part > 1) WhirOpening.reject(5);
        (WhirOpening.Group memory gr, WhirOpening.Terms memory terms, bytes memory coefficients) =
            abi.decode(handover, (WhirOpening.Group, WhirOpening.Terms, bytes));
        WhirOpening.finish(gr, terms, coefficients, part == 0 ? WhirOpening.FINISH_FOLDS : WhirOpening.FINISH_SUM);
        return true;
    }
}
