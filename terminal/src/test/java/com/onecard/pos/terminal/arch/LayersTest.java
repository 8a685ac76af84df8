package com.onecard.pos.terminal.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The lines CONVENTIONS.md draws inside the terminal, held by the compiled classes. */
@AnalyzeClasses(packages = "com.onecard.pos.terminal", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {
    /** Policy and sale speak Account, Decision, DeclineReason and JournalEntry; the Journal port builds the wire rows. */
    @ArchTest
    static final ArchRule saleAndPolicyDoNotBuildWireMessages = noClasses()
            .that().resideInAnyPackage("..terminal.sale..", "..terminal.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("com.onecard.pos.sync.proto..", "com.google.protobuf..");

    /** The policy decides from facts gathered beforehand: no store writes, no JDBC, no sync client. */
    @ArchTest
    static final ArchRule policyDoesNoIo = noClasses()
            .that().resideInAPackage("..terminal.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "com.onecard.pos.sync..",
                    "com.onecard.pos.terminal.journal..");

    /** JDBC is imported in the store only. */
    @ArchTest
    static final ArchRule jdbcOnlyInTheStore = noClasses()
            .that().resideOutsideOfPackage("..terminal.store..")
            .should().dependOnClassesThat().resideInAPackage("java.sql..");
}
