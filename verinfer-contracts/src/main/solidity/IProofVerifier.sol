// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice Checks a proof of a statement for one model. The market calls it with STATICCALL, so a
/// verifier cannot change state or re-enter the market; a revert or any answer other than true
/// counts as an invalid proof.
/// @dev The statement is VerinferMarket.statementOf's encoding: the verifying key's hash, the proof
/// context (request id, prover), the input and the output bytes. `proof` is the proof, or what the
/// verifier takes in its place: ZkmlVerifierSession verifies verinfer proofs of one inference with
/// public input and output across four transactions run before the market asks, each carrying its
/// part of the proof, and takes the proof's 32-byte hash (ZkmlVerifierSession.proofHashOf) here.
/// A model is only as sound as the verifier contract its owner registered.
interface IProofVerifier {
    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool);
}
