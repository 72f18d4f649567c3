package ai.mesm.model.sparse;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SparseStackTest {
  private static INDArray initialised(SparseStack stack, long seed) {
    INDArray params = Nd4j.zeros(DataType.FLOAT, 1, stack.parameterCount());
    stack.initialise(params, seed);
    return params;
  }

  @Test
  void blocksAreTheVggStagesAfterTheDenseStem() {
    assertArrayEquals(new long[][] {{64, 128}, {128, 256}, {256, 512}}, SparseStack.blockChannels(1));
    assertArrayEquals(new long[][] {{16, 32}, {32, 64}, {64, 128}}, SparseStack.blockChannels(4));
  }

  @Test
  void threeBlocksTakeTheStemOutputToTheDenseModelsFinalGridWithFewerSitesEachBlock() {
    SparseStack stack = new SparseStack(16, 8, 0.5, AttentionMode.REFERENCE);
    INDArray params = initialised(stack, 1);
    Nd4j.getRandom().setSeed(2);
    // Visual stem output for 48×48 faces: 64/16 channels at 24×24; 5 frames.
    List<SparseBlock.Output> outs = stack.forward(Nd4j.randn(DataType.FLOAT, 5, 4, 24, 24), Nd4j.randn(DataType.FLOAT, 5, 8),
        params, true);
    assertEquals(3, outs.size());
    SparseSites last = outs.get(2).sites();
    assertEquals(3, last.height());
    assertEquals(3, last.width());
    assertEquals(32, outs.get(2).features().size(1));
    assertTrue(last.size() >= 5, "at least one site per frame survives every block");
    for (SparseBlock.Output o : outs) {
      SparseBlock.Trace t = o.trace();
      assertTrue(t.keptIndex().length < t.in().size(), "p = 0.5 keeps fewer sites than it is given");
      assertTrue(t.keptIndex().length >= 5);
    }
  }

  @Test
  void inferenceInItsReusedWorkspaceGivesTheForwardPassOutputCallAfterCall() {
    SparseStack stack = new SparseStack(16, 8, 0.7, AttentionMode.REFERENCE);
    INDArray params = initialised(stack, 3);
    Nd4j.getRandom().setSeed(4);
    // Growing and shrinking batches: the workspace learns, spills and reuses its memory.
    for (int frames : new int[] {2, 2, 6, 3, 9, 1, 9}) {
      INDArray stem = Nd4j.randn(DataType.FLOAT, frames, 4, 24, 24);
      INDArray query = Nd4j.randn(DataType.FLOAT, frames, 8);
      List<SparseBlock.Output> expected = stack.forward(stem, query, params, false);
      SparseBlock.Output last = expected.get(expected.size() - 1);
      INDArray dense = DenseGrid.dense(last.sites(), last.features());
      SparseStack.Inference got = stack.infer(stem, query, params);
      assertFalse(got.dense().isAttached(), "the output leaves the workspace");
      assertTrue(dense.equalsWithEps(got.dense(), 1e-6), frames + " frames");
      for (int b = 0; b < expected.size(); b++) {
        assertEquals(expected.get(b).sites().size(), got.outputs().get(b).sites().size(), "block " + b + " sites");
        assertEquals(expected.get(b).trace().convMacs(), got.outputs().get(b).trace().convMacs(), "block " + b + " FLOPs");
      }
    }
  }
}
