package org.trapline.ingest.video;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own messages into this module's log (SLF4J). JavaCV's {@code FFmpegLogCallback} would print
 * them to standard error through JavaCPP's logger, beside the service's log rather than in it.
 */
final class FfmpegLog extends LogCallback {

    private static final Logger log = LoggerFactory.getLogger("org.trapline.ingest.video.ffmpeg");

    // held for the life of the JVM: FFmpeg keeps calling it, and a collected callback would crash the process
    private static final FfmpegLog INSTANCE = new FfmpegLog().retainReference();

    private FfmpegLog() {
    }

    static void install() {
        avutil.setLogCallback(INSTANCE);
    }

    @Override
    public void call(int level, BytePointer message) {
        String line = message.getString().strip();
        if (line.isEmpty()) {
            return;
        }
        if (level <= avutil.AV_LOG_ERROR) {
            log.warn(line);  // about one clip, which is refused or sampled anyway: not an error of the service
        } else if (level <= avutil.AV_LOG_WARNING) {
            log.info(line);
        } else {
            log.debug(line);
        }
    }
}
