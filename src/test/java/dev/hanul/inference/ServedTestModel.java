package dev.hanul.inference;

import dev.hanul.engine.TestModels;
import dev.hanul.registry.ModelRegistry;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The model a Spring Boot test's service serves: a file found through {@link TestModels}, set as
 * {@code hanul.model.path}. Without the file the test class is skipped, with {@link TestModels#notFound}'s reason,
 * before its application context is started (a context that fails to start would be an error, not a skip). The model
 * loads in the background after the context starts, so each test first waits until the versions the
 * {@code default} alias points at serve.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@ExtendWith({ServedTestModel.SkipWithoutFile.class, ServedTestModel.AwaitLoaded.class})
@ContextCustomizerFactories(ServedTestModel.ModelPathFactory.class)
public @interface ServedTestModel {

    /** The file, relative to the test model directories: a {@link TestModels} constant. */
    String value();

    final class SkipWithoutFile implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<ServedTestModel> model = context.getTestClass()
                    .flatMap(type -> AnnotationSupport.findAnnotation(type, ServedTestModel.class));
            if (model.isEmpty() || TestModels.find(model.get().value()).isPresent()) {
                return ConditionEvaluationResult.enabled("the test model is present");
            }
            return ConditionEvaluationResult.disabled(TestModels.notFound(model.get().value()));
        }
    }

    final class AwaitLoaded implements BeforeEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) {
            ModelRegistry registry = SpringExtension.getApplicationContext(context).getBean(ModelRegistry.class);
            Awaitility.await("the default alias's versions to be ready").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> registry.defaultTargets().stream().map(registry::state).allMatch(state ->
                            state.phase() == ModelState.Phase.READY || state.phase() == ModelState.Phase.FAILED));
            for (String version : registry.defaultTargets()) {
                if (registry.state(version).phase() != ModelState.Phase.READY) {
                    throw new AssertionError("The model did not load: " + registry.state(version).detail());
                }
            }
        }
    }

    final class ModelPathFactory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                List<ContextConfigurationAttributes> configurationAttributes) {
            ServedTestModel model = TestContextAnnotationUtils.findMergedAnnotation(testClass, ServedTestModel.class);
            return model == null ? null : TestModels.find(model.value()).map(ModelPath::new).orElse(null);
        }
    }

    /** A record, so contexts serving the same file compare equal and are cached once. */
    record ModelPath(Path file) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestPropertyValues.of("hanul.model.path=" + file.toAbsolutePath()).applyTo(context);
        }
    }
}
