package ai.mesm.corpus;

/**
 * How a synthetic voice carries an affect: the prosodic cues (pitch, energy, tempo, timbre) that
 * survive into a mel spectrogram.
 *
 * @param pitchFactor   mean F0 relative to the speaker's neutral pitch
 * @param pitchSwing    depth of the pitch movement within a syllable, relative
 * @param pitchSlope    pitch change over the utterance, relative (+ rising, - falling)
 * @param syllableRate  syllables per second
 * @param gain          loudness, linear
 * @param brightness    harmonic roll-off: higher keeps more high harmonics (tense voice)
 * @param tremorHz      frequency of a pitch tremor (0 = none)
 * @param tremorDepth   relative depth of that tremor
 * @param breathiness   share of noise in the voiced signal, 0..1
 */
public record VoiceStyle(double pitchFactor, double pitchSwing, double pitchSlope, double syllableRate,
                         double gain, double brightness, double tremorHz, double tremorDepth, double breathiness) {}
