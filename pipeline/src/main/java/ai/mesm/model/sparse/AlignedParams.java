package ai.mesm.model.sparse;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A copy of the sparse blocks' parameters in which every array starts on a 64-byte boundary (one
 * AVX-512 register, one cache line). DL4J hands a vertex its parameters as a window of the graph's
 * flat vector, so a block's convolution weights start wherever the parameters before them end;
 * the native convolution then reads every weight row across two cache lines. Aligned, the blocks of
 * one inference call ran 3–7 % faster at best in interleaved A/Bs, 2–4 % once the kernel prefetched
 * its weight rows (docs/performance.md). The copy is for parameters that no longer change (a frozen graph): a
 * training step would update the graph's vector, not this copy.
 */
public final class AlignedParams {
  static final int ALIGNMENT_BYTES = 64;

  private AlignedParams() {}

  /** Each block's parameters copied into one buffer, each array starting on a 64-byte boundary. */
  public static List<SparseBlockParams> copy(List<SparseBlockParams> blocks) {
    if (blocks.isEmpty()) return List.of();
    INDArray first = blocks.get(0).wx();
    int elementBytes = first.data().getElementSize();
    long step = ALIGNMENT_BYTES / elementBytes;
    long total = step; // room to move the first array onto a boundary
    for (SparseBlockParams b : blocks) for (INDArray a : b.all()) total += roundUp(a.length(), step);
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray buffer = Nd4j.createUninitialized(first.dataType(), total);
      long base = buffer.data().address() + buffer.offset() * elementBytes;
      long at = (ALIGNMENT_BYTES - base % ALIGNMENT_BYTES) % ALIGNMENT_BYTES / elementBytes;
      List<SparseBlockParams> out = new ArrayList<>(blocks.size());
      for (SparseBlockParams b : blocks) {
        INDArray[] from = b.all();
        INDArray[] to = new INDArray[from.length];
        for (int i = 0; i < from.length; i++) {
          to[i] = SparseBlockParams.segment(buffer, at, from[i].length()).reshape('c', from[i].shape()).assign(from[i]);
          at += roundUp(from[i].length(), step);
        }
        out.add(SparseBlockParams.of(to));
      }
      return out;
    }
  }

  private static long roundUp(long n, long step) {
    return (n + step - 1) / step * step;
  }
}
