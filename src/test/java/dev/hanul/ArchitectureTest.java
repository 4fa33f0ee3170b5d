package dev.hanul;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The boundaries of ARCHITECTURE.md, section 2: gpu-engine ({@code dev.hanul.engine}) and vector-index
 * ({@code dev.hanul.index}) are libraries the service uses, so they stay free of Spring, of each other's concerns and
 * of the service. Their tests are held to the same rules. Benchmark harnesses (the {@code bench} packages, in the
 * {@code src/bench/java} source roots) are used by the bench commands only.
 */
@AnalyzeClasses(packages = "dev.hanul")
class ArchitectureTest {

    private static final String ENGINE = "dev.hanul.engine..";
    private static final String INDEX = "dev.hanul.index..";
    private static final String SPRING_AI = "dev.hanul.springai..";
    private static final String LANGCHAIN4J = "dev.hanul.langchain4j..";

    @ArchTest
    static final ArchRule librariesDoNotUseSpring = noClasses()
            .that().resideInAnyPackage(ENGINE, INDEX)
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("gpu-engine and vector-index are plain libraries; the service wires them into Spring");

    @ArchTest
    static final ArchRule engineDoesNotUseLuceneOrTheIndex = noClasses()
            .that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.lucene..", INDEX)
            .because("the engine generates tokens; retrieval is the service's and the index's business");

    @ArchTest
    static final ArchRule librariesDoNotUseTheService = noClasses()
            .that().resideInAnyPackage(ENGINE, INDEX)
            .should().dependOnClassesThat(resideInAPackage("dev.hanul..").and(not(resideInAnyPackage(ENGINE, INDEX))))
            .because("the service depends on the libraries, never the reverse");

    @ArchTest
    static final ArchRule onlyTheAdaptersUseSpringAi = noClasses()
            .that().resideOutsideOfPackage(SPRING_AI)
            .should().dependOnClassesThat().resideInAPackage("org.springframework.ai..")
            .because("Spring AI is an optional dependency: the service runs without it, and only its adapters "
                    + "(dev.hanul.springai, loaded when it is on the class path) may touch it");

    @ArchTest
    static final ArchRule nothingDependsOnTheSpringAiAdapters = noClasses()
            .that().resideOutsideOfPackage(SPRING_AI)
            .should().dependOnClassesThat().resideInAPackage(SPRING_AI)
            .because("the adapters sit on top of the service (inference façade, embedder, chunk index) and can be "
                    + "left out without anything else noticing");

    @ArchTest
    static final ArchRule nothingDependsOnTheLangChain4jAdapters = noClasses()
            .that().resideOutsideOfPackage(LANGCHAIN4J)
            .should().dependOnClassesThat().resideInAPackage(LANGCHAIN4J)
            .because("the adapters sit on top of the service and can be left out without anything else noticing");

    @ArchTest
    static final ArchRule onlyTheBenchCommandsUseTheBenchmarks = noClasses()
            .that().resideOutsideOfPackages("..bench..", "dev.hanul.cli..").and().haveSimpleNameNotEndingWith("Test")
            .should().dependOnClassesThat().resideInAPackage("..bench..")
            .because("benchmark harnesses live in their own source roots (src/bench/java); the product never needs "
                    + "them, only `hanul bench` runs them");
}
