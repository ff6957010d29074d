package dev.shoal.internal.buckets;

import dev.shoal.internal.client.bucket.BucketOpener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a mount's objects whole with one PutObject each, replacing what was there. The stream keeps what is
 * written in memory, then in a temporary file past {@link #IN_MEMORY_BYTES}, and uploads it when closed, as S3's
 * provider does with its own channels; unlike them it never reads the old object first.
 */
final class WholeObjectUploads implements BucketOpener.WholeObjectWriter {
  /**
   * Content kept in memory before it goes to a temporary file: a result file of a batch job is usually smaller, and a
   * container writing one per input on each of its 16 or so concurrent inputs then holds a few megabytes at most.
   */
  static final int IN_MEMORY_BYTES = 1024 * 1024;

  private final S3AsyncClient client;
  private final String bucket;
  private final long timeoutMinutes;

  WholeObjectUploads(S3AsyncClient client, String bucket, long timeoutMinutes) {
    this.client = client;
    this.bucket = bucket;
    this.timeoutMinutes = timeoutMinutes;
  }

  @Override
  public OutputStream open(Path target) {
    return new Upload(key(target));
  }

  /** The object key of a path of the provider's file system: its absolute form without the leading '/'. */
  private static String key(Path target) {
    String key = target.toAbsolutePath().normalize().toString();
    int start = 0;
    while (start < key.length() && key.charAt(start) == '/') {
      start++;
    }
    return key.substring(start);
  }

  /** One object's content on its way to the store. */
  private final class Upload extends OutputStream {
    private final String key;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path spill;
    private OutputStream spillStream;
    private boolean closed;

    Upload(String key) {
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the stream of s3://" + bucket + "/" + key + " is closed");
      }
      if (spillStream == null && memory.size() + len > IN_MEMORY_BYTES) {
        spill = Files.createTempFile("shoal-bucket-", ".upload");
        spillStream = Files.newOutputStream(spill);
        memory.writeTo(spillStream);
        memory = null;
      }
      if (spillStream != null) {
        spillStream.write(b, off, len);
      } else {
        memory.write(b, off, len);
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        AsyncRequestBody body;
        if (spillStream != null) {
          spillStream.close();
          body = AsyncRequestBody.fromFile(spill);
        } else {
          body = AsyncRequestBody.fromBytes(memory.toByteArray());
        }
        client.putObject(request -> request.bucket(bucket).key(key), body).get(timeoutMinutes, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing s3://" + bucket + "/" + key);
      } catch (TimeoutException e) {
        throw new IOException("writing s3://" + bucket + "/" + key + " took over " + timeoutMinutes + " min", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        String why = cause instanceof S3Exception s3 ? "the store answered HTTP " + s3.statusCode()
            + (s3.awsErrorDetails() != null ? " " + s3.awsErrorDetails().errorCode() : "") : String.valueOf(cause);
        throw new IOException("cannot write s3://" + bucket + "/" + key + ": " + why, cause);
      } finally {
        if (spill != null) {
          Files.deleteIfExists(spill);
        }
      }
    }
  }
}
