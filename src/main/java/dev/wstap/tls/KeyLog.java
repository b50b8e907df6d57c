package dev.wstap.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A TLS key log in the NSS format (the file {@code SSLKEYLOGFILE} names for browsers and curl), so
 * that Wireshark or tshark can decrypt a capture of the same traffic: one line per secret,
 * {@code LABEL CLIENT_RANDOM SECRET} in hex. TLS 1.3 gives four lines a connection (the handshake
 * and the first application traffic secrets of each side, and more after a key update), TLS 1.2 one
 * ({@code CLIENT_RANDOM}, the master secret).
 *
 * <p>The JDK's TLS gives no access to its secrets, so TLS that is to be logged runs on
 * BouncyCastle's JSSE provider, whose crypto {@link KeyLoggingCrypto} extends: it sees every
 * connection's secrets as its ciphers are keyed. Both of wstap's legs use it (towards clients, and
 * towards upstreams) when a key log is open. Lines are appended and written at once; a file shared
 * with other programs (as SSLKEYLOGFILE often is) gets whole lines. Thread safe.
 */
public final class KeyLog implements AutoCloseable {
    /**
     * BouncyCastle's provider reports through java.util.logging, on stderr by default: a line for every
     * connection, and notes on the JDK's security properties. wstap says what matters itself.
     */
    private static final java.util.logging.Logger BOUNCY_CASTLE = java.util.logging.Logger.getLogger("org.bouncycastle");

    static {
        BOUNCY_CASTLE.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Path file;
    private final FileChannel out;
    private final Provider provider;

    private KeyLog(Path file) throws IOException {
        this.file = file;
        // Whoever reads it reads the traffic: a new key log is the user's alone, as the CA's key is.
        if (!java.nio.file.Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            var permissions = java.nio.file.Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                System.err.println("wstap: warning: the key log " + file + " can be read or written by others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
            }
        }
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        KeyLog log = this;
        JcaTlsCryptoProvider crypto = new JcaTlsCryptoProvider() {
            @Override
            public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
                return new KeyLoggingCrypto(getHelper(), getAltHelper(), keyRandom, nonceRandom, log);
            }
        };
        this.provider = new BouncyCastleJsseProvider(false, crypto);
    }

    /** Appends to {@code file} (made when missing). */
    public static KeyLog open(Path file) throws IOException {
        return new KeyLog(file);
    }

    public Path file() {
        return file;
    }

    /** A TLS context whose connections' secrets go to this log. */
    public SSLContext context() throws GeneralSecurityException {
        return SSLContext.getInstance("TLS", provider);
    }

    /** One line: {@code label clientRandom secret}. */
    void write(String label, byte[] clientRandom, byte[] secret) {
        String line = label + " " + HexFormat.of().formatHex(clientRandom) + " " + HexFormat.of().formatHex(secret) + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        synchronized (out) {
            try {
                while (bytes.hasRemaining()) out.write(bytes);
            } catch (IOException e) {
                // A key log that cannot be written must not cost the connection: the line is lost, once said.
                System.err.println("wstap: cannot write the key log " + file + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
