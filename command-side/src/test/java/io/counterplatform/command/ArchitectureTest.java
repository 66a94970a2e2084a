package io.counterplatform.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.spring.stereotype.Aggregate;

@AnalyzeClasses(packages = "io.counterplatform", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule commandSideNeverReachesIntoTheQuerySide = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.command..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.counterplatform.query..");

    @ArchTest
    static final ArchRule aggregatesAreFreeOfSpring = noClasses()
            .that()
            .areAnnotatedWith(Aggregate.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework..");

    @ArchTest
    static final ArchRule featureTypesStayInsideTheirPackage = classes()
            .that()
            .resideInAPackage("io.counterplatform.command.counter..")
            .should()
            .notBePublic();

    @ArchTest
    static final ArchRule onlyTheAdviceMapsFailuresToStatuses = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.command.counter..")
            .should()
            .dependOnClassesThat()
            .haveSimpleName("ProblemDetail");

    /** The launcher, the test support and the benchmark are tools around the services, never part of one. */
    @ArchTest
    static final ArchRule theServiceShipsNoTooling = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.command..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.counterplatform.launcher..", "io.counterplatform.testsupport..", "io.counterplatform.bench..");
}
