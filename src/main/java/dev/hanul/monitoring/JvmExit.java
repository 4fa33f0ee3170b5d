package dev.hanul.monitoring;

/**
 * Whether the JVM has begun to exit. JVM shutdown hooks run all at once and in no order: ONNX Runtime's releases its
 * native environment while Spring's still stops the beans that embed texts, and an embedding that starts after the
 * release crashes the process. Work that would embed asks here first.
 */
final class JvmExit {

    private static volatile boolean begun;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hanul-exit-flag")
                    .unstarted(() -> begun = true));
        } catch (IllegalStateException exiting) {
            begun = true; // first asked while the JVM exits
        }
    }

    private JvmExit() {
    }

    static boolean begun() {
        return begun;
    }
}
