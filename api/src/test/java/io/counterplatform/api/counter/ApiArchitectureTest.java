package io.counterplatform.api.counter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.counterplatform.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ApiArchitectureTest {

    @ArchTest
    static final ArchRule messagesKnowNothingOfSpringOrJackson = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule messagesAreRecords = classes()
            .that()
            .haveSimpleNameStartingWith("Find")
            .or()
            .haveSimpleNameEndingWith("View")
            .or()
            .haveSimpleNameEndingWith("Counter")
            .or()
            .haveSimpleNameEndingWith("Incremented")
            .should()
            .beRecords();
}
