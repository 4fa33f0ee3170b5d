package dev.hanul.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The randomization test flags a real difference and does not flag a relabelled copy or noise. */
class PairedTestTest {

    @Test
    void aRealImprovementIsSignificant() {
        var random = new Random(1);
        double[] a = new double[60];
        double[] b = new double[60];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
            b[i] = Math.min(1, a[i] + 0.1 + 0.05 * random.nextGaussian());
        }
        assertThat(PairedTest.pValue(a, b, 7)).isLessThan(0.01);
    }

    @Test
    void aRelabelledCopyIsNot() {
        var random = new Random(2);
        double[] a = new double[60];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
        }
        assertThat(PairedTest.pValue(a, a.clone(), 7)).isEqualTo(1.0);
    }

    @Test
    void noiseAroundTheSameMeanIsNot() {
        var random = new Random(3);
        double[] a = new double[60];
        double[] b = new double[60];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
            b[i] = a[i] + 0.05 * random.nextGaussian();
        }
        assertThat(PairedTest.pValue(a, b, 7)).isGreaterThan(0.05);
    }
}
