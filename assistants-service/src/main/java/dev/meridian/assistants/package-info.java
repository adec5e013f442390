/** The Assistants API v2 (assistants, threads, messages): skeleton until its issue lands. */
package dev.meridian.assistants;
