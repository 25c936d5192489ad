// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import "IProofVerifier.sol";

/// @notice Accepts no proof. For a model listed before a verifier of its proofs is deployed (the
/// local demo): every ZK result and every proof owed after a challenge or a draw is then invalid,
/// so only OPTIMISTIC results settle, unchallenged, and a challenged prover is slashed whatever it
/// sends. Listing a model with it says so to every prover; the owner lists the model again, with
/// the real verifier, once there is one (the model id is salted by the owner, not by the verifier).
contract NoProofVerifier is IProofVerifier {
    function verify(bytes32, bytes calldata, bytes calldata) external pure returns (bool) {
        return false;
    }
}
