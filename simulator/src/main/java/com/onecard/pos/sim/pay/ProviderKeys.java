package com.onecard.pos.sim.pay;

import com.onecard.pos.center.topup.Rsa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;

/**
 * The key material of one simulated provider and its merchant, written as the card center's
 * configuration reads it: the merchant's RSA key (PKCS#8 PEM, 0600), the provider's public key
 * (X.509 PEM), and for WeChat Pay the 32-character API v3 key (0600). The provider keeps its own
 * private key in memory only.
 */
public record ProviderKeys(Path merchantKeyFile, Path providerPublicKeyFile, Path apiV3KeyFile, KeyPair merchant,
                           KeyPair provider, byte[] apiV3Key) {

    public static ProviderKeys generate(Path dir, String name) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair merchant = g.generateKeyPair();
            KeyPair provider = g.generateKeyPair();
            SecureRandom r = new SecureRandom();
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder v3 = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                v3.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            Files.createDirectories(dir);
            Path mk = dir.resolve(name + "-merchant.key");
            Path pp = dir.resolve(name + "-provider.pub");
            Path v3f = dir.resolve(name + "-apiv3.key");
            secret(mk, Rsa.pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
            Files.writeString(pp, Rsa.pem("PUBLIC KEY", provider.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            secret(v3f, v3 + "\n");
            return new ProviderKeys(mk, pp, v3f, merchant, provider, v3.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("generating RSA keys for " + name, e);
        }
    }

    private static void secret(Path f, String text) throws IOException {
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, text, StandardCharsets.US_ASCII);
    }

    public PrivateKey providerKey() {
        return provider.getPrivate();
    }

    public PublicKey merchantPublicKey() {
        return merchant.getPublic();
    }
}
