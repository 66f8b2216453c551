package dev.levee.config;

import java.math.BigDecimal;

/**
 * A model's price in nano-dollars per token (a price in USD per million tokens x 1,000), so every
 * cost is an exact integer: $0.15 / 1M tokens = 150 n$ per token.
 */
public record Price(long inputNanosPerToken, long outputNanosPerToken) {
    public static final Price FREE = new Price(0, 0);

    public Price {
        if (inputNanosPerToken < 0 || outputNanosPerToken < 0) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /**
     * From USD per million tokens, e.g. {@code perMillion("2.50", "10.00")}.
     *
     * @throws IllegalArgumentException for a negative price or one finer than $0.001 per million
     */
    public static Price perMillion(BigDecimal input, BigDecimal output) {
        return new Price(nanosPerToken(input, "input"), nanosPerToken(output, "output"));
    }

    public static Price perMillion(String input, String output) {
        return perMillion(new BigDecimal(input), new BigDecimal(output));
    }

    private static long nanosPerToken(BigDecimal usdPerMillion, String which) {
        if (usdPerMillion.signum() < 0) {
            throw new IllegalArgumentException(which + " price must be >= 0");
        }
        try {
            return usdPerMillion.movePointRight(3).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(which + " price " + usdPerMillion.toPlainString()
                    + " has more precision than $0.001 per million tokens");
        }
    }

    /** The exact cost of a request in nano-dollars. */
    public long costNanos(long promptTokens, long completionTokens) {
        return Math.addExact(Math.multiplyExact(promptTokens, inputNanosPerToken),
                Math.multiplyExact(completionTokens, outputNanosPerToken));
    }
}
