package dev.shoal.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default {@code --kube-instance}: unique per control plane, and the same after it restarts. */
class InstanceNameTest {
  @Test
  void aDeploymentsPodsShareTheirInstanceAcrossRestartsAndUpgrades() {
    String before = InstanceName.inPod("shoal", "shoal-7d9f8c6b5d-x2x7q");
    String afterUpgrade = InstanceName.inPod("shoal", "shoal-5c6b7d8f9a-k4m2p");

    assertThat(before).isEqualTo("shoal-shoal").isEqualTo(afterUpgrade);
  }

  @Test
  void controlPlanesInOtherNamespacesOrDeploymentsGetOtherInstances() {
    assertThat(InstanceName.inPod("team-a", "shoal-7d9f8c6b5d-x2x7q"))
        .isNotEqualTo(InstanceName.inPod("team-b", "shoal-7d9f8c6b5d-x2x7q"))
        .isNotEqualTo(InstanceName.inPod("team-a", "shoal-canary-7d9f8c6b5d-x2x7q"));
    assertThat(InstanceName.inPod("team-a", "shoal-0")).isEqualTo("team-a-shoal-0");
  }

  @Test
  void aServerOutsideTheClusterIsKnownByItsHostAndDataDirectory() {
    String laptop = InstanceName.outsideCluster("Dev-Laptop.local", Path.of("/home/dev/.shoal/server"));

    assertThat(laptop).matches("local-[0-9a-f]{8}-dev-laptop-local")
        .isEqualTo(InstanceName.outsideCluster("Dev-Laptop.local", Path.of("/home/dev/.shoal/server")))
        .isNotEqualTo(InstanceName.outsideCluster("Dev-Laptop.local", Path.of("/tmp/other")))
        .isNotEqualTo(InstanceName.inPod("shoal", "shoal-7d9f8c6b5d-x2x7q"));
  }

  @Test
  void everyDefaultIsALabelValueKubernetesAccepts() {
    String longName = InstanceName.inPod("a-namespace-with-a-rather-long-name-for-its-team",
        "and-a-deployment-with-an-even-longer-name-7d9f8c6b5d-x2x7q");

    assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(InstanceName.label("--Odd__Name--")).isEqualTo("odd-name");
    assertThat(InstanceName.label("a".repeat(60) + "-x")).isNotEqualTo(InstanceName.label("a".repeat(60) + "-y"));
  }
}
