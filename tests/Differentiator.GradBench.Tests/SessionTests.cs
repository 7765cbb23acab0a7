using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Tests;

/// <summary>
/// The GradBench tool driven with hand-written protocol messages, its answers checked against values computed another
/// way (closed forms written here, not the generator's). GradBench's own evals validate it fully in run.sh.
/// </summary>
public class SessionTests
{
    static JsonObject[] Converse(params string[] messages)
    {
        var output = new StringWriter();
        new Session(new StringReader(string.Join("\n", messages) + "\n"), output).Run();
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
    }

    static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void Llsq_gradient_matches_the_closed_form_and_reports_one_timing_per_run()
    {
        double[] x = [0.3, -1.2, 0.7, 2.5];
        int n = 9;
        string input = $"\"x\": [{string.Join(",", x)}], \"n\": {n}";
        var responses = Converse(
            """{"id": 0, "kind": "start", "eval": "llsq"}""",
            """{"id": 1, "kind": "define", "module": "llsq"}""",
            """{"id": 2, "kind": "evaluate", "module": "llsq", "function": "gradient", "input": {""" + input + """, "min_runs": 4, "min_seconds": 0}}""",
            """{"id": 3, "kind": "evaluate", "module": "llsq", "function": "primal", "input": {""" + input + """, "min_runs": 1, "min_seconds": 0}}""",
            """{"id": 4, "kind": "analysis", "of": 2, "valid": true}""");

        Assert.Equal([0, 1, 2, 3, 4], responses.Select(r => r["id"]!.GetValue<int>()));
        Assert.True(responses[1]["success"]!.GetValue<bool>());
        // y = ½ Σᵢ rᵢ², rᵢ = sign(tᵢ) − Σⱼ xⱼ tᵢʲ, so ∂y/∂xⱼ = −Σᵢ rᵢ tᵢʲ.
        var expected = new double[x.Length];
        double value = 0;
        for (int i = 0; i < n; i++)
        {
            double t = -1 + 2.0 * i / (n - 1);
            double r = Math.Sign(t) - x.Select((xj, j) => xj * Math.Pow(t, j)).Sum();
            value += r * r / 2;
            for (int j = 0; j < x.Length; j++) expected[j] -= r * Math.Pow(t, j);
        }
        Assert.True(responses[2]["success"]!.GetValue<bool>());
        var gradient = Doubles(responses[2]["output"]);
        Assert.Equal(x.Length, gradient.Length);
        for (int j = 0; j < x.Length; j++) Assert.Equal(expected[j], gradient[j], 1e-10);
        var timings = responses[2]["timings"]!.AsArray();
        Assert.Equal(4, timings.Count);
        Assert.All(timings, t => Assert.Equal("evaluate", (string?)t!["name"]));
        Assert.Equal(value, responses[3]["output"]!.GetValue<double>(), 1e-10);
        Assert.Single(responses[4]);
    }

    [Fact]
    public void Det_gradient_is_the_cofactor_matrix()
    {
        var responses = Converse(
            """{"id": 0, "kind": "evaluate", "module": "det", "function": "primal", "input": {"A": [2, -1, 0, 3, 1, 4, -2, 5, 1], "ell": 3, "min_runs": 1, "min_seconds": 0}}""",
            """{"id": 1, "kind": "evaluate", "module": "det", "function": "gradient", "input": {"A": [2, -1, 0, 3, 1, 4, -2, 5, 1], "ell": 3, "min_runs": 1, "min_seconds": 0}}""");
        // det = 2(1 − 20) + 1(3 + 8) + 0 = −27; ∂det/∂Aᵢⱼ is the cofactor Cᵢⱼ.
        Assert.Equal(-27, responses[0]["output"]!.GetValue<double>(), 1e-12);
        Assert.Equal([-19, -11, 17, 1, 2, -8, -4, -8, 5], Doubles(responses[1]["output"]));
    }

    [Fact]
    public void Modules_it_does_not_implement_are_declined_with_a_reason()
    {
        var responses = Converse(
            """{"id": 1, "kind": "define", "module": "no-such-eval"}""",
            """{"id": 2, "kind": "evaluate", "module": "lse", "function": "hessian", "input": {"x": [1, 2], "min_runs": 1, "min_seconds": 0}}""");
        Assert.All(responses, r => Assert.False(r["success"]!.GetValue<bool>()));
        Assert.Contains("no-such-eval", (string?)responses[0]["error"]);
        Assert.Contains("hessian", (string?)responses[1]["error"]);
    }

