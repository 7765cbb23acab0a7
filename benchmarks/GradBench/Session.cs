using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench;

/// <summary>
/// One GradBench session: reads the eval's messages (one JSON object a line) and answers each with a response of the
/// same <c>id</c>. <c>define</c> says whether a module is implemented; <c>evaluate</c> runs the function as many times
/// as the input's <c>min_runs</c>/<c>min_seconds</c> ask, with one <c>evaluate</c> timing per run (JSON decoding and
/// encoding are outside the timed runs, as GradBench's convention asks); any other kind gets its <c>id</c> back.
/// </summary>
public sealed class Session(TextReader input, TextWriter output)
{
    public void Run()
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var message = JsonNode.Parse(line)?.AsObject() ?? throw new InvalidDataException("a message must be a JSON object");
            output.WriteLine(Respond(message).ToJsonString());
            output.Flush();
        }
    }

    public static JsonObject Respond(JsonObject message)
    {
        var response = new JsonObject { ["id"] = message["id"]?.DeepClone() };
        switch ((string?)message["kind"])
        {
            case "start":
                response["tool"] = "differentiator";
                break;
            case "define":
                Define((string?)message["module"] ?? "", response);
                break;
            case "evaluate":
                Evaluate(message, response);
                break;
        }
        return response;
    }

    static void Define(string module, JsonObject response)
    {
        if (Modules.Implemented.ContainsKey(module))
        {
            response["success"] = true;
            return;
        }
        response["success"] = false;
        response["error"] = Modules.Missing.TryGetValue(module, out var why) ? why : $"unknown module '{module}'";
    }

    static void Evaluate(JsonObject message, JsonObject response)
    {
        string module = (string?)message["module"] ?? "";
        string function = (string?)message["function"] ?? "";
        if (!Modules.Implemented.TryGetValue(module, out var implementation))
        {
            response["success"] = false;
            response["error"] = $"module '{module}' is not implemented";
            return;
        }
        var input = message["input"] ?? throw new InvalidDataException("an evaluate message needs an input");
        Evaluation evaluation;
        try
        {
            evaluation = implementation.Prepare(function, input);
        }
        catch (ArgumentException e)
        {
            // An unknown function or a malformed input: the eval learns why; a bug elsewhere still crashes loudly.
            response["success"] = false;
            response["error"] = e.Message;
            return;
        }
        var (minRuns, minSeconds) = RunsOf(input);
        var timings = new JsonArray();
        double elapsedSeconds = 0;
        for (int run = 0; run < minRuns || elapsedSeconds < minSeconds; run++)
        {
            long start = Stopwatch.GetTimestamp();
            evaluation.Run();
            long nanoseconds = (long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency));
            timings.Add(new JsonObject { ["name"] = "evaluate", ["nanoseconds"] = nanoseconds });
            elapsedSeconds += nanoseconds / 1e9;
        }
        response["success"] = true;
        response["output"] = evaluation.Output();
        response["timings"] = timings;
    }

    /// <summary>GradBench's <c>Runs</c> fields; an input without them (hello's bare number) runs once.</summary>
    static (int MinRuns, double MinSeconds) RunsOf(JsonNode input)
    {
        if (input is not JsonObject fields) return (1, 0);
        int minRuns = fields["min_runs"]?.GetValue<int>() ?? 1;
        double minSeconds = fields["min_seconds"]?.GetValue<double>() ?? 0;
        return (Math.Max(minRuns, 1), minSeconds);
    }
}
