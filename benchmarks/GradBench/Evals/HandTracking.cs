using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's ht (ADBench's hand tracking), written from its C++ reference (cpp/gradbench/evals/ht.hpp) with its
/// helpers: 26 pose parameters θ pose a skinned hand model of B bones (4 × 4 transforms stacked in B·4 rows: bone b's
/// matrix is rows 4b … 4b + 3) and V vertices; each correspondence's residual is its measured point minus a model
/// vertex (simple) or minus a point of a model triangle given by barycentric coordinates us (complicated).
/// </summary>
public static partial class HandTracking
{
    /// <summary>result[resultRow + r, c] = Σₖ a[aRow + r, k]·b[bRow + k, c] for 4 × 4 blocks of stacked matrices.</summary>
    static void Multiply4(double[,] a, int aRow, double[,] b, int bRow, double[,] result, int resultRow)
    {
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += a[aRow + r, k] * b[bRow + k, c];
                result[resultRow + r, c] = sum;
            }
        }
    }

    /// <summary>The pose matrix (3 × (B + 3)): column 0 the global rotation, 1 the scale (1), 2 the translation, then
    /// per finger three bones with one angle each, the first with a second; the wrist and forearm columns stay 0.</summary>
    static void ToPoseParams(ReadOnlySpan<double> theta, double[,] poseParams)
    {
        for (int i = 0; i < 3; i++)
        {
            poseParams[i, 0] = theta[i];
            poseParams[i, 1] = 1;
            poseParams[i, 2] = theta[3 + i];
        }
        int iTheta = 6;
        int iPoseParams = 5;
        for (int finger = 0; finger < 5; finger++)
        {
            for (int i = 2; i <= 4; i++)
            {
                poseParams[0, iPoseParams] = theta[iTheta];
                iTheta++;
                if (i == 2)
                {
                    poseParams[1, iPoseParams] = theta[iTheta];
                    iTheta++;
                }
                iPoseParams++;
            }
            iPoseParams++;
        }
    }

    /// <summary>R = Rz·Ry·Rx for the angles (x, z, y) of column <paramref name="column"/> of the pose, into the top-left
    /// 3 × 3 of the 4 × 4 <paramref name="tr"/> (whose last row and column stay the identity's).</summary>
    static void EulerAnglesToRotationMatrix(double[,] poseParams, int column, double[,] rx, double[,] ry, double[,] rz, double[,] rzy, double[,] tr)
    {
        double tx = poseParams[0, column], ty = poseParams[2, column], tz = poseParams[1, column];
        rx[0, 0] = 1;
        rx[1, 1] = Math.Cos(tx);
        rx[2, 1] = Math.Sin(tx);
        rx[1, 2] = -rx[2, 1];
        rx[2, 2] = rx[1, 1];
        ry[1, 1] = 1;
        ry[0, 0] = Math.Cos(ty);
        ry[0, 2] = Math.Sin(ty);
        ry[2, 0] = -ry[0, 2];
        ry[2, 2] = ry[0, 0];
        rz[2, 2] = 1;
        rz[0, 0] = Math.Cos(tz);
        rz[1, 0] = Math.Sin(tz);
        rz[0, 1] = -rz[1, 0];
        rz[1, 1] = rz[0, 0];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++) sum += rz[r, k] * ry[k, c];
                rzy[r, c] = sum;
            }
        }
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++) sum += rzy[r, k] * rx[k, c];
                tr[r, c] = sum;
            }
        }
        tr[3, 3] = 1;
    }

    /// <summary>The rotation of the angle-axis vector in column 0 of the pose (the identity below a norm of 10⁻⁴).</summary>
    static void AngleAxisToRotationMatrix(double[,] poseParams, double[,] r)
    {
        double norm = Math.Sqrt(poseParams[0, 0] * poseParams[0, 0] + poseParams[1, 0] * poseParams[1, 0] + poseParams[2, 0] * poseParams[2, 0]);
        if (norm < .0001)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++) r[i, j] = i == j ? 1 : 0;
            }
        }
        else
        {
            double x = poseParams[0, 0] / norm;
            double y = poseParams[1, 0] / norm;
            double z = poseParams[2, 0] / norm;
            double s = Math.Sin(norm);
            double c = Math.Cos(norm);
            r[0, 0] = x * x + (1 - x * x) * c;
            r[0, 1] = x * y * (1 - c) - z * s;
            r[0, 2] = x * z * (1 - c) + y * s;
            r[1, 0] = x * y * (1 - c) + z * s;
            r[1, 1] = y * y + (1 - y * y) * c;
            r[1, 2] = y * z * (1 - c) - x * s;
            r[2, 0] = x * z * (1 - c) - y * s;
            r[2, 1] = z * y * (1 - c) + x * s;
            r[2, 2] = z * z + (1 - z * z) * c;
        }
    }

    /// <summary>
    /// The posed and skinned model's vertices (3 × V) after the global transform: each bone's relative transform is
    /// its base relative times its pose rotation; absolutes chain them down the parents (a parent comes before its
    /// children); each vertex is the weighted sum over bones of absolute · inverse base absolute · base position.
    /// </summary>
    static void SkinnedVertexPositions(ReadOnlySpan<double> theta, int[] parents, double[,] baseRelatives, double[,] inverseBaseAbsolutes, double[,] basePositions, double[,] weights, int mirrored, double[,] posed)
    {
        int bones = parents.Length;
        int vertices = basePositions.GetLength(1);
        double[,] poseParams = new double[3, bones + 3];
        double[,] rx = new double[3, 3];
        double[,] ry = new double[3, 3];
        double[,] rz = new double[3, 3];
        double[,] rzy = new double[3, 3];
        double[,] tr = new double[4, 4];
        double[,] relatives = new double[4 * bones, 4];
        double[,] absolutes = new double[4 * bones, 4];
        double[,] transforms = new double[4 * bones, 4];
        double[,] positions = new double[3, vertices];
        double[,] r = new double[3, 3];

        ToPoseParams(theta, poseParams);
        for (int i = 0; i < bones; i++)
        {
            EulerAnglesToRotationMatrix(poseParams, i + 3, rx, ry, rz, rzy, tr);
            Multiply4(baseRelatives, 4 * i, tr, 0, relatives, 4 * i);
        }
        for (int i = 0; i < bones; i++)
        {
            if (parents[i] == -1)
            {
                for (int row = 0; row < 4; row++)
                {
                    for (int c = 0; c < 4; c++) absolutes[4 * i + row, c] = relatives[4 * i + row, c];
                }
            }
            else
            {
                Multiply4(absolutes, 4 * parents[i], relatives, 4 * i, absolutes, 4 * i);
            }
        }
        for (int i = 0; i < bones; i++) Multiply4(absolutes, 4 * i, inverseBaseAbsolutes, 4 * i, transforms, 4 * i);

        for (int bone = 0; bone < bones; bone++)
        {
            for (int vertex = 0; vertex < vertices; vertex++)
            {
                for (int i = 0; i < 3; i++)
                {
                    double current = 0;
                    for (int k = 0; k < 4; k++) current += transforms[4 * bone + i, k] * basePositions[k, vertex];
                    positions[i, vertex] += current * weights[bone, vertex];
                }
            }
        }
        if (mirrored != 0)
        {
            for (int vertex = 0; vertex < vertices; vertex++) positions[0, vertex] = -positions[0, vertex];
        }

        // The global transform: rotation with its columns scaled by pose column 1, then the translation of column 2.
        AngleAxisToRotationMatrix(poseParams, r);
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 3; i++) r[i, j] = r[i, j] * poseParams[j, 1];
        }
        for (int vertex = 0; vertex < vertices; vertex++)
        {
            for (int i = 0; i < 3; i++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++) sum += r[i, k] * positions[k, vertex];
                posed[i, vertex] = sum + poseParams[i, 2];
            }
        }
    }

    /// <summary>The simple variant: err[3i + j] = points[j, i] − vertex j of correspondence i.</summary>
    [Differentiable(nameof(theta))]
    public static void SimpleObjective(double[] theta, int[] parents, double[,] baseRelatives, double[,] inverseBaseAbsolutes, double[,] basePositions, double[,] weights, int mirrored, int[] correspondences, double[,] points, Span<double> err)
    {
        double[,] posed = new double[3, basePositions.GetLength(1)];
        SkinnedVertexPositions(theta, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, mirrored, posed);
        for (int i = 0; i < correspondences.Length; i++)
        {
            for (int j = 0; j < 3; j++) err[i * 3 + j] = points[j, i] - posed[j, correspondences[i]];
        }
    }

    /// <summary>The complicated variant: the model point is u₀·v₀ + u₁·v₁ + (1 − u₀ − u₁)·v₂ on the triangle of
    /// correspondence i, with its barycentric coordinates us[2i], us[2i + 1].</summary>
    [Differentiable(nameof(theta), nameof(us))]
    public static void Objective(double[] theta, double[] us, int[] parents, double[,] baseRelatives, double[,] inverseBaseAbsolutes, double[,] basePositions, double[,] weights, int[,] triangles, int mirrored, int[] correspondences, double[,] points, Span<double> err)
    {
        double[,] posed = new double[3, basePositions.GetLength(1)];
        SkinnedVertexPositions(theta, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, mirrored, posed);
        for (int i = 0; i < correspondences.Length; i++)
        {
            int triangle = correspondences[i];
            for (int j = 0; j < 3; j++)
            {
                double handPoint = us[2 * i] * posed[j, triangles[triangle, 0]]
                    + us[2 * i + 1] * posed[j, triangles[triangle, 1]]
                    + (1.0 - us[2 * i] - us[2 * i + 1]) * posed[j, triangles[triangle, 2]];
                err[i * 3 + j] = points[j, i] - handPoint;
            }
        }
    }
}
