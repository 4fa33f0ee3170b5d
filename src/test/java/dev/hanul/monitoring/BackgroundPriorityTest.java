package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {

    @Test
    void lowersOnlyTheCallingThread() throws Throwable {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "thread niceness is measured on Linux only");
        int before = BackgroundPriority.currentNice();
        var lowered = new AtomicInteger(Integer.MIN_VALUE);
        Thread background = Thread.ofPlatform().start(() -> {
            if (BackgroundPriority.lowerCurrentThread()) {
                try {
                    lowered.set(BackgroundPriority.currentNice());
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            }
        });
        background.join();
        assertThat(lowered.get()).isEqualTo(19);
        assertThat(BackgroundPriority.currentNice()).as("the test's own thread keeps its priority").isEqualTo(before);
    }
}