    [Fact]
    public void Particle_and_saddle_answer_GradBenchs_expected_outputs_in_all_four_variants()
    {
        // The values GradBench's evals hard-code (python/gradbench/gradbench/evals/{particle,saddle}/run.py), compared as
        // they compare them: |a − b| / max(1, |a| + |b|) ≤ 1e-4.
        static void Close(double expected, double actual) =>
            Assert.True(Math.Abs(expected - actual) / Math.Max(1, Math.Abs(expected) + Math.Abs(actual)) <= 1e-4, $"expected {expected:R}, got {actual:R}");
        string[] variants = ["rr", "ff", "fr", "rf"];
        var responses = Converse(
            [
                """{"id": 0, "kind": "define", "module": "particle"}""",
                """{"id": 1, "kind": "define", "module": "saddle"}""",
                .. variants.Select((f, k) => $$$"""{"id": {{{2 + k}}}, "kind": "evaluate", "module": "particle", "function": "{{{f}}}", "input": {"w": 0.0, "min_runs": 1, "min_seconds": 0}}"""),
                .. variants.Select((f, k) => $$$"""{"id": {{{6 + k}}}, "kind": "evaluate", "module": "saddle", "function": "{{{f}}}", "input": {"start": [1.0, 1.0], "min_runs": 1, "min_seconds": 0}}"""),
            ]);
        Assert.True(responses[0]["success"]!.GetValue<bool>());
        Assert.True(responses[1]["success"]!.GetValue<bool>());
        for (int k = 0; k < 4; k++) Close(0.2071918746486116, responses[2 + k]["output"]!.GetValue<double>());
        for (int k = 0; k < 4; k++)
        {
            var output = Doubles(responses[6 + k]["output"]);
            Assert.Equal(4, output.Length);
            foreach (double v in output) Close(8.246324826140356e-06, v);
        }
    }

    [Fact]
    public void Hello_double_is_the_gradient_of_square()
    {
        var responses = Converse(
            """{"id": 0, "kind": "evaluate", "module": "hello", "function": "square", "input": 1.5}""",
            """{"id": 1, "kind": "evaluate", "module": "hello", "function": "double", "input": 1.5}""");
        Assert.Equal(2.25, responses[0]["output"]!.GetValue<double>());
        Assert.Equal(3.0, responses[1]["output"]!.GetValue<double>());
        Assert.Single(responses[1]["timings"]!.AsArray());
    }

    [Fact]
    public void Kmeans_dir_moves_each_centroid_to_the_mean_of_its_points()
    {
        // Points 0–2 are nearest centroid 0 (0, 0), points 3–4 nearest centroid 1 (5, 5). The cost is Σ of the squared
        // distances to the nearest centroid; its gradient is 2(nⱼCⱼ − Sⱼ) and its Hessian's diagonal 2nⱼ, so
        // J·H⁻¹ = Cⱼ − Sⱼ/nⱼ: the centroid minus its cluster's mean.
        const string input = """{"points": [[1, 0], [0, 2], [-1, 1], [6, 5], [4, 7]], "centroids": [[0, 0], [5, 5]], "min_runs": 1, "min_seconds": 0}""";
        var responses = Converse(
            """{"id": 0, "kind": "define", "module": "kmeans"}""",
            """{"id": 1, "kind": "evaluate", "module": "kmeans", "function": "cost", "input": """ + input + "}",
            """{"id": 2, "kind": "evaluate", "module": "kmeans", "function": "dir", "input": """ + input + "}");
        Assert.True(responses[0]["success"]!.GetValue<bool>());
        Assert.Equal(1 + 4 + 2 + 1 + 5, responses[1]["output"]!.GetValue<double>(), 1e-12);
        var dir = responses[2]["output"]!.AsArray().Select(Doubles).ToArray();
        Assert.Equal(2, dir.Length);
        Assert.Equal([0 - 0.0, 0 - 1.0], dir[0]);
        Assert.Equal([5 - 5.0, 5 - 6.0], dir[1]);
    }

