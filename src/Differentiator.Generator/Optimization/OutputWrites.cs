using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// The writes of scalar outputs at the end of a gradient (<c>db = _d_b;</c>): the reverse sweep sums a scalar's
/// adjoint in a local and writes its <c>out</c> parameter once (ReverseModeBuilder). These writes are bookkeeping,
/// not code a source comment explains, and a local that only carries a value to one of them is not worth its name.
/// </summary>
internal static class OutputWrites
{
    /// <summary>Whether <paramref name="s"/> writes one of the scalar <paramref name="outputs"/>.</summary>
    public static bool IsOutputWrite(Stmt s, IReadOnlyCollection<string> outputs) => s is Assign a && outputs.Contains(a.Target);

    /// <summary>
    /// <c>double _d_p0 = _d_p; dp0 = _d_p0;</c> becomes <c>dp0 = _d_p;</c>: when the statement just before the output
    /// writes (comments aside) is the only assignment of a local that nothing but one output write reads. Nothing
    /// runs between them but other output writes, which read no output, so the value is the same.
    /// </summary>
    public static Block ForwardCopies(Block body, IReadOnlyCollection<string> outputs)
    {
        var statements = body.Statements.ToList();
        int end = statements.Count;
        while (end > 0 && (statements[end - 1] is ReleaseRented || IsOutputWrite(statements[end - 1], outputs))) end--;
        int definition = end - 1;
        while (definition >= 0 && statements[definition] is Comment) definition--;
        if (definition < 0 || statements[definition] is not (Let or Assign)) return body;
        string local = StatementWalker.Target(statements[definition])!;
        if (outputs.Contains(local)) return body;
        var write = Enumerable.Range(end, statements.Count - end)
            .Where(k => statements[k] is Assign { Value: VarRef v } && v.Name == local && IsOutputWrite(statements[k], outputs))
            .ToList();
        if (write.Count != 1 || Mentions(body, local) != 2) return body;

        var value = statements[definition] is Let l ? l.Value : ((Assign)statements[definition]).Value;
        if (ExprWalker.Reads(value).Contains(local)) return body;
        statements[write[0]] = ((Assign)statements[write[0]]) with { Value = value };
        statements.RemoveAt(definition);
        return new Block(statements.ToEquatableArray());
    }

    /// <summary>How many statements assign or read <paramref name="name"/>, at any depth.</summary>
    private static int Mentions(Block body, string name)
    {
        int count = 0;
        foreach (var s in StatementWalker.Flatten(body))
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            ReverseModeBuilder.CollectMentions(s, names);
            if (names.Contains(name)) count++;
        }
        return count;
    }
}
