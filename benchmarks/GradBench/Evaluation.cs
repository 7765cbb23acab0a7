using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench;

/// <summary>
/// A function of a module, made ready for one input: <see cref="Run"/> is the work timed once per run (its arrays
/// are decoded and its outputs allocated beforehand); <see cref="Output"/> encodes the last run's result.
/// </summary>
public sealed record Evaluation(Action Run, Func<JsonNode?> Output);

/// <summary>One GradBench module (an eval's name): prepares an evaluation of one of its functions.</summary>
public interface IModule
{
    /// <exception cref="ArgumentException">an unknown function, or an input without the fields it needs</exception>
    Evaluation Prepare(string function, JsonNode input);
}
