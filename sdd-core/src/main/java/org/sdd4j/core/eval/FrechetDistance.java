package org.sdd4j.core.eval;

import java.util.List;

/**
 * The Frechet distance between Gaussians fitted to two feature sets (the FID formula, Heusel et al.
 * 2017): |m1 - m2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2). Matrix square roots use a symmetric
 * eigen-decomposition (cyclic Jacobi), in float64.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /** The distance between two sets of feature vectors (each at least two vectors of equal width). */
    public static double between(List<float[]> a, List<float[]> b) {
        if (a.size() < 2 || b.size() < 2) {
            throw new IllegalArgumentException("each feature set needs at least two vectors, got " + a.size() + " and "
                    + b.size());
        }
        int d = a.get(0).length;
        double[] m1 = mean(a, d);
        double[] m2 = mean(b, d);
        return between(m1, covariance(a, m1), m2, covariance(b, m2));
    }

    /** The distance between two Gaussians given by mean and covariance. */
    public static double between(double[] m1, double[][] s1, double[] m2, double[][] s2) {
        int d = m1.length;
        double dist = 0;
        for (int i = 0; i < d; i++) {
            dist += (m1[i] - m2[i]) * (m1[i] - m2[i]);
        }
        double[][] root1 = sqrtPsd(s1);
        double[][] inner = multiply(multiply(root1, s2), root1);
        double[] eig = eigen(symmetrize(inner), null);
        double traceRoot = 0;
        for (double e : eig) {
            traceRoot += Math.sqrt(Math.max(e, 0));
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += s1[i][i] + s2[i][i];
        }
        return Math.max(0, dist + trace - 2 * traceRoot);
    }

    static double[] mean(List<float[]> x, int d) {
        double[] m = new double[d];
        for (float[] v : x) {
            if (v.length != d) {
                throw new IllegalArgumentException("feature vectors differ in width: " + v.length + " vs " + d);
            }
            for (int i = 0; i < d; i++) {
                m[i] += v[i] / (double) x.size();
            }
        }
        return m;
    }

    /** Unbiased sample covariance. */
    static double[][] covariance(List<float[]> x, double[] m) {
        int d = m.length;
        double[][] c = new double[d][d];
        for (float[] v : x) {
            for (int i = 0; i < d; i++) {
                double di = v[i] - m[i];
                for (int j = i; j < d; j++) {
                    c[i][j] += di * (v[j] - m[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.size() - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** V sqrt(max(D, 0)) V^T of a symmetric positive semi-definite matrix. */
    static double[][] sqrtPsd(double[][] s) {
        int d = s.length;
        double[][] v = new double[d][d];
        double[] e = eigen(symmetrize(s), v);
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    sum += v[i][k] * Math.sqrt(Math.max(e[k], 0)) * v[j][k];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }

    private static double[][] symmetrize(double[][] a) {
        int d = a.length;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i][j] = (a[i][j] + a[j][i]) / 2;
            }
        }
        return s;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    /**
     * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (destroys {@code a}); the eigenvectors
     * go into the columns of {@code vectors} when it is not null.
     */
    static double[] eigen(double[][] a, double[][] vectors) {
        int n = a.length;
        if (vectors != null) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(vectors[i], 0);
                vectors[i][i] = 1;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-22) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    if (vectors != null) {
                        for (int k = 0; k < n; k++) {
                            double vkp = vectors[k][p];
                            double vkq = vectors[k][q];
                            vectors[k][p] = c * vkp - s * vkq;
                            vectors[k][q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = a[i][i];
        }
        return e;
    }
}
