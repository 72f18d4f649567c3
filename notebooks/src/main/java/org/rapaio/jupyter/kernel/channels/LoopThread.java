package org.rapaio.jupyter.kernel.channels;

/**
 * Stands in for rapaio-jupyter-kernel 3.0.1's class of the same name (bin/mesm-kernel puts this
 * module's classes before the kernel's jar). The kernel's own start() sets its running flag only
 * after Thread.start(), so a channel thread that is scheduled at once sees the flag still false and
 * ends: when that is the shell channel's, the kernel never answers (about one start in four on 2
 * cores; docs/notebooks.md). Here the flag is set before the thread starts; the rest is the same
 * contract: run the body, sleep, until shut down or interrupted.
 */
public final class LoopThread extends Thread {
  private volatile boolean running;
  private final long sleepMillis;
  private final Runnable body;

  public LoopThread(String name, long sleepMillis, Runnable body) {
    super(name);
    this.sleepMillis = sleepMillis;
    this.body = body;
  }

  @Override
  public void run() {
    while (running) {
      body.run();
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        running = false;
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
