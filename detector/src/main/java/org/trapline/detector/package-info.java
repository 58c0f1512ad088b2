/**
 * Detector service (not built yet, see the open issues): Runs a real detection network on every frame: empty frames marked, people redacted, animals passed on.
 */
package org.trapline.detector;
