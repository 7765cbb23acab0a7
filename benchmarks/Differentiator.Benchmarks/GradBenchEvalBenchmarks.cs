using System;
using BenchmarkDotNet.Attributes;
using Differentiator.GradBench.Evals;

namespace Differentiator.Benchmarks;

/// <summary>
/// The derivatives GradBench's kmeans, ba and ht ask for, as the GradBench tool computes them, each beside its
/// function for scale and (kmeans) a hand-written closed form in C#: a same-runtime yardstick to go with the
/// manual-C++ ratios of <c>benchmarks/gradbench/run.sh</c>. Inputs are generated here the way GradBench's evals do
/// (random points with the last k as centroids; one camera, point and feature replicated), ht on a made-up hand of
/// the real one's size (22 bones, 544 vertices) with random weights.
/// </summary>
[MemoryDiagnoser]
public class GradBenchEvalBenchmarks
{
    const int KmK = 100, KmN = 1000, KmD = 8;
    double[] _points = null!, _centroids = null!, _gradient = null!, _ones = null!, _diagonal = null!, _dir = null!;
    double[] _sums = null!;
    int[] _sizes = null!;

    const int BaObservations = 10000;
    double[] _cam = null!, _x = null!, _feat = null!, _err = null!;
    double[,] _dcam = null!, _dx = null!;
    double[] _dw = null!;

    const int HtBones = 22, HtVertices = 544, HtCorrespondences = 100;
    double[] _theta = null!, _us = null!, _htErr = null!, _thetaTangent = null!, _usTangent = null!, _column = null!;
    int[] _parents = null!, _correspondences = null!;
    double[,] _baseRelatives = null!, _inverseBaseAbsolutes = null!, _basePositions = null!, _weights = null!, _htPoints = null!;
    int[,] _triangles = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(31337);
        _points = new double[KmN * KmD];
        for (int i = 0; i < _points.Length; i++) _points[i] = random.NextDouble();
        _centroids = _points.AsSpan((KmN - KmK) * KmD).ToArray();
        _gradient = new double[_centroids.Length];
        _ones = new double[_centroids.Length];
        Array.Fill(_ones, 1.0);
        _diagonal = new double[_centroids.Length];
        _dir = new double[_centroids.Length];
        _sums = new double[_centroids.Length];
        _sizes = new int[KmK];

        _cam = [-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.518870, 0.087812, 0.002739];
        _x = [7.203245, 0.001144, 3.023326];
        _feat = [271.760969, 834.209256];
        _err = new double[2];
        _dcam = new double[2, 11];
        _dx = new double[2, 3];
        _dw = new double[2];

