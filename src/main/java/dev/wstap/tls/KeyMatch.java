package dev.wstap.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Whether a private key belongs to a certificate: {@code --cert}/{@code --key} and {@code --client-cert}/{@code --client-key} are checked with it. */
final class KeyMatch {
    private KeyMatch() {}

    /** Whether {@code key} signs what {@code cert}'s public key verifies: any key type the JDK signs with. */
    static boolean isKeyOf(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) return true; // a key type wstap cannot check here: the handshake will tell
        byte[] probe = "wstap: does this key belong to this certificate?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        try {
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            return false; // a public key of another type
        }
    }

}
