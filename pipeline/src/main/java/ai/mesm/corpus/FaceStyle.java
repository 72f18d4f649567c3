package ai.mesm.corpus;

/**
 * How a drawn face shows an affect. Units are fractions of the face size or unitless in [-1, 1]
 * so that the same style draws at any resolution.
 *
 * @param browTilt   +1 inner ends raised (sadness, fear), -1 inner ends lowered (anger)
 * @param browLift   vertical offset of both brows, +1 high (surprise)
 * @param eyeOpen    eye height relative to neutral (1)
 * @param mouthCurve +1 smile, -1 frown
 * @param mouthOpen  how far the mouth opens at rest, 0..1
 * @param mouthWidth width relative to neutral (1)
 * @param flush      red tint of the skin, 0..1
 * @param noseWrinkle lines beside the nose, 0..1 (disgust)
 */
public record FaceStyle(double browTilt, double browLift, double eyeOpen, double mouthCurve,
                        double mouthOpen, double mouthWidth, double flush, double noseWrinkle) {}
