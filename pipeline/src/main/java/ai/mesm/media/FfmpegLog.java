package ai.mesm.media;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg prints every stream header it opens; only errors are worth a user's attention. */
public final class FfmpegLog {
  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private FfmpegLog() {}

  /** Call before using FFmpeg; the level is set once per JVM. */
  public static void errorsOnly() {
    // the static initialiser did the work
  }
}
