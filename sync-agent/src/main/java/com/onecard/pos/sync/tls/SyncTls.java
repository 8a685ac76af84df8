package com.onecard.pos.sync.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * TLS contexts for the sync protocol: TLS 1.3 only, trust anchored in the campus CA file,
 * identities from a terminal's key token or from PKCS#8 PEM files made by scripts/provision.
 */
public final class SyncTls {
    private static final String TLS13 = "TLSv1.3";

    private SyncTls() {
    }

    public static SslContext client(Path caCert, Path cert, Path key) {
        try {
            return SslContextBuilder.forClient()
                    .protocols(TLS13)
                    .trustManager(caCert.toFile())
                    .keyManager(cert.toFile(), key.toFile())
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot build client TLS context from ca=" + caCert + " cert=" + cert
                    + " key=" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Client context whose private key stays in a key token: the handshake's signature is made by
     * the token (the JDK's TLS, which takes a KeyManagerFactory over a PKCS#11 KeyStore).
     */
    public static SslContext client(Path caCert, KeyManagerFactory keyManager) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols(TLS13)
                    .trustManager(caCert.toFile())
                    .keyManager(keyManager)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot build client TLS context from ca=" + caCert
                    + " and the key token's identity: " + e.getMessage(), e);
        }
    }

    /** Server context; a terminal without a certificate from the CA fails the handshake. */
    public static SslContext server(Path caCert, Path cert, Path key) {
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .protocols(TLS13)
                    .trustManager(caCert.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot build server TLS context from ca=" + caCert + " cert=" + cert
                    + " key=" + key + ": " + e.getMessage(), e);
        }
    }

    /** The CN of the authenticated peer certificate: the terminal id on the center side. */
    public static Optional<String> peerCommonName(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
                return Optional.empty();
            }
            return commonName(x509.getSubjectX500Principal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    static Optional<String> commonName(String rfc2253) {
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
