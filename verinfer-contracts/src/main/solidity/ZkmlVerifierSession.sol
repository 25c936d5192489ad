// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IProofVerifier} from "IProofVerifier.sol";
import {ProofBuffer} from "ProofBuffer.sol";
import {ZkmlLookupStage} from "ZkmlLookupStage.sol";
import {ZkmlLayerStage} from "ZkmlLayerStage.sol";
import {ZkmlOpeningStage} from "ZkmlOpeningStage.sol";
import {ZkmlFinalStage} from "ZkmlFinalStage.sol";

/// @notice Verifies one verinfer proof of one market statement across four transactions — the stages
/// ZkmlLookupStage, ZkmlLayerStage, ZkmlOpeningStage and ZkmlFinalStage, each under 20 M gas
/// for alexa_v0.1 in both PCS settings — and answers the market (IProofVerifier) for exactly the (vkHash,
/// statement, proof) whose session accepted.
///
/// Keys are content-addressed: `registerKey` stores the hashes of a key's parts (the model id, the flat
/// `cfg`, the function tables' tree codes, the layer program and its register count, the weight root and
/// the opening's arities, the WHIR parameter set) under vkHash = keccak256 of them, so nobody can bind
/// other parts to a registered vkHash, and the market's model is registered with that vkHash. The parts
/// (cfg, tables, program) are kept as code in the session's own ProofBuffer (the session its only
/// uploader; `load` refuses bytes that do not hash to the key's), so a prover runs a session knowing only
/// the model's vkHash.
///
/// The proof is read from a ProofBuffer (the market's, where a prover uploads it for
/// `submitResultBuffered`): any buffer, since the session hashes what it loads and refuses it unless it
/// is `proofHash`. So no transaction carries the proof, each stays far under the pool's 128 KB.
///
/// A session is keyed by keccak256(vkHash, keccak256(statement), keccak256(proof)). Stage 1
/// (`runLookups`) checks that the proof's public statement is the market's statement — the same context
/// (the market's request and prover binding), the same input and output values tensor for tensor, as
/// ZkmlProofVerifier.verify compares them in Java — runs the look-up stage and stores keccak256 of its
/// return data (the hand-over). Stages 2 to 4 take the previous hand-over back as calldata and run only
/// if it hashes to the stored word and the session stands at the previous stage; stage 2 stores
/// keccak256(witness root, its return data), stage 3 (the opening's transcript and every check but those
/// on the final polynomial) keccak256 of its return data, stage 4 (the last round's folded values and the
/// sum σ at the final polynomial) records acceptance. Nothing a caller supplies between
/// stages is trusted but by that equality; every stage is a pure function of the key and the proof, so
/// re-running one cannot change what it hands over, and a session only moves forward (nobody can set a
/// prover's session back between its transactions). A rejection reverts the stage's transaction
/// (Rejected/Malformed from the stage): a rejected proof is simply never accepted, and the market's
/// `verify` answers false.
contract ZkmlVerifierSession is IProofVerifier {
    bytes32 internal constant STATEMENT_DOMAIN = keccak256("verinfer-eth-statement-v1");
    bytes32 internal constant KEY_DOMAIN = keccak256("verinfer-eth-session-key-v3");
    uint8 internal constant LOOKUPS_DONE = 1;
    uint8 internal constant LAYERS_DONE = 2;
    uint8 internal constant OPENED = 3;
    uint8 internal constant ACCEPTED = 4;

    struct Key {
        bytes32 modelId;
        bytes32 cfgHash;
        bytes32 tablesHash;
        bytes32 programHash;
        bytes32 weightRoot;
        uint64 registers;
        uint32 weightVars;
        uint32 witnessVars;
        uint8 soundness;
        bool registered;
    }

    address public immutable lookupStage;
    address public immutable layerStage;
    address public immutable openingStage;
    address public immutable finalStage;
    /// Where the keys' tables and programs are kept (uploaded by this contract only).
    ProofBuffer public immutable keyData;

    mapping(bytes32 => Key) private keys;
    /// Per session: the stage it stands at and the hash of that stage's hand-over.
    mapping(bytes32 => uint8) public stageOf;
    mapping(bytes32 => bytes32) public handoverOf;

    event KeyRegistered(bytes32 indexed vkHash, bytes32 modelId);
    event StageDone(bytes32 indexed session, uint8 stage, bytes32 handoverHash);
    event Accepted(bytes32 indexed session, bytes32 indexed vkHash, bytes32 statementHash, bytes32 proofHash);

    error UnknownKey(bytes32 vkHash);
    error WrongKeyData(bytes32 vkHash);
    /// The market's statement is not the proof's: 1 domain or vkHash, 2 context, 3 input, 4 output.
    error WrongStatement(uint256 part);
    error WrongStage(bytes32 session, uint8 stage);
    error WrongHandover(bytes32 session);
    error WrongProof(bytes32 proofHash);

    constructor(address lookup, address layers, address opening, address finalChecks) {
        (lookupStage, layerStage, openingStage, finalStage) = (lookup, layers, opening, finalChecks);
        keyData = new ProofBuffer();
    }

    // ---------------------------------------------------------------- keys

    function keyHash(
        bytes32 modelId,
        bytes32 cfgHash,
        bytes32 tablesHash,
        bytes32 programHash,
        uint256 registers,
        bytes32 weightRoot,
        uint256 weightVars,
        uint256 witnessVars,
        uint8 soundness
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(KEY_DOMAIN, modelId, cfgHash, tablesHash, programHash, registers, weightRoot, weightVars, witnessVars, soundness));
    }

    /// @notice Registers a key (anyone may: the vkHash is the hash of its parts); returns its vkHash.
    function registerKey(
        bytes32 modelId,
        uint256[] calldata cfg,
        bytes calldata tables,
        bytes calldata program,
        uint64 registers,
        bytes32 weightRoot,
        uint32 weightVars,
        uint32 witnessVars,
        uint8 soundness
    ) external returns (bytes32 vkHash) {
        if (soundness > 2) revert WrongKeyData(bytes32(0));
        bytes32 cfgHash = keccak256(abi.encodePacked(cfg));
        bytes32 tablesHash = keccak256(tables);
        bytes32 programHash = keccak256(program);
        vkHash = keyHash(modelId, cfgHash, tablesHash, programHash, registers, weightRoot, weightVars, witnessVars, soundness);
        keys[vkHash] = Key(modelId, cfgHash, tablesHash, programHash, weightRoot, registers, weightVars, witnessVars, soundness, true);
        keep(cfgHash, abi.encodePacked(cfg));
        keep(tablesHash, tables);
        keep(programHash, program);
        emit KeyRegistered(vkHash, modelId);
    }

    /// Stores `data` in keyData under its hash, once, in chunks of the largest size.
    function keep(bytes32 hash, bytes memory data) private {
        if (data.length == 0 || keyData.chunkCount(address(this), hash) != 0) return;
        uint256 max = keyData.MAX_CHUNK();
        for (uint256 i = 0; i * max < data.length; i++) {
            uint256 n = (i + 1) * max < data.length ? max : data.length - i * max;
            bytes memory chunk = new bytes(n);
            assembly ("memory-safe") {
                mcopy(add(chunk, 32), add(add(data, 32), mul(i, max)), n)
            }
            keyData.store(hash, i, chunk);
        }
    }

    /// The key's cfg words, kept as their packed encoding.
    function keptWords(bytes32 hash) private view returns (Part memory) {
        return Part(keyData.chunksOf(address(this), hash), hash, 0, WORDS);
    }

    /// A key part kept by `keep`: exactly the bytes that hash to `hash`.
    function kept(bytes32 hash) private view returns (Part memory) {
        return Part(keyData.chunksOf(address(this), hash), hash, 0, 0);
    }

    /// The proof `uploader` stored in `buffer` under `proofHash` (the buffer is the caller's choice, so
    /// what it holds is hashed here), from byte `skip` on.
    function proofPart(ProofBuffer buffer, address uploader, bytes32 proofHash, uint256 skip) private view returns (Part memory) {
        return Part(buffer.chunksOf(uploader, proofHash), proofHash, skip, PROOF);
    }

    /// Bytes kept in a ProofBuffer as the code of its chunks' data contracts, to be copied straight into a
    /// stage's calldata (`fill`): one copy, where loading them (ProofBuffer.load), decoding the return data
    /// and encoding the call made three, whose memory cost grows with the square of their size.
    struct Part {
        address[] chunks;
        bytes32 hash;
        uint256 skip;
        uint256 kind; // PROOF: refused with WrongProof unless nonempty and hashing to `hash`; WORDS: a uint256[]; else bytes
    }

    uint256 private constant PROOF = 1;
    uint256 private constant WORDS = 2;

    /// Fills `data`, an abi.encodeCall whose last parts.length arguments are empty (their tails the last
    /// words of `data`: one zero length word each) and which is the last memory allocated, in place: part i
    /// becomes argument args[i] (its head word set to its offset), its bytes copied from the chunks' code
    /// (STOP ‖ chunk each, as ProofBuffer.store wrote them), hashed and refused unless they hash to the
    /// part's hash (so a buffer that lies about its chunks is caught as ProofBuffer.load would catch it),
    /// then cut to the bytes from `skip` on and zero-padded. Returns where the last part's bytes start.
    function fill(bytes memory data, uint256[] memory args, Part[] memory parts) private view returns (uint256 last) {
        uint256 base;
        uint256 cursor;
        assembly ("memory-safe") {
            base := add(data, 36)
            cursor := sub(add(add(data, 32), mload(data)), shl(5, mload(parts)))
        }
        for (uint256 i = 0; i < parts.length; i++) {
            Part memory p = parts[i];
            address[] memory chunks = p.chunks;
            uint256 len;
            bytes32 h;
            assembly ("memory-safe") {
                let at := add(cursor, 32)
                for { let j := 0 } lt(j, mload(chunks)) { j := add(j, 1) } {
                    let c := mload(add(chunks, shl(5, add(j, 1))))
                    let size := extcodesize(c)
                    if size {
                        extcodecopy(c, at, 1, sub(size, 1))
                        at := add(at, sub(size, 1))
                    }
                }
                len := sub(at, add(cursor, 32))
                h := keccak256(add(cursor, 32), len)
            }
            if (h != p.hash || p.skip > len || (p.kind == PROOF && len == 0)) {
                if (p.kind == PROOF) revert WrongProof(p.hash);
                revert WrongKeyData(p.hash);
            }
            uint256 head = base + 32 * args[i];
            uint256 skip = p.skip;
            bool words = p.kind == WORDS;
            assembly ("memory-safe") {
                if skip {
                    len := sub(len, skip)
                    mcopy(add(cursor, 32), add(add(cursor, 32), skip), len)
                }
                mstore(head, sub(cursor, base))
                mstore(cursor, len)
                if words { mstore(cursor, shr(5, len)) }
                last := add(cursor, 32)
                mstore(add(last, len), 0)
                cursor := add(last, and(add(len, 31), not(31)))
                mstore(data, sub(cursor, add(data, 32)))
                mstore(0x40, cursor)
            }
        }
    }

    function key(bytes32 vkHash) private view returns (Key storage k) {
        k = keys[vkHash];
        if (!k.registered) revert UnknownKey(vkHash);
    }

    // ---------------------------------------------------------------- sessions

    function sessionOf(bytes32 vkHash, bytes32 statementHash, bytes32 proofHash) public pure returns (bytes32) {
        return keccak256(abi.encode(vkHash, statementHash, proofHash));
    }

    /// @notice The market's question: did the session of exactly this key, statement and proof accept?
    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool) {
        return stageOf[sessionOf(vkHash, keccak256(statement), keccak256(proof))] == ACCEPTED;
    }

    /// Each stage returns its session and the hand-over the next stage takes (a caller simulates the
    /// transaction with eth_call to read it, then sends it).

    /// @notice Stage 1: the proof's statement is the market's `statement`, then the head, LogUp-GKR and
    /// the look-up checks (ZkmlLookupStage) under the key's cfg and tables.
    function runLookups(bytes32 vkHash, bytes calldata statement, ProofBuffer buffer, address uploader, bytes32 proofHash)
        external
        returns (bytes32 session, bytes memory handover)
    {
        Key storage k = key(vkHash);
        session = sessionOf(vkHash, keccak256(statement), proofHash);
        // A session only moves forward: re-running stage 1 later could not change its hand-over, but would set back a prover's session.
        if (stageOf[session] > LOOKUPS_DONE) revert WrongStage(session, stageOf[session]);
        Part[] memory parts = new Part[](3);
        (parts[0], parts[1], parts[2]) = (keptWords(k.cfgHash), kept(k.tablesHash), proofPart(buffer, uploader, proofHash, 0));
        uint256[] memory args = new uint256[](3);
        (args[0], args[1], args[2]) = (1, 2, 3);
        bytes memory data = abi.encodeCall(ZkmlLookupStage.run, (k.modelId, new uint256[](0), "", ""));
        bytes memory proof;
        uint256 at = fill(data, args, parts);
        assembly ("memory-safe") {
            proof := sub(at, 32)
        }
        handover = staticRun(lookupStage, data);
        (,,,, uint256[] memory ranges,) = abi.decode(handover, (bytes, uint256, uint256[], uint256, uint256[], bytes32));
        checkStatement(vkHash, statement, proof, ranges);
        advanceTo(session, LOOKUPS_DONE, keccak256(handover));
    }

    /// @notice Stage 2: the key's layer program on stage 1's hand-over (its return data, as stored).
    function runLayers(bytes32 vkHash, bytes32 statementHash, ProofBuffer buffer, address uploader, bytes32 proofHash, bytes calldata handover)
        external
        returns (bytes32 session, bytes memory next)
    {
        Key storage k = key(vkHash);
        session = checkedSession(vkHash, statementHash, proofHash, handover, LOOKUPS_DONE);
        (bytes memory transcript, uint256 counter, uint256[] memory registers, uint256 consumed, uint256[] memory ranges, bytes32 witnessRoot) =
            abi.decode(handover, (bytes, uint256, uint256[], uint256, uint256[], bytes32));
        Part[] memory parts = new Part[](2);
        (parts[0], parts[1]) = (kept(k.programHash), proofPart(buffer, uploader, proofHash, 0));
        uint256[] memory args = new uint256[](2);
        (args[0], args[1]) = (5, 7);
        bytes memory data = abi.encodeCall(ZkmlLayerStage.run, (transcript, counter, registers, consumed, ranges, "", k.registers, ""));
        fill(data, args, parts);
        bytes memory ret = staticRun(layerStage, data);
        next = abi.encode(witnessRoot, ret);
        advanceTo(session, LAYERS_DONE, keccak256(next));
    }

    /// @notice Stage 3: the opening (ZkmlOpeningStage) of the claims stage 2 handed over, on the key's
    /// weight root and the proof's witness root, up to its final polynomial's checks; `handover` is
    /// abi.encode(witness root, stage 2's return data).
    function runOpening(bytes32 vkHash, bytes32 statementHash, ProofBuffer buffer, address uploader, bytes32 proofHash, bytes calldata handover)
        external
        returns (bytes32 session, bytes memory next)
    {
        Key storage k = key(vkHash);
        session = checkedSession(vkHash, statementHash, proofHash, handover, LAYERS_DONE);
        (bytes32 witnessRoot, bytes memory layers) = abi.decode(handover, (bytes32, bytes));
        (bytes memory transcript, uint256 counter, uint256[] memory claims, uint256 consumed) = abi.decode(layers, (bytes, uint256, uint256[], uint256));
        uint256[] memory list = openingClaims(k, witnessRoot, claims);
        Part[] memory parts = new Part[](1);
        parts[0] = proofPart(buffer, uploader, proofHash, consumed);
        uint256[] memory args = new uint256[](1);
        args[0] = 4;
        bytes memory data = abi.encodeCall(ZkmlOpeningStage.run, (transcript, counter, k.soundness, list, ""));
        fill(data, args, parts);
        next = abi.decode(staticRun(openingStage, data), (bytes));
        advanceTo(session, OPENED, keccak256(next));
    }

    /// @notice Stage 4: the final polynomial's checks (ZkmlFinalStage: the last round's folded values and
    /// the sum σ) on stage 3's hand-over (its return data, as stored), then the session's verdict is
    /// recorded. The proof is not read again: stage 3 handed over what of it the checks need.
    function runFinal(bytes32 vkHash, bytes32 statementHash, bytes32 proofHash, bytes calldata handover) external returns (bytes32 session) {
        session = checkedSession(vkHash, statementHash, proofHash, handover, OPENED);
        if (!abi.decode(staticRun(finalStage, abi.encodeCall(ZkmlFinalStage.run, (handover))), (bool))) revert WrongHandover(session);
        advanceTo(session, ACCEPTED, bytes32(0));
        emit Accepted(session, vkHash, statementHash, proofHash);
    }

    function checkedSession(bytes32 vkHash, bytes32 statementHash, bytes32 proofHash, bytes calldata handover, uint8 stage)
        private
        view
        returns (bytes32 session)
    {
        session = sessionOf(vkHash, statementHash, proofHash);
        if (stageOf[session] != stage) revert WrongStage(session, stageOf[session]);
        if (keccak256(handover) != handoverOf[session]) revert WrongHandover(session);
    }

    function advanceTo(bytes32 session, uint8 stage, bytes32 handoverHash) private {
        stageOf[session] = stage;
        handoverOf[session] = handoverHash;
        emit StageDone(session, stage, handoverHash);
    }

    /// WhirOpening.readClaims's list: the weight claim on the key's root, the witness claim on the proof's.
    function openingClaims(Key storage k, bytes32 witnessRoot, uint256[] memory c) private view returns (uint256[] memory list) {
        uint256 wv = k.weightVars;
        uint256 tv = k.witnessVars;
        if (c.length != 2 * wv + 2 + 2 * tv + 2) revert WrongKeyData(bytes32(0));
        list = new uint256[](c.length + 5);
        (list[0], list[1], list[2]) = (2, uint256(k.weightRoot), wv);
        for (uint256 j = 0; j < 2 * wv + 2; j++) list[3 + j] = c[j];
        (list[2 * wv + 5], list[2 * wv + 6]) = (uint256(witnessRoot), tv);
        for (uint256 j = 2 * wv + 2; j < c.length; j++) list[5 + j] = c[j];
    }

    /// A stage's return data; its revert (Rejected/Malformed) is the transaction's.
    function staticRun(address stage, bytes memory data) private view returns (bytes memory ret) {
        bool ok;
        (ok, ret) = stage.staticcall(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    // ---------------------------------------------------------------- the statement

    /// The market's statement (VerinferMarket._statement: domain, vkHash, context, input, output, the
    /// tensors in StatementCodec's encoding) is the proof's, as ZkmlProofVerifier.verify demands: the
    /// proof's 32-byte context (bytes 49..81 after "VIPF", the version, the 32-byte model id, the batch and
    /// its u32 length, which stage 1 has read and checked) is the statement's, and its public inputs and outputs are the statement's
    /// integers, equal as signed values and as encodings (counts, lengths, no trailing bytes).
    function checkStatement(bytes32 vkHash, bytes calldata statement, bytes memory proof, uint256[] memory ranges) private pure {
        (bytes32 domain, bytes32 vk, bytes32 context, bytes memory input, bytes memory output) =
            abi.decode(statement, (bytes32, bytes32, bytes32, bytes, bytes));
        if (domain != STATEMENT_DOMAIN || vk != vkHash) revert WrongStatement(1);
        uint256 start;
        bytes32 proofContext;
        uint256 contextLength;
        assembly ("memory-safe") {
            start := add(proof, 32)
            contextLength := shr(224, mload(add(start, 45)))
            proofContext := mload(add(start, 49))
        }
        if (proof.length < 81 || contextLength != 32 || proofContext != context) revert WrongStatement(2);
        uint256 ni = ranges[0];
        if (!sameTensors(input, ranges, 1, ni, start)) revert WrongStatement(3);
        if (!sameTensors(output, ranges, 2 + 2 * ni, ranges[1 + 2 * ni], start)) revert WrongStatement(4);
    }

    /// Whether `enc` (u32 count, per tensor u32 length and int64 values, big-endian) holds exactly the
    /// `count` packed tensors whose value ranges start at ranges[first], ranges[first + 2], ... (offsets in
    /// the proof at memory `start`; each preceded by its u32 length and its width byte, which stage 1 read).
    function sameTensors(bytes memory enc, uint256[] memory ranges, uint256 first, uint256 count, uint256 start) private pure returns (bool same) {
        same = true;
        assembly ("memory-safe") {
            let n := mload(enc)
            let p := add(enc, 32)
            let end := add(p, n)
            if or(lt(n, 4), iszero(eq(shr(224, mload(p)), count))) { same := 0 }
            p := add(p, 4)
            for { let i := 0 } and(same, lt(i, count)) { i := add(i, 1) } {
                let at := add(start, mload(add(ranges, mul(32, add(add(first, mul(2, i)), 1)))))
                let len := shr(224, mload(sub(at, 5)))
                let w := shr(248, mload(sub(at, 1)))
                if or(gt(add(p, add(4, mul(8, len))), end), iszero(eq(shr(224, mload(p)), len))) {
                    same := 0
                    break
                }
                p := add(p, 4)
                let half := shl(sub(w, 1), 1)
                let full := shl(w, 1)
                for { let j := 0 } lt(j, len) { j := add(j, 1) } {
                    let bit := mul(j, w)
                    let f := shr(sub(256, w), shl(and(bit, 7), mload(add(at, shr(3, bit)))))
                    if iszero(lt(f, half)) { f := sub(f, full) } // two's complement, as a 256-bit word
                    if iszero(eq(f, signextend(7, shr(192, mload(p))))) {
                        same := 0
                        break
                    }
                    p := add(p, 8)
                }
            }
            if iszero(eq(p, end)) { same := 0 }
        }
    }
}
