package com.onecard.pos.reader.model;

import com.onecard.pos.reader.pn532.Pn532Model;
import com.onecard.pos.reader.rdm6300.Rdm6300Model;
import com.onecard.pos.reader.scanner.SerialScannerModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReaderModelsTest {

    @Test
    void theShippedModelsAreRegisteredWithTheirRolesAndBauds() {
        ReaderModels r = ReaderModels.registry();
        assertThat(r.names(ReaderModel.Role.CARD_READER)).containsExactly("pn532", "rdm6300");
        assertThat(r.names(ReaderModel.Role.CODE_SCANNER)).containsExactly("scanner");
        assertThat(r.cardReader("pn532").defaultBaud()).isEqualTo(115200);
        assertThat(r.cardReader("RDM6300 ").defaultBaud()).isEqualTo(9600);
        assertThat(r.codeScanner("scanner").defaultBaud()).isEqualTo(9600);
    }

    @Test
    void aNameOfTheOtherRoleOrNoneIsRefusedListingTheRegisteredOnes() {
        ReaderModels r = ReaderModels.registry();
        assertThatThrownBy(() -> r.cardReader("scanner")).hasMessageContaining("'scanner'").hasMessageContaining("pn532, rdm6300");
        assertThatThrownBy(() -> r.codeScanner("pn532")).hasMessageContaining("registered: scanner");
        assertThatThrownBy(() -> r.cardReader("acr122")).hasMessageContaining("acr122");
        assertThat(r.find("none")).isEmpty();
    }

    @Test
    void twoModelsWithOneNameAreAPackagingFault() {
        assertThatThrownBy(() -> new ReaderModels(List.of(new Pn532Model(), new Rdm6300Model(), new Pn532Model())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'pn532' is registered twice");
    }

    @Test
    void aModelNamedNoneOrWithCapitalsIsRefused() {
        assertThatThrownBy(() -> new ReaderModels(List.of(named("none")))).hasMessageContaining("'none'");
        assertThatThrownBy(() -> new ReaderModels(List.of(named("GM65")))).hasMessageContaining("'GM65'");
        assertThat(new ReaderModels(List.of(named("gm65"))).names(ReaderModel.Role.CODE_SCANNER)).containsExactly("gm65");
    }

    private static CodeScannerModel named(String name) {
        return new CodeScannerModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int defaultBaud() {
                return 9600;
            }

            @Override
            public String summary() {
                return "test";
            }

            @Override
            public com.onecard.pos.reader.scanner.ScannerReader reader(String port, int baud,
                                                                       java.util.function.Consumer<String> codes) {
                return new SerialScannerModel().reader(port, baud, codes);
            }

            @Override
            public String probe(String port, int baud) {
                return "test";
            }
        };
    }
}
