package org.conv4j.backend;

import java.nio.FloatBuffer;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Mode;
import org.conv4j.Winograd;

/**
 * Winograd F(m x m, 3 x 3) in plain Java on the calling thread ({@link Winograd} gives the algorithm and its
 * bound). Per image, group and block of {@link #BLOCK} tiles:
 * <pre>
 *   V[xi][c][t]  = (B^T d_(c,t) B)[xi]                     input transform, float
 *   M[xi][k][t]  = sum_c U[g][xi][k][c] * V[xi][c][t]       alpha^2 GEMMs, Kg x Cg by Cg x tiles
 *   y[k][tile t] = act(A^T M[.][k][t] A + bias[k] (+ y_in)) output transform with the epilogue
 * </pre>
 * with {@code U[g][xi][k][c] = fl((G g_(k,c) G^T)[xi])} computed in double and rounded once, by
 * {@link #loadWeights} (once for a constant-weight plan, per call otherwise). Workspace, allocated once per
 * plan: U {@code alpha^2 * K * C/G} floats, V {@code alpha^2 * C/G * BLOCK}, M {@code alpha^2 * K/G * BLOCK}.
 * Not thread-safe (one plan per thread).
 */
final class JavaWinogradPlan {
    /** Tiles per block: V and M of one block stay in L2 for the channel counts of CNN layers (<= 512). */
    static final int BLOCK = 32;

    private final Conv2dProblem pr;
    private final Winograd wino;
    private final int a, a2, m, cg, kg;
    private final float[] bt, at;
    private final float[] u, v, mm, bias;
    private final float[] d, z, y;
    private final float[] f = new float[9];

