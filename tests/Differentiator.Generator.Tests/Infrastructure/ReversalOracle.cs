using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// The reversal analysis checked against the sweeps it stands for. For every plan the generator makes while the tests
/// run (every program they compile: snapshot, end-to-end, fuzz), and for every set of facts the planner asked about
/// (each round of its fixed point, each loop's recomputation, the final facts, fused or not), it builds the reverse
/// sweep from those facts — in a context of its own, so the generated code is untouched — and compares what the sweep
/// reads with what <see cref="ReverseReadAnalysis"/> says it reads: the whole body's reverse, and each statement's.
/// A rule that changes one and not the other fails every test compiling a program it affects.
/// </summary>
public static class ReversalOracle
{
    private static readonly AsyncLocal<List<string>?> Findings = new();

    /// <summary>Set to <c>0</c> to leave the oracle out (a long fuzz run that only wants the gradients compared); on by default.</summary>
    public const string Variable = "DIFFERENTIATOR_REVERSAL_ORACLE";

    [ModuleInitializer]
    internal static void Install()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "0") ReversalPlanner.Observer = Check;
    }

    /// <summary>Runs <paramref name="run"/> and returns what the oracle found wrong in the plans made meanwhile.</summary>
    public static (T Result, IReadOnlyList<string> Disagreements) Watch<T>(Func<T> run)
    {
        var found = new List<string>();
        var outer = Findings.Value;
        Findings.Value = found;
        try
        {
            return (run(), found);
        }
        finally
        {
            Findings.Value = outer;
        }
    }

    private static void Check(GradientContext context, IReadOnlyList<SweepFacts> asked, ReversalPlan plan)
    {
        var problems = Disagreements(context, asked.Append(plan.Sequential).Append(plan.FusedBody)).ToList();
        if (problems.Count == 0) return;
        string message = "The reversal analysis disagrees with the reverse sweep of " + context.Primal.Method.Name + ":\n" + string.Join("\n", problems.Take(20));
        if (Findings.Value is { } list)
        {
            lock (list) list.Add(message);
        }
        else throw new InvalidOperationException(message);
    }

    /// <summary>Every disagreement between the analysis and sweeps built from each of the facts (none when they agree).</summary>
    internal static IEnumerable<string> Disagreements(GradientContext context, IEnumerable<SweepFacts> factsList)
    {
        var body = context.Primal.Method.Body;
        var method = context.Primal.Method;
        var primal = new HashSet<string>(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(IrWalker.Flatten(body).OfType<For>().Select(f => f.Counter)), StringComparer.Ordinal);
        int round = 0;
        // Rounds often ask about the same facts again (a new object each time): each is checked once.
        foreach (var facts in factsList.GroupBy(Key).Select(g => g.First()))
        {
            round++;
            // A context of its own: the sweeps built here name and intern nothing the generated code sees.
            var own = new GradientContext(context.Primal, context.Activity, context.Outputs);
            var sweep = new ReverseModeBuilder(own, facts);
            var analysis = new ReverseReadAnalysis(context, facts);
            var reverse = sweep.ReverseBlock(body, inLoop: false);
            var expected = sweep.ReverseReads(reverse);
            expected.IntersectWith(primal);
            var ofBody = analysis.OfBlock(body, inLoop: false);
            if (!ofBody.WithLengths.SetEquals(expected)) yield return Describe(round, "the body", expected, ofBody.WithLengths);
            // Reads no reversed loop's recomputation covers, of any primal name (the planner asks of its recomputed locals).
            var uncovered = sweep.UncoveredReads(reverse, primal);
            if (!ofBody.Uncovered.SetEquals(uncovered)) yield return Describe(round, "the body, uncovered", uncovered, ofBody.Uncovered);
            // The names, in the order the sweep gives them: the planner gives them in the analysis's order.
            if (!ofBody.Names.Distinct().SequenceEqual(own.Names.Given)) yield return DescribeNames(round, "the body", own.Names.Given, ofBody.Names);
            // Statement by statement, as the planner asks (each statement of a loop's body: recomputation, fusion), and
            // the top-level statements that are not loops. The names each sweep gives are those not given before it.
            var alone = new GradientContext(context.Primal, context.Activity, context.Outputs);
            var sites = body.Statements.Where(s => s is not For).Select(s => (Statement: s, InLoop: false))
                .Concat(IrWalker.Flatten(body).OfType<For>().SelectMany(l => l.Body.Statements.Select(s => (Statement: s, InLoop: true))));
            foreach (var (statement, inLoop) in sites)
            {
                var givenBefore = new HashSet<NameRequest>(alone.Names.Given);
                var (contents, withLengths) = new ReverseModeBuilder(alone, facts).ReverseStatementReads(statement, inLoop);
                contents.IntersectWith(primal);
                withLengths.IntersectWith(primal);
                var reads = analysis.OfStatement(statement, inLoop);
                string where = "statement " + context.Ids.Of(statement) + " (" + statement.GetType().Name + ")";
                if (!reads.Contents.SetEquals(contents)) yield return Describe(round, where + ", contents", contents, reads.Contents);
                if (!reads.WithLengths.SetEquals(withLengths)) yield return Describe(round, where + ", with lengths", withLengths, reads.WithLengths);
                var named = alone.Names.Given.Skip(givenBefore.Count).ToList();
                var listed = reads.Names.Distinct().Where(n => !givenBefore.Contains(n)).ToList();
                if (!listed.SequenceEqual(named)) yield return DescribeNames(round, where, named, listed);
            }
        }
    }

    /// <summary>What a set of facts says, as text: equal texts, equal facts.</summary>
    private static string Key(SweepFacts f)
    {
        static string Set<T>(IEnumerable<T> items) => string.Join(",", items.Select(i => i!.ToString()).Order(StringComparer.Ordinal));
        return string.Join(" | ", Set(f.Changing), Set(f.FirstDefinitions), Set(f.Restore), Set(f.Recomputed),
            Set(f.RecomputedIn.Select(kv => kv.Key + ":" + Set(kv.Value))),
            Set(f.Recomputation.Select(kv => kv.Key + ":" + string.Join(",", kv.Value))), Set(f.DeadRestores), f.FusedLoop?.ToString() ?? "-");
    }

    private static string DescribeNames(int round, string where, IEnumerable<NameRequest> sweep, IEnumerable<NameRequest> analysis) =>
        "  facts #" + round + ", " + where + ": the sweep names [" + string.Join(", ", sweep) + "], the analysis [" + string.Join(", ", analysis.Distinct()) + "]";

    private static string Describe(int round, string where, HashSet<string> sweep, HashSet<string> analysis) =>
        "  facts #" + round + ", " + where + ": the sweep reads {" + string.Join(", ", sweep.Order(StringComparer.Ordinal)) + "}, the analysis says {"
        + string.Join(", ", analysis.Order(StringComparer.Ordinal)) + "}";
}
