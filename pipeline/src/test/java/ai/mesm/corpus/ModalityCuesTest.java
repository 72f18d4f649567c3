package ai.mesm.corpus;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each modality alone must tell the emotions apart, or a model trained on the corpus learns
 * nothing measurable. A nearest-centroid classifier on crude features, trained on half of the
 * samples and scored on the other half, must clearly beat chance (1/6) in every modality.
 */
class ModalityCuesTest {
  private static final Affect[] IEMOCAP = {Affect.ANGER, Affect.EXCITED, Affect.FRUSTRATED, Affect.HAPPY,
      Affect.NEUTRAL, Affect.SAD};
  private static final Affect[] MOSEI = {Affect.ANGER, Affect.DISGUST, Affect.FEAR, Affect.HAPPY, Affect.SAD,
      Affect.SURPRISE};
  private static final int PER_CLASS = 24;

  @Test
  void voiceAloneSeparatesTheEmotions() {
    for (Affect[] classes : List.of(IEMOCAP, MOSEI)) {
      double accuracy = nearestCentroidAccuracy(classes, (sample) -> {
        SplittableRandom rng = new SplittableRandom(sample.seed);
        Actor actor = Actor.random(rng.nextBoolean() ? 'F' : 'M', rng);
        double seconds = 1.5 + rng.nextDouble() * 2;
        VoiceSynth.Speech s = VoiceSynth.speak(sample.affect.voice(), actor.pitchHz(), actor.formantScale(), seconds,
            16000, rng);
        return audioFeatures(s.samples(), actor.pitchHz());
      });
      System.out.println("voice accuracy " + accuracy);
      assertTrue(accuracy >= 0.6, "voice accuracy " + accuracy);
    }
  }

  @Test
  void faceAloneSeparatesTheEmotions() {
    FacePainter painter = new FacePainter(null, null);
    for (Affect[] classes : List.of(IEMOCAP, MOSEI)) {
      double accuracy = nearestCentroidAccuracy(classes, (sample) -> {
        SplittableRandom rng = new SplittableRandom(sample.seed);
        Actor actor = Actor.random(rng.nextBoolean() ? 'F' : 'M', rng);
        double cx = 24 + rng.nextDouble() * 2 - 1;
        double cy = 24 + rng.nextDouble() * 2 - 1;
        // The expression is what must carry the label, not who the actor is: compare with the
        // same actor's neutral face, as a model comparing frames of one speaker can.
        double[] expressive = gray(painter, cx, cy, sample.affect.face(), actor, rng.nextDouble() * 0.5);
        double[] neutral = gray(painter, cx, cy, Affect.NEUTRAL.face(), actor, 0);
        for (int i = 0; i < expressive.length; i++) expressive[i] -= neutral[i];
        return expressive;
      });
      System.out.println("face accuracy " + accuracy);
      assertTrue(accuracy >= 0.8, "face accuracy " + accuracy);
    }
  }

  @Test
  void wordingAloneSeparatesTheEmotions() {
    for (Affect[] classes : List.of(IEMOCAP, MOSEI)) {
      List<String> vocabulary = new ArrayList<>();
      for (Affect a : Affect.values()) for (String cue : a.cues()) for (String w : cue.split(" ")) if (!vocabulary.contains(w)) vocabulary.add(w);
      double accuracy = nearestCentroidAccuracy(classes, (sample) -> {
        String text = Lexicon.sentence(sample.affect, null, new SplittableRandom(sample.seed)).toLowerCase();
        Set<String> words = new HashSet<>(List.of(text.replaceAll("[^a-z' ]", "").split(" ")));
        double[] f = new double[vocabulary.size()];
        for (int i = 0; i < f.length; i++) f[i] = words.contains(vocabulary.get(i)) ? 1 : 0;
        return f;
      });
      System.out.println("text accuracy " + accuracy);
      assertTrue(accuracy >= 0.7, "text accuracy " + accuracy);
    }
  }

  private record Sample(Affect affect, long seed) {}

