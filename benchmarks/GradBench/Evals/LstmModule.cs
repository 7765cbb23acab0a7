using System;
using System.Text.Json.Nodes;
using Differentiator.Objectives;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's lstm on the generator tests' ADBench LSTM objective (<see cref="Lstm.Objective"/>, shared source):
/// l layers of b cells (main_params has 2l rows of 4b), c characters of b bits; the gradient is main_params' then
/// extra_params', each flattened row after row.
/// </summary>
sealed class LstmModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] main = Json.Rows(Json.Field(input, "main_params"), out int mainRows);
        double[] extra = Json.Rows(Json.Field(input, "extra_params"), out _);
        double[] state = Json.Rows(Json.Field(input, "state"), out _);
        double[] sequence = Json.Rows(Json.Field(input, "sequence"), out int c);
        int l = mainRows / 2;
        int b = l == 0 ? 0 : main.Length / mainRows / 4;
        if (l == 0 || main.Length != 8 * l * b || extra.Length != 3 * b || state.Length != 2 * l * b || sequence.Length != c * b)
            throw new ArgumentException("lstm's arrays do not have the shapes of l layers of b cells");
        switch (function)
        {
            case "objective":
                double y = 0;
                return new Evaluation(() => y = Lstm.Objective(l, c, b, main, extra, state, sequence), () => y);
            case "jacobian":
                var dMain = new double[main.Length];
                var dExtra = new double[extra.Length];
                return new Evaluation(
                    () => Lstm.ObjectiveGradient(l, c, b, main, extra, state, sequence, dMain, dExtra),
                    () =>
                    {
                        var gradient = new double[dMain.Length + dExtra.Length];
                        dMain.CopyTo(gradient, 0);
                        dExtra.CopyTo(gradient, dMain.Length);
                        return Json.Array(gradient);
                    });
            default:
                throw new ArgumentException($"lstm has no function '{function}'");
        }
    }
}
