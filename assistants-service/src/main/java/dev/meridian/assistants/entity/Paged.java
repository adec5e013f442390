package dev.meridian.assistants.entity;

/** A row listed with keyset pagination on ({@code created_at}, {@code seq}). */
public interface Paged {
    long createdAt();

    long seq();
}
