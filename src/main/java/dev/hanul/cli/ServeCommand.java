package dev.hanul.cli;

import dev.hanul.HanulApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code hanul serve}: runs the service until it is stopped (Ctrl-C, SIGTERM). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Hanul service (HTTP API, actuator on /actuator).",
        footer = "%nAny other argument is a Spring Boot setting in the form --name=value,"
                + " e.g. --server.port=9090 --hanul.data-dir=/var/lib/hanul.%n")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file to serve (default: hanul.model.path, else the default model, downloaded"
                    + " on first start).")
    private Path model;

    @Unmatched
    private List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        // HanulCommand.main ends the JVM when this returns, so it waits until the service is shut down.
        CountDownLatch closed = new CountDownLatch(1);
        SpringApplication application = new SpringApplication(HanulApplication.class);
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        try {
            List<String> arguments = new ArrayList<>(springArguments);
            if (model != null) {
                arguments.add("--hanul.model.path=" + model.toAbsolutePath());
            }
            application.run(arguments.toArray(String[]::new));
        } catch (RuntimeException alreadyReported) {
            // Spring Boot has logged why the start failed and what to do; a second stack trace would bury that.
            return 1;
        }
        closed.await();
        return 0;
    }
}
