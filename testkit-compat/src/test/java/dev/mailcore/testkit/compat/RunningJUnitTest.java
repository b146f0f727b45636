package dev.mailcore.testkit.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Proves which JUnit this module really runs: the version its pom asks for, not one the testkit
 * or Surefire brought along. Without it a BOM that failed to override the parent's would leave
 * both compat modules silently on the same version.
 */
class RunningJUnitTest {

  @Test
  void apiAndEngine_areTheVersionThisModuleDeclares() throws ClassNotFoundException {
    String expected = System.getProperty("mailcore.compat.expectedJUnit");
    assertThat(expected).as("system property set by the compat pom").isNotBlank();

    assertThat(Test.class.getPackage().getImplementationVersion()).isEqualTo(expected);
    assertThat(Class.forName("org.junit.jupiter.engine.JupiterTestEngine").getPackage()
        .getImplementationVersion()).isEqualTo(expected);
  }
}
