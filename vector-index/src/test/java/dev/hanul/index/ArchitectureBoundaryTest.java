package dev.hanul.index;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** vector-index is a library: it must not reach into the service, the engine, or Spring. */
class ArchitectureBoundaryTest {

    @Test
    void vectorIndexDependsOnNeitherServiceNorEngineNorSpring() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hanul.index");

        noClasses().that().resideInAPackage("dev.hanul.index..")
                .and().resideOutsideOfPackage("dev.hanul.index.solrcloud..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        "dev.hanul.index..", "java..", "javax..", "org.apache.lucene..")
                .check(classes);
    }

    /** The SolrCloud backend talks to Solr over HTTP with SolrJ's client only: no Solr (or Lucene 9) server code. */
    @Test
    void solrCloudBackendUsesOnlySolrsClient() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hanul.index.solrcloud");

        noClasses().that().resideInAPackage("dev.hanul.index.solrcloud..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        "dev.hanul.index..", "java..", "javax..", "org.apache.solr.client.solrj..",
                        "org.apache.solr.common..")
                .check(classes);
    }
}
