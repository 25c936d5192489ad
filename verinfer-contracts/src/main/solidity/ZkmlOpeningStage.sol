// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Sha256Transcript as Tr} from "Sha256Transcript.sol";
import {WhirOpening, WhirTables} from "WhirVerifier.sol";

/// @notice Stage 3 of verifying a verinfer proof: the commitment opening (WhirOpening, kept apart so
/// that it follows a change of commitment) continuing from ZkmlLayerStage's transcript, on the claims
/// the layers handed over (WhirOpening.readClaims's list: the weight claim on the key's weight root,
/// the witness claim on the proof's witness root), `opening` being the rest of the proof. It runs the
/// whole transcript and every check but those on the final polynomial, and hands those over to stage 4
/// (ZkmlFinalStage): WhirOpening.handover(Group, Terms), packed. A revert with Rejected(code)
/// otherwise.
contract ZkmlOpeningStage {
    /// WhirOpening's schedule tables, deployed with the stage (their 3.2 KB as code of their own).
    address private immutable tables = address(new WhirTables());

    function run(bytes calldata transcript, uint256 counter, uint8 soundness, uint256[] calldata claims, bytes calldata opening)
        external
        view
        returns (bytes memory)
    {
        if (soundness >= WhirOpening.SETS) WhirOpening.reject(5);
        uint256 groups = claims.length == 0 || claims[0] > claims.length ? 0 : claims[0];
        Tr.T memory t = Tr.resume(transcript, counter, 8192 + opening.length + 20480 * groups + 48 * claims.length);
        uint256 offset;
        assembly ("memory-safe") {
            offset := opening.offset
        }
        (WhirOpening.Group memory gr, WhirOpening.Terms memory terms) = WhirOpening.verify(t, tables, soundness, WhirOpening.readClaims(claims), offset, opening.length);
        return WhirOpening.handover(gr, terms);
    }
}
