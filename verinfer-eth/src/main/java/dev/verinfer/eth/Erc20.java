package dev.verinfer.eth;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;

/** An ERC-20 token as the market uses it, and the deployment of {@code SimpleToken}, the plain fixed-supply token of the tests and the local demo. */
public final class Erc20 {
    public static final Artifact SIMPLE_TOKEN = Artifact.load(Erc20.class, "SimpleToken");

    private final ChainAccount account;
    private final String address;

    public Erc20(ChainAccount account, String address) {
        this.account = account;
        this.address = address;
    }

    /** Deploys a SimpleToken whose whole {@code supply} belongs to {@code holder}; the receipt names its address. */
    public static Receipt deploySimpleToken(ChainAccount account, String name, String symbol, BigInteger supply, String holder) {
        String args = FunctionEncoder.encodeConstructor(List.of(new Utf8String(name), new Utf8String(symbol), new Uint256(supply), new Address(holder)));
        return account.deploy(SIMPLE_TOKEN.bytecode() + Numeric.cleanHexPrefix(args), Erc20::describe);
    }

    static String describe(String revertData) {
        return SIMPLE_TOKEN.describeRevert(revertData, java.util.Map.of());
    }

    public String address() {
        return address;
    }

    public Erc20 as(ChainAccount other) {
        return new Erc20(other, address);
    }

    public Receipt transfer(String to, BigInteger amount) {
        return send("transfer", new Address(to), new Uint256(amount));
    }

    public Receipt approve(String spender, BigInteger amount) {
        return send("approve", new Address(spender), new Uint256(amount));
    }

    public BigInteger balanceOf(String owner) {
        String hex = account.call(address, FunctionEncoder.encode(new Function("balanceOf", List.of(new Address(owner)), List.of())), Erc20::describe);
        return Numeric.toBigInt(hex);
    }

    private Receipt send(String function, Type<?>... args) {
        return account.send(address, FunctionEncoder.encode(new Function(function, List.of(args), List.of())), Erc20::describe);
    }
}
