package ai.mesm.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;

/**
 * Storage that could not be read (connection refused, timeout, server error): unlike a file that
 * is missing, forbidden or broken, this says nothing about the input, so it must never become a
 * reject row. It is thrown out of the task instead: Spark retries the task and, if the storage
 * stays down, the job fails naming the file, and nothing is published. A rerun after the outage
 * then gives the rows of an undisturbed run.
 */
public final class StorageFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private StorageFailure(String location, IOException cause) {
    super("cannot read " + location + " from its storage (" + cause + "); the task fails so that it is retried", cause);
  }

  /** Problems of the file itself, which are the input's and end as rejects. */
  private static boolean isInputProblem(IOException e) {
    return e instanceof FileNotFoundException || e instanceof java.nio.file.AccessDeniedException
        || e instanceof org.apache.hadoop.security.AccessControlException || e instanceof CharacterCodingException
        || e instanceof TextFiles.TooLarge;
  }

  /** The exception to let through (the input's problem), or a {@link StorageFailure} thrown in its place. */
  public static IOException unlessInputProblem(String location, IOException e) {
    if (isInputProblem(e)) return e;
    throw new StorageFailure(location, e);
  }
}
