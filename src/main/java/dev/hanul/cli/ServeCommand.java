package dev.hanul.cli;

import dev.hanul.HanulApplication;
import dev.hanul.config.DataDirectory;
import dev.hanul.inference.ModelState.Phase;
import dev.hanul.inference.ModelState;
import dev.hanul.model.ModelCatalog;
import dev.hanul.registry.ModelRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hanul serve}: runs the service until it is stopped (Ctrl-C, SIGTERM). The options carry the names vLLM,
 * llama-server and TGI use; any Spring Boot setting can follow as {@code --name=value}. Anything else is refused
 * with exit status 2 and the list of options (see {@link HanulCommand#commandLine()}).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Hanul service (HTTP API, actuator on /actuator).",
        footer = "%nAny Spring Boot or hanul.* setting can follow in the form --name=value,"
                + " e.g. --server.port=9090 --hanul.model.kv-cache=1GB.%n")
final class ServeCommand implements Callable<Integer> {

    private static final Set<String> ALL_INTERFACES = Set.of("0.0.0.0", "::", "[::]");

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: 8080).")
    private Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default: all interfaces).")
    private String host;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE|NAME",
            description = "A GGUF file, or a name from the model catalog (`hanul model list`), downloaded on first"
                    + " start (default: the catalog's default model).")
    private String model;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the service keeps its data: database, index, models (default: HANUL_DATA_DIR,"
                    + " else ./data).")
    private Path dataDir;

    @Parameters(paramLabel = "--NAME=VALUE", arity = "0..*", converter = SpringSetting.Converter.class,
            description = "Spring Boot and hanul.* settings.")
    private List<SpringSetting> settings = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<String> arguments = springArguments();
        // HanulCommand.main ends the JVM when this returns, so it waits until the service is shut down.
        CountDownLatch closed = new CountDownLatch(1);
        SpringApplication application = new SpringApplication(HanulApplication.class);
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        ConfigurableApplicationContext context;
        try {
            context = application.run(arguments.toArray(String[]::new));
        } catch (RuntimeException alreadyReported) {
            // Spring Boot has logged why the start failed and what to do; a second stack trace would bury that.
            return 1;
        }
        Thread.ofVirtual().name("ready-line").start(() -> announceWhenSettled(context));
        closed.await();
        return 0;
    }

    /** The options as the Spring settings they stand for, then the user's own settings (which win). */
    private List<String> springArguments() {
        List<String> arguments = new ArrayList<>();
        if (port != null) {
            arguments.add("--server.port=" + port);
        }
        if (host != null) {
            arguments.add("--server.address=" + host);
        }
        if (dataDir != null) {
            arguments.add("--hanul.data-dir=" + dataDir.toAbsolutePath());
        }
        arguments.addAll(modelSettings());
        settings.stream().map(SpringSetting::argument).forEach(arguments::add);
        return arguments;
    }

    private List<String> modelSettings() {
        ModelCatalog catalog;
        try {
            catalog = ModelCatalog.forDataDirectory(effectiveDataDirectory());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (model == null) {
            // The built-in default is the service's own; a user's catalog may name another.
            var chosen = catalog.defaultModel();
            return chosen.equals(ModelCatalog.builtIn().defaultModel())
                    ? List.of() : new ServedModelChoice.Catalogued(chosen).settings();
        }
        try {
            return ServedModelChoice.of(model, catalog).settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--model " + model + ": " + e.getMessage(), e);
        }
    }

    private Path effectiveDataDirectory() {
        if (dataDir != null) {
            return dataDir;
        }
        return settings.stream().filter(setting -> setting.name().equals("hanul.data-dir")).reduce((a, b) -> b)
                .map(setting -> Path.of(setting.value())).orElseGet(DefaultDataDirectory::get);
    }

    /** Prints one line once the model is served or has failed: where to connect, what is served, where data is. */
    private void announceWhenSettled(ConfigurableApplicationContext context) {
        try {
            ModelRegistry registry = context.getBean(ModelRegistry.class);
            String served = defaultVersion(registry);
            ModelState state = registry.state(served);
            while (state.phase() == Phase.REGISTERED || state.phase() == Phase.LOADING
                    || state.phase() == Phase.DOWNLOADING) {
                Thread.sleep(Duration.ofMillis(200));
                served = defaultVersion(registry);
                state = registry.state(served);
            }
            String url = "http://%s:%s".formatted(displayHost(context),
                    context.getEnvironment().getProperty("local.server.port"));
            Path data = context.getBean(DataDirectory.class).path();
            PrintWriter out = spec.commandLine().getOut();
            switch (state.phase()) {
                case READY -> out.printf("Hanul is ready on %s: model %s (%s), data in %s%n", url, served,
                        state.detail(), data);
                case FAILED -> out.printf("Hanul is up on %s WITHOUT a model (data in %s): %s%n", url, data,
                        state.detail());
                default -> { } // shutting down before it settled
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException contextClosedMeanwhile) {
            // nothing to announce
        }
    }

    /** The version the default alias serves first; the registry sets the alias up as the context starts. */
    private static String defaultVersion(ModelRegistry registry) throws InterruptedException {
        List<String> targets = registry.defaultTargets();
        while (targets.isEmpty()) {
            Thread.sleep(Duration.ofMillis(200));
            targets = registry.defaultTargets();
        }
        return targets.getFirst();
    }

    private static String displayHost(ConfigurableApplicationContext context) {
        String address = context.getEnvironment().getProperty("server.address");
        return address == null || address.isBlank() || ALL_INTERFACES.contains(address) ? "localhost"
                : address.contains(":") ? "[" + address + "]" : address;
    }
}
