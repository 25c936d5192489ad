// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {IProofVerifier} from "IProofVerifier.sol";
import {ZkmlLookupStage} from "ZkmlLookupStage.sol";
import {ZkmlLayerStage} from "ZkmlLayerStage.sol";
import {ZkmlOpeningStage} from "ZkmlOpeningStage.sol";
import {ZkmlFinalStage} from "ZkmlFinalStage.sol";
import {ZkmlTableStage} from "ZkmlTableStage.sol";

/// @notice Verifies one verinfer proof of one market statement across four transactions — the stages
/// ZkmlLookupStage, ZkmlLayerStage, ZkmlOpeningStage and ZkmlFinalStage, each under 20 M gas
/// for alexa_v0.1 in both PCS settings — and answers the market (IProofVerifier) for exactly the (vkHash,
/// statement, proof hash) whose session accepted.
///
/// Keys are content-addressed: `registerKey` stores the hashes of a key's parts (the model id, the flat
/// `cfg`, the function tables' tree codes, the layer program and its register count, the weight root and
/// the opening's arities, the WHIR parameter set) under vkHash = keccak256 of them, so nobody can bind
/// other parts to a registered vkHash, and the market's model is registered with that vkHash. The parts
/// (cfg, tables, program) are kept as the code of chunk contracts this session made (CREATE2, so a chunk's
/// address is a function of its bytes), bound to a part's hash only by bytes that hash to it, so a prover
/// runs a session knowing only the model's vkHash. A key too large for one transaction is registered in
/// parts: its chunks in as many transactions as they take (`storeChunks`), then `sealKey`, before which the
/// key does not exist.
///
/// Each stage's transaction carries its own part of the proof as calldata (nothing of the proof is
/// stored): part 1 what stage 1 reads (the head, LogUp-GKR, the look-ups), part 2 the layers', part 3 the
/// opening; stage 4 reads none. `split` tells a prover where its proof's stages 1 and 2 stop reading. The
/// proof's hash is keccak256 of its parts' keccak256s (proofHashOf), and every stage takes all three
/// part hashes: it refuses its part unless it hashes to its own (WrongPart), and the session is derived
/// from them, so each stage reads exactly the bytes the session was named by.
///
/// A session is keyed by keccak256(vkHash, keccak256(statement), proofHash). Stage 1
/// (`runLookups`) checks that the proof's public statement is the market's statement — the same context
/// (the market's request and prover binding), the same input and output values tensor for tensor, as
/// ZkmlProofVerifier.verify compares them in Java — runs the look-up stage on part 1, which it must read
/// to its end, and stores keccak256 of its hand-over: the proof's head up to its public tensors' end
/// (which the layer program reads) and the stage's return data. Stages 2 to 4 take the previous hand-over
/// back as calldata and run only if it hashes to the stored word and the session stands at the previous
/// stage; stage 2 runs on the head ‖ part 2 (read to its end) and stores keccak256(witness root, its
/// return data), stage 3 (the opening's transcript and every check but those on the final polynomial, on
/// part 3) keccak256 of its return data, stage 4 (the last round's folded values and the sum σ at the
/// final polynomial) records acceptance. Nothing a caller supplies between stages is trusted but by those
/// equalities; every stage is a pure function of the key and the parts named, so re-running one cannot
/// change what it hands over, and a session only moves forward (nobody can set a prover's session back
/// between its transactions). A rejection reverts the stage's transaction (Rejected/Malformed from the
/// stage): a rejected proof is simply never accepted, and the market's `verify` answers false. The
/// stages continue the Fiat–Shamir transcript from the state the previous one handed over, so the parts a
/// session accepts are verified exactly as the one proof part 1 ‖ part 2 ‖ part 3 would be (docs/ethereum.md,
/// "Why parts of proofs cannot be mixed").
///
/// `runWhole` runs the four stages on the three parts in one transaction when that fits the gas a chain allows
/// one transaction (EIP-7825: 2^24): the same stage calls on the same bytes with the same checks, each
/// hand-over passed in memory (nothing hashed or stored between stages), and the same session's verdict.
///
/// A stage over that cap runs in parts: stage 1's table checks (`runLookupsUpTo`, `runTables`, `runStatement`) and stage 2's
/// layer program cut between its instructions (`runLayersUpTo`, `runLayersFrom`: each part starts where the last stopped,
/// `layersAt`, on the machine the last handed over by hash; the last part ends stage 2 with `runLayers`' own hand-over).
contract ZkmlVerifierSession is IProofVerifier {
    bytes32 internal constant STATEMENT_DOMAIN = keccak256("verinfer-eth-statement-v1");
    bytes32 internal constant KEY_DOMAIN = keccak256("verinfer-eth-session-key-v4");
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
    /// Stage 1's table checks when stage 1 runs in parts (`runTables`).
    address public immutable tableStage;
    /// The largest chunk of a key part: the code-size limit (EIP-170) less the leading STOP byte.
    uint256 internal constant MAX_CHUNK = 24_575;
    bytes32 internal constant EMPTY = keccak256("");

    mapping(bytes32 => Key) private keys;
    /// The chunks this session made (`makeChunk`): the only code a key's part may be read from.
    mapping(address => bool) private chunkMade;
    /// A key part's chunks, in order, by the part's keccak256: set once, by bytes that hash to it.
    mapping(bytes32 => address[]) private partChunks;
    /// Per session: the stage it stands at and the hash of that stage's hand-over.
    mapping(bytes32 => uint8) public stageOf;
    mapping(bytes32 => bytes32) public handoverOf;
    /// Per session whose stage 1 runs in parts (`runLookupsUpTo`, then `runTables`): the tables whose claims are checked, [0, this).
    mapping(bytes32 => uint256) public tablesChecked;
    /// Per session whose stage 2 runs in parts (`runLayersUpTo`, then `runLayersFrom`): the layer program's offset where its
    /// parts stopped (an instruction's start), 0 before the first; 2^256 − 1 once the last reached the program's end.
    mapping(bytes32 => uint256) public layersAt;

    event KeyRegistered(bytes32 indexed vkHash, bytes32 modelId);
    event StageDone(bytes32 indexed session, uint8 stage, bytes32 handoverHash);
    event Accepted(bytes32 indexed session, bytes32 indexed vkHash, bytes32 statementHash, bytes32 proofHash);

    error UnknownKey(bytes32 vkHash);
    /// A chunk of 0 or more than MAX_CHUNK bytes, or one CREATE2 could not make.
    error BadChunk(uint256 length);
    /// A key part named a chunk this session did not make.
    error NotAChunk(address chunk);
    error WrongKeyData(bytes32 vkHash);
    /// The market's statement is not the proof's: 1 domain or vkHash, 2 context, 3 input, 4 output.
    error WrongStatement(uint256 part);
    error WrongStage(bytes32 session, uint8 stage);
    error WrongHandover(bytes32 session);
    /// A stage's part does not hash to the session's part hash, or the stage did not read it to its end.
    error WrongPart(uint256 stage);
    /// Stage 1 in parts: a table range that does not begin where the session's checks stopped (`next`; 2^256 − 1 once all are
    /// checked), or is empty; or the statement check before every table is checked.
    error WrongTables(bytes32 session, uint256 next);
    /// Stage 2 in parts: a part that does not begin where the session's parts stopped (`next`: the program offset, 0 before
    /// the first part, 2^256 − 1 after the last), or stage 1 or the whole stage 2 on a session whose stage 2 runs in parts.
    error WrongLayers(bytes32 session, uint256 next);

    constructor(address lookup, address layers, address opening, address finalChecks, address tableChecks) {
        (lookupStage, layerStage, openingStage, finalStage, tableStage) = (lookup, layers, opening, finalChecks, tableChecks);
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

    /// @notice Registers a key in one transaction (anyone may: the vkHash is the hash of its parts); returns its vkHash. Its
    /// cfg, tables and program are kept as chunks (`makeChunk`) cut from the bytes hashed here. A key too large for one
    /// transaction is registered in parts instead: its chunks by `storeChunks`, then `sealKey`.
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
        bytes32 cfgHash = keccak256(abi.encodePacked(cfg));
        bytes32 tablesHash = keccak256(tables);
        bytes32 programHash = keccak256(program);
        keep(cfgHash, abi.encodePacked(cfg));
        keep(tablesHash, tables);
        keep(programHash, program);
        vkHash = record(modelId, [cfgHash, tablesHash, programHash], registers, weightRoot, weightVars, witnessVars, soundness);
    }

    /// @notice A key's parts stored as chunks, in as many transactions as they take (anyone may: a chunk's address is a
    /// function of its bytes — CREATE2 by this session with salt 0 —, so nobody can put other bytes where a key's chunks
    /// go, and a chunk stored already is skipped). Chunks are inert until `sealKey` binds them to a key.
    function storeChunks(bytes[] calldata chunks) external {
        for (uint256 i = 0; i < chunks.length; i++) makeChunk(chunks[i]);
    }

    /// @notice Registers a key whose parts were stored by `storeChunks`; returns its vkHash (the key exists from here on:
    /// every stage refuses an unsealed vkHash with UnknownKey). Its cfg, tables and program are the bytes of chunks[:cuts[0]],
    /// chunks[cuts[0]:cuts[1]] and chunks[cuts[1]:] in that order, each refused unless every chunk is one this session
    /// made (NotAChunk) and the bytes hash to the part's hash in `hashes` (WrongKeyData), which vkHash commits to — so a
    /// chunk of another key, a chunk left out, added or moved, or bytes deployed by anyone else are refused. A part
    /// bound before (by another key with the same part) is not read again; nor is the empty part.
    function sealKey(
        bytes32 modelId,
        bytes32[3] calldata hashes,
        address[] calldata chunks,
        uint256[2] calldata cuts,
        uint64 registers,
        bytes32 weightRoot,
        uint32 weightVars,
        uint32 witnessVars,
        uint8 soundness
    ) external returns (bytes32 vkHash) {
        if (cuts[0] > cuts[1] || cuts[1] > chunks.length) revert WrongKeyData(bytes32(0));
        bind(hashes[0], chunks[:cuts[0]]);
        bind(hashes[1], chunks[cuts[0]:cuts[1]]);
        bind(hashes[2], chunks[cuts[1]:]);
        vkHash = record(modelId, hashes, registers, weightRoot, weightVars, witnessVars, soundness);
    }

    /// The key of these parts' hashes recorded under its vkHash.
    function record(
        bytes32 modelId,
        bytes32[3] memory h,
        uint64 registers,
        bytes32 weightRoot,
        uint32 weightVars,
        uint32 witnessVars,
        uint8 soundness
    ) private returns (bytes32 vkHash) {
        if (soundness > 4) revert WrongKeyData(bytes32(0));
        vkHash = keyHash(modelId, h[0], h[1], h[2], registers, weightRoot, weightVars, witnessVars, soundness);
        keys[vkHash] = Key(modelId, h[0], h[1], h[2], weightRoot, registers, weightVars, witnessVars, soundness, true);
        emit KeyRegistered(vkHash, modelId);
    }

    /// Binds the part `hash` to `chunks` once: their bytes (each chunk's code after its STOP), in order, must hash to it.
    function bind(bytes32 hash, address[] calldata chunks) private {
        if (hash == EMPTY || partChunks[hash].length != 0) return;
        uint256 start;
        uint256 at;
        assembly ("memory-safe") {
            start := mload(0x40)
        }
        at = start;
        for (uint256 i = 0; i < chunks.length; i++) {
            address c = chunks[i];
            if (!chunkMade[c]) revert NotAChunk(c);
            assembly ("memory-safe") {
                let size := sub(extcodesize(c), 1)
                extcodecopy(c, at, 1, size)
                at := add(at, size)
            }
        }
        bytes32 h;
        assembly ("memory-safe") {
            h := keccak256(start, sub(at, start))
        }
        if (h != hash) revert WrongKeyData(hash);
        partChunks[hash] = chunks;
    }

    /// Keeps `data`, which hashes to `hash`, as chunks of the largest size, unless that part is kept already.
    function keep(bytes32 hash, bytes memory data) private {
        if (data.length == 0 || partChunks[hash].length != 0) return;
        address[] storage list = partChunks[hash];
        for (uint256 i = 0; i * MAX_CHUNK < data.length; i++) {
            uint256 n = (i + 1) * MAX_CHUNK < data.length ? MAX_CHUNK : data.length - i * MAX_CHUNK;
            bytes memory chunk = new bytes(n);
            assembly ("memory-safe") {
                mcopy(add(chunk, 32), add(add(data, 32), mul(i, MAX_CHUNK)), n)
            }
            list.push(makeChunk(chunk));
        }
    }

    /// The chunk holding `chunk` (1 to MAX_CHUNK bytes): a contract whose code is STOP ‖ chunk (never executed, so never
    /// destroyed), made by CREATE2 with salt 0 unless it exists already. Creation code: PUSH2 n+1, DUP1, PUSH1 12,
    /// PUSH1 0, CODECOPY, PUSH1 0, RETURN, then the code.
    function makeChunk(bytes memory chunk) private returns (address data) {
        if (chunk.length == 0 || chunk.length > MAX_CHUNK) revert BadChunk(chunk.length);
        bytes memory init = abi.encodePacked(hex"61", uint16(chunk.length + 1), hex"80600c6000396000f300", chunk);
        data = address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", address(this), bytes32(0), keccak256(init))))));
        if (chunkMade[data]) return data;
        address made;
        assembly ("memory-safe") {
            made := create2(0, add(init, 32), mload(init), 0)
        }
        if (made != data) revert BadChunk(chunk.length);
        chunkMade[data] = true;
    }

    /// The key's cfg words, kept as their packed encoding.
    function keptWords(bytes32 hash) private view returns (Part memory) {
        return Part(partChunks[hash], hash, true);
    }

    /// A key part kept by `keep` or bound by `sealKey`: exactly the bytes that hash to `hash`.
    function kept(bytes32 hash) private view returns (Part memory) {
        return Part(partChunks[hash], hash, false);
    }

    /// Bytes kept as the code of chunk contracts, to be copied straight into a stage's calldata (`fill`): one
    /// copy, where loading them, decoding the return data and encoding the call made three, whose memory cost
    /// grows with the square of their size.
    struct Part {
        address[] chunks;
        bytes32 hash;
        bool words; // a uint256[] (its length counted in words); else bytes
    }

    /// Appends the parts to `data`, an abi.encodeCall whose arguments args[i] are empty and which is the
    /// last memory allocated: part i's bytes copied from the chunks' code (STOP ‖ chunk each, as
    /// makeChunk wrote them) after data's end, hashed and refused unless they hash to the part's hash,
    /// zero-padded, and argument args[i]'s head pointed at them (its empty tail is left unused).
    function fill(bytes memory data, uint256[] memory args, Part[] memory parts) private view {
        uint256 base;
        uint256 cursor;
        assembly ("memory-safe") {
            base := add(data, 36)
            cursor := add(add(data, 32), mload(data))
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
            if (h != p.hash) revert WrongKeyData(p.hash);
            uint256 head = base + 32 * args[i];
            bool words = p.words;
            assembly ("memory-safe") {
                mstore(head, sub(cursor, base))
                mstore(cursor, len)
                if words { mstore(cursor, shr(5, len)) }
                let last := add(cursor, 32)
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

    /// @notice A proof's hash: keccak256 of its three parts' keccak256s, in order (the parts `split` cuts).
    function proofHashOf(bytes32[3] calldata parts) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(parts));
    }

    /// @notice The market's question: does this proof verify under exactly this key and statement? `proof` is
    /// either the proof's hash (32 bytes, proofHashOf), true when a session of its parts accepted (runWhole or the
    /// four transactions); or the parts themselves, abi.encode(part 1, part 2, part 3), verified here as runWhole
    /// verifies them (the four stages on the same bytes with the same checks, the statement check among them) with
    /// nothing recorded: so the market's own call verifies the proof, in the prover's one `submitResult`
    /// transaction, without a session's record and without the statement sent twice. A rejection reverts as the
    /// stage does (the market takes it for an invalid proof).
    function verify(bytes32 vkHash, bytes calldata statement, bytes calldata proof) external view returns (bool) {
        if (proof.length == 32) return stageOf[sessionOf(vkHash, keccak256(statement), bytes32(proof))] == ACCEPTED;
        return whole(key(vkHash), vkHash, statement, partOf(proof, 0), partOf(proof, 1), partOf(proof, 2));
    }

    /// The i-th `bytes` of abi.encode(part 1, part 2, part 3), in place (a head or a part out of range reverts).
    function partOf(bytes calldata proof, uint256 i) private pure returns (bytes calldata) {
        uint256 at = uint256(bytes32(proof[32 * i:32 * i + 32]));
        uint256 n = uint256(bytes32(proof[at:at + 32]));
        return proof[at + 32:at + 32 + n];
    }

    /// @notice Where `proof`'s parts end (for a prover to cut it, by eth_call): the offset where stage 1
    /// stops reading, and where stage 2 does (stage 3 reads the rest). Checks nothing of the statement and
    /// records nothing; a proof a stage rejects reverts as the stage does.
    function split(bytes32 vkHash, bytes calldata proof) external view returns (uint256 lookupsEnd, uint256 layersEnd) {
        Key storage k = key(vkHash);
        (, bytes memory lookups) = runLookupStage(k, proof, type(uint256).max);
        (,,, lookupsEnd,,) = abi.decode(lookups, (bytes, uint256, uint256[], uint256, uint256[], bytes32));
        (layersEnd,,) = runLayerStage(k, lookups, lookupsEnd, proof);
    }

    /// Each stage returns its session and the hand-over the next stage takes (a caller simulates the
    /// transaction with eth_call to read it, then sends it). `parts` are the proof's part hashes; `part`
    /// is the stage's own part.

    /// @notice Stage 1: the head, LogUp-GKR and the look-up checks (ZkmlLookupStage) under the key's cfg
    /// and tables on part 1, read to its end, then the proof's statement is the market's `statement`.
    function runLookups(bytes32 vkHash, bytes calldata statement, bytes32[3] calldata parts, bytes calldata part)
        external
        returns (bytes32 session, bytes memory handover)
    {
        session = sessionOf(vkHash, keccak256(statement), proofHashOf(parts));
        // A session only moves forward: re-running stage 1 later could not change its hand-over, but would set back a prover's session.
        if (stageOf[session] > LOOKUPS_DONE) revert WrongStage(session, stageOf[session]);
        // nor back from stage 2's parts to stage 1 (the hand-over stored is a part's then)
        if (layersAt[session] != 0) revert WrongLayers(session, layersAt[session]);
        Key storage k = key(vkHash);
        if (keccak256(part) != parts[0]) revert WrongPart(1);
        (bytes memory proof, bytes memory ret) = runLookupStage(k, part, type(uint256).max);
        (uint256 consumed, uint256[] memory ranges) = lookupsRead(ret);
        if (consumed != part.length) revert WrongPart(1);
        checkStatement(vkHash, statement, proof, ranges);
        // The layer program reads the public tensors: the head up to their end goes with the hand-over.
        handover = abi.encode(part[:publicEnd(ranges)], ret);
        advanceTo(session, LOOKUPS_DONE, keccak256(handover));
        returnHandover(session, handover);
    }

    /// @notice Stage 1 in parts, its first: stage 1 on part 1 (read to its end) with the claims of the key's tables [0, to) only
    /// checked (`to` below the table count), and without the statement check, which `runStatement` makes (so this
    /// transaction carries only the statement's hash, which names the session); stores the hand-over's hash (the same hand-over
    /// as `runLookups`') and `to` as the tables checked. The session stays before stage 2 until `runTables` has checked the
    /// rest. Only once a session: run again it would set back the tables checked. Returns as `runLookups`.
    function runLookupsUpTo(bytes32 vkHash, bytes32 statementHash, bytes32[3] calldata parts, bytes calldata part, uint256 to)
        external
        returns (bytes32, bytes memory)
    {
        bytes32 session = sessionOf(vkHash, statementHash, proofHashOf(parts));
        if (stageOf[session] != 0 || handoverOf[session] != 0) revert WrongStage(session, stageOf[session]);
        if (to == type(uint256).max) revert WrongTables(session, 0);
        Key storage k = key(vkHash);
        if (keccak256(part) != parts[0]) revert WrongPart(1);
        (, bytes memory ret) = runLookupStage(k, part, to);
        (uint256 consumed, uint256[] memory ranges) = lookupsRead(ret);
        if (consumed != part.length) revert WrongPart(1);
        bytes memory handover = abi.encode(part[:publicEnd(ranges)], ret);
        handoverOf[session] = keccak256(handover);
        tablesChecked[session] = to;
        emit StageDone(session, 0, handoverOf[session]);
        returnHandover(session, handover);
    }

    /// @notice Stage 1 in parts, the next: the claims of the key's tables [from, to) (ZkmlTableStage.checkTables), read from
    /// the hand-over `runLookupsUpTo` stored the hash of, only where the checks stopped (`from` = the tables checked, else
    /// WrongTables). After the last table (`to` = the table count) the tables checked are marked all (2^256 − 1), and
    /// `runStatement` ends stage 1.
    function runTables(bytes32 vkHash, bytes32 statementHash, bytes32 proofHash, bytes calldata handover, uint256 from, uint256 to)
        external
        returns (bytes32 session)
    {
        Key storage k = key(vkHash);
        session = checkedSession(vkHash, statementHash, proofHash, handover, 0);
        if (from != tablesChecked[session] || to <= from) revert WrongTables(session, tablesChecked[session]);
        (, bytes memory ret) = abi.decode(handover, (bytes, bytes));
        uint256[] memory registers;
        assembly ("memory-safe") {
            // ZkmlLookupStage's return data abi.encode(transcript, counter, registers, ...), read in place
            let d := add(ret, 32)
            registers := add(d, mload(add(d, 64)))
        }
        Part[] memory ps = new Part[](2);
        (ps[0], ps[1]) = (keptWords(k.cfgHash), kept(k.tablesHash));
        uint256[] memory args = new uint256[](2);
        (args[0], args[1]) = (1, 2);
        bytes memory data = abi.encodeCall(ZkmlTableStage.checkTables, (k.modelId, new uint256[](0), "", registers, from, to));
        fill(data, args, ps);
        uint256 n = abi.decode(staticRun(tableStage, data), (uint256));
        tablesChecked[session] = to == n ? type(uint256).max : to;
    }

    /// @notice Stage 1 in parts, the last: once every table is checked, the statement check `runLookups` makes — the proof's
    /// statement, read from the hand-over's head, is the market's `statement` (which names the session) —; the session then
    /// stands at stage 1 with that hand-over, as after `runLookups`. A transaction of its own: the check's memory (the
    /// statement's tensors) on top of the tables' would not fit one with the last tables (the OCR classifier's 221 KB input).
    function runStatement(bytes32 vkHash, bytes calldata statement, bytes32 proofHash, bytes calldata handover) external returns (bytes32 session) {
        key(vkHash);
        session = checkedSession(vkHash, keccak256(statement), proofHash, handover, 0);
        if (tablesChecked[session] != type(uint256).max) revert WrongTables(session, tablesChecked[session]);
        (bytes memory head, bytes memory ret) = abi.decode(handover, (bytes, bytes));
        (, uint256[] memory ranges) = lookupsRead(ret);
        checkStatement(vkHash, statement, head, ranges);
        advanceTo(session, LOOKUPS_DONE, handoverOf[session]);
    }

    /// Ends the call returning abi.encode(session, handover), written in place before `handover` (an abi.encode, so a whole
    /// number of words; nothing below it is read again): no copy of the hand-over, whose memory grows with the square.
    function returnHandover(bytes32 session, bytes memory handover) private pure {
        assembly ("memory-safe") {
            let p := sub(handover, 64)
            mstore(p, session)
            mstore(add(p, 32), 64)
            return(p, add(96, mload(handover)))
        }
    }

    /// @notice The key's table count: `runLookupsUpTo`'s `to` is below it, `runTables`' at most it (a prover plans stage 1's parts by it).
    function tableCount(bytes32 vkHash) external view returns (uint256) {
        Key storage k = key(vkHash);
        Part[] memory ps = new Part[](1);
        ps[0] = keptWords(k.cfgHash);
        uint256[] memory args = new uint256[](1);
        args[0] = 1;
        bytes memory data = abi.encodeCall(ZkmlTableStage.tableCount, (k.modelId, new uint256[](0)));
        fill(data, args, ps);
        return abi.decode(staticRun(tableStage, data), (uint256));
    }


    /// @notice Stage 2: the key's layer program on stage 1's hand-over (the head, the stage's return data)
    /// and part 2, read to its end.
    function runLayers(bytes32 vkHash, bytes32 statementHash, bytes32[3] calldata parts, bytes calldata handover, bytes calldata part)
        external
        returns (bytes32 session, bytes memory next)
    {
        Key storage k = key(vkHash);
        session = notInLayerParts(vkHash, statementHash, parts);
        checkedSession(vkHash, statementHash, proofHashOf(parts), handover, LOOKUPS_DONE);
        if (keccak256(part) != parts[1]) revert WrongPart(2);
        (bytes memory head, bytes memory lookups) = abi.decode(handover, (bytes, bytes));
        (uint256 consumed, bytes32 witnessRoot, bytes memory ret) = runLayerStage(k, lookups, head.length, bytes.concat(head, part));
        if (consumed != head.length + part.length) revert WrongPart(2);
        next = abi.encode(witnessRoot, ret);
        advanceTo(session, LAYERS_DONE, keccak256(next));
    }

    /// @notice Stage 2 in parts, its first: the key's layer program on stage 1's hand-over (as `runLayers`) and head ‖ part 2, its
    /// instructions from the program's start up to the first starting at or past program offset `to` (ZkmlLayerStage.runPart).
    /// Stores the hash of the part's hand-over, abi.encode(head, witness root, public ranges, the stage's machine: transcript,
    /// counter, register file and result so far, proof offset, program offset), and where it stopped (`layersAt`); `runLayersFrom`
    /// goes on from there. A part that reaches the program's end ends stage 2 as `runLayers` does (part 2 read to its end, the
    /// same hand-over). Returns the session and the hand-over.
    function runLayersUpTo(bytes32 vkHash, bytes32 statementHash, bytes32[3] calldata parts, bytes calldata handover, bytes calldata part, uint256 to)
        external
        returns (bytes32 session, bytes memory)
    {
        Key storage k = key(vkHash);
        session = notInLayerParts(vkHash, statementHash, parts);
        checkedSession(vkHash, statementHash, proofHashOf(parts), handover, LOOKUPS_DONE);
        if (keccak256(part) != parts[1]) revert WrongPart(2);
        // stage 1's hand-over abi.encode(head, ZkmlLookupStage's abi.encode(transcript, counter, registers, consumed, ranges,
        // witness root)), read in place in calldata
        bytes calldata head = partOf(handover, 0);
        bytes calldata lookups = partOf(handover, 1);
        bytes memory proof = bytes.concat(head, part);
        (Part[] memory program, uint256[] memory args) = programPart(k);
        bytes memory data = abi.encodeCall(
            ZkmlLayerStage.runPart,
            (partOf(lookups, 0), wordOf(lookups, 1), wordsOf(lookups, 2), head.length, wordsOf(lookups, 4), "", k.registers, proof, 0, to, "")
        );
        layerPart(session, program, args, data, proof.length, head, bytes32(wordOf(lookups, 5)), wordsOf(lookups, 4));
    }

    /// @notice Stage 2 in parts, the next: the program's instructions from program offset `from` — where the session's parts
    /// stopped (`layersAt`, else WrongLayers) — up to the first starting at or past `to`, on the hand-over the previous part
    /// stored the hash of and head ‖ part 2. Stores and returns as `runLayersUpTo`; the part that reaches the program's end
    /// leaves the session at stage 2 with `runLayers`' hand-over.
    function runLayersFrom(
        bytes32 vkHash,
        bytes32 statementHash,
        bytes32[3] calldata parts,
        bytes calldata handover,
        bytes calldata part,
        uint256 from,
        uint256 to
    ) external returns (bytes32 session, bytes memory) {
        Key storage k = key(vkHash);
        session = sessionOf(vkHash, statementHash, proofHashOf(parts));
        uint256 at = layersAt[session];
        if (at == 0 || from != at) revert WrongLayers(session, at);
        checkedSession(vkHash, statementHash, proofHashOf(parts), handover, LOOKUPS_DONE);
        if (keccak256(part) != parts[1]) revert WrongPart(2);
        // abi.encode(head, witness root, ranges, ZkmlLayerStage.runPart's abi.encode(transcript, counter, file, consumed, pc)), in place
        bytes calldata head = partOf(handover, 0);
        bytes calldata state = partOf(handover, 3);
        bytes memory proof = bytes.concat(head, part);
        (Part[] memory program, uint256[] memory args) = programPart(k);
        bytes memory data = abi.encodeCall(
            ZkmlLayerStage.runPart,
            (partOf(state, 0), wordOf(state, 1), new uint256[](0), wordOf(state, 3), wordsOf(handover, 2), "", k.registers, proof, from, to, partOf(state, 2))
        );
        layerPart(session, program, args, data, proof.length, head, bytes32(wordOf(handover, 1)), wordsOf(handover, 2));
    }

    /// The session of these parts, refused (WrongLayers) once stage 2's parts began: stage 2 whole or its first part again would
    /// read the hand-over stored as stage 1's.
    function notInLayerParts(bytes32 vkHash, bytes32 statementHash, bytes32[3] calldata parts) private view returns (bytes32 session) {
        session = sessionOf(vkHash, statementHash, proofHashOf(parts));
        if (layersAt[session] != 0) revert WrongLayers(session, layersAt[session]);
    }

    /// Word i of an ABI encoding in calldata.
    function wordOf(bytes calldata enc, uint256 i) private pure returns (uint256) {
        return uint256(bytes32(enc[32 * i:32 * i + 32]));
    }

    /// The i-th argument of an ABI encoding in calldata, a uint256[], in place (a head or a tail out of range reverts).
    function wordsOf(bytes calldata enc, uint256 i) private pure returns (uint256[] calldata w) {
        uint256 at = wordOf(enc, i);
        uint256 n = uint256(bytes32(enc[at:at + 32]));
        bytes calldata body = enc[at + 32:at + 32 + 32 * n];
        assembly ("memory-safe") {
            w.offset := body.offset
            w.length := n
        }
    }

    /// The key's layer program as `fill` takes it, ZkmlLayerStage.runPart's argument 5 (allocated before the call it fills, which
    /// must be the last memory allocated).
    function programPart(Key storage k) private view returns (Part[] memory ps, uint256[] memory args) {
        ps = new Part[](1);
        ps[0] = kept(k.programHash);
        args = new uint256[](1);
        args[0] = 5;
    }

    /// A part of stage 2: ZkmlLayerStage.runPart's call `data` (the program left empty, filled here from `program`) on a proof of
    /// `proofLength` bytes (head ‖ part 2). At the program's end (the stage's return data is `run`'s, first word 128) stage 2 is
    /// done as `runLayers` ends it: part 2 read to its end, abi.encode(witness root, return data), stage LAYERS_DONE; else the
    /// hand-over abi.encode(head, witness root, ranges, machine) and where the part stopped (`layersAt`). Ends the call returning
    /// (session, hand-over).
    function layerPart(
        bytes32 session,
        Part[] memory program,
        uint256[] memory args,
        bytes memory data,
        uint256 proofLength,
        bytes calldata head,
        bytes32 witnessRoot,
        uint256[] calldata ranges
    ) private {
        fill(data, args, program);
        bytes memory ret = staticRun(layerStage, data);
        uint256 first;
        uint256 value;
        assembly ("memory-safe") {
            first := mload(add(ret, 32))
            value := mload(add(ret, 128)) // run's: consumed, the fourth word
        }
        bytes memory next;
        if (first == 128) {
            if (value != proofLength) revert WrongPart(2);
            next = abi.encode(witnessRoot, ret);
            layersAt[session] = type(uint256).max;
            advanceTo(session, LAYERS_DONE, keccak256(next));
        } else {
            assembly ("memory-safe") {
                value := mload(add(ret, 160)) // the machine's fifth word: the program offset where the part stopped
            }
            next = abi.encode(head, witnessRoot, ranges, ret);
            layersAt[session] = value;
            advanceTo(session, LOOKUPS_DONE, keccak256(next));
        }
        returnHandover(session, next);
    }

    /// @notice The length of the key's layer program (a prover plans stage 2's parts by it: `to` at most it).
    function programLength(bytes32 vkHash) external view returns (uint256 n) {
        address[] storage chunks = partChunks[key(vkHash).programHash];
        for (uint256 i = 0; i < chunks.length; i++) n += chunks[i].code.length - 1;
    }

    /// @notice Stage 3: the opening (ZkmlOpeningStage) of the claims stage 2 handed over, on the key's
    /// weight root and the proof's witness root, up to its final polynomial's checks, on part 3 (the rest
    /// of the proof); `handover` is abi.encode(witness root, stage 2's return data).
    function runOpening(bytes32 vkHash, bytes32 statementHash, bytes32[3] calldata parts, bytes calldata handover, bytes calldata part)
        external
        returns (bytes32 session, bytes memory next)
    {
        Key storage k = key(vkHash);
        session = checkedSession(vkHash, statementHash, proofHashOf(parts), handover, LAYERS_DONE);
        if (keccak256(part) != parts[2]) revert WrongPart(3);
        (bytes32 witnessRoot, bytes memory layers) = abi.decode(handover, (bytes32, bytes));
        (bytes memory transcript, uint256 counter, uint256[] memory claims,) = abi.decode(layers, (bytes, uint256, uint256[], uint256));
        uint256[] memory list = openingClaims(k, witnessRoot, claims);
        next = abi.decode(staticRun(openingStage, abi.encodeCall(ZkmlOpeningStage.run, (transcript, counter, k.soundness, list, part))), (bytes));
        advanceTo(session, OPENED, keccak256(next));
    }

    /// @notice Stage 4: the final polynomial's checks (ZkmlFinalStage: the last round's folded values and
    /// the sum σ) on stage 3's hand-over (its return data, as stored), then the session's verdict is
    /// recorded. No part is read: stage 3 handed over what of the proof the checks need.
    function runFinal(bytes32 vkHash, bytes32 statementHash, bytes32 proofHash, bytes calldata handover) external returns (bytes32 session) {
        session = checkedSession(vkHash, statementHash, proofHash, handover, OPENED);
        if (!abi.decode(staticRun(finalStage, abi.encodeCall(ZkmlFinalStage.run, (handover))), (bool))) revert WrongHandover(session);
        advanceTo(session, ACCEPTED, bytes32(0));
        emit Accepted(session, vkHash, statementHash, proofHash);
    }

    /// @notice The whole proof in one transaction, when its gas fits one (EIP-7825: 2^24): the four stages
    /// run in order on the three parts as `runLookups`, `runLayers`, `runOpening` and `runFinal` run them —
    /// the same stage calls on the same bytes, the same checks (each part read to its end, the statement) —
    /// each stage's hand-over passed in memory to the next stage's call instead of stored by its hash and
    /// sent back as calldata; the verdict recorded under the same session (vkHash, statement, proofHashOf of
    /// the parts' hashes), which the market's `verify` reads. A session the four transactions started may
    /// be finished here (the whole proof is verified again); an accepted one is refused, as runLookups
    /// refuses it. Memory is given back between stages (only the hand-over is kept), so the transaction's
    /// memory peaks at its largest stage call, not at their sum.
    function runWhole(bytes32 vkHash, bytes calldata statement, bytes calldata part1, bytes calldata part2, bytes calldata part3)
        external
        returns (bytes32 session)
    {
        Key storage k = key(vkHash);
        bytes32 statementHash = keccak256(statement);
        bytes32 proofHash = keccak256(abi.encodePacked(keccak256(part1), keccak256(part2), keccak256(part3)));
        session = sessionOf(vkHash, statementHash, proofHash);
        if (stageOf[session] == ACCEPTED) revert WrongStage(session, ACCEPTED);
        if (!whole(k, vkHash, statement, part1, part2, part3)) revert WrongHandover(session);
        stageOf[session] = ACCEPTED;
        emit Accepted(session, vkHash, statementHash, proofHash);
    }

    /// The four stages on the three parts in one call (runWhole's, and `verify`'s on parts): whether the final stage
    /// accepted (a stage's rejection reverts with its own error).
    function whole(Key storage k, bytes32 vkHash, bytes calldata statement, bytes calldata part1, bytes calldata part2, bytes calldata part3)
        private
        view
        returns (bool)
    {
        uint256 base;
        assembly ("memory-safe") {
            base := mload(0x40)
        }
        (bytes memory lookups, uint256 headEnd) = wholeLookups(k, vkHash, statement, part1, base);
        (bytes32 witnessRoot, bytes memory layers) = wholeLayers(k, lookups, part1[:headEnd], part2, base);
        return wholeOpening(k, witnessRoot, layers, part3, base);
    }

    /// runWhole's stage 1, as runLookups: its return data (kept at `base`, the rest of memory given back)
    /// and where the head (what the layer program reads of part 1) ends.
    function wholeLookups(Key storage k, bytes32 vkHash, bytes calldata statement, bytes calldata part1, uint256 base)
        private
        view
        returns (bytes memory lookups, uint256 headEnd)
    {
        (bytes memory proof, bytes memory ret) = runLookupStage(k, part1, type(uint256).max);
        (uint256 consumed, uint256[] memory ranges) = lookupsRead(ret);
        if (consumed != part1.length) revert WrongPart(1);
        checkStatement(vkHash, statement, proof, ranges);
        headEnd = publicEnd(ranges);
        lookups = keepAt(base, ret);
    }

    /// runWhole's stage 2, as runLayers, on head ‖ part 2: the witness root and the stage's return data (kept at `base`).
    function wholeLayers(Key storage k, bytes memory lookups, bytes calldata head, bytes calldata part2, uint256 base)
        private
        view
        returns (bytes32 witnessRoot, bytes memory layers)
    {
        uint256 read;
        (read, witnessRoot, layers) = runLayerStage(k, lookups, head.length, bytes.concat(head, part2));
        if (read != head.length + part2.length) revert WrongPart(2);
        layers = keepAt(base, layers);
    }

    /// runWhole's stages 3 and 4, as runOpening and runFinal: the opening on stage 2's claims and part 3,
    /// then the final stage on its return data, which (abi.encode of one bytes) is ZkmlFinalStage.run's
    /// arguments as they stand, copied once after the selector. Whether the final stage returned true (a
    /// stage's rejection reverts with its own error).
    function wholeOpening(Key storage k, bytes32 witnessRoot, bytes memory layers, bytes calldata part3, uint256 base)
        private
        view
        returns (bool accepted)
    {
        bytes memory transcript;
        uint256 counter;
        uint256[] memory claims;
        assembly ("memory-safe") {
            // ZkmlLayerStage's abi.encode(transcript, counter, claims, consumed), read in place.
            transcript := add(add(layers, 32), mload(add(layers, 32)))
            counter := mload(add(layers, 64))
            claims := add(add(layers, 32), mload(add(layers, 96)))
        }
        bytes memory data = abi.encodeCall(ZkmlOpeningStage.run, (transcript, counter, k.soundness, openingClaims(k, witnessRoot, claims), part3));
        (address opening, address last) = (openingStage, finalStage);
        bytes4 selector = ZkmlFinalStage.run.selector;
        assembly ("memory-safe") {
            let before := gas()
            if iszero(staticcall(gas(), opening, add(data, 32), mload(data), 0, 0)) {
                if lt(gas(), div(before, 16)) { invalid() } // out of gas, as staticRun
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            // Nothing at `base` or above is read again: the final stage's calldata goes there.
            mstore(base, selector)
            returndatacopy(add(base, 4), 0, returndatasize())
            before := gas()
            if iszero(staticcall(gas(), last, base, add(4, returndatasize()), 0, 32)) {
                if lt(gas(), div(before, 16)) { invalid() }
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            accepted := and(eq(returndatasize(), 32), eq(mload(0), 1))
        }
    }

    /// `b` moved down to memory at `base` (below it, where nothing else is kept), and memory above it given back.
    function keepAt(uint256 base, bytes memory b) private pure returns (bytes memory moved) {
        assembly ("memory-safe") {
            let size := add(32, mload(b))
            mcopy(base, b, size)
            moved := base
            mstore(0x40, add(base, and(add(size, 31), not(31))))
        }
    }

    /// Of ZkmlLookupStage's return data abi.encode(transcript, counter, registers, consumed, ranges, root) (the
    /// stage's own encoding): the offset it read to and the public ranges, read in place (the fourth word, the
    /// fifth argument's tail: length, words) instead of decoding every argument into a copy.
    function lookupsRead(bytes memory ret) private pure returns (uint256 consumed, uint256[] memory ranges) {
        assembly ("memory-safe") {
            consumed := mload(add(ret, 128))
            ranges := add(add(ret, 32), mload(add(ret, 160)))
        }
    }

    /// Where the proof's public tensors end: the largest end in ZkmlLookupStage's ranges (count, then
    /// (start, end) per input; count, then per output).
    function publicEnd(uint256[] memory r) private pure returns (uint256 end) {
        uint256 ni = r[0];
        for (uint256 j = 0; j < ni; j++) {
            if (r[2 + 2 * j] > end) end = r[2 + 2 * j];
        }
        for (uint256 j = 0; j < r[1 + 2 * ni]; j++) {
            if (r[3 + 2 * ni + 2 * j] > end) end = r[3 + 2 * ni + 2 * j];
        }
    }

    /// ZkmlLookupStage on `proof` under the key's cfg and tables: its return data, and the proof's bytes
    /// as the stage read them (in the stage's calldata, one copy).
    /// Only tables [0, to) checked for `to` < 2^256 − 1 (ZkmlLookupStage.run; the tree codes left out for `to` = 0).
    function runLookupStage(Key storage k, bytes calldata proof, uint256 to) private view returns (bytes memory bytesRead, bytes memory ret) {
        Part[] memory parts = new Part[](to == 0 ? 1 : 2);
        parts[0] = keptWords(k.cfgHash);
        if (to != 0) parts[1] = kept(k.tablesHash);
        uint256[] memory args = new uint256[](2);
        (args[0], args[1]) = (1, 2);
        bytes memory data = abi.encodeCall(ZkmlLookupStage.run, (k.modelId, new uint256[](0), "", proof, to));
        fill(data, args, parts);
        assembly ("memory-safe") {
            bytesRead := add(add(data, 36), mload(add(data, 132))) // argument 3's tail: its length, then its bytes
        }
        ret = staticRun(lookupStage, data);
    }

    /// ZkmlLayerStage running the key's program on ZkmlLookupStage's return data `lookups` and `proof` from
    /// byte `from` on: the offset it read to, the witness root stage 1 read, its return data.
    function runLayerStage(Key storage k, bytes memory lookups, uint256 from, bytes memory proof)
        private
        view
        returns (uint256 consumed, bytes32 witnessRoot, bytes memory ret)
    {
        bytes memory transcript;
        uint256 counter;
        uint256[] memory registers;
        uint256[] memory ranges;
        assembly ("memory-safe") {
            // ZkmlLookupStage's return data (its own encoding, or bytes hashing to what it returned), read in place.
            let d := add(lookups, 32)
            transcript := add(d, mload(d))
            counter := mload(add(d, 32))
            registers := add(d, mload(add(d, 64)))
            ranges := add(d, mload(add(d, 128)))
            witnessRoot := mload(add(d, 160))
        }
        Part[] memory parts = new Part[](1);
        parts[0] = kept(k.programHash);
        uint256[] memory args = new uint256[](1);
        args[0] = 5;
        bytes memory data = abi.encodeCall(ZkmlLayerStage.run, (transcript, counter, registers, from, ranges, "", k.registers, proof));
        fill(data, args, parts);
        ret = staticRun(layerStage, data);
        assembly ("memory-safe") {
            consumed := mload(add(ret, 128)) // the fourth word of the stage's abi.encode(transcript, counter, claims, consumed)
        }
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

    /// A stage's return data; its revert (Rejected/Malformed) is the transaction's. A stage that failed with under 1/16 of
    /// the gas the call began with left ran out of gas (itself, or in a precompile it called, which leaves it 1/64 to
    /// revert with): then all the gas is spent (INVALID), so that a caller's 63/64 rule sees it — the market's
    /// `_verdict` reverts VerifierOutOfGas instead of taking a proof verified inside its call (`verify` on parts) for
    /// invalid because its sender gave too little gas. A proof a stage refuses with more gas left reverts as before.
    function staticRun(address stage, bytes memory data) private view returns (bytes memory ret) {
        bool ok;
        uint256 before = gasleft();
        (ok, ret) = stage.staticcall(data);
        if (!ok) {
            assembly ("memory-safe") {
                if lt(gas(), div(before, 16)) { invalid() }
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
            // The statement's int64s from p while four remain before `lim`, against the w-bit fields from bit 0 at memory
            // `at`: the four values of a word v and the four fields f of 4w bits compared in the word's four 64-bit lanes
            // (the first value, and field, in the top lane). A lane agrees iff ((v + 2^(w−1)) mod 2^64) xor 2^(w−1) = f: for
            // v = f's two's complement value (f xor half) − half, v + half = f xor half < 2^w; conversely a lane equal to f < 2^w
            // makes v + half mod 2^64 = f xor half, so v = (f xor half) − half (as the tail loop compares, one value at a
            // time). The lanes' sums without a carry between lanes: their low 63 bits plus half (< 2^64 for w ≤ 56), then their
            // top bits xor-ed back. The fields are spread into the lanes by four shifts of 64 − w and a mask each. The
            // differences OR-ed into `diff`; where the loop stopped (p, and the fields' bit). A Yul function left by `leave`
            // (never inlined), so that its constants stay on its own stack (docs/ethereum.md, branch code27).
            function four(p, lim, at, w) -> q, bit, diff {
                let t := sub(64, w)
                let m0 := sub(shl(w, 1), 1)
                let m1 := shl(64, m0)
                let m2 := shl(128, m0)
                let m3 := shl(192, m0)
                let hh := mul(shl(sub(w, 1), 1), 0x0000000000000001000000000000000100000000000000010000000000000001)
                let w4 := shl(2, w)
                for {} 1 {} {
                    if gt(add(p, 32), lim) {
                        q := p
                        leave
                    }
                    let x := shr(t, shl(and(bit, 7), mload(add(at, shr(3, bit)))))
                    let f := and(x, m3)
                    x := shr(t, x)
                    f := or(f, and(x, m2))
                    x := shr(t, x)
                    f := or(f, and(x, m1))
                    f := or(f, and(shr(t, x), m0))
                    let v := mload(p)
                    let u := xor(add(and(v, 0x7fffffffffffffff7fffffffffffffff7fffffffffffffff7fffffffffffffff), hh),
                        and(v, 0x8000000000000000800000000000000080000000000000008000000000000000))
                    diff := or(diff, xor(xor(u, hh), f))
                    bit := add(bit, w4)
                    p := add(p, 32)
                }
            }
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
                let down := sub(256, w)
                let last := add(p, mul(8, len))
                // The differences OR-ed, checked once a tensor: f's two's complement as a 256-bit word is (f xor half) − half.
                let diff := 0
                let bit := 0
                // Four values a step while four remain (w ≤ 56: 4w ≤ 231 bits after the byte's offset): `four`.
                if lt(w, 57) { p, bit, diff := four(p, last, at, w) }
                for { } lt(p, last) { bit := add(bit, w) } {
                    let f := shr(down, shl(and(bit, 7), mload(add(at, shr(3, bit)))))
                    diff := or(diff, xor(sub(xor(f, half), half), signextend(7, shr(192, mload(p)))))
                    p := add(p, 8)
                }
                if diff {
                    same := 0
                    break
                }
            }
            if iszero(eq(p, end)) { same := 0 }
        }
    }
}
