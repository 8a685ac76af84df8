package com.onecard.pos.sync.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
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

    /**
     * Client context from PEM files, in the JDK's TLS as the key-token one: a terminal carries no
     * native TLS library, and with one on the classpath (the center's, in one JVM with the simulator's
     * or the benchmarks' terminals) Netty would otherwise pick it.
     */
    public static SslContext client(Path caCert, Path cert, Path key) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
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
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS13)
                    .trustManager(caCert.toFile())
                    .keyManager(keyManager)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot build client TLS context from ca=" + caCert
                    + " and the key token's identity: " + e.getMessage(), e);
        }
    }

    /**
     * The TLS implementation of the center's sync port: BoringSSL (netty-tcnative, OpenSSL's API)
     * when its native library loads on this machine, else the JDK's. BoringSSL's full mutual
     * handshake and record encryption cost the center a fraction of the JDK's CPU, which is what a
     * fleet reconnecting after a restart spends (docs/center.md, "TLS in BoringSSL"). Both speak TLS 1.3 only,
     * with the same trust anchor and client certificates: terminals cannot tell them apart.
     */
    public static SslProvider serverProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** For the center's log: which TLS the sync port runs, and why not BoringSSL when it does not. */
    public static String serverProviderDescription() {
        if (serverProvider() == SslProvider.OPENSSL) {
            return OpenSsl.versionString() + " (netty-tcnative)";
        }
        Throwable why = OpenSsl.unavailabilityCause();
        return "the JDK's (BoringSSL not loaded: " + (why == null ? "unknown" : why.getMessage()) + ")";
    }

    /**
     * Server context in {@link #serverProvider()}; a terminal without a certificate from the CA
     * fails the handshake.
     */
    public static SslContext server(Path caCert, Path cert, Path key) {
        return server(caCert, cert, key, serverProvider());
    }

    /** As {@link #server(Path, Path, Path)} in the given TLS implementation. */
    public static SslContext server(Path caCert, Path cert, Path key, SslProvider provider) {
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(provider)
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
