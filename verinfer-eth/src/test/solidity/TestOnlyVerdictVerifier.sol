// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import "IProofVerifier.sol";

/// @notice TEST ONLY: verifies nothing. It answers true exactly for the (statement, proof) pairs
/// its deployer (the test) has marked valid, or, for tests whose proofs come from a real prover
/// process and so cannot be marked in advance, for any non-empty proof of a statement whose
/// (key, input, output) the test has marked correct (it ran the model itself). So the market's tests
/// control every verdict while the verifier of verinfer proofs is written. Lives in test sources
/// and is never deployed by the product.
contract TestOnlyVerdictVerifier is IProofVerifier {
    address public immutable test;
    mapping(bytes32 => bool) public valid;
    mapping(bytes32 => bool) public correct;

    constructor() {
        test = msg.sender;
    }

    /// The test declares `proof` a valid proof of `statement` for key `vkHash`.
    function markValid(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external {
        require(msg.sender == test, "only the test");
        valid[keccak256(abi.encode(vkHash, statement, proof))] = true;
    }

    /// The test declares `output` the model's correct output on `input`: every non-empty proof of it counts as valid.
    function markCorrect(bytes32 vkHash, bytes calldata input, bytes calldata output) external {
        require(msg.sender == test, "only the test");
        correct[keccak256(abi.encode(vkHash, input, output))] = true;
    }

    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool) {
        if (valid[keccak256(abi.encode(vkHash, statement, proof))]) return true;
        if (bytes32(statement[:32]) == keccak256("verinfer-eth-batch-statement-v1")) {
            // A batch statement: abi.encode(domain, vkHash, context, count, inputs, outputs); valid iff every pair is marked correct.
            (, bytes32 batchKey,, uint256 count, bytes[] memory inputs, bytes[] memory outputs) =
                abi.decode(statement, (bytes32, bytes32, bytes32, uint256, bytes[], bytes[]));
            if (proof.length == 0 || batchKey != vkHash || count != inputs.length || count != outputs.length) return false;
            for (uint256 i; i < count; i++) {
                if (!correct[keccak256(abi.encode(vkHash, inputs[i], outputs[i]))]) return false;
            }
            return true;
        }
        // VerinferMarket's statement: abi.encode(domain, vkHash, context, input, output).
        (, bytes32 key,, bytes memory input, bytes memory output) = abi.decode(statement, (bytes32, bytes32, bytes32, bytes, bytes));
        return proof.length > 0 && key == vkHash && correct[keccak256(abi.encode(vkHash, input, output))];
    }
}