    [Fact]
    public void Ba_jacobian_blocks_match_the_pinhole_projection_differentiated_by_hand()
    {
        // No rotation (the first-order branch: Xcam = X − C + r × (X − C)), C = 0, no distortion at this point's
        // radius but k₁, k₂ still felt through r² = ‖X₀,₁/X₂‖² = 0.3125: X = (1, 2, 4), f = 2, (u₀, v₀) = (0.5, −0.25),
        // w = 3, feat = 0. proj = f·X₀,₁/X₂ + (u₀, v₀) = (1, 0.75), err = w·proj = (3, 2.25).
        const string input = """{"n": 1, "m": 1, "p": 10, "cam": [0, 0, 0, 0, 0, 0, 2, 0.5, -0.25, 0, 0], "x": [1, 2, 4], "w": 3, "feat": [0, 0], "min_runs": 1, "min_seconds": 0}""";
        var responses = Converse(
            """{"id": 0, "kind": "define", "module": "ba"}""",
            """{"id": 1, "kind": "evaluate", "module": "ba", "function": "objective", "input": """ + input + "}",
            """{"id": 2, "kind": "evaluate", "module": "ba", "function": "jacobian", "input": """ + input + "}");
        Assert.True(responses[0]["success"]!.GetValue<bool>());
        var objective = responses[1]["output"]!;
        Assert.Equal([3, 2.25], Doubles(objective["reproj_error"]!["elements"]));
        Assert.Equal(10, objective["reproj_error"]!["repeated"]!.GetValue<int>());
        Assert.Equal(1 - 3 * 3, objective["w_err"]!["element"]!.GetValue<double>());

        var jacobian = responses[2]["output"]!;
        var values = Doubles(jacobian["vals"]);
        var columns = Doubles(jacobian["cols"]);
        var rows = Doubles(jacobian["rows"]);
        Assert.Equal(31, values.Length);
        // Row 0, ∂err₀/∂(r₀ r₁ r₂ C₀ C₁ C₂ f u₀ v₀ k₁ k₂ | X₀ X₁ X₂ | w): with a = w·f/X₂ = 1.5, b = −w·f·X₀/X₂² = −0.375,
        // ∂Xcam/∂r at r = 0 is −[X]ₓ, so ∂err₀/∂r = (b·X₁, a·X₂ − b·X₀, −a·X₁); ∂err₀/∂C = −∂err₀/∂X;
        // ∂/∂f = w·X₀/X₂, ∂/∂u₀ = w, ∂/∂kⱼ = w·f·X₀/X₂·r²ʲ, ∂/∂w = proj₀ − feat₀.
        double[] row0 = [-0.75, 6.375, -3, -1.5, 0, 0.375, 0.75, 3, 0, 1.5 * 0.3125, 1.5 * 0.3125 * 0.3125, 1.5, 0, -0.375, 1];
        for (int j = 0; j < 15; j++) Assert.Equal(row0[j], values[j], 1e-12);
        // Camera 0's columns 0–10, point 0's at 11 + 3·0, observation 0's weight at 11 + 3 + 0.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], columns.Take(15));
        // The last entry: observation 9's weight row, ∂(1 − w²)/∂w = −2w at column 11 + 3 + 9; 2·15·10 + 10 entries.
        Assert.Equal(-6, values[^1]);
        Assert.Equal(23, columns[^1]);
        Assert.Equal([0, 15, 30, 45], rows.Take(4));
        Assert.Equal(310, rows[^1]);
    }

