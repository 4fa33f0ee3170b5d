package dev.hanul.monitoring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calling thread at the lowest scheduling priority (Linux: nice 19, through libc's {@code setpriority} on the
 * thread's id), so that background work takes only the CPU that generation leaves: on a machine whose cores the
 * engine keeps busy, the kernel then gives such a thread a few percent of a core instead of an equal share. Java's
 * own thread priorities do nothing on Linux without extra JVM flags. Lowering needs no privilege; where it is not
 * possible (another OS, no native access) the thread keeps its priority and the reason is logged.
 */
final class BackgroundPriority {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST = 19;

    private BackgroundPriority() {
    }

    /** @return whether the calling thread now runs at the lowest priority */
    static boolean lowerCurrentThread() {
        try {
            int result = (int) Libc.SETPRIORITY.invokeExact(PRIO_PROCESS, (int) Libc.GETTID.invokeExact(), LOWEST);
            if (result != 0) {
                log.info("Thread {} keeps its priority: setpriority failed", Thread.currentThread().getName());
            }
            return result == 0;
        } catch (Throwable e) {
            log.info("Thread {} keeps its priority ({}): its work competes with generation at an equal share",
                    Thread.currentThread().getName(), e.toString());
            return false;
        }
    }

    /** The calling thread's nice value as the kernel reports it (Linux), for tests. */
    static int currentNice() throws Throwable {
        return (int) Libc.GETPRIORITY.invokeExact(PRIO_PROCESS, (int) Libc.GETTID.invokeExact());
    }

    /** The libc functions, looked up on first use (a failure there is the caller's to report). */
    private static final class Libc {
        static final MethodHandle GETTID = function("gettid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SETPRIORITY = function("setpriority",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle GETPRIORITY = function("getpriority",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

        private static MethodHandle function(String name, FunctionDescriptor descriptor) {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
        }
    }
}
