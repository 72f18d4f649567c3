package ai.mesm.corpus;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit PCM RIFF/WAVE, the format of both releases' wav files. */
final class WavWriter {
  private WavWriter() {}

  /** @param channels one array per channel, all the same length, samples in [-1, 1] */
  static void write(Path file, int sampleRate, float[]... channels) throws IOException {
    int frames = channels[0].length;
    int dataBytes = frames * channels.length * 2;
    try (OutputStream raw = Files.newOutputStream(file);
         DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
      out.writeBytes("RIFF");
      writeIntLe(out, 36 + dataBytes);
      out.writeBytes("WAVE");
      out.writeBytes("fmt ");
      writeIntLe(out, 16);
      writeShortLe(out, 1); // PCM
      writeShortLe(out, channels.length);
      writeIntLe(out, sampleRate);
      writeIntLe(out, sampleRate * channels.length * 2);
      writeShortLe(out, channels.length * 2);
      writeShortLe(out, 16);
      out.writeBytes("data");
      writeIntLe(out, dataBytes);
      // Samples in one array, written at once: a DataOutputStream call per byte cost more than the synthesis.
      byte[] data = new byte[dataBytes];
      int k = 0;
      for (int i = 0; i < frames; i++) {
        for (float[] channel : channels) {
          int v = Math.round(Math.max(-1f, Math.min(1f, channel[i])) * 32767);
          data[k++] = (byte) v;
          data[k++] = (byte) (v >>> 8);
        }
      }
      out.write(data);
    }
  }

  private static void writeIntLe(DataOutputStream out, int v) throws IOException {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
    out.write((v >>> 16) & 0xff);
    out.write((v >>> 24) & 0xff);
  }

  private static void writeShortLe(DataOutputStream out, int v) throws IOException {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
  }
}
