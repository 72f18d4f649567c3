package ai.mesm.media;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of a window the media really had, known once the window is cut: whether it lies within
 * the media, how many audio samples it got, and whether the video's decodable frames stopped
 * before it. Ingest and scoring reject a window for the same shortfalls, with the same codes.
 *
 * @param mediaEndS       the longer of the video's container duration and the audio decoded so far
 *                        (the audio's whole length whenever the window reaches past it)
 * @param framesStopS     time of the last decodable frame when the video stopped before the window's
 *                        last sampled time; NaN when the video did not stop early (or no frame decodes)
 * @param videoEndedEarly the window asks for frames more than one frame interval after the last
 *                        decodable frame (or no frame decodes at all)
 */
public record Coverage(SegmentCutter.Window window, double mediaEndS, int audioSamples, int minAudioSamples,
                       double framesStopS, boolean videoEndedEarly) {

  /** Why a window cannot be used; {@link #code()} is the stable reject code in both outputs. */
  public enum Shortfall {
    OUTSIDE_MEDIA, NO_AUDIO_IN_WINDOW, VIDEO_ENDED_EARLY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean outsideMedia() {
    return outside(window, mediaEndS);
  }

  /** Before the start, or past the end with a millisecond's tolerance (annotation times are rounded). */
  static boolean outside(SegmentCutter.Window w, double mediaEndS) {
    return w.startS() < 0 || w.endS() > mediaEndS + 1e-3;
  }

  public boolean tooLittleAudio() {
    return audioSamples < minAudioSamples;
  }

  /**
   * The first shortfall that matters, in the order outside media, audio, video: a window beyond the
   * end of everything is outside the media, whatever else it lacks.
   */
  public Optional<Shortfall> shortfall(boolean needsAudio, boolean needsVisual) {
    if (outsideMedia()) return Optional.of(Shortfall.OUTSIDE_MEDIA);
    if (needsAudio && tooLittleAudio()) return Optional.of(Shortfall.NO_AUDIO_IN_WINDOW);
    if (needsVisual && videoEndedEarly) return Optional.of(Shortfall.VIDEO_ENDED_EARLY);
    return Optional.empty();
  }

  /** The reject's detail for {@code shortfall}; {@code video} names the file the frames come from. */
  public String detail(Shortfall shortfall, String video) {
    String w = String.format(Locale.ROOT, "window [%.4f, %.4f] s", window.startS(), window.endS());
    return switch (shortfall) {
      case OUTSIDE_MEDIA -> window.startS() < 0 ? w + " starts before the media"
          : String.format(Locale.ROOT, "%s, media lasts %.4f s", w, mediaEndS);
      case NO_AUDIO_IN_WINDOW -> String.format(Locale.ROOT, "%s has %d audio samples, fewer than %d", w, audioSamples,
          minAudioSamples);
      case VIDEO_ENDED_EARLY -> video + ": " + (Double.isNaN(framesStopS) ? "no frame decodes"
          : String.format(Locale.ROOT, "frames stop at %.2f s", framesStopS)) + " (truncated or damaged file?), "
          + String.format(Locale.ROOT, "window [%.2f, %.2f] s", window.startS(), window.endS());
    };
  }
}