    JavaWinogradPlan(Conv2dProblem pr, Winograd wino) {
        this.pr = pr;
        this.wino = wino;
        m = wino.m();
        a = wino.alpha();
        a2 = a * a;
        cg = (int) pr.cPerGroup();
        kg = (int) pr.kPerGroup();
        bt = new float[a2];
        at = new float[m * a];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) bt[i * a + j] = (float) wino.bt(i, j);
        }
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < a; i++) at[o * a + i] = (float) wino.at(o, i);
        }
        u = new float[Math.toIntExact((long) a2 * pr.k() * cg)];
        v = new float[a2 * cg * BLOCK];
        mm = new float[a2 * kg * BLOCK];
        bias = new float[(int) pr.k()];
        d = new float[a2];
        z = new float[a2];
        y = new float[m * m];
    }

    /** Transformed weights {@code u[((g*alpha^2 + xi)*Kg + k)*Cg + c]} and the bias (null: zeros) from KCRS w. */
    void loadWeights(FloatBuffer w, FloatBuffer b) {
        ReferenceDirect.Source ws = ReferenceDirect.Source.of(w);
        double[] tmp = new double[a * 3];
        boolean flip = pr.mode() == Mode.CONVOLUTION;
        for (int k = 0; k < pr.k(); k++) {
            int g = k / kg, kk = k % kg;
            for (int c = 0; c < cg; c++) {
                long base = ((long) k * cg + c) * 9;
                for (int t = 0; t < 9; t++) f[t] = ws.get(base + (flip ? 8 - t : t));
                for (int i = 0; i < a; i++) {
                    for (int s = 0; s < 3; s++) {
                        tmp[i * 3 + s] = wino.g(i, 0) * f[s] + wino.g(i, 1) * f[3 + s] + wino.g(i, 2) * f[6 + s];
                    }
                }
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < a; j++) {
                        double s = tmp[i * 3] * wino.g(j, 0) + tmp[i * 3 + 1] * wino.g(j, 1) + tmp[i * 3 + 2] * wino.g(j, 2);
                        u[((g * a2 + i * a + j) * kg + kk) * cg + c] = (float) s;
                    }
                }
            }
        }
        for (int k = 0; k < pr.k(); k++) bias[k] = b == null ? 0f : b.get(k);
    }

    /** Runs the problem: reads x and (when the epilogue sums) y; writes every element of y. */
    void run(FloatBuffer x, FloatBuffer out) {
        ReferenceDirect.Source xs = ReferenceDirect.Source.of(x);
        long tilesW = wino.tilesW(pr), tiles = wino.tilesH(pr) * tilesW;
        for (long n = 0; n < pr.n(); n++) {
            for (int g = 0; g < pr.groups(); g++) {
                for (long t0 = 0; t0 < tiles; t0 += BLOCK) {
                    int count = (int) Math.min(BLOCK, tiles - t0);
                    for (int c = 0; c < cg; c++) {
                        for (int t = 0; t < count; t++) {
                            long tile = t0 + t;
                            Winograd.tileOf(pr, xs, n, (long) g * cg + c, tile / tilesW * m, tile % tilesW * m, d);
                            inputTransform(c, t);
                        }
                    }
                    multiply(g, count);
                    for (int kk = 0; kk < kg; kk++) {
                        for (int t = 0; t < count; t++) {
                            long tile = t0 + t;
                            outputTransform(kk, t);
                            store(out, n, (long) g * kg + kk, tile / tilesW * m, tile % tilesW * m);
                        }
                    }
                }
            }
        }
    }

    /** {@code V[xi][c][t] = (B^T d B)[xi]}, as two passes of float dot products over B^T's nonzeros. */
    private void inputTransform(int c, int t) {
        for (int i = 0; i < a; i++) {
            for (int col = 0; col < a; col++) {
                float s = 0;
                for (int r = 0; r < a; r++) {
                    if (bt[i * a + r] != 0) s += bt[i * a + r] * d[r * a + col];
                }
                z[i * a + col] = s;
            }
        }
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) {
                float s = 0;
                for (int col = 0; col < a; col++) {
                    if (bt[j * a + col] != 0) s += z[i * a + col] * bt[j * a + col];
                }
                v[((i * a + j) * cg + c) * BLOCK + t] = s;
            }
        }
    }

    /** {@code M[xi][k][t] = sum_c U[g][xi][k][c] * V[xi][c][t]} for the block's tiles. */
    private void multiply(int g, int count) {
        for (int xi = 0; xi < a2; xi++) {
            int uBase = (g * a2 + xi) * kg * cg, vBase = xi * cg * BLOCK;
            for (int k = 0; k < kg; k++) {
                int mBase = (xi * kg + k) * BLOCK;
                for (int t = 0; t < count; t++) mm[mBase + t] = 0;
                for (int c = 0; c < cg; c++) {
                    float uv = u[uBase + k * cg + c];
                    int vRow = vBase + c * BLOCK;
                    for (int t = 0; t < count; t++) mm[mBase + t] += uv * v[vRow + t];
                }
            }
        }
    }

    /** {@code y = A^T M A} of output channel kk (within the group) at block tile t, m x m. */
    private void outputTransform(int kk, int t) {
        for (int o = 0; o < m; o++) {
            for (int j = 0; j < a; j++) {
                float s = 0;
                for (int i = 0; i < a; i++) {
                    if (at[o * a + i] != 0) s += at[o * a + i] * mm[((i * a + j) * kg + kk) * BLOCK + t];
                }
                z[o * a + j] = s;
            }
        }
        for (int o1 = 0; o1 < m; o1++) {
            for (int o2 = 0; o2 < m; o2++) {
                float s = 0;
                for (int j = 0; j < a; j++) {
                    if (at[o2 * a + j] != 0) s += z[o1 * a + j] * at[o2 * a + j];
                }
                y[o1 * m + o2] = s;
            }
        }
    }

    /** The tile's outputs inside P x Q, with bias, residual and activation: {@code act(fl(fl(Y + b) + y_in))}. */
    private void store(FloatBuffer out, long n, long k, long p0, long q0) {
        Epilogue epi = pr.epilogue();
        long rows = Math.min(m, pr.p() - p0), cols = Math.min(m, pr.q() - q0);
        for (int o1 = 0; o1 < rows; o1++) {
            int at0 = (int) (((n * pr.k() + k) * pr.p() + p0 + o1) * pr.q() + q0);
            for (int o2 = 0; o2 < cols; o2++) {
                float val = y[o1 * m + o2];
                if (pr.hasBias()) val += bias[(int) k];
                if (epi.sum()) val += out.get(at0 + o2);
                out.put(at0 + o2, epi.activate(val));
            }
        }
    }
}
