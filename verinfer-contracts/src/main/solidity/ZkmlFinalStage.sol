// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {WhirOpening} from "WhirVerifier.sol";

/// @notice Stage 4, the last, of verifying a verinfer proof: the opening's checks on its final
/// polynomial (WhirOpening.finish) on what ZkmlOpeningStage handed over — pure arithmetic, no
/// transcript: the last round's folded values (f̂ at each query's point) and the weight terms' sum σ
/// (the queries' terms read from an NTT of f̂ over their subgroup). True, or a revert with Rejected(code).
contract ZkmlFinalStage {
    function run(bytes calldata handover) external pure returns (bool) {
        (WhirOpening.Group memory gr, WhirOpening.Terms memory terms, bytes memory coefficients) = WhirOpening.readHandover(handover);
        WhirOpening.finish(gr, terms, coefficients);
        return true;
    }
}
