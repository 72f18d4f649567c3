package ai.mesm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * Builds an {@link Example} straight from the column values Parquet decodes, into primitive arrays.
 * Parquet's example {@code Group} API made one object per list element and boxed every value: a
 * mel of a few seconds is tens of thousands of floats, and reading them that way was about a third
 * of the Java samples of a test's main thread that trains one-epoch runs (docs/performance.md#reading-the-split).
 *
 * <p>The split's schema is Spark's: nullable top-level columns, lists in Parquet's three-level
 * form ({@code group (LIST) { repeated group list { optional element } }}). A missing column
 * value or a null list element is an error naming the column, never a silently shorter array.
 */
final class ExampleMaterializer extends RecordMaterializer<Example> {
  private final Root root;

  ExampleMaterializer(MessageType requested) {
    this.root = new Root(requested);
  }

  /** Reads the columns set in {@link ReadSupport#PARQUET_READ_SCHEMA} (all of them without it) into examples. */
  static ReadSupport<Example> readSupport() {
    return new ReadSupport<>() {
      @Override
      public ReadContext init(InitContext context) {
        return new ReadContext(getSchemaForRead(context.getFileSchema(),
            context.getConfiguration().get(ReadSupport.PARQUET_READ_SCHEMA)));
      }

      @Override
      public RecordMaterializer<Example> prepareForRead(Configuration conf, Map<String, String> keyValueMetaData,
          MessageType fileSchema, ReadContext context) {
        return new ExampleMaterializer(context.getRequestedSchema());
      }
    };
  }

  @Override
  public Example getCurrentRecord() {
    return root.example();
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  /** One row: a converter per requested column, in the requested schema's order. */
  private static final class Root extends GroupConverter {
    private final Converter[] fields;
    private String id;
    private String text;
    private Integer nFrames;
    private byte[] frames;
    private Integer nChunks;
    private final FloatList mel = new FloatList("mel");
    private final IntList labels = new IntList("labels");

    Root(MessageType schema) {
      fields = new Converter[schema.getFieldCount()];
      for (int i = 0; i < fields.length; i++) fields[i] = converter(schema.getFieldName(i), schema);
    }

    private Converter converter(String column, MessageType schema) {
      return switch (column) {
        case "utterance_id" -> binary(b -> id = b.toStringUsingUTF8());
        case "text" -> binary(b -> text = b.toStringUsingUTF8());
        case "frames" -> binary(b -> frames = b.getBytes());
        case "n_frames" -> integer(v -> nFrames = v);
        case "n_chunks" -> integer(v -> nChunks = v);
        // Binary since the mel column became bytes; a list of floats in splits written before.
        case "mel" -> schema.getType(column).isPrimitive() ? binary(mel::setBytes)
            : new ListOf(mel, schema.getType(column).asGroupType());
        case "labels" -> new ListOf(labels, schema.getType(column).asGroupType());
        default -> throw new IllegalArgumentException("not a column of an example: " + column);
      };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return fields[fieldIndex];
    }

    @Override
    public void start() {
      id = null;
      text = null;
      nFrames = null;
      frames = null;
      nChunks = null;
      mel.clear();
      labels.clear();
    }

    @Override
    public void end() {}

    Example example() {
      String row = id == null ? "a row without utterance_id" : "row " + id;
      require(id != null && text != null && nFrames != null && frames != null && nChunks != null && mel.present
          && labels.present, row + ": a null in " + ExampleReader.COLUMNS);
      return new Example(id, text, nFrames, frames, nChunks, mel.toArray(row), labels.toList(row));
    }
  }

  private interface BinarySink {
    void accept(Binary value);
  }

  private interface IntSink {
    void accept(int value);
  }

  private static PrimitiveConverter binary(BinarySink sink) {
    return new PrimitiveConverter() {
      @Override
      public void addBinary(Binary value) {
        sink.accept(value);
      }
    };
  }

  private static PrimitiveConverter integer(IntSink sink) {
    return new PrimitiveConverter() {
      @Override
      public void addInt(int value) {
        sink.accept(value);
      }
    };
  }

  private static void require(boolean ok, String problem) {
    if (!ok) throw new IllegalStateException(problem);
  }

  /** The values of one list column of the current row. */
  private abstract static class Values {
    final String column;
    boolean present;
    int size;
    int nullElements;

    Values(String column) {
      this.column = column;
    }

    void clear() {
      present = false;
      size = 0;
      nullElements = 0;
    }

    void checkComplete(String row) {
      require(nullElements == 0, row + ": " + nullElements + " null element(s) in " + column);
    }

    abstract PrimitiveConverter element();
  }

  private static final class FloatList extends Values {
    private float[] values = new float[1 << 14];
    private int badLength = -1;

    FloatList(String column) {
      super(column);
    }

    @Override
    void clear() {
      super.clear();
      badLength = -1;
    }

    /** The whole column value as float32 little-endian bytes ({@link MelBytes}). */
    void setBytes(Binary bytes) {
      present = true;
      if (!MelBytes.wholeFloats(bytes.length())) {
        badLength = bytes.length();
        return;
      }
      size = bytes.length() / Float.BYTES;
      if (values.length < size) values = new float[Math.max(size, 2 * values.length)];
      MelBytes.decodeInto(bytes.toByteBuffer(), values);
    }

    @Override
    PrimitiveConverter element() {
      return new PrimitiveConverter() {
        @Override
        public void addFloat(float value) {
          if (size == values.length) values = Arrays.copyOf(values, 2 * size);
          values[size++] = value;
        }
      };
    }

    float[] toArray(String row) {
      checkComplete(row);
      require(badLength < 0, row + ": " + column + " holds " + badLength + " bytes, not a whole number of float32 values");
      return Arrays.copyOf(values, size);
    }
  }

  /** The labels: a handful per row, boxed as they come. */
  private static final class IntList extends Values {
    private final List<Integer> values = new ArrayList<>();

    IntList(String column) {
      super(column);
    }

    @Override
    void clear() {
      super.clear();
      values.clear();
    }

    @Override
    PrimitiveConverter element() {
      return new PrimitiveConverter() {
        @Override
        public void addInt(int value) {
          values.add(value);
          size++;
        }
      };
    }

    List<Integer> toList(String row) {
      checkComplete(row);
      return List.copyOf(values);
    }
  }

  /**
   * A three-level LIST column: the outer group marks the list present, each repeated {@code list}
   * group is one element slot, and a slot whose optional element never arrives is a null element.
   */
  private static final class ListOf extends GroupConverter {
    private final Values values;
    private final GroupConverter slot;

    ListOf(Values values, GroupType list) {
      this.values = values;
      require(list.getFieldCount() == 1 && !list.getType(0).isPrimitive()
          && list.getType(0).asGroupType().getFieldCount() == 1, values.column + ": not a three-level list: " + list);
      PrimitiveConverter element = values.element();
      this.slot = new GroupConverter() {
        private int before;

        @Override
        public Converter getConverter(int fieldIndex) {
          return element;
        }

        @Override
        public void start() {
          before = values.size;
        }

        @Override
        public void end() {
          if (values.size == before) values.nullElements++;
        }
      };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return slot;
    }

    @Override
    public void start() {
      values.present = true;
    }

    @Override
    public void end() {}
  }
}
