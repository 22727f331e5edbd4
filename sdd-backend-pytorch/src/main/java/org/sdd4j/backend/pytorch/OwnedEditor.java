package org.sdd4j.backend.pytorch;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sdd4j.api.Editor;
import org.sdd4j.core.edit.ManipulatorEditor;

/** An editor that owns the root manager it was loaded under, and closes it with itself. */
final class OwnedEditor implements Editor {

    private final NDManager root;
    private final ManipulatorEditor editor;

    private OwnedEditor(NDManager root, ManipulatorEditor editor) {
        this.root = root;
        this.editor = editor;
    }

    static Editor load(Path bundle) {
        NDManager root = PyTorchBackend.newRootManager();
        try {
            return new OwnedEditor(root, ManipulatorEditor.load(bundle, root));
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    @Override
    public Set<String> edits() {
        return editor.edits();
    }

    @Override
    public Image edit(Image image, String edit) {
        return editor.edit(image, edit);
    }

    @Override
    public List<Image> edit(List<Image> images, String edit) {
        return editor.edit(images, edit);
    }

    @Override
    public void close() {
        editor.close();
        root.close();
    }
}
