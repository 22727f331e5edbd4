package org.sdd4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes edited rows as PNG files mirroring the input paths: {@code out/<edit>/<path below the input
 * root>} (".png" appended unless the name ends with it). Each file is written under a temporary name
 * and renamed into place; an existing file is never replaced unless {@code overwrite}, and a row whose
 * file exists is counted as failed with that reason.
 */
final class PngWriter implements ForeachPartitionFunction<Row> {

    private static final long serialVersionUID = 1L;

    private final String inputRoot;
    private final String out;
    private final boolean overwrite;
    private final LongAccumulator ok;
    private final LongAccumulator failed;
    private final CollectionAccumulator<String> failures;

    PngWriter(String inputRoot, String out, boolean overwrite, LongAccumulator ok, LongAccumulator failed,
            CollectionAccumulator<String> failures) {
        this.inputRoot = rootPath(inputRoot);
        this.out = out;
        this.overwrite = overwrite;
        this.ok = ok;
        this.failed = failed;
        this.failures = failures;
    }

    static String rootPath(String root) {
        String p = new Path(root).toUri().getPath();
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public void call(Iterator<Row> rows) throws IOException {
        FileSystem fs = raw(FileSystem.get(URI.create(out), new Configuration()));
        while (rows.hasNext()) {
            Row r = rows.next();
            String path = r.getString(0);
            String edit = r.getString(1);
            String error = r.getString(6);
            if (error == null) {
                try {
                    write(fs, target(path, edit), (byte[]) r.get(2));
                } catch (IOException | IllegalArgumentException e) {
                    error = EditPartition.message(e);
                }
            }
            if (error == null) {
                ok.add(1);
            } else {
                failed.add(1);
                if (failures.value().size() < EditSummary.MAX_LISTED) {
                    failures.add(path + "\t" + edit + "\t" + error.replace('\n', ' ').replace('\t', ' '));
                }
            }
        }
    }

    /** The local file system without Hadoop's .crc side files. */
    static FileSystem raw(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    Path target(String path, String edit) {
        if (path == null) {
            throw new IllegalArgumentException("the row has no path, so there is no file name to write");
        }
        String p = new Path(path).toUri().getPath();
        if (!p.startsWith(inputRoot + "/")) {
            throw new IllegalArgumentException(path + " is not below the input root " + inputRoot);
        }
        String rel = p.substring(inputRoot.length() + 1);
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(path + " has an unusable name part '" + part + "'");
            }
        }
        String name = rel.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? rel : rel + ".png";
        return new Path(new Path(out, edit), name);
    }

    private void write(FileSystem fs, Path target, byte[] png) throws IOException {
        if (fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
            // a local (or mounted shared) folder: the library's own no-clobber write, race-free
            java.nio.file.Path local = java.nio.file.Path.of(target.toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            if (overwrite) {
                org.sdd4j.core.io.AtomicFiles.write(local, png);
            } else {
                try {
                    org.sdd4j.core.io.AtomicFiles.writeNew(local, o -> o.write(png));
                } catch (java.io.UncheckedIOException e) {
                    throw new IOException(e.getMessage() + (e.getCause() instanceof
                            java.nio.file.FileAlreadyExistsException ? "; pass overwrite to replace it" : ""), e);
                }
            }
            return;
        }
        if (!overwrite && fs.exists(target)) {
            throw new IOException(target + " exists; pass overwrite to replace it");
        }
        fs.mkdirs(target.getParent());
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream o = fs.create(tmp, false)) {
            o.write(png);
        }
        if (overwrite && fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("could not move the edited image to " + target + " (it exists, or the folder is"
                    + " not writable)");
        }
    }
}
