package org.sdd4j.core.spi;

import ai.djl.modality.cv.Image;
import java.util.List;
import java.util.Set;
import org.sdd4j.api.Editor;

/** An editor that forwards every edit to another; subclasses add what they own and close it. */
public abstract class ForwardingEditor implements Editor {

    /** The editor edits are forwarded to. */
    protected abstract Editor delegate();

    @Override
    public Set<String> edits() {
        return delegate().edits();
    }

    @Override
    public Image edit(Image image, String edit) {
        return delegate().edit(image, edit);
    }

    @Override
    public List<Image> edit(List<Image> images, String edit) {
        return delegate().edit(images, edit);
    }
}
