// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import "IProofVerifier.sol";

/// @notice TEST ONLY: verifies nothing. It answers true exactly for the (statement, proof) pairs
/// its deployer (the test) has marked valid, so that the market's scenario tests control every
/// verdict while no verifier of verinfer proofs exists. Lives in test sources and is never deployed
/// by the product.
contract TestOnlyVerdictVerifier is IProofVerifier {
    address public immutable test;
    mapping(bytes32 => bool) public valid;

    constructor() {
        test = msg.sender;
    }

    /// The test declares `proof` a valid proof of `statement` for key `vkHash`.
    function markValid(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external {
        require(msg.sender == test, "only the test");
        valid[keccak256(abi.encode(vkHash, statement, proof))] = true;
    }

    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool) {
        return valid[keccak256(abi.encode(vkHash, statement, proof))];
    }
}
