/** The Images API (generations, edits, variations): skeleton until its issue lands. */
package dev.meridian.images;
