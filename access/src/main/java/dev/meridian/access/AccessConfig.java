package dev.meridian.access;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meridian.access.*}: how long answers about credentials are kept in memory. */
@ConfigMapping(prefix = "meridian.access")
public interface AccessConfig {

    /**
     * How long a replica trusts a key's grant without asking again. Revocation does not wait for it (it arrives as an
     * event within a second); it bounds how stale a grant can be if events stop, and how often {@code last_used_at}
     * is refreshed.
     */
    @WithDefault("10M")
    Duration keyTtl();

    /** How long an unknown key is remembered as unknown (a new key cannot be mistaken: its hash was never asked for). */
    @WithDefault("1M")
    Duration unknownKeyTtl();

    /** How long a user's project membership is kept; changes arrive as events sooner. */
    @WithDefault("1M")
    Duration membershipTtl();

    /** Upper bound on each cache's entries. */
    @WithDefault("100000")
    long maxEntries();

    /**
     * Whether this service takes organization admin keys ({@code sk-admin-}): only admin-service, as at OpenAI, where
     * admin keys manage the organization and cannot call the model APIs.
     */
    @WithDefault("false")
    boolean adminKeys();

    /** The cache of verified access tokens ({@link VerifiedTokens}). */
    TokenCache tokenCache();

    interface TokenCache {

        /** Whether a token already verified skips its RS256 verification until it expires. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a verified token is trusted without verifying it again, at most (never past its {@code exp}). It
         * bounds how long a token signed by a key the realm has since rotated out keeps working on a replica.
         */
        @WithDefault("1M")
        Duration maxTtl();

        /** Upper bound on tokens kept; the least used go first. */
        @WithDefault("10000")
        long maxEntries();
    }

    /** Where the 401 for a wrong key tells users to find their key. */
    @WithDefault("https://github.com/meridian-platform/meridian/blob/main/docs/api-keys.md")
    String keyHelpUrl();
}
