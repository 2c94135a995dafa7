package io.adsync.crypto;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** Parses PEM bundles of X.509 certificates (a domain's extra trusted CA). */
public final class Pem {

    private Pem() {
    }

    /** @throws IllegalArgumentException if the text holds no certificate or a malformed one */
    public static List<X509Certificate> certificates(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("must contain at least one PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("must contain at least one PEM certificate");
            }
            return certs.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("is not a valid PEM X.509 certificate: " + e.getMessage(), e);
        }
    }
}
