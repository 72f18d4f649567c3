package ai.mesm.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Model folders of format 1, whose weights are {@value #FILE} as DL4J's ModelSerializer wrote it.
 * DL4J's own reader would build the graph from the zip's configuration.json (a JSON that names the
 * classes to instantiate) and hand preprocessor.bin to Java deserialisation, so it is never used:
 * the graph is rebuilt from the manifest's spec and only {@value #PARAMETERS} and {@value #UPDATER}
 * are read, as plain numbers in ND4J's binary array layout (what {@code Nd4j.write} produces),
 * with sizes checked against the rebuilt graph before anything is allocated. The optimiser's step
 * counter lives in configuration.json and is not carried over.
 */
final class LegacyModelZip {
  static final int FORMAT = 1;
  static final String FILE = "model.zip";
  static final String PARAMETERS = "coefficients.bin";
  static final String UPDATER = "updaterState.bin";
  /** Nd4j.write starts each buffer (shape information, then values) with this allocation mode. */
  private static final String MODE = "MIXED_DATA_TYPES";
  private static final int MAX_RANK = 32;

  private LegacyModelZip() {}

  /** Reads the weights of {@code root}'s {@value #FILE} into {@code graph} (built from the manifest) and returns it. */
  static ComputationGraph read(FileSystem fs, Path root, ComputationGraph graph, Consumer<String> log) throws IOException {
    Path file = new Path(root, FILE);
    // A local copy so that only the two entries are inflated: a stream would have to inflate every entry before them.
    java.nio.file.Path local = Files.createTempFile("mesm-legacy-", ".zip");
    try {
      try (InputStream in = fs.open(file)) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileNotFoundException e) {
        throw new IOException(file + ": missing", e);
      }
      try (ZipFile zip = new ZipFile(local.toFile())) {
        graph.setParams(entry(zip, PARAMETERS, ModelArtifact.parameterCount(graph), file));
        INDArray state = graph.getUpdater().getStateViewArray();
        boolean withState = state != null && zip.getEntry(UPDATER) != null;
        if (withState) state.assign(entry(zip, UPDATER, state.length(), file));
        List<String> unread = zip.stream().map(ZipEntry::getName)
            .filter(n -> !n.equals(PARAMETERS) && !(withState && n.equals(UPDATER))).sorted().toList();
        log.accept(root + ": a format-1 model folder (" + FILE + " written by DL4J's ModelSerializer): read only "
            + PARAMETERS + (withState ? " and " + UPDATER : "") + ", as numbers, into the graph the manifest describes; "
            + "not read: " + String.join(", ", unread));
      } catch (ZipException e) {
        throw new IOException(file + ": not a readable zip file: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(local);
    }
    return graph;
  }

  private static INDArray entry(ZipFile zip, String name, long expected, Path file) throws IOException {
    String where = file + "!/" + name;
    ZipEntry e = zip.getEntry(name);
    if (e == null) throw new IOException(where + ": missing");
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e)))) {
      return readNd4j(in, expected, where);
    } catch (EOFException | UTFDataFormatException x) {
      throw new IOException(where + ": truncated or not an ND4J array (" + x + ")", x);
    }
  }

  /**
   * A vector of {@code expected} float values in ND4J's binary layout, all big-endian: the shape
   * buffer (mode, length, "LONG", then rank, shape, strides, extras, element stride, order) and
   * the data buffer (mode, length, "FLOAT", the values).
   */
  static INDArray readNd4j(DataInputStream in, long expected, String name) throws IOException {
    expect(in.readUTF(), MODE, name);
    long length = in.readLong();
    if (length < 4 || length > 2L * MAX_RANK + 4) {
      throw new IOException(name + ": shape information of " + length + " values");
    }
    expect(in.readUTF(), "LONG", name);
    long rank = in.readLong();
    if (length != 2 * rank + 4) throw new IOException(name + ": rank " + rank + " with " + length + " shape values");
    long values = 1;
    int longDimensions = 0;
    for (long i = 0; i < rank; i++) {
      long d = in.readLong();
      if (d < 0) throw new IOException(name + ": negative dimension " + d);
      values = d == 0 ? 0 : values > Long.MAX_VALUE / d ? -1 : values * d;
      if (values < 0) throw new IOException(name + ": more values than a long can count");
      if (d > 1) longDimensions++;
    }
    // Strides, extras, element stride and order do not change how a vector's values follow each other.
    for (long i = 0; i < length - 1 - rank; i++) in.readLong();
    if (longDimensions > 1) throw new IOException(name + ": a " + rank + "-dimensional array, expected a vector");
    ArrayFile.requireCount(values, expected, name);
    expect(in.readUTF(), MODE, name);
    ArrayFile.requireCount(in.readLong(), expected, name);
    String type = in.readUTF();
    if (!type.equals("FLOAT")) throw new IOException(name + ": " + type + " values, this version reads only FLOAT");
    INDArray out = ArrayFile.readFloats(in, expected, ByteOrder.BIG_ENDIAN, null, name);
    ArrayFile.requireEnd(in, name);
    return out;
  }

  private static void expect(String found, String expected, String name) throws IOException {
    if (!found.equals(expected)) {
      throw new IOException(name + ": not an ND4J array (\"" + found + "\" where \"" + expected + "\" belongs)");
    }
  }
}
