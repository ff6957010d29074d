package dev.shoal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example's model on its own: batching must not change an answer, and the answers must mean something. */
class EmbeddingsModelTest {
  private static Embeddings.Model model;

  @BeforeAll
  static void load() {
    model = new Embeddings.Model(42);
  }

  @Test
  void aSentenceEmbedsToTheSameBitsAloneAndAnywhereInABatchOfAnySize() {
    List<String> sentences = IntStream.range(0, 9).mapToObj(i -> "sentence " + i + " about mats and cats").toList();
    for (int size : new int[] {2, 3, 9}) {
      List<float[]> batch = model.embed(sentences.subList(0, size));
      assertThat(batch).hasSize(size);
      for (int i = 0; i < size; i++) {
        assertThat(batch.get(i)).as("sentence %d in a batch of %d", i, size)
            .containsExactly(model.embed(List.of(sentences.get(i))).get(0));
      }
    }
  }

  @Test
  void vectorsAreUnitLengthAndSentencesThatShareWordsAreCloserThanOnesThatDoNot() {
    List<float[]> v = model.embed(List.of(
        "The cat sat on the mat.", "A cat was sitting on the mat.", "Stock markets fell sharply on Monday."));
    for (float[] vector : v) {
      assertThat(vector).hasSize(Embeddings.DIMENSIONS);
      assertThat(Embeddings.cosine(vector, vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(Embeddings.cosine(v.get(0), v.get(1))).isGreaterThan(Embeddings.cosine(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void anotherSeedIsAnotherModel() {
    float[] a = model.embed(List.of("roses bloom in june")).get(0);
    float[] b = new Embeddings.Model(7).embed(List.of("roses bloom in june")).get(0);
    assertThat(Embeddings.cosine(a, b)).isLessThan(0.9);
  }

  @Test
  void anEmptyBatchEmbedsToNothing() {
    assertThat(model.embed(List.of())).isEmpty();
  }
}
