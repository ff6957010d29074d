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
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Batched inference with a class: a "model" whose weights each container loads once, and a batched method that
 * embeds many callers' sentences with one matrix product per batch.
 *
 * <p>The model stands in for a real one. Its weights are a random matrix generated from a seed (as a real model
 * would be read from a file), and a sentence's input features are its words and character trigrams hashed into a
 * fixed-size vector. Embedding a batch multiplies the batch's features (batch × 384) by the weights (384 × 256)
 * and normalises each row. A random projection roughly keeps the angles between feature vectors, so sentences
 * that share words come out close, and two models with different seeds agree on which sentences are alike.
 */
public final class Embeddings {
  public static final int FEATURES = 384;
  public static final int DIMENSIONS = 256;
  /** Words too common to say what a sentence is about. */
  private static final java.util.Set<String> STOP_WORDS = java.util.Set.of(
      "a", "an", "the", "on", "in", "at", "of", "to", "is", "was", "and", "as", "every", "again");

  static final App app = App.named("embeddings");

  /** The model: loaded once per container by the class's factory, then shared by every input it embeds. */
  public static final class Model {
    private final float[] weights = new float[FEATURES * DIMENSIONS]; // row-major, FEATURES rows

    public Model(long seed) {
      Random random = new Random(seed);
      float scale = (float) (1 / Math.sqrt(DIMENSIONS));
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) random.nextGaussian() * scale;
      }
    }

    /** Embeds a batch of sentences with one matrix product; returns a unit vector per sentence, in order. */
    public List<float[]> embed(List<String> sentences) {
      int n = sentences.size();
      float[] x = new float[n * FEATURES];
      for (int row = 0; row < n; row++) {
        features(sentences.get(row), x, row * FEATURES);
      }
      float[] y = new float[n * DIMENSIONS];
      // (n × FEATURES) · (FEATURES × DIMENSIONS), in i-k-j order so that the inner loop runs along both rows.
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < FEATURES; k++) {
          float xik = x[i * FEATURES + k];
          if (xik == 0) {
            continue;
          }
          int w = k * DIMENSIONS;
          int out = i * DIMENSIONS;
          for (int j = 0; j < DIMENSIONS; j++) {
            y[out + j] += xik * weights[w + j];
          }
        }
      }
      List<float[]> vectors = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        float[] v = new float[DIMENSIONS];
        System.arraycopy(y, i * DIMENSIONS, v, 0, DIMENSIONS);
        vectors.add(normalised(v));
      }
      return vectors;
    }

    /** Hashes a sentence's words and character trigrams into {@code FEATURES} signed counts. */
    private static void features(String sentence, float[] into, int offset) {
      String text = sentence.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ");
      for (String word : text.split(" +")) {
        if (word.isEmpty() || STOP_WORDS.contains(word)) {
          continue;
        }
        add(word, 2f, into, offset);
        String padded = " " + word + " ";
        for (int i = 0; i + 3 <= padded.length(); i++) {
          add(padded.substring(i, i + 3), 1f, into, offset);
        }
      }
    }

    private static void add(String token, float weight, float[] into, int offset) {
      int h = murmurMix(token.getBytes(StandardCharsets.UTF_8));
      into[offset + Math.floorMod(h, FEATURES)] += (h & 0x4000_0000) == 0 ? weight : -weight;
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
