// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {Goldilocks} from "Goldilocks.sol";

/// @notice verinfer-transcript's Fiat–Shamir transcript on the EVM, byte for byte: a SHA-256 hash chain
/// over (tag, label length, label, data length, data) records. The state starts as 32 zero bytes; a
/// challenge appends its own record (tag, label, counter) and is SHA-256(state ‖ records absorbed since
/// the last challenge), which becomes the new state. The buffer holds state ‖ pending records, so each
/// absorbed byte is hashed once (the SHA-256 precompile 0x02 has no incremental state: a running hash
/// of the whole prefix cost 13.5 M gas on alexa_v0.1; the chain costs ≈ 0.2 M, docs/ethereum.md).
/// @dev A label is a bytes32 word: its text left-aligned, its length (≤ 31) in the lowest byte, so
/// that absorbing it is one MSTORE (`label("pcs/fold")` style constants are written as
/// `bytes32("pcs/fold") | bytes32(uint256(8))`). Writes may spill up to 32 bytes past `len`; the buffer
/// keeps that much slack. `cap` bounds the bytes absorbed between two challenges, not the whole run. The
/// buffer takes memory as it fills (`room`, doubling up to `cap`): memory costs 3 gas a word plus its square
/// over 512, so a buffer allocated at `cap` (the opening's was ≈ 200 KB, nearly all unused) makes every later
/// allocation sit above it and pay for it.
library Sha256Transcript {
    uint8 internal constant TAG_DOMAIN = 0;
    uint8 internal constant TAG_BYTES = 1;
    uint8 internal constant TAG_FIELDS = 2;
    uint8 internal constant TAG_EXTS = 3;
    uint8 internal constant TAG_CHALLENGE = 4;
    /// "verinfer-transcript-v2", 22 bytes.
    bytes32 internal constant HEADER = bytes32("verinfer-transcript-v2") | bytes32(uint256(22));

    error TranscriptFull();

    struct T {
        uint256 base; // memory address of the buffer
        uint256 len; // bytes in the buffer: the 32-byte state, then the records since the last challenge
        uint256 cap; // usable bytes
        uint256 counter; // challenges drawn
        uint256 room; // bytes allocated at base (≤ cap), besides the slack
    }

    uint256 private constant FIRST_ROOM = 4096;

    /// A transcript for a protocol run named by `domain`, with room for `cap` bytes absorbed between
    /// two challenges.
    function start(bytes memory domain, uint256 cap) internal pure returns (T memory t) {
        uint256 base;
        cap += 32;
        uint256 room = cap < FIRST_ROOM ? cap : FIRST_ROOM;
        assembly ("memory-safe") {
            base := mload(0x40)
            mstore(0x40, add(base, add(room, 64)))
            mstore(base, 0) // state₀ = 0³²
        }
        t = T(base, 32, cap, 0, room);
        header(t, TAG_DOMAIN, HEADER, 0);
        putU64(t, domain.length);
        putMemory(t, domain);
    }

    /// The transcript as it stands, to hand to another contract or transaction: the 32-byte state and
    /// the records absorbed since the last challenge (the buffer), and the count of challenges drawn.
    function snapshot(T memory t) internal pure returns (bytes memory buffer, uint256 counter) {
        uint256 len = t.len;
        uint256 base = t.base;
        buffer = new bytes(len);
        assembly ("memory-safe") {
            mcopy(add(buffer, 32), base, len)
        }
        counter = t.counter;
    }

    /// Ends the call: returns the ABI encoding of (bytes buffer, uint256 counter, uint256[] a, uint256 consumed) with
    /// `snapshot`'s buffer and counter, then, when `more`, of (uint256[] b, bytes32 w) too — the stages' return values,
    /// byte for byte as solc encodes them (each array's length and words copied whole, the buffer zero-padded to a
    /// word), without solc's encoding loop a word and `snapshot`'s copy.
    function returnSnapshot(T memory t, uint256[] memory a, uint256 consumed, bool more, uint256[] memory b, bytes32 w) internal pure {
        assembly ("memory-safe") {
            let p := mload(0x40)
            let head := 128
            if more {
                head := 192
            }
            mstore(p, head)
            mstore(add(p, 32), mload(add(t, 96)))
            mstore(add(p, 96), consumed)
            let q := add(p, head)
            let len := mload(add(t, 32))
            let padded := and(add(len, 31), not(31))
            mstore(add(q, padded), 0)
            mstore(q, len)
            mcopy(add(q, 32), mload(t), len)
            q := add(q, add(32, padded))
            mstore(add(p, 64), sub(q, p))
            let n := add(32, shl(5, mload(a)))
            mcopy(q, a, n)
            q := add(q, n)
            if more {
                mstore(add(p, 128), sub(q, p))
                n := add(32, shl(5, mload(b)))
                mcopy(q, b, n)
                q := add(q, n)
                mstore(add(p, 160), w)
            }
            return(p, sub(q, p))
        }
    }

    /// A transcript continuing from `snapshot`'s output, with room for `cap` bytes between two challenges.
    function resume(bytes memory buffer, uint256 counter, uint256 cap) internal pure returns (T memory t) {
        uint256 len = buffer.length;
        cap += 32;
        if (len < 32 || len > cap) revert TranscriptFull();
        uint256 base;
        uint256 room = cap < FIRST_ROOM ? cap : FIRST_ROOM;
        if (room < len) room = len;
        assembly ("memory-safe") {
            base := mload(0x40)
            mstore(0x40, add(base, add(room, 64)))
            mcopy(base, add(buffer, 32), len)
        }
        t = T(base, len, cap, counter, room);
    }

    /// The end of the buffer's memory (slack included): a caller that gives memory back (resets the free
    /// memory pointer) must not give back what the buffer took meanwhile.
    function memoryEnd(T memory t) internal pure returns (uint256) {
        return t.base + t.room + 64;
    }

    /// `n` bytes at the buffer's end (grown when past its room): their memory address. In assembly, with checked
    /// arithmetic's Panic(0x11) on an overflowing len + n.
    function reserve(T memory t, uint256 n) private pure returns (uint256 at) {
        uint256 end;
        assembly ("memory-safe") {
            at := mload(add(t, 32))
            end := add(at, n)
            if lt(end, at) {
                mstore(0, shl(224, 0x4e487b71))
                mstore(4, 0x11)
                revert(0, 0x24)
            }
        }
        if (end > t.room) grow(t, end); // room ≤ cap: grow refuses more than cap
        assembly ("memory-safe") {
            mstore(add(t, 32), end)
            at := add(at, mload(t)) // the base, after a grow
        }
    }

    /// Room for `need` ≤ cap bytes: twice the room (at least `need`, at most cap), in place when the buffer
    /// is the last allocation, else in fresh memory with the buffer's bytes copied.
    function grow(T memory t, uint256 need) private pure {
        if (need > t.cap) revert TranscriptFull();
        uint256 room = 2 * t.room;
        if (room < need) room = need;
        if (room > t.cap) room = t.cap;
        uint256 base = t.base;
        uint256 len = t.len;
        uint256 end = base + t.room + 64;
        assembly ("memory-safe") {
            let free := mload(0x40)
            if iszero(eq(free, end)) {
                mcopy(free, base, len)
                base := free
            }
            mstore(0x40, add(base, add(room, 64)))
        }
        (t.base, t.room) = (base, room);
    }

    function putU64(T memory t, uint256 v) internal pure {
        uint256 at = reserve(t, 8);
        assembly ("memory-safe") {
            mstore(at, shl(192, v))
        }
    }

    /// Room for `n` 64-bit values the caller writes itself (8 bytes each, big-endian, from the offset returned).
    function reserveU64s(T memory t, uint256 n) internal pure returns (uint256) {
        return reserve(t, 8 * n);
    }

    function putByte(T memory t, uint256 b) internal pure {
        uint256 at = reserve(t, 1);
        assembly ("memory-safe") {
            mstore8(at, b)
        }
    }

    function putMemory(T memory t, bytes memory data) internal pure {
        uint256 n = data.length;
        uint256 at = reserve(t, n);
        assembly ("memory-safe") {
            mcopy(at, add(data, 32), n)
        }
    }

    function putCalldata(T memory t, uint256 offset, uint256 n) internal pure {
        uint256 at = reserve(t, n);
        assembly ("memory-safe") {
            calldatacopy(at, offset, n)
        }
    }

    function putWord(T memory t, bytes32 w) internal pure {
        uint256 at = reserve(t, 32);
        assembly ("memory-safe") {
            mstore(at, w)
        }
    }

    /// (tag, label length as u64, label, length as u64).
    function header(T memory t, uint8 tag, bytes32 label, uint256 length) internal pure {
        uint256 l = uint256(label) & 0xff;
        uint256 at = reserve(t, 17 + l);
        assembly ("memory-safe") {
            mstore8(at, tag)
            mstore(add(at, 1), shl(192, l))
            mstore(add(at, 9), and(label, not(0xff)))
            mstore(add(at, add(9, l)), shl(192, length))
        }
    }

    function absorbField(T memory t, bytes32 label, uint256 v) internal pure {
        header(t, TAG_FIELDS, label, 1);
        putU64(t, v);
    }

    function absorbExt(T memory t, bytes32 label, uint256 c0, uint256 c1) internal pure {
        header(t, TAG_EXTS, label, 1);
        putU64(t, c0);
        putU64(t, c1);
    }

    /// A record of `count` extension elements whose 16·count bytes (c0, c1 big-endian) sit in calldata.
    function absorbExtsCalldata(T memory t, bytes32 label, uint256 offset, uint256 count) internal pure {
        header(t, TAG_EXTS, label, count);
        putCalldata(t, offset, 16 * count);
    }

    function absorbBytesCalldata(T memory t, bytes32 label, uint256 offset, uint256 n) internal pure {
        header(t, TAG_BYTES, label, n);
        putCalldata(t, offset, n);
    }

    /// The next challenge: SHA-256(state ‖ pending ‖ its record), which becomes the state.
    function squeeze(T memory t, bytes32 label) internal view returns (bytes32 out) {
        header(t, TAG_CHALLENGE, label, t.counter++);
        uint256 base = t.base;
        uint256 len = t.len;
        assembly ("memory-safe") {
            if iszero(staticcall(gas(), 2, base, len, base, 32)) { revert(0, 0) }
            out := mload(base)
        }
        t.len = 32;
    }

    /// A uniform base-field element by rejection sampling over the 64-bit words of each block.
    function challengeField(T memory t, bytes32 label) internal view returns (uint256) {
        while (true) {
            uint256 h = uint256(squeeze(t, label));
            for (uint256 i = 0; i < 4; i++) {
                uint256 x = (h >> (192 - 64 * i)) & 0xFFFFFFFFFFFFFFFF;
                if (x < Goldilocks.P) return x;
            }
        }
        return 0;
    }

    /// challengeField twice, in one block: each squeeze's record (TAG_CHALLENGE, label, counter) written after
    /// the buffer's bytes, SHA-256 of them the new state, until a 64-bit word of it, first to last, is below p.
    /// The room `header` would reserve is reserved once (after a squeeze the buffer holds the 32-byte state only).
    function challengeExt(T memory t, bytes32 label) internal view returns (uint256 c0, uint256 c1) {
        uint256 l = uint256(label) & 0xff;
        if (t.len + 17 + l > t.room) grow(t, t.len + 17 + l);
        assembly ("memory-safe") {
            function draw(b, n, ctr, lab, ll) -> x, next {
                x := 0xFFFFFFFF00000001
                for {} iszero(lt(x, 0xFFFFFFFF00000001)) {} {
                    let at := add(b, n)
                    mstore8(at, 4)
                    mstore(add(at, 1), shl(192, ll))
                    mstore(add(at, 9), lab)
                    mstore(add(at, add(9, ll)), shl(192, ctr))
                    ctr := add(ctr, 1)
                    if iszero(staticcall(gas(), 2, b, add(n, add(17, ll)), b, 32)) { revert(0, 0) }
                    n := 32
                    let h := mload(b)
                    x := shr(192, h)
                    if iszero(lt(x, 0xFFFFFFFF00000001)) {
                        x := and(shr(128, h), 0xFFFFFFFFFFFFFFFF)
                        if iszero(lt(x, 0xFFFFFFFF00000001)) {
                            x := and(shr(64, h), 0xFFFFFFFFFFFFFFFF)
                            if iszero(lt(x, 0xFFFFFFFF00000001)) { x := and(h, 0xFFFFFFFFFFFFFFFF) }
                        }
                    }
                }
                next := ctr
            }
            let base := mload(t)
            let lab := and(label, not(0xff))
            let ctr := mload(add(t, 96))
            c0, ctr := draw(base, mload(add(t, 32)), ctr, lab, l)
            c1, ctr := draw(base, 32, ctr, lab, l)
            mstore(add(t, 32), 32)
            mstore(add(t, 96), ctr)
        }
    }

    /// challengeExt's draws as two challengeField calls: the same bytes hashed and the same elements in less code,
    /// for the contract with the least room (ZkmlOpeningStage, through WhirOpening).
    function challengeExtCompact(T memory t, bytes32 label) internal view returns (uint256 c0, uint256 c1) {
        c0 = challengeField(t, label);
        c1 = challengeField(t, label);
    }

    function challengeBytes(T memory t, bytes32 label) internal view returns (bytes32) {
        return squeeze(t, label);
    }

    /// `count` indices uniform in [0, bound) from 32-bit words below the largest multiple of bound.
    function challengeIndices(T memory t, bytes32 label, uint256 count, uint256 bound) internal view returns (uint256[] memory out) {
        out = new uint256[](count);
        uint256 limit = (1 << 32) - ((1 << 32) % bound);
        uint256 filled = 0;
        while (filled < count) {
            uint256 h = uint256(squeeze(t, label));
            // the digest's eight 32-bit words, first to last (out has count entries; bound ≥ 1, limit ≥ bound)
            assembly ("memory-safe") {
                for { let s := 224 } and(iszero(gt(s, 224)), lt(filled, count)) { s := sub(s, 32) } {
                    let w := and(shr(s, h), 0xFFFFFFFF)
                    if lt(w, limit) {
                        filled := add(filled, 1)
                        mstore(add(out, shl(5, filled)), mod(w, bound))
                    }
                }
            }
        }
    }
}