    /// <summary>A made-up hand: 22 bones in a chain, each a small rotation and a unit step along z from its parent,
    /// 4 vertices weighted over several bones, 2 triangles, 2 correspondences.</summary>
    static JsonObject HandInput(bool complicated, double[] theta, double[]? us)
    {
        const int bones = 22;
        var relatives = new JsonArray();
        var inverses = new JsonArray();
        for (int b = 0; b < bones; b++)
        {
            double a = 0.05 * (b + 1), c = Math.Cos(a), s = Math.Sin(a);
            relatives.Add(new JsonArray(Row(c, -s, 0, 0), Row(s, c, 0, 0), Row(0, 0, 1, b == 0 ? 0 : 1), Row(0, 0, 0, 1)));
            inverses.Add(new JsonArray(Row(1, 0, 0, -0.1 * b), Row(0, 1, 0, 0), Row(0, 0, 1, -0.5 * b), Row(0, 0, 0, 1)));
        }
        var weights = new JsonArray();
        for (int v = 0; v < 4; v++)
        {
            var row = new double[bones];
            row[3 * v + 1] = 0.5;
            row[3 * v + 5] = 0.3;
            row[20 - v] = 0.2;
            weights.Add(Row(row));
        }
        var model = new JsonObject
        {
            ["bone_count"] = bones,
            ["bone_names"] = new JsonArray(Enumerable.Range(0, bones).Select(b => (JsonNode)$"bone{b}").ToArray()),
            ["parents"] = new JsonArray(Enumerable.Range(0, bones).Select(b => (JsonNode)(b - 1)).ToArray()),
            ["base_relatives"] = relatives,
            ["inverse_base_absolutes"] = inverses,
            ["base_positions"] = JsonNode.Parse("[[0.1, 0.2, 0.3, 1], [-0.4, 0.5, 1.2, 1], [0.7, -0.2, 2.1, 1], [0.3, 0.9, 0.6, 1]]"),
            ["weights"] = weights,
            ["triangles"] = JsonNode.Parse("[[0, 1, 2], [1, 2, 3]]"),
            ["is_mirrored"] = false,
        };
        var input = new JsonObject
        {
            ["theta"] = Row(theta),
            ["data"] = new JsonObject
            {
                ["model"] = model,
                ["correspondences"] = JsonNode.Parse(complicated ? "[1, 0]" : "[3, 1]"),
                ["points"] = JsonNode.Parse("[[0.5, 0.1, 1.0], [-0.3, 0.8, 1.7]]"),
            },
            ["us"] = complicated ? new JsonArray(Row(us![0], us[1]), Row(us[2], us[3])) : new JsonArray(),
            ["min_runs"] = 1,
            ["min_seconds"] = 0,
        };
        return input;
    }

    /// <summary>The message as the tool receives it: text parsed (a built node's ints do not read as doubles).</summary>
    static JsonObject AsSent(JsonObject message) => JsonNode.Parse(message.ToJsonString())!.AsObject();

    static JsonArray Row(params double[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    static double[] HandObjective(bool complicated, double[] theta, double[]? us)
    {
        var message = new JsonObject { ["id"] = 0, ["kind"] = "evaluate", ["module"] = "ht", ["function"] = "objective", ["input"] = HandInput(complicated, theta, us) };
        return Doubles(Session.Respond(AsSent(message))["output"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ht_jacobian_matches_central_differences_of_the_objective(bool complicated)
    {
        double[] theta = Enumerable.Range(0, 26).Select(i => 0.1 * Math.Sin(1.7 * i + 0.3) + (i == 0 ? 0.4 : 0)).ToArray();
        double[] us = [0.2, 0.3, 0.6, 0.1];
        var message = new JsonObject { ["id"] = 0, ["kind"] = "evaluate", ["module"] = "ht", ["function"] = "jacobian", ["input"] = HandInput(complicated, theta, us) };
        var jacobian = Session.Respond(AsSent(message))["output"]!.AsArray().Select(Doubles).ToArray();
        int offset = complicated ? 2 : 0;
        Assert.Equal(6, jacobian.Length);
        Assert.All(jacobian, row => Assert.Equal(offset + 26, row.Length));

        const double h = 1e-6;
        for (int k = 0; k < 26; k++)
        {
            double[] up = (double[])theta.Clone(), down = (double[])theta.Clone();
            up[k] += h;
            down[k] -= h;
            double[] fUp = HandObjective(complicated, up, us), fDown = HandObjective(complicated, down, us);
            for (int row = 0; row < 6; row++) Assert.Equal((fUp[row] - fDown[row]) / (2 * h), jacobian[row][offset + k], 1e-6);
        }
        if (!complicated) return;
        // The compressed us columns: moving every correspondence's first (then second) coordinate at once.
        for (int c = 0; c < 2; c++)
        {
            double[] up = (double[])us.Clone(), down = (double[])us.Clone();
            for (int i = 0; i < 2; i++)
            {
                up[2 * i + c] += h;
                down[2 * i + c] -= h;
            }
            double[] fUp = HandObjective(true, theta, up), fDown = HandObjective(true, theta, down);
            for (int row = 0; row < 6; row++) Assert.Equal((fUp[row] - fDown[row]) / (2 * h), jacobian[row][c], 1e-6);
        }
    }
}
