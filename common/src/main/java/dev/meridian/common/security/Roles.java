package dev.meridian.common.security;

/** Realm roles the platform knows. */
public final class Roles {
    /** May manage the org's model catalog and delete fine-tuned models. */
    public static final String OWNER = "owner";

    private Roles() {
    }
}
