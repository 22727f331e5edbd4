package org.sdd4j.core.nn;

import org.sdd4j.api.LearningRate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter 2019, Algorithm 2, as in PyTorch's {@code torch.optim.AdamW}) over the
 * trainable parameters of a block. Unlike DJL's optimisers its moment estimates can be saved and
 * restored, so that a resumed run continues exactly where it stopped.
 */
public final class AdamW implements AutoCloseable {

    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final NDManager manager;
    private float lr;
    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private int step;

    /** AdamW with betas (0.9, 0.999) and eps 1e-8 (PyTorch's defaults). */
    public AdamW(Block block, NDManager manager, float lr, float weightDecay) {
        this(block, manager, lr, weightDecay, 0.9f, 0.999f, 1e-8f);
    }

    /** AdamW with explicit hyper-parameters. */
    public AdamW(Block block, NDManager manager, float lr, float weightDecay, float beta1, float beta2, float eps) {
        this.manager = manager.newSubManager();
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                params.add(p.getValue());
                NDArray w = p.getValue().getArray();
                m.add(this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
                v.add(this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            }
        }
    }

    /** The learning rate of the next update. */
    public float learningRate() {
        return lr;
    }

    /** Sets the learning rate of the next updates (a schedule calls this before each update). */
    public void learningRate(float value) {
        LearningRate.check(value, "scheduled");
        lr = value;
    }

    /** Steps taken so far. */
    public int step() {
        return step;
    }

    /** Applies one update from the parameters' gradients, then zeroes the gradients. */
    public void update() {
        step++;
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2 = (float) (1 - Math.pow(beta2, step));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray g = params.get(i).getArray().getGradient();
                Ops.muli(m.get(i), beta1).addi(Ops.mul(g, 1 - beta1));
                Ops.muli(v.get(i), beta2).addi(Ops.mul(g.square(), 1 - beta2));
                NDArray mhat = Ops.div(m.get(i), bc1);
                NDArray vhat = Ops.div(v.get(i), bc2);
                Ops.muli(w, 1 - lr * weightDecay);
                w.subi(Ops.mul(mhat.div(vhat.sqrt().add(eps)), lr));
                g.subi(g);
            }
        }
    }

    /**
     * Applies the step if every loss of it is finite, else discards its gradients (a training loop then
     * stops on the non-finite loss with the weights of the last good step). Call outside the gradient
     * collector: in-place weight updates are only allowed there.
     *
     * @param losses the step's losses
     */
    public void updateIfFinite(double... losses) {
        for (double l : losses) {
            if (!Double.isFinite(l)) {
                zeroGradients();
                return;
            }
        }
        update();
    }

    /** Zeroes the gradients without updating (after a rejected step). */
    public void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < params.size(); i++) {
                NDArray g = params.get(i).getArray().getGradient();
                g.subi(g);
            }
        }
    }

    /** Writes the step count and moment estimates. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(step);
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            writeArray(out, m.get(i));
            writeArray(out, v.get(i));
        }
    }

    /** Restores what {@link #save} wrote, for the same block. */
    public void load(DataInputStream in) throws IOException {
        int s = in.readInt();
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("optimizer state has " + n + " parameters, the model has " + params.size());
        }
        for (int i = 0; i < n; i++) {
            NDArray mi = readArray(in);
            NDArray vi = readArray(in);
            if (!mi.getShape().equals(m.get(i).getShape())) {
                throw new IOException("optimizer state shape " + mi.getShape() + " does not match parameter "
                        + params.get(i).getName() + " " + m.get(i).getShape());
            }
            m.get(i).close();
            v.get(i).close();
            m.set(i, mi);
            v.set(i, vi);
        }
        step = s;
    }

    private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        byte[] b = a.encode();
        out.writeInt(b.length);
        out.write(b);
    }

    private NDArray readArray(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return manager.decode(b);
    }

    @Override
    public void close() {
        manager.close();
    }
}
