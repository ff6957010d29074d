package dev.shoal;

import java.time.Instant;

/**
 * A file or directory in a volume, as {@link Volume#list} gives it.
 *
 * @param path the path from the volume's root, {@code '/'}-separated
 * @param size a file's size in bytes; for a directory, the total of the files under it
 * @param directory whether this is a directory (one that holds files: a volume has no empty directories)
 * @param modified when the file was last written; for a directory, its newest file's time
 */
public record VolumeEntry(String path, long size, boolean directory, Instant modified) {}
