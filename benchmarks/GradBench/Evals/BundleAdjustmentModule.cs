using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's ba. The input is one camera, one point, one weight and one feature, to be replicated n, m, p and p
/// times (observation i sees camera i mod n and point i mod m); the tool must do all p observations' work, not
/// exploit the replication. <c>objective</c> writes the 2p reprojection errors and p weight errors; <c>jacobian</c>
/// builds the whole sparse Jacobian in GradBench's compressed-row form (per observation two rows of 15 entries — the
/// 11 camera, 3 point and 1 weight columns — from <see cref="BundleAdjustment.ReprojectionErrorJacobian"/>, then one
/// row per weight error from <see cref="BundleAdjustment.WeightErrorGradient"/>). Both answer as the eval's format
/// asks: the first observation's errors with the repeat count, and the Jacobian's first 30 entries and its last.
/// </summary>
sealed class BundleAdjustmentModule : IModule
{
    const int CameraParameters = 11;
    const int BlockColumns = CameraParameters + 3 + 1;

    public Evaluation Prepare(string function, JsonNode input)
    {
        int n = Json.Int(input, "n"), m = Json.Int(input, "m"), p = Json.Int(input, "p");
        double[] cam = Json.Doubles(Json.Field(input, "cam"));
        double[] x = Json.Doubles(Json.Field(input, "x"));
        double w = Json.Double(input, "w");
        double[] feat = Json.Doubles(Json.Field(input, "feat"));
        if (n < 1 || m < 1 || p < 1 || cam.Length != CameraParameters || x.Length != 3 || feat.Length != 2)
            throw new ArgumentException("ba needs n, m, p ≥ 1, an 11-entry camera, a 3-entry point and a 2-entry feature");

        // The replicated problem, as GradBench's reader builds it.
        var cams = new double[CameraParameters * n];
        for (int i = 0; i < n; i++) cam.CopyTo(cams, i * CameraParameters);
        var points = new double[3 * m];
        for (int i = 0; i < m; i++) x.CopyTo(points, i * 3);
        var weights = new double[p];
        Array.Fill(weights, w);
        var feats = new double[2 * p];
        for (int i = 0; i < p; i++) feat.CopyTo(feats, i * 2);
        var observations = new int[2 * p];
        for (int i = 0; i < p; i++)
        {
            observations[2 * i] = i % n;
            observations[2 * i + 1] = i % m;
        }

        var reprojectionErrors = new double[2 * p];
        var weightErrors = new double[p];
        switch (function)
        {
            case "objective":
                return new Evaluation(
                    () =>
                    {
                        for (int i = 0; i < p; i++)
                            BundleAdjustment.ReprojectionError(
                                cams.AsSpan(observations[2 * i] * CameraParameters, CameraParameters),
                                points.AsSpan(observations[2 * i + 1] * 3, 3), weights[i], feats.AsSpan(2 * i, 2),
                                reprojectionErrors.AsSpan(2 * i, 2));
                        for (int i = 0; i < p; i++) weightErrors[i] = BundleAdjustment.WeightError(weights[i]);
                    },
                    () => new JsonObject
                    {
                        ["reproj_error"] = new JsonObject
                        {
                            ["elements"] = Json.Array(reprojectionErrors.AsSpan(0, 2)),
                            ["repeated"] = p,
                        },
                        ["w_err"] = new JsonObject { ["element"] = weightErrors[0], ["repeated"] = p },
                    });
            case "jacobian":
                var jacobian = new SparseJacobian(n, m, p);
                var dcam = new double[2, CameraParameters];
                var dx = new double[2, 3];
                var dw = new double[2];
                return new Evaluation(
                    () =>
                    {
                        jacobian.Clear();
                        for (int i = 0; i < p; i++)
                        {
                            int camera = observations[2 * i], point = observations[2 * i + 1];
                            BundleAdjustment.ReprojectionErrorJacobian(
                                cams.AsSpan(camera * CameraParameters, CameraParameters), points.AsSpan(point * 3, 3),
                                weights[i], feats.AsSpan(2 * i, 2), reprojectionErrors.AsSpan(2 * i, 2), dcam, dx, dw);
                            jacobian.AddReprojectionBlock(i, camera, point, dcam, dx, dw);
                        }
                        for (int i = 0; i < p; i++)
                        {
                            weightErrors[i] = BundleAdjustment.WeightErrorGradient(weights[i], out double dWeight);
                            jacobian.AddWeightRow(i, dWeight);
                        }
                    },
                    jacobian.Excerpt);
            default:
                throw new ArgumentException($"ba has no function '{function}'");
        }
    }

    /// <summary>
    /// The Jacobian in compressed-row form, filled in GradBench's order: the 2p reprojection rows (camera columns, then
    /// point columns, then the observation's weight column), then the p weight rows.
    /// </summary>
    sealed class SparseJacobian(int n, int m, int p)
    {
        readonly int[] rows = new int[3 * p + 1];
        readonly int[] columns = new int[2 * BlockColumns * p + p];
        readonly double[] values = new double[2 * BlockColumns * p + p];
        int rowCount, entryCount;

        public void Clear() => rowCount = entryCount = 0;

        void Add(int column, double value)
        {
            columns[entryCount] = column;
            values[entryCount++] = value;
        }

        public void AddReprojectionBlock(int observation, int camera, int point, double[,] dcam, double[,] dx, double[] dw)
        {
            for (int row = 0; row < 2; row++)
            {
                rows[++rowCount] = entryCount + BlockColumns;
                for (int j = 0; j < CameraParameters; j++) Add(CameraParameters * camera + j, dcam[row, j]);
                for (int j = 0; j < 3; j++) Add(CameraParameters * n + 3 * point + j, dx[row, j]);
                Add(CameraParameters * n + 3 * m + observation, dw[row]);
            }
        }

        public void AddWeightRow(int observation, double dWeight)
        {
            rows[++rowCount] = entryCount + 1;
            Add(CameraParameters * n + 3 * m + observation, dWeight);
        }

        /// <summary>GradBench's excerpt: the first 2·15 entries of each list (fewer when there are not so many: the
        /// row list of p &lt; 10 observations is shorter) and the last.</summary>
        public JsonNode Excerpt()
        {
            const int shown = 2 * BlockColumns;
            var excerptRows = new JsonArray();
            var excerptColumns = new JsonArray();
            var excerptValues = new JsonArray();
            for (int i = 0; i < Math.Min(shown, rowCount); i++) excerptRows.Add(rows[i]);
            for (int i = 0; i < Math.Min(shown, entryCount - 1); i++)
            {
                excerptColumns.Add(columns[i]);
                excerptValues.Add(values[i]);
            }
            excerptRows.Add(rows[rowCount]);
            excerptColumns.Add(columns[entryCount - 1]);
            excerptValues.Add(values[entryCount - 1]);
            return new JsonObject { ["rows"] = excerptRows, ["cols"] = excerptColumns, ["vals"] = excerptValues };
        }
    }
}
