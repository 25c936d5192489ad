// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import "IERC20.sol";

/// @notice TEST ONLY: an ERC-20 whose transferFrom calls back into the caller (as ERC-777 hooks
/// do) and deposits again before the first transfer completes, to show the market refuses it.
contract ReenteringTestToken is IERC20 {
    mapping(address => uint256) public balanceOf;
    bool private reentering;

    constructor(address holder, uint256 supply) {
        balanceOf[holder] = supply;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (!reentering) {
            reentering = true;
            (bool ok, bytes memory ret) = msg.sender.call(abi.encodeWithSignature("deposit(uint256)", amount));
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
            reentering = false;
        }
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        return true;
    }
}
