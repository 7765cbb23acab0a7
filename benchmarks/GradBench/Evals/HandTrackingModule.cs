using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's ht. An input with barycentric coordinates <c>us</c> is the complicated variant (<see
/// cref="HandTracking.Objective"/>), one without the simple one (<see cref="HandTracking.SimpleObjective"/>).
/// <c>jacobian</c> answers the 3·npts × (2 + 26) matrix GradBench's manual tool writes (its first two columns, in the
/// complicated variant only, ∂err/∂us compressed: row 3i + j depends on us[2i] and us[2i + 1] alone, so column 0 holds
/// ∂err[3i + j]/∂us[2i] and column 1 ∂err[3i + j]/∂us[2i + 1]), as rows.
/// </summary>
sealed class HandTrackingModule : IModule
{
    const int ThetaCount = 26;

    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] theta = Json.Doubles(Json.Field(input, "theta"));
        var data = Json.Field(input, "data");
        var model = Json.Field(data, "model");
        int[] parents = Ints(Json.Field(model, "parents"));
        int bones = parents.Length;
        double[,] baseRelatives = StackedMatrices(Json.Field(model, "base_relatives"));
        double[,] inverseBaseAbsolutes = StackedMatrices(Json.Field(model, "inverse_base_absolutes"));
        double[,] basePositions = Transposed(Json.Field(model, "base_positions"));   // 4 × V, homogeneous
        double[,] weights = Transposed(Json.Field(model, "weights"));                 // B × V
        int[,] triangles = IntRows(Json.Field(model, "triangles"));
        int mirrored = Json.Field(model, "is_mirrored").GetValue<bool>() ? 1 : 0;
        int[] correspondences = Ints(Json.Field(data, "correspondences"));
        double[,] points = Transposed(Json.Field(data, "points"));                    // 3 × npts
        double[] us = Json.Rows(input["us"] ?? new JsonArray(), out _);
        int count = correspondences.Length;
        bool complicated = us.Length != 0;
        if (theta.Length != ThetaCount || baseRelatives.GetLength(0) != 4 * bones || inverseBaseAbsolutes.GetLength(0) != 4 * bones
            || basePositions.GetLength(0) != 4 || weights.GetLength(0) != bones || weights.GetLength(1) != basePositions.GetLength(1)
            || points.GetLength(0) != 3 || points.GetLength(1) != count || (complicated && us.Length != 2 * count))
            throw new ArgumentException("ht's arrays do not have the sizes of 26 pose parameters, the model's bones and vertices and the correspondences");

        var err = new double[3 * count];
        switch (function)
        {
            case "objective":
                return new Evaluation(
                    complicated
                        ? () => HandTracking.Objective(theta, us, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, triangles, mirrored, correspondences, points, err)
                        : () => HandTracking.SimpleObjective(theta, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, mirrored, correspondences, points, err),
                    () => Json.Array(err));
            case "jacobian" when !complicated:
                var dtheta = new double[3 * count, ThetaCount];
                return new Evaluation(
                    () => HandTracking.SimpleObjectiveJacobian(theta, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, mirrored, correspondences, points, err, dtheta),
                    () => Rows(dtheta));
            case "jacobian":
                // One Jacobian-vector product per column: the 26 unit tangents of θ, then the two compressed us columns.
                var jacobian = new double[3 * count, 2 + ThetaCount];
                var thetaTangent = new double[ThetaCount];
                var usTangent = new double[us.Length];
                var column = new double[3 * count];
                return new Evaluation(
                    () =>
                    {
                        for (int c = 0; c < 2 + ThetaCount; c++)
                        {
                            if (c < 2)
                            {
                                for (int i = 0; i < count; i++) usTangent[2 * i + c] = 1;
                            }
                            else
                            {
                                thetaTangent[c - 2] = 1;
                            }
                            HandTracking.ObjectiveJvp(theta, us, parents, baseRelatives, inverseBaseAbsolutes, basePositions, weights, triangles, mirrored, correspondences, points, err, thetaTangent, usTangent, column);
                            Array.Clear(usTangent);
                            if (c >= 2) thetaTangent[c - 2] = 0;
                            for (int row = 0; row < column.Length; row++) jacobian[row, c] = column[row];
                        }
                    },
                    () => Rows(jacobian));
            default:
                throw new ArgumentException($"ht has no function '{function}'");
        }
    }

    static int[] Ints(JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>()).ToArray();

    static int[,] IntRows(JsonNode node)
    {
        var rows = node.AsArray();
        var result = new int[rows.Count, 3];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i]!.AsArray();
            if (row.Count != 3) throw new ArgumentException("a triangle has three vertices");
            for (int j = 0; j < 3; j++) result[i, j] = row[j]!.GetValue<int>();
        }
        return result;
    }

    /// <summary>A list of 4 × 4 matrices (each a list of rows) stacked: matrix b is rows 4b … 4b + 3.</summary>
    static double[,] StackedMatrices(JsonNode node)
    {
        var matrices = node.AsArray();
        var result = new double[4 * matrices.Count, 4];
        for (int b = 0; b < matrices.Count; b++)
        {
            double[] matrix = Json.Rows(matrices[b]!, out int rows);
            if (rows != 4 || matrix.Length != 16) throw new ArgumentException("a bone's transform is 4 × 4");
            for (int r = 0; r < 4; r++)
            {
                for (int c = 0; c < 4; c++) result[4 * b + r, c] = matrix[4 * r + c];
            }
        }
        return result;
    }

    /// <summary>A list of rows, transposed: GradBench sends one row per vertex, bone weight list or point.</summary>
    static double[,] Transposed(JsonNode node)
    {
        double[] values = Json.Rows(node, out int rows);
        int columns = rows == 0 ? 0 : values.Length / rows;
        var result = new double[columns, rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) result[c, r] = values[r * columns + c];
        }
        return result;
    }

    static JsonArray Rows(double[,] matrix)
    {
        var rows = new JsonArray();
        var row = new double[matrix.GetLength(1)];
        for (int r = 0; r < matrix.GetLength(0); r++)
        {
            for (int c = 0; c < row.Length; c++) row[c] = matrix[r, c];
            rows.Add(Json.Array(row));
        }
        return rows;
    }
}
