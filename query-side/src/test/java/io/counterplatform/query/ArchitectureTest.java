package io.counterplatform.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.springframework.web.bind.annotation.RestController;

@AnalyzeClasses(packages = "io.counterplatform", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule querySideNeverReachesIntoTheCommandSide = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.query..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.counterplatform.command..");

    @ArchTest
    static final ArchRule featureTypesStayInsideTheirPackage = classes()
            .that()
            .resideInAPackage("io.counterplatform.query.counter..")
            .should()
            .notBePublic();

    @ArchTest
    static final ArchRule readModelControllersGoThroughTheQueryGateway = noClasses()
            .that()
            .areAnnotatedWith(RestController.class)
            .and()
            .resideInAPackage("io.counterplatform.query.counter..")
            .should()
            .dependOnClassesThat()
            .haveSimpleNameEndingWith("Repository");

    /**
     * Through Axon Server a subscription query's response types travel as they are: an Optional or a List comes
     * back holding maps. An instance (null for none) comes back as itself (see {@code MessagesOverTheWireIT}).
     */
    @ArchTest
    static final ArchRule queriesDeclareInstanceResponseTypes = noClasses()
            .should()
            .callMethod(ResponseTypes.class, "optionalInstanceOf", Class.class)
            .orShould()
            .callMethod(ResponseTypes.class, "multipleInstancesOf", Class.class);

    /** The launcher, the test support and the benchmark are tools around the services, never part of one. */
    @ArchTest
    static final ArchRule theServiceShipsNoTooling = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.query..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.counterplatform.launcher..", "io.counterplatform.testsupport..", "io.counterplatform.bench..");

    /** What both services share knows neither of them. */
    @ArchTest
    static final ArchRule sharedSupportKnowsNoService = noClasses()
            .that()
            .resideInAPackage("io.counterplatform.support..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.counterplatform.command..", "io.counterplatform.query..");

    /** One word for one thing: the API says replay ({@code POST .../replay}), and so does the code. */
    @ArchTest
    static final ArchRule oneWordForReplays =
            noClasses().should().haveSimpleNameContaining("Rebuild").allowEmptyShould(true);
}
