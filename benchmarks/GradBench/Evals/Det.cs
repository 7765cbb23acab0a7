using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's det: the determinant of an ℓ×ℓ matrix (row-major) by expansion by minors. The reference recurses on
/// minors; the generator rejects recursion (DIFF017), so this is the expansion fully unfolded — the sum over all ℓ!
/// permutations σ of sign(σ)·Πᵢ A[i, σ(i)], the non-recursive form GradBench's det README suggests for tools that
/// cannot recurse. Permutation p is decoded in the factorial number system: its digit i picks the digit-th column
/// not yet taken by the rows above, and the digits add up to the number of inversions, whose parity is the sign.
/// Columns taken are kept as a sum of powers of two (the subset has no integer arrays nor bit operators).
/// </summary>
public static partial class Det
{
    [Differentiable(nameof(A))]
    public static double Objective(double[] A, int ell)
    {
        int count = 1;
        for (int i = 2; i <= ell; i++) count *= i;
        double det = 0;
        for (int p = 0; p < count; p++)
        {
            int rest = p;
            int radix = count / ell;
            int taken = 0;
            int inversions = 0;
            double product = 1;
            for (int i = 0; i < ell; i++)
            {
                int digit = rest / radix;
                rest -= digit * radix;
                if (i + 1 < ell) radix /= ell - 1 - i;
                inversions += digit;
                int column = 0;
                int bit = 1;
                int free = 0;
                for (int j = 0; j < ell; j++)
                {
                    if ((taken / bit) % 2 == 0)
                    {
                        if (free == digit)
                        {
                            column = j;
                            break;
                        }
                        free++;
                    }
                    bit *= 2;
                }
                taken += bit;
                product *= A[i * ell + column];
            }
            det += inversions % 2 == 0 ? product : -product;
        }
        return det;
    }
}

sealed class DetModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] a = Json.Doubles(Json.Field(input, "A"));
        int ell = Json.Int(input, "ell");
        if (ell < 1 || ell > 12 || a.Length != ell * ell) throw new ArgumentException("det needs 1 ≤ ell ≤ 12 and ell² entries");
        switch (function)
        {
            case "primal":
                double y = 0;
                return new Evaluation(() => y = Det.Objective(a, ell), () => y);
            case "gradient":
                var gradient = new double[a.Length];
                return new Evaluation(() => Det.ObjectiveGradient(a, ell, gradient), () => Json.Array(gradient));
            default:
                throw new ArgumentException($"det has no function '{function}'");
        }
    }
}
