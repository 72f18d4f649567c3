package ai.mesm.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet's codecs for {@link ExampleReader}, with Snappy pages (Spark's default) decompressed in
 * one call. Parquet 1.13's own Snappy path streams a page to the decompressor in pieces of
 * {@code io.file.buffer.size} bytes, and the decompressor grows its buffer by one piece each time
 * (a fresh zeroed buffer and a copy): quadratic in the page, and the split's frames and mel pages
 * are several MB, since Parquet sizes pages only every 100 rows. The first read of the demo's train
 * split in a JVM took 21–25 s with Hadoop's default 4 KB pieces and 2.8 s with Spark's 64 KB
 * (docs/performance.md#reading-the-split). Raising the setting is not enough: Parquet caches one
 * Snappy codec per JVM, configured by whichever reader or writer made it first.
 */
final class PageCodecs implements CompressionCodecFactory {
  private final CodecFactory others;

  PageCodecs(Configuration conf) {
    this.others = new CodecFactory(conf, ParquetProperties.DEFAULT_PAGE_SIZE);
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return others.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return codec == CompressionCodecName.SNAPPY ? SNAPPY : others.getDecompressor(codec);
  }

  @Override
  public void release() {
    others.release();
  }

  private static final BytesInputDecompressor SNAPPY = new BytesInputDecompressor() {
    @Override
    public BytesInput decompress(BytesInput page, int size) throws IOException {
      byte[] in = page.toByteArray();
      byte[] out = new byte[size];
      int n = Snappy.uncompress(in, 0, in.length, out, 0);
      if (n != size) throw new IOException("a Snappy page of " + n + " bytes where its header says " + size);
      return BytesInput.from(out);
    }

    /** As Parquet's own heap decompressor does it: the input's remaining bytes are the page. */
    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size) throws IOException {
      output.put(decompress(BytesInput.from(input), size).toByteBuffer());
    }

    @Override
    public void release() {}
  };
}
