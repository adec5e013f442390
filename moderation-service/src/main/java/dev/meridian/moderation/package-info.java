/** The Moderations API: skeleton until its issue lands. */
package dev.meridian.moderation;
