// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.37;

/// @title RFC 9162 (Certificate Transparency v2) Merkle tree proofs
/// @notice Interior nodes are SHA-256(0x01 || left || right), computed with the sha256 precompile.
library Rfc9162 {
    /// @notice RFC 9162 §2.1.4.2: is the tree of size `second` with root `secondHash` an extension of the
    /// tree of size `first` with root `firstHash`?
    /// @dev Only 0 < first < second is a provable step; equal sizes are the caller's decision (the proof would
    /// be empty). The loop is bounded: `sn` is halved on every element and the proof fails once it reaches 0,
    /// so at most 64 elements are ever hashed.
    function verifyConsistency(
        uint64 first,
        uint64 second,
        bytes32 firstHash,
        bytes32 secondHash,
        bytes32[] calldata proof
    ) internal view returns (bool) {
        if (first == 0 || first >= second || proof.length == 0) return false;

        uint256 fn = first - 1;
        uint256 sn = second - 1;
        uint256 next;
        bytes32 fr;
        bytes32 sr;
        // Step 2 "prepend first_hash when first is a power of two", without copying the calldata array.
        if (first & (first - 1) == 0) {
            fr = firstHash;
        } else {
            fr = proof[0];
            next = 1;
        }
        sr = fr;
        while (fn & 1 == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        for (uint256 i = next; i < proof.length; ++i) {
            if (sn == 0) return false;
            bytes32 c = proof[i];
            if (fn & 1 == 1 || fn == sn) {
                fr = hashChildren(c, fr);
                sr = hashChildren(c, sr);
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = hashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr == firstHash && sr == secondHash;
    }

    /// @notice SHA-256(0x01 || left || right).
    /// @dev Assembly rather than sha256(abi.encodePacked(...)) so the loop reuses scratch memory past the free
    /// memory pointer instead of allocating 65 bytes per node.
    function hashChildren(bytes32 left, bytes32 right) internal view returns (bytes32 node) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore8(ptr, 0x01)
            mstore(add(ptr, 0x01), left)
            mstore(add(ptr, 0x21), right)
            if iszero(staticcall(gas(), 0x02, ptr, 0x41, 0x00, 0x20)) {
                revert(0, 0)
            }
            node := mload(0x00)
        }
    }
}
