package dev.shoal.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerFlagsTest {
  @Test
  void noSettingGivesTheDefaultFlags() {
    assertThat(ProcessBackend.containerFlags(null)).isEqualTo(ProcessBackend.defaultFlags());
    assertThat(ProcessBackend.containerFlags("  ")).isEqualTo(ProcessBackend.defaultFlags());
  }

  @Test
  void configuredFlagsComeAfterTheDefaultsSoThatTheyWin() {
    List<String> flags = ProcessBackend.containerFlags(" -Xmx2g   -XX:TieredStopAtLevel=1 ");

    assertThat(flags).startsWith(ProcessBackend.defaultFlags().toArray(String[]::new))
        .endsWith("-Xmx2g", "-XX:TieredStopAtLevel=1")
        .hasSize(ProcessBackend.defaultFlags().size() + 2);
  }

  @Test
  void aWordThatIsNotAFlagIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ProcessBackend.containerFlags("-Xmx2g Main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SHOAL_CONTAINER_JVM_FLAGS")
        .hasMessageContaining("'Main', which is not a JVM flag");
  }

  @Test
  void aClasspathOfItsOwnIsRefused() {
    assertThatThrownBy(() -> ProcessBackend.containerFlags("-cp /tmp/other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'-cp': a container's classpath is its app's");
  }
}
