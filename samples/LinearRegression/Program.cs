using System;
using System.Globalization;
using Differentiator;
using LinearRegression;

// Fits y = X·w + b by plain gradient descent, with the gradient MseGradient that the Differentiator generator
// derived from Losses.Mse at compile time (see obj/generated/ for the code it wrote).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

double[] hours = { 2, 4, 6, 8, 10 };
double[] scores = { 75, 80, 90, 94, 98 };
double[] slept = { 6, 7, 8, 7.5, 8 };

Console.WriteLine("Differentiator — linear regression by gradient descent");
Console.WriteLine();
CheckGradients();

Console.WriteLine("(a) Test score from hours studied: learning rate 0.01, 2000 epochs");
var oneFeature = Columns(hours);
var (w1, b1) = Fit(oneFeature, scores, initialWeight: 0, initialBias: 0, learningRate: 0.01, epochs: 2000);
Console.WriteLine($"    score ≈ {w1[0]:F4}·hours + {b1:F4}");
foreach (double h in new[] { 5.0, 7.0, 9.0 })
    Console.WriteLine($"    predicted score for {h} hours: {w1[0] * h + b1:F2}");
Console.WriteLine();

Console.WriteLine("(b) Test score from hours studied and hours slept: learning rate 0.01, 2000 epochs");
var twoFeatures = Columns(hours, slept);
var (w2, b2) = Fit(twoFeatures, scores, initialWeight: 0, initialBias: 0, learningRate: 0.01, epochs: 2000);
Console.WriteLine($"    score ≈ {w2[0]:F4}·hours + {w2[1]:F4}·sleep + {b2:F4}");
Console.WriteLine();

Console.WriteLine("(c) 5000 samples, 5 integer features in [10, 100), true w = (2, 8, 1, 3, 6), b = 4: learning rate 1e-5, 500 epochs");
var (X, y) = Synthetic(5000, new[] { 2.0, 8, 1, 3, 6 }, 4, seed: 42);
var (w3, b3) = Fit(X, y, initialWeight: 1, initialBias: 1, learningRate: 1e-5, epochs: 500);
Console.WriteLine($"    w = ({string.Join(", ", Array.ConvertAll(w3, v => v.ToString("F4")))}), b = {b3:F4}");
Console.WriteLine("    (b moves slowly at this learning rate: the features are large, the bias column is 1)");

static (double[] W, double B) Fit(double[,] X, double[] y, double initialWeight, double initialBias, double learningRate, int epochs)
{
    var w = new double[X.GetLength(1)];
    Array.Fill(w, initialWeight);
    double b = initialBias;
    var dw = new double[w.Length];
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
        if (epoch == 1 || epoch % 100 == 0)
            Console.WriteLine($"    epoch {epoch,5}: loss {loss,14:F6}");
        for (int j = 0; j < w.Length; j++) w[j] -= learningRate * dw[j];
        b -= learningRate * db;
    }
    return (w, b);
}

static void CheckGradients()
{
    Console.WriteLine("Three-way gradient check of Mse on random data (generated vs tape vs central differences):");
    var (X, y) = Synthetic(20, new[] { 0.5, -1.5, 2.0 }, 0.25, seed: 7);
    var random = new Random(3);
    var w = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
    double b = random.NextDouble();
    var dw = new double[3];
    var dwTape = new double[3];
    var dwNumerical = new double[3];
    Losses.MseGradient(X, y, w, b, dw, out double db);
    Losses.MseTapeGradient(X, y, w, b, dwTape, out double dbTape);
    Losses.MseNumericalGradient(X, y, w, b, dwNumerical, out double dbNumerical);
    var check = GradientCheck.CompareThreeWays(
        new Gradient { { "w", dw }, { "b", db } },
        new Gradient { { "w", dwTape }, { "b", dbTape } },
        new Gradient { { "w", dwNumerical }, { "b", dbNumerical } });
    Console.WriteLine(check);
    Console.WriteLine();
}

static double[,] Columns(params double[][] columns)
{
    var X = new double[columns[0].Length, columns.Length];
    for (int i = 0; i < X.GetLength(0); i++)
        for (int j = 0; j < columns.Length; j++) X[i, j] = columns[j][i];
    return X;
}

static (double[,] X, double[] y) Synthetic(int n, double[] w, double b, int seed)
{
    var random = new Random(seed);
    var X = new double[n, w.Length];
    var y = new double[n];
    for (int i = 0; i < n; i++)
    {
        y[i] = b;
        for (int j = 0; j < w.Length; j++)
        {
            X[i, j] = random.Next(10, 100);
            y[i] += w[j] * X[i, j];
        }
    }
    return (X, y);
}