        _theta = new double[26];
        for (int i = 0; i < 26; i++) _theta[i] = 0.3 * (random.NextDouble() - 0.5);
        _parents = new int[HtBones];
        _baseRelatives = new double[4 * HtBones, 4];
        _inverseBaseAbsolutes = new double[4 * HtBones, 4];
        for (int b = 0; b < HtBones; b++)
        {
            _parents[b] = b == 0 ? -1 : b < 6 ? 0 : b - 1;
            double a = 0.1 * b, c = Math.Cos(a), s = Math.Sin(a);
            double[,] relative = { { c, -s, 0, 0.1 }, { s, c, 0, 0 }, { 0, 0, 1, 1 }, { 0, 0, 0, 1 } };
            for (int r = 0; r < 4; r++)
            {
                for (int k = 0; k < 4; k++)
                {
                    _baseRelatives[4 * b + r, k] = relative[r, k];
                    _inverseBaseAbsolutes[4 * b + r, k] = r == k ? 1 : k == 3 && r == 2 ? -0.5 * b : 0;
                }
            }
        }
        _basePositions = new double[4, HtVertices];
        _weights = new double[HtBones, HtVertices];
        for (int v = 0; v < HtVertices; v++)
        {
            for (int r = 0; r < 3; r++) _basePositions[r, v] = random.NextDouble();
            _basePositions[3, v] = 1;
            int bone = random.Next(HtBones);
            _weights[bone, v] = 0.7;
            _weights[(bone + 1) % HtBones, v] = 0.3;
        }
        _triangles = new int[2 * HtVertices, 3];
        for (int t = 0; t < _triangles.GetLength(0); t++)
        {
            for (int j = 0; j < 3; j++) _triangles[t, j] = random.Next(HtVertices);
        }
        _correspondences = new int[HtCorrespondences];
        _htPoints = new double[3, HtCorrespondences];
        _us = new double[2 * HtCorrespondences];
        for (int i = 0; i < HtCorrespondences; i++)
        {
            _correspondences[i] = random.Next(_triangles.GetLength(0));
            for (int j = 0; j < 3; j++) _htPoints[j, i] = random.NextDouble();
            _us[2 * i] = 0.5 * random.NextDouble();
            _us[2 * i + 1] = 0.5 * random.NextDouble();
        }
        _htErr = new double[3 * HtCorrespondences];
        _thetaTangent = new double[26];
        _usTangent = new double[_us.Length];
        _column = new double[_htErr.Length];
    }

    [Benchmark]
    public double KMeansCost() => KMeans.Cost(KmN, KmK, KmD, _points, _centroids);

    /// <summary>The tool's <c>dir</c>: J by the gradient, H's diagonal as H·1, then J / diag H.</summary>
    [Benchmark]
    public double KMeansDir()
    {
        KMeans.CostGradient(KmN, KmK, KmD, _points, _centroids, _gradient);
        KMeans.CostHessianVectorProduct(KmN, KmK, KmD, _points, _centroids, _ones, _diagonal);
        for (int i = 0; i < _dir.Length; i++) _dir[i] = _gradient[i] / _diagonal[i];
        return _dir[0];
    }

    /// <summary>GradBench's manual <c>dir</c> in C#: each centroid minus its cluster's mean (not derived: the closed form).</summary>
    [Benchmark]
    public double KMeansDirClosedForm()
    {
        Array.Clear(_sums);
        Array.Clear(_sizes);
        for (int i = 0; i < KmN; i++)
        {
            double closest = double.PositiveInfinity;
            int closestJ = -1;
            for (int j = 0; j < KmK; j++)
            {
                double distance = 0;
                for (int l = 0; l < KmD; l++)
                {
                    double t = _points[i * KmD + l] - _centroids[j * KmD + l];
                    distance += t * t;
                }
                if (distance < closest)
                {
                    closest = distance;
                    closestJ = j;
                }
            }
            _sizes[closestJ]++;
            for (int l = 0; l < KmD; l++) _sums[closestJ * KmD + l] += _points[i * KmD + l];
        }
        for (int j = 0; j < KmK; j++)
        {
            for (int l = 0; l < KmD; l++) _dir[j * KmD + l] = _centroids[j * KmD + l] - _sums[j * KmD + l] / _sizes[j];
        }
        return _dir[0];
    }

    [Benchmark]
    public double BaReprojectionErrors()
    {
        double sum = 0;
        for (int i = 0; i < BaObservations; i++)
        {
            BundleAdjustment.ReprojectionError(_cam, _x, 0.417022, _feat, _err);
            sum += _err[0];
        }
        return sum;
    }

    /// <summary>One 2 × 15 block per observation (the sparse matrix's assembly left out).</summary>
    [Benchmark]
    public double BaJacobianBlocks()
    {
        double sum = 0;
        for (int i = 0; i < BaObservations; i++)
        {
            BundleAdjustment.ReprojectionErrorJacobian(_cam, _x, 0.417022, _feat, _err, _dcam, _dx, _dw);
            sum += _dcam[0, 0];
        }
        return sum;
    }

    [Benchmark]
    public double HtObjective()
    {
        HandTracking.Objective(_theta, _us, _parents, _baseRelatives, _inverseBaseAbsolutes, _basePositions, _weights, _triangles, 0, _correspondences, _htPoints, _htErr);
        return _htErr[0];
    }

    /// <summary>The tool's complicated-variant Jacobian: 26 θ tangents, then the two compressed us tangents.</summary>
    [Benchmark]
    public double HtJacobianColumns()
    {
        double sum = 0;
        for (int c = 0; c < 28; c++)
        {
            if (c < 2)
            {
                for (int i = 0; i < HtCorrespondences; i++) _usTangent[2 * i + c] = 1;
            }
            else
            {
                _thetaTangent[c - 2] = 1;
            }
            HandTracking.ObjectiveJvp(_theta, _us, _parents, _baseRelatives, _inverseBaseAbsolutes, _basePositions, _weights, _triangles, 0, _correspondences, _htPoints, _htErr, _thetaTangent, _usTangent, _column);
            Array.Clear(_usTangent);
            if (c >= 2) _thetaTangent[c - 2] = 0;
            sum += _column[0];
        }
        return sum;
    }
}
