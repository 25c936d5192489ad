// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

/// @title Proofs uploaded in chunks across transactions
/// @notice A proof larger than one transaction may carry (geth's pool takes at most 128 KB) is
/// uploaded here in chunks, keyed by (uploader, keccak256(proof)), and then named by its hash in the
/// market's `...Buffered` calls. Each chunk is stored as the code of a data contract (one STOP byte,
/// then the chunk): 200 gas a byte deposited, against 20,000 a 32-byte word with SSTORE. `load`
/// concatenates the chunks and refuses them unless they hash to the key, so what a verifier
/// receives is exactly the bytes the uploader committed to; only the uploader writes its own keys.
contract ProofBuffer {
    /// The largest chunk: the code-size limit (EIP-170) less the leading STOP byte.
    uint256 public constant MAX_CHUNK = 24_575;

    mapping(address => mapping(bytes32 => address[])) private chunks;

    event ChunkStored(address indexed uploader, bytes32 indexed proofHash, uint256 index, uint256 length);

    error BadChunk(uint256 length);
    error ChunkOutOfOrder(uint256 index, uint256 count);
    error StoreFailed();
    error ProofIncomplete(bytes32 proofHash);

    /// @notice Stores `chunk` as the `index`-th piece of the sender's proof `proofHash`: appended
    /// (index = the chunks stored so far) or replacing an earlier piece (an upload started afresh).
    function store(bytes32 proofHash, uint256 index, bytes calldata chunk) external {
        if (chunk.length == 0 || chunk.length > MAX_CHUNK) revert BadChunk(chunk.length);
        address[] storage list = chunks[msg.sender][proofHash];
        if (index > list.length) revert ChunkOutOfOrder(index, list.length);
        // Creation code: PUSH2 n+1, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN; the code returned is STOP ‖ chunk.
        bytes memory init = abi.encodePacked(hex"61", uint16(chunk.length + 1), hex"80600c6000396000f300", chunk);
        address data;
        assembly ("memory-safe") {
            data := create(0, add(init, 32), mload(init))
        }
        if (data == address(0)) revert StoreFailed();
        if (index == list.length) {
            list.push(data);
        } else {
            list[index] = data;
        }
        emit ChunkStored(msg.sender, proofHash, index, chunk.length);
    }

    /// @notice How many chunks `uploader` has stored for `proofHash`.
    function chunkCount(address uploader, bytes32 proofHash) external view returns (uint256) {
        return chunks[uploader][proofHash].length;
    }

    /// @notice The data contracts holding `uploader`'s chunks of `proofHash`, in order (each one's code is
    /// STOP ‖ chunk): for a reader that copies the chunks itself and checks their hash, as `load` does.
    function chunksOf(address uploader, bytes32 proofHash) external view returns (address[] memory) {
        return chunks[uploader][proofHash];
    }

    /// @notice The proof `uploader` stored under `proofHash`: its chunks in order, refused
    /// (ProofIncomplete) unless they hash to `proofHash` (a chunk missing, changed or extra).
    function load(address uploader, bytes32 proofHash) external view returns (bytes memory proof) {
        address[] storage list = chunks[uploader][proofHash];
        uint256 n = list.length;
        uint256 total;
        for (uint256 i; i < n; i++) {
            total += list[i].code.length - 1;
        }
        proof = new bytes(total);
        uint256 at;
        for (uint256 i; i < n; i++) {
            address data = list[i];
            uint256 len = data.code.length - 1;
            assembly ("memory-safe") {
                extcodecopy(data, add(add(proof, 32), at), 1, len)
            }
            at += len;
        }
        if (total == 0 || keccak256(proof) != proofHash) revert ProofIncomplete(proofHash);
    }
}
