package org.rapaio.jupyter.kernel.channels;

/**
 * Stands in for rapaio-jupyter-kernel 3.0.1's class of the same name (bin/mesm-kernel puts this
 * module's classes before the kernel's jar). The kernel's own start() sets its running flag only
 * after Thread.start(), so a channel thread that is scheduled at once sees the flag still false and
 * ends: when that is the shell channel's, the kernel never answers (about one start in four on 2
 * cores; docs/notebooks.md). Here the flag is set before the thread starts; the rest is the same
 * contract: run the body, sleep, until shut down or interrupted.
 *
 * <p>A pass that throws is reported on stderr and the loop goes on. The kernel binds its channels
 * (starting their loops) before it creates its message handlers, so a request that reaches the
 * shell channel in between fails on the missing handlers (a NullPointerException in
 * Channels.getHandler); in the kernel's class that exception ended the shell loop and the kernel
 * never answered again. Jupyter repeats its kernel_info request until answered, so a loop that
 * survives answers the next one.
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
      try {
        body.run();
      } catch (RuntimeException e) {
        System.err.println(getName() + ": a pass failed, the loop goes on: " + e);
      }
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