  private static double[] gray(FacePainter painter, double cx, double cy, FaceStyle style, Actor actor, double talk) {
    BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    painter.paint(g, cx, cy, 44, style, actor, talk, 0, false);
    g.dispose();
    double[] f = new double[48 * 48];
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 48; x++) {
        int rgb = img.getRGB(x, y);
        f[y * 48 + x] = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 765.0;
      }
    }
    return f;
  }

  private static double nearestCentroidAccuracy(Affect[] classes, Function<Sample, double[]> features) {
    List<double[]> centroids = new ArrayList<>();
    List<List<double[]>> held = new ArrayList<>();
    List<double[]> trainAll = new ArrayList<>();
    for (int c = 0; c < classes.length; c++) {
      List<double[]> train = new ArrayList<>();
      List<double[]> test = new ArrayList<>();
      for (int i = 0; i < PER_CLASS; i++) {
        double[] f = features.apply(new Sample(classes[c], 1000L * c + i));
        (i % 2 == 0 ? train : test).add(f);
      }
      centroids.add(mean(train));
      held.add(test);
      trainAll.addAll(train);
    }
    // Standardise each feature on the training half so that no single unit dominates distances.
    double[] mu = mean(trainAll);
    double[] sd = new double[mu.length];
    for (double[] f : trainAll) for (int k = 0; k < mu.length; k++) sd[k] += (f[k] - mu[k]) * (f[k] - mu[k]) / trainAll.size();
    for (int k = 0; k < sd.length; k++) sd[k] = Math.sqrt(sd[k]) + 1e-6;
    for (double[] c : centroids) standardise(c, mu, sd);
    for (List<double[]> test : held) for (double[] f : test) standardise(f, mu, sd);
    int right = 0;
    int total = 0;
    for (int c = 0; c < classes.length; c++) {
      for (double[] f : held.get(c)) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < centroids.size(); k++) {
          double d = 0;
          for (int j = 0; j < f.length; j++) d += (f[j] - centroids.get(k)[j]) * (f[j] - centroids.get(k)[j]);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
        if (best == c) right++;
        total++;
      }
    }
    return (double) right / total;
  }

  private static double[] mean(List<double[]> rows) {
    double[] m = new double[rows.get(0).length];
    for (double[] f : rows) for (int k = 0; k < m.length; k++) m[k] += f[k] / rows.size();
    return m;
  }

  private static void standardise(double[] f, double[] mu, double[] sd) {
    for (int k = 0; k < f.length; k++) f[k] = (f[k] - mu[k]) / sd[k];
  }

  /** Loudness, speaking rate, pitch relative to the speaker, and brightness: what a mel spectrogram shows. */
  private static double[] audioFeatures(float[] x, double speakerPitch) {
    double energy = 0;
    for (float v : x) energy += v * v;
    double rms = Math.sqrt(energy / x.length);
    int frame = 160;
    int frames = x.length / frame;
    double[] env = new double[frames];
    int crossings = 0;
    for (int i = 0; i < frames; i++) {
      double e = 0;
      for (int j = 0; j < frame; j++) {
        float v = x[i * frame + j];
        e += v * v;
        if (j > 0 && (v >= 0) != (x[i * frame + j - 1] >= 0)) crossings++;
      }
      env[i] = Math.sqrt(e / frame);
    }
    int onsets = 0;
    for (int i = 1; i < frames; i++) if (env[i] > 0.3 * rms && env[i - 1] <= 0.3 * rms) onsets++;
    double rate = onsets / (x.length / 16000.0);
    double pitch = autocorrelationPitch(x) / speakerPitch;
    double zcr = crossings / (double) x.length;
    return new double[] {rms * 10, rate / 2, pitch * 4, zcr * 50};
  }

  private static double autocorrelationPitch(float[] x) {
    int n = Math.min(x.length, 16000);
    int start = (x.length - n) / 2;
    double best = 0;
    int bestLag = 100;
    for (int lag = 16000 / 500; lag <= 16000 / 60; lag++) {
      double s = 0;
      for (int i = start; i + lag < start + n; i++) s += x[i] * x[i + lag];
      if (s > best) {
        best = s;
        bestLag = lag;
      }
    }
    return 16000.0 / bestLag;
  }
}
