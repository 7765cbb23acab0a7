using System;
using Differentiator;

var w = new[] { 0.5, -1.0 };
var dw = new double[2];
double loss = Model.Loss(w, 2.0, dw, out double dscale);
// ∂/∂w[j] = 2·scale·w[j]·scale … computed by hand: d(scale²·Σ w²)/dw = 2·scale²·w, d/dscale = 2·scale·Σ w²
bool ok = Math.Abs(dw[0] - 2 * 4 * 0.5) < 1e-12 && Math.Abs(dw[1] - 2 * 4 * -1.0) < 1e-12 && Math.Abs(dscale - 2 * 2 * 1.25) < 1e-12;
// The same loss in float: float in, float gradient out (every value here is exact in float).
var wf = new[] { 0.5f, -1f };
var dwf = new float[2];
float lossF = Model.LossSingleGradient(wf, 2f, dwf, out float dscaleF);
ok &= lossF == 5f && dwf[0] == 4f && dwf[1] == -8f && dscaleF == 5f;
ok &= Strict.Check();
Console.WriteLine(ok ? $"gradient ok: loss {loss}, dw = [{dw[0]}, {dw[1]}], dscale = {dscale}; float loss {lossF}" : "gradient WRONG");
return ok ? 0 : 1;

/// <summary>Losses the consumer test differentiates.</summary>
public static partial class Model
{
    /// <summary>Σ (scale·w[i])².</summary>
    /// <param name="w">The weights.</param>
    /// <param name="scale">A common factor.</param>
    [Differentiable]
    public static double Loss(double[] w, double scale)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += scale * w[i] * scale * w[i];
        return s;
    }

    /// <summary><see cref="Loss(double[], double)"/> in float.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="scale">A common factor.</param>
    [Differentiable]
    public static float LossSingle(float[] w, float scale)
    {
        float s = 0;
        for (int i = 0; i < w.Length; i++) s += scale * w[i] * scale * w[i];
        return s;
    }
}

// The public API name: Model.Loss's gradient is LossGradient.
public static partial class Model
{
    /// <summary>The gradient of <see cref="Loss(double[], double)"/> under a name of the user's choosing.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="scale">A common factor.</param>
    /// <param name="dw">Receives ∂Loss/∂w.</param>
    /// <param name="dscale">Receives ∂Loss/∂scale.</param>
    /// <returns>The loss.</returns>
    public static double Loss(double[] w, double scale, Span<double> dw, out double dscale) => LossGradient(w, scale, dw, out dscale);
}
