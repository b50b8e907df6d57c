package dev.wstap.tls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.AbstractTlsCrypto;
import org.bouncycastle.tls.crypto.impl.AbstractTlsSecret;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * BouncyCastle's JCA crypto, which also writes each connection's secrets to a {@link KeyLog} as its
 * ciphers are made and keyed again: TLS 1.2's master secret once; TLS 1.3's traffic secrets each
 * time one side's changes: the handshake's first, then the application's (0), then those of each
 * key update (1, 2...).
 */
final class KeyLoggingCrypto extends JcaTlsCrypto {
    private final KeyLog log;
    /** What was logged of each handshake (its parameters become the connection's), forgotten with it. */
    private final java.util.Map<SecurityParameters, Logged> logged = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** One connection's secrets logged so far. */
    private static final class Logged {
        final Side client = new Side("CLIENT");
        final Side server = new Side("SERVER");
        boolean isMasterSecret;
    }

    /** One side's TLS 1.3 traffic secrets logged so far: the last, and how many. */
    private static final class Side {
        final String name;
        byte[] last;
        int count;

        Side(String name) {
            this.name = name;
        }

        /** The label of its next secret: the handshake's first, then the application's 0, 1, 2... */
        String nextLabel() {
            return count == 0 ? name + "_HANDSHAKE_TRAFFIC_SECRET" : name + "_TRAFFIC_SECRET_" + (count - 1);
        }
    }

    KeyLoggingCrypto(JcaJceHelper helper, JcaJceHelper altHelper, SecureRandom keyRandom, SecureRandom nonceRandom, KeyLog log) {
        super(helper, altHelper, keyRandom, nonceRandom);
        this.log = log;
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm) throws IOException {
        TlsCipher cipher = super.createCipher(parameters, encryptionAlgorithm, macAlgorithm);
        LoggingCipher logging = new LoggingCipher(cipher, parameters);
        logging.logSecrets();
        return logging;
    }

    /** The secrets in force now: the handshake's, or once it is over the connection's. */
    private static SecurityParameters current(TlsCryptoParameters parameters) {
        SecurityParameters handshake = parameters.getSecurityParametersHandshake();
        return handshake != null ? handshake : parameters.getSecurityParametersConnection();
    }

    /** A cipher as BouncyCastle made it, which logs the secrets each time it is keyed. */
    private final class LoggingCipher implements TlsCipher {
        private final TlsCipher cipher;
        private final TlsCryptoParameters parameters;

        LoggingCipher(TlsCipher cipher, TlsCryptoParameters parameters) {
            this.cipher = cipher;
            this.parameters = parameters;
        }

        /** Logs the secrets of the connection that are new since it last did. */
        void logSecrets() {
            SecurityParameters s = current(parameters);
            if (s == null || s.getClientRandom() == null) return;
            byte[] random = s.getClientRandom();
            Logged done = logged.computeIfAbsent(s, k -> new Logged());
            synchronized (done) {
                if (!TlsUtils.isTLSv13(s.getNegotiatedVersion())) {
                    if (!done.isMasterSecret && s.getMasterSecret() != null) {
                        log.write("CLIENT_RANDOM", random, SecretBytes.of(s.getMasterSecret()));
                        done.isMasterSecret = true;
                    }
                    return;
                }
                logIfNew(done.client, s.getTrafficSecretClient(), random);
                logIfNew(done.server, s.getTrafficSecretServer(), random);
            }
        }

        /** {@code secret} under the side's next label, unless it is the one logged last. */
        private void logIfNew(Side side, TlsSecret secret, byte[] random) {
            byte[] bytes = secret == null ? null : SecretBytes.of(secret);
            if (bytes == null || Arrays.equals(bytes, side.last)) return;
            log.write(side.nextLabel(), random, bytes);
            side.last = bytes;
            side.count++;
        }

        @Override
        public void rekeyDecoder() throws IOException {
            cipher.rekeyDecoder();
            logSecrets();
        }

        @Override
        public void rekeyEncoder() throws IOException {
            cipher.rekeyEncoder();
            logSecrets();
        }

        @Override
        public int getCiphertextDecodeLimit(int plaintextLimit) {
            return cipher.getCiphertextDecodeLimit(plaintextLimit);
        }

        @Override
        public int getCiphertextEncodeLimit(int plaintextLimit) {
            return cipher.getCiphertextEncodeLimit(plaintextLimit);
        }

        @Override
        public int getPlaintextDecodeLimit(int ciphertextLimit) {
            return cipher.getPlaintextDecodeLimit(ciphertextLimit);
        }

        @Override
        public int getPlaintextEncodeLimit(int ciphertextLimit) {
            return cipher.getPlaintextEncodeLimit(ciphertextLimit);
        }

        @Override
        public TlsEncodeResult encodePlaintext(long seqNo, short contentType, org.bouncycastle.tls.ProtocolVersion recordVersion, int headerAllocation,
                                               byte[] plaintext, int offset, int len) throws IOException {
            return cipher.encodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
        }

        @Override
        public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, org.bouncycastle.tls.ProtocolVersion recordVersion, byte[] ciphertext,
                                                int offset, int len) throws IOException {
            return cipher.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
        }

        @Override
        public boolean usesOpaqueRecordTypeDecode() {
            return cipher.usesOpaqueRecordTypeDecode();
        }

        @Override
        public boolean usesOpaqueRecordTypeEncode() {
            return cipher.usesOpaqueRecordTypeEncode();
        }
    }

    /**
     * A secret's bytes, left alive: {@link TlsSecret#extract} would destroy the secret the connection
     * still uses, and the copy BouncyCastle offers its secret classes is reached from a subclass.
     */
    private abstract static class SecretBytes extends AbstractTlsSecret {
        private SecretBytes() {
            super(new byte[0]);
        }

        static byte[] of(TlsSecret secret) {
            return secret instanceof AbstractTlsSecret s ? copyData(s) : new byte[0];
        }

        @Override
        protected abstract AbstractTlsCrypto getCrypto();
    }
}
