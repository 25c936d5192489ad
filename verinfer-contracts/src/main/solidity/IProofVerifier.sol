// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @notice Checks a proof of a statement for one model. The market calls it with STATICCALL, so a
/// verifier cannot change state or re-enter the market; a revert or any answer other than true
/// counts as an invalid proof.
/// @dev The statement is VerinferMarket.statementOf's encoding: the verifying key's hash, the proof
/// context (request id, prover), the input and the output bytes. No verifier of verinfer proofs
/// exists yet: it waits for the proof format (the commitment scheme) to settle. A model whose
/// verifier is not such a contract is only as sound as that contract.
interface IProofVerifier {
    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool);
}
