// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {SumcheckVerifier} from "SumcheckVerifier.sol";

/// @notice Test only: one sumcheck under a fresh transcript named `domain`, the proof bytes of
/// SumcheckProof.write; returns the sub-claim (point and expected evaluation) for comparison with Java's.
contract SumcheckHarness {
    function verify(bytes calldata domain, uint256 numVars, uint256 degree, uint256 c0, uint256 c1, bytes calldata proof)
        external
        view
        returns (uint256[] memory point0, uint256[] memory point1, uint256 e0, uint256 e1)
    {
        Tr.T memory t = Tr.start(domain, 4096 + 2 * proof.length);
        uint256 offset;
        assembly ("memory-safe") {
            offset := proof.offset
        }
        (SumcheckVerifier.SubClaim memory s, uint256 end) = SumcheckVerifier.verify(t, c0, c1, numVars, degree, offset, offset + proof.length);
        if (end != offset + proof.length) revert SumcheckVerifier.Malformed(end);
        return (s.point0, s.point1, s.e0, s.e1);
    }
}
