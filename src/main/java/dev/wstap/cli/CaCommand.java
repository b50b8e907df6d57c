package dev.wstap.cli;

import dev.wstap.tls.CertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ca", mixinStandardHelpOptions = true,
        description = {
            "wstap's certificate authority, which signs the certificates wstap presents when it intercepts wss.",
            "",
            "It is made on first use (by 'wstap ca' or by a proxy that needs it) in ~/.wstap, or $WSTAP_HOME, or --ca-dir. "
                    + "Its private key (ca-key.pem) is mode 0600 and never leaves that folder: trust this CA only on "
                    + "machines you debug on."},
        subcommands = {CaCommand.PathCommand.class, CaCommand.ShowCommand.class, CaCommand.ExportCommand.class,
            CaCommand.TrustHelpCommand.class},
        footer = {"", "Examples:", "  wstap ca show", "  wstap ca export wstap-ca.pem", "  wstap ca trust-help"})
final class CaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    @Command(name = "path", mixinStandardHelpOptions = true, description = "Print where the CA certificate is (making the CA if needed).")
    static final class PathCommand implements Callable<Integer> {
        @Mixin
        CaOptions ca;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(ca.loadOrCreate().certificateFile());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the CA certificate: subject, fingerprints, validity.")
    static final class ShowCommand implements Callable<Integer> {
        @Mixin
        CaOptions ca;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority authority = ca.loadOrCreate();
            X509Certificate c = authority.certificate();
            var out = spec.commandLine().getOut();
            out.println("file:        " + authority.certificateFile());
            out.println("subject:     " + c.getSubjectX500Principal().getName());
            out.println("valid from:  " + c.getNotBefore().toInstant());
            out.println("valid until: " + c.getNotAfter().toInstant());
            out.println("serial:      " + c.getSerialNumber().toString(16));
            out.println("SHA-256:     " + fingerprint(c, "SHA-256"));
            out.println("SHA-1:       " + fingerprint(c, "SHA-1"));
            return ExitCodes.OK;
        }

        static String fingerprint(X509Certificate c, String algorithm) throws NoSuchAlgorithmException, CertificateEncodingException {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the CA certificate (never its key) to FILE.")
    static final class ExportCommand implements Callable<Integer> {
        @Mixin
        CaOptions ca;

        @Option(names = "--der", description = "Binary DER instead of PEM.")
        boolean isDer;

        @Parameters(paramLabel = "FILE", description = "Where to write it; - for standard output.")
        String file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority authority = ca.loadOrCreate();
            byte[] bytes = isDer ? authority.certificate().getEncoded() : authority.certificatePem().getBytes(StandardCharsets.US_ASCII);
            if (file.equals("-")) {
                System.out.write(bytes);
                System.out.flush();
                return ExitCodes.OK;
            }
            try {
                Files.write(Path.of(file), bytes);
            } catch (IOException e) {
                throw new WstapException(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage(), e);
            }
            spec.commandLine().getErr().println("wrote the wstap CA certificate (" + (isDer ? "DER" : "PEM") + ") to " + file);
            return ExitCodes.OK;
        }
    }

    @Command(name = "trust-help", mixinStandardHelpOptions = true,
            description = "How to make browsers, tools and runtimes trust the CA, with this machine's paths filled in.")
    static final class TrustHelpCommand implements Callable<Integer> {
        @Mixin
        CaOptions ca;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path pem = ca.loadOrCreate().certificateFile();
            spec.commandLine().getOut().print(String.format("""
                    wstap's CA certificate: %1$s
                    Trust it only where you debug: whoever holds its key can impersonate any site there.

                    Chromium / Chrome on Linux (NSS database; needs certutil from libnss3-tools):
                      certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n wstap -i %1$s
                      then: chromium --proxy-server=http://127.0.0.1:8080 --proxy-bypass-list='<-loopback>'
                      A throwaway instead (Chromium reads the database under $HOME, not under its profile):
                      mkdir -p /tmp/wstap-home/.pki/nssdb
                      certutil -d sql:/tmp/wstap-home/.pki/nssdb -N --empty-password
                      certutil -d sql:/tmp/wstap-home/.pki/nssdb -A -t "C,," -n wstap -i %1$s
                      HOME=/tmp/wstap-home chromium --user-data-dir=/tmp/wstap-home/profile \\
                          --proxy-server=http://127.0.0.1:8080 --proxy-bypass-list='<-loopback>'

                    Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import,
                      choose %1$s and tick "Trust this CA to identify websites"; set the proxy under
                      Settings > Network Settings (HTTP proxy 127.0.0.1 port 8080, also for HTTPS).

                    curl:
                      curl --proxy http://127.0.0.1:8080 --cacert %1$s https://example.com/

                    Node.js:
                      NODE_EXTRA_CA_CERTS=%1$s node app.js

                    Python (requests, websockets, ssl):
                      SSL_CERT_FILE=%1$s python3 app.py        (replaces the default bundle for the ssl module)
                      REQUESTS_CA_BUNDLE=%1$s python3 app.py   (requests)
                      or in code: ssl.create_default_context(cafile="%1$s")

                    Java (a trust store for your app):
                      keytool -importcert -noprompt -alias wstap -file %1$s -keystore wstap-trust.p12 -storepass changeit
                      java -Djavax.net.ssl.trustStore=wstap-trust.p12 -Djavax.net.ssl.trustStorePassword=changeit ...

                    Debian / Ubuntu system store (as root):
                      cp %1$s /usr/local/share/ca-certificates/wstap.crt && update-ca-certificates
                      undo: rm /usr/local/share/ca-certificates/wstap.crt && update-ca-certificates --fresh
                    """, pem));
            return ExitCodes.OK;
        }
    }
}
