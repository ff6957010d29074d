package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.Batching;
import dev.shoal.Cls;
import dev.shoal.ClsParams;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Batched inference with a class: a sentence encoder whose weights each container loads once, and a batched
 * method that embeds many callers' sentences together.
 *
 * <p>The encoder stands in for a real one, with a real one's shape and cost. Its weights are random, generated
 * from a seed (as a real model's would be read from a file): a table of token vectors, two feed-forward blocks of
 * a transformer's size (1,024 wide, 4,096 hidden, with residual connections) and a projection to 256 dimensions,
 * about 77 MB of floats. A sentence is the sum of the vectors of its words and character trigrams (hashed into
 * the table), passed through the blocks and normalised. Random weights roughly keep the angles between their
 * inputs, so sentences that share words come out close.
 *
 * <p>Why batching pays here, as it does for real models: each input needs every weight of the blocks once, about 17 million
 * multiply-adds. One sentence alone streams all the weights from main memory for those few operations, while a
 * batch brings each tile of weights into the cache once and applies it to every sentence of the batch, two at a
 * time, so the processor computes rather than waits.
 */
public final class Embeddings {
  /** The width of the token vectors and of the vector each block reads and writes. */
  public static final int WIDTH = 1024;
  /** The width inside a feed-forward block. */
  public static final int HIDDEN = 4096;
  public static final int BLOCKS = 2;
  /** Rows of the token table that words and trigrams are hashed into. */
  public static final int VOCABULARY = 2048;
  /** The length of an embedding. */
  public static final int DIMENSIONS = 256;
  /** Weight rows and columns in one tile of a matrix product: 32 × 1,024 floats, 128 KB, fit in a core's cache. */
  private static final int ROW_TILE = 32;
  private static final int COLUMN_TILE = 1024;
  /** Words too common to say what a sentence is about. */
  private static final java.util.Set<String> STOP_WORDS = java.util.Set.of(
      "a", "an", "the", "on", "in", "at", "of", "to", "is", "was", "and", "as", "every", "again");

  static final App app = App.named("embeddings");

  /** The model: loaded once per container by the class's factory, then shared by every input it embeds. */
  public static final class Model {
    private final float[][] tokens;
    private final float[][][] up = new float[BLOCKS][][];
    private final float[][][] down = new float[BLOCKS][][];
    private final float[][] projection;

    public Model(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      tokens = randomMatrix(random, VOCABULARY, WIDTH, 1);
      for (int b = 0; b < BLOCKS; b++) {
        up[b] = randomMatrix(random, WIDTH, HIDDEN, 1 / Math.sqrt(WIDTH));
        down[b] = randomMatrix(random, HIDDEN, WIDTH, 1 / Math.sqrt(HIDDEN));
      }
      projection = randomMatrix(random, WIDTH, DIMENSIONS, 1 / Math.sqrt(WIDTH));
    }

    /**
     * Embeds a batch of sentences; returns a unit vector per sentence, in order. A sentence's vector is the same,
     * bit for bit, whatever batch it comes in.
     */
    public List<float[]> embed(List<String> sentences) {
      int n = sentences.size();
      float[][] x = new float[n][];
      for (int i = 0; i < n; i++) {
        x[i] = bagOfTokens(sentences.get(i));
      }
      for (int b = 0; b < BLOCKS; b++) {
        float[][] hidden = multiply(x, up[b]);
        for (float[] row : hidden) {
          for (int j = 0; j < row.length; j++) {
            row[j] = Math.max(0, row[j]);
          }
        }
        float[][] residual = multiply(hidden, down[b]);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < WIDTH; j++) {
            x[i][j] += residual[i][j];
          }
        }
      }
      float[][] y = multiply(x, projection);
      List<float[]> vectors = new ArrayList<>(n);
      for (float[] v : y) {
        vectors.add(normalised(v));
      }
      return vectors;
    }

    /** The sum of the token vectors of a sentence's words (counted twice) and character trigrams. */
    private float[] bagOfTokens(String sentence) {
      float[] x = new float[WIDTH];
      String text = sentence.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ");
      for (String word : text.split(" +")) {
        if (word.isEmpty() || STOP_WORDS.contains(word)) {
          continue;
        }
        add(word, 2f, x);
        String padded = " " + word + " ";
        for (int i = 0; i + 3 <= padded.length(); i++) {
          add(padded.substring(i, i + 3), 1f, x);
        }
      }
      return x;
    }

    private void add(String token, float weight, float[] x) {
      float[] row = tokens[Math.floorMod(murmurMix(token.getBytes(StandardCharsets.UTF_8)), VOCABULARY)];
      for (int j = 0; j < WIDTH; j++) {
        x[j] += weight * row[j];
      }
    }

    private static int murmurMix(byte[] bytes) {
      int h = 0x9747b28c;
      for (byte b : bytes) {
        h ^= b;
        h *= 0x5bd1e995;
        h ^= h >>> 15;
      }
      return h;
    }
  }

  /**
   * {@code in · weights}, one output row per input row. The weights are taken a tile at a time, and each tile is
   * applied to every input before the next is read, so that it is read from memory once per batch rather than
   * once per input.
   */
  static float[][] multiply(float[][] in, float[][] weights) {
    float[][] out = new float[in.length][weights[0].length];
    int paired = in.length - in.length % 2;
    if (paired > 0) {
      multiplyPairs(in, weights, out, paired);
    }
    if (paired < in.length) {
      multiplyOne(in[paired], weights, out[paired]);
    }
    return out;
  }

  /**
   * The first {@code count} (even) inputs, two at a time. Kept apart from {@link #multiplyOne}, loops and all: when
   * both kernels sat in one loop nest, a JVM that had run both lone inputs and batches (JDK 25's C2) ran batches
   * at a third of their speed.
   */
  private static void multiplyPairs(float[][] in, float[][] weights, float[][] out, int count) {
    int rows = weights.length;
    int columns = weights[0].length;
    for (int row = 0; row < rows; row += ROW_TILE) {
      int rowEnd = Math.min(rows, row + ROW_TILE);
      for (int column = 0; column < columns; column += COLUMN_TILE) {
        int columnEnd = Math.min(columns, column + COLUMN_TILE);
        for (int i = 0; i < count; i += 2) {
          addTileTimesTwo(in[i], in[i + 1], weights, out[i], out[i + 1], row, rowEnd, column, columnEnd);
        }
      }
    }
  }

  /** One input, through the tiles in the same order as {@link #multiplyPairs}, so with the same sums. */
  private static void multiplyOne(float[] x, float[][] weights, float[] y) {
    int rows = weights.length;
    int columns = weights[0].length;
    for (int row = 0; row < rows; row += ROW_TILE) {
      int rowEnd = Math.min(rows, row + ROW_TILE);
      for (int column = 0; column < columns; column += COLUMN_TILE) {
        addTileTimesOne(x, weights, y, row, rowEnd, column, Math.min(columns, column + COLUMN_TILE));
      }
    }
  }

  /**
   * Adds one tile's contribution to two inputs' outputs. Each weight read serves both inputs, two weight rows at a
   * time; the inner loops run along rows with one index, which the JIT compiles to vector instructions.
   */
  private static void addTileTimesTwo(float[] x0, float[] x1, float[][] w, float[] y0, float[] y1,
      int row, int rowEnd, int column, int columnEnd) {
    int k = row;
    for (; k + 1 < rowEnd; k += 2) {
      float[] wa = w[k];
      float[] wb = w[k + 1];
      float a0 = x0[k];
      float b0 = x0[k + 1];
      float a1 = x1[k];
      float b1 = x1[k + 1];
      for (int j = column; j < columnEnd; j++) {
        float va = wa[j];
        float vb = wb[j];
        y0[j] += a0 * va + b0 * vb;
        y1[j] += a1 * va + b1 * vb;
      }
    }
    for (; k < rowEnd; k++) {
      float[] wa = w[k];
      float a0 = x0[k];
      float a1 = x1[k];
      for (int j = column; j < columnEnd; j++) {
        y0[j] += a0 * wa[j];
        y1[j] += a1 * wa[j];
      }
    }
  }

  /** {@link #addTileTimesTwo} for one input, with the same arithmetic in the same order. */
  private static void addTileTimesOne(float[] x, float[][] w, float[] y, int row, int rowEnd, int column,
      int columnEnd) {
    int k = row;
    for (; k + 1 < rowEnd; k += 2) {
      float[] wa = w[k];
      float[] wb = w[k + 1];
      float a = x[k];
      float b = x[k + 1];
      for (int j = column; j < columnEnd; j++) {
        y[j] += a * wa[j] + b * wb[j];
      }
    }
    for (; k < rowEnd; k++) {
      float[] wa = w[k];
      float a = x[k];
      for (int j = column; j < columnEnd; j++) {
        y[j] += a * wa[j];
      }
    }
  }

  /** Uniform in ±√3·scale, which has standard deviation {@code scale}. */
  private static float[][] randomMatrix(SplittableRandom random, int rows, int columns, double scale) {
    float[][] m = new float[rows][columns];
    float range = (float) (Math.sqrt(3) * scale);
    for (float[] row : m) {
      for (int j = 0; j < columns; j++) {
        row[j] = (random.nextFloat() * 2 - 1) * range;
      }
    }
    return m;
  }

  /** The class: each parameter set (here, the seed of the weights) is a model of its own, in a pool of its own. */
  static final Cls<Model> model = app.cls("Model", (ClsParams p) -> new Model(p.integer("seed", 42)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Callers send one sentence each; containers embed up to 64 at once, waiting at most 20 ms for company. */
  static final RemoteFunction<String, float[]> embed =
      model.batchedMethod("embed", Model::embed, Batching.of(64, Duration.ofMillis(20)));

  private Embeddings() {}

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot; // both are unit vectors
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    float inverse = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inverse;
    }
    return v;
  }

  public static void main(String[] args) {
    List<String> sentences = List.of(
        "The cat sat on the mat.",
        "A cat was sitting on the mat.",
        "Stock markets fell sharply on Monday.",
        "Markets fell again on Tuesday as stocks slid.",
        "The garden is full of roses in June.",
        "Roses bloom in the garden every June.");
    try (AppRun run = app.run()) {
      List<float[]> vectors = embed.map(sentences).toList();
      System.out.println("each sentence's nearest neighbour, by cosine similarity (model seed 42):");
      for (int i = 0; i < sentences.size(); i++) {
        int best = -1;
        double bestSimilarity = -2;
        for (int j = 0; j < sentences.size(); j++) {
          double similarity = cosine(vectors.get(i), vectors.get(j));
          if (j != i && similarity > bestSimilarity) {
            best = j;
            bestSimilarity = similarity;
          }
        }
        System.out.printf("  %-46s nearest: %-46s %.3f%n", sentences.get(i), sentences.get(best), bestSimilarity);
      }

      // Another seed is another model: a pool of its own, whose containers load their own weights.
      RemoteFunction<String, float[]> other = model.with(Map.of("seed", 7)).method(embed);
      List<float[]> otherVectors = other.map(sentences).toList();
      System.out.printf("the two cat sentences: %.3f with seed 42, %.3f with seed 7%n",
          cosine(vectors.get(0), vectors.get(1)), cosine(otherVectors.get(0), otherVectors.get(1)));

      // Many single requests share batches: each caller still gets its own vector back.
      List<String> many = IntStream.range(0, 2_000).mapToObj(i -> "request number " + i + " about cats").toList();
      long start = System.nanoTime();
      long embedded = embed.map(many).stream().filter(v -> v.length == DIMENSIONS).count();
      System.out.printf("embedded %d single requests in %d ms%n", embedded, (System.nanoTime() - start) / 1_000_000);
    }
  }
}
