package ai.mesm.model.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protobuf wire format from a byte array, one field at a time, within fixed bounds.
 * A model file is untrusted input: every length it states is checked against the bytes that are
 * really left before anything is read or allocated, so a corrupt file gives an IOException that
 * names the file and the offset, never an exception from deep inside, a huge allocation or a loop.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private final int end;
  private final String source;
  private int pos;
  private int wireType = -1;

  ProtoReader(byte[] buf, String source) {
    this(buf, 0, buf.length, source);
  }

  private ProtoReader(byte[] buf, int start, int end, String source) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.source = source;
  }

  boolean hasMore() {
    return pos < end;
  }

  /** The field number of the next field; its value must then be read or skipped. */
  int nextField() throws IOException {
    int at = pos;
    long tag = readVarint();
    int type = (int) (tag & 7);
    long field = tag >>> 3;
    if (field < 1 || field > 536_870_911L) throw error(at, "field number " + field + " out of range");
    if (type != VARINT && type != FIXED64 && type != LENGTH_DELIMITED && type != FIXED32) {
      // Groups (3, 4) are deprecated and absent from sentencepiece's schema; 6 and 7 do not exist.
      throw error(at, "unsupported wire type " + type + " for field " + field);
    }
    wireType = type;
    return (int) field;
  }

  int wireType() {
    return wireType;
  }

  long readVarint() throws IOException {
    int at = pos;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw error(at, "varint runs past the end of its message");
      int b = buf[pos++] & 0xFF;
      if (shift == 63 && b > 1) throw error(at, "varint longer than 64 bits");
      value |= (long) (b & 0x7F) << shift;
      if (b < 0x80) return value;
    }
    throw error(at, "varint longer than 10 bytes");
  }

  int readFixed32() throws IOException {
    require(4, "fixed32");
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  long readFixed64() throws IOException {
    long lo = readFixed32() & 0xFFFFFFFFL;
    long hi = readFixed32() & 0xFFFFFFFFL;
    return lo | hi << 32;
  }

  /** A length-delimited field's bytes, as a reader bounded to them. */
  ProtoReader readMessage() throws IOException {
    int length = readLength();
    ProtoReader sub = new ProtoReader(buf, pos, pos + length, source);
    pos += length;
    return sub;
  }

  byte[] readBytes() throws IOException {
    int length = readLength();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return out;
  }

  /** A string field; invalid UTF-8 is refused rather than replaced, since pieces are matched byte for byte. */
  String readString(String what) throws IOException {
    int at = pos;
    byte[] bytes = readBytes();
    for (int i = 0; i < bytes.length; ) {
      int n = Utf8.validCharLength(bytes, i, bytes.length);
      if (n == 0) throw error(at, what + " is not valid UTF-8");
      i += n;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  boolean readBool() throws IOException {
    return readVarint() != 0;
  }

  /** An int32 field: negative values are written as 10-byte varints and come back by truncation. */
  int readInt32() throws IOException {
    return (int) readVarint();
  }

  float readFloat() throws IOException {
    return Float.intBitsToFloat(readFixed32());
  }

  /** Skips the value of the field whose number {@link #nextField} just returned. */
  void skip() throws IOException {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> {
        require(8, "fixed64");
        pos += 8;
      }
      case LENGTH_DELIMITED -> {
        int length = readLength(); // not "pos += readLength()": Java would add to pos as it was before the length
        pos += length;
      }
      case FIXED32 -> {
        require(4, "fixed32");
        pos += 4;
      }
      default -> throw new IllegalStateException("skip() without a field");
    }
  }

  /** Checks that the field has the wire type the schema gives it. */
  void expect(int type, String field) throws IOException {
    if (wireType != type) throw error(pos, field + " has wire type " + wireType + ", expected " + type);
  }

  IOException error(String problem) {
    return error(pos, problem);
  }

  private IOException error(int at, String problem) {
    return new IOException(source + ": " + problem + " (at byte " + at + ")");
  }

  private int readLength() throws IOException {
    int at = pos;
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw error(at, "length " + Long.toUnsignedString(length) + " runs past the end (" + (end - pos) + " bytes left)");
    }
    return (int) length;
  }

  private void require(int n, String what) throws IOException {
    if (end - pos < n) throw error(pos, what + " runs past the end of its message");
  }
}
