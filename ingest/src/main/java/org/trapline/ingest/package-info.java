/**
 * Ingest service (not built yet, see the open issues): Turns camera-gateway uploads and SD-card imports (images and video clips) into Frame events, the bytes kept in a blob store.
 */
package org.trapline.ingest;
