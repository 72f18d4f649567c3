package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SideBySideTest {
  @Test
  void bothActionsRunAtOnceAndHaveEndedWhenItReturns() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    AtomicBoolean firstSawSecond = new AtomicBoolean();
    AtomicBoolean secondSawFirst = new AtomicBoolean();
    AtomicBoolean secondEnded = new AtomicBoolean();
    SideBySide.run("test", () -> {
      both.countDown();
      firstSawSecond.set(both.await(10, TimeUnit.SECONDS));
    }, () -> {
      both.countDown();
      secondSawFirst.set(both.await(10, TimeUnit.SECONDS));
      Thread.sleep(100);
      secondEnded.set(true);
    });
    assertTrue(firstSawSecond.get() && secondSawFirst.get(), "each action waited for the other one to start");
    assertTrue(secondEnded.get(), "the second action had ended");
  }

  @Test
  void theFirstFailureIsRethrownAsItWasWithTheOtherAttached() {
    IOException first = new IOException("first");
    IllegalStateException second = new IllegalStateException("second");
    IOException thrown = assertThrows(IOException.class, () -> SideBySide.run("test", () -> {
      throw first;
    }, () -> {
      throw second;
    }));
    assertSame(first, thrown);
    assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());

    Exception checked = new Exception("a checked exception the action does not declare, as Spark's");
    Exception rethrown = assertThrows(Exception.class, () -> SideBySide.run("test", () -> {}, () -> {
      throw checked;
    }));
    assertSame(checked, rethrown);
  }
}
