package io.counterplatform.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
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
}
