package org.sdd4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** File-system errors said in words: the JDK's exceptions often carry only a path. */
public final class Messages {

    private Messages() {}

    /**
     * What went wrong, for example {@code "/data/x: no permission"} or {@code "out: not a folder"}.
     *
     * @param e the error
     * @return a sentence naming the path and the reason
     */
    public static String describe(IOException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            what = "no permission";
        } else if (e instanceof NotDirectoryException) {
            what = "not a folder";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "already exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "folder is not empty";
        } else if (e instanceof FileSystemLoopException) {
            what = "links form a loop";
        } else if (e instanceof NotLinkException) {
            what = "not a symbolic link";
        } else if (e instanceof FileSystemException fse) {
            String reason = fse.getReason();
            what = reason != null ? reason : e.getClass().getSimpleName();
        } else {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
        FileSystemException fse = (FileSystemException) e;
        String path = fse.getFile() == null ? "" : fse.getFile();
        if (fse.getOtherFile() != null) {
            path += " -> " + fse.getOtherFile();
        }
        if (fse.getReason() != null && !what.equals(fse.getReason()) && !(e instanceof NoSuchFileException)
                && !(e instanceof AccessDeniedException)) {
            what += " (" + fse.getReason() + ")";
        }
        return path.isEmpty() ? what : path + ": " + what;
    }

    /** {@link #describe(IOException)} for an unchecked wrapper, keeping the wrapper's own message if it has one. */
    public static String describe(UncheckedIOException e) {
        return e.getMessage() != null && !e.getMessage().equals(e.getCause().toString()) ? e.getMessage()
                : describe(e.getCause());
    }
}
