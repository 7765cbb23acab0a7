using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Primitives;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>The reversal plan on hand-written IR: what it decides to save, recompute, record and fuse, before any sweep is built.</summary>
public class ReversalPlanTests
{
    private static (LoweredMethod Primal, ActivityAnalysis Activity) Prepare(MethodIr method)
    {
        var lowered = ControlFlowLowering.Lower(method);
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        var named = CallResultLocals.Apply(lowered, activity);
        return (named, ReferenceEquals(named, lowered) ? activity : ActivityAnalysis.Run(named.Method, named.Result));
    }

    private static (GradientContext Context, ReversalPlan Plan) PlanOf(MethodIr method)
    {
        var (primal, activity) = Prepare(method);
        var context = new GradientContext(primal, activity, ReverseModeBuilder.NameOutputs(primal.Method));
        return (context, ReversalPlanner.Plan(context));
    }

    /// <summary>The sweeps built from the plan, before the optimizer: what they save is what the plan said.</summary>
    private static GradientProgram SweepsOf(MethodIr method)
    {
        var (primal, activity) = Prepare(method);
        return ReverseModeBuilder.Build(primal, activity, ReverseModeBuilder.NameOutputs(primal.Method));
    }

    private static System.Collections.Generic.List<Stmt> Saves(GradientProgram program) =>
        IrWalker.Flatten(program.Body).Where(s => s is Push or Pop or PushArray or PopArray).ToList();

    private static For OnlyLoop(GradientContext context) => context.Primal.Method.Body.Statements.OfType<For>().Single();

    [Fact]
    public void Mse_fuses_its_loop_and_its_iterations_save_nothing()
    {
        var (context, plan) = PlanOf(Mse());
        var loop = context.Primal.Method.Body.Statements.OfType<For>().Single();
        Assert.NotNull(plan.Fusion);
        Assert.Equal(context.Ids.Of(loop), plan.Fusion!.Loop);
        // r (read by the adjoint of sum += r * r) would be saved without fusion; a fused iteration still holds it.
        Assert.Contains("r", plan.Analysis.Restore);
        Assert.Contains("r", plan.Fusion.Unsaved);
        Assert.Empty(plan.FusedBody.Restore);
        var r = loop.Body.Statements.OfType<Assign>().Single(a => a.Target == "r");
        Assert.False(plan.SavesBefore(context.Ids.Of(r), "r", inFusedLoop: true));
        Assert.Empty(plan.RecordedBranches);
        Assert.Empty(plan.RecordedLoops);
        Assert.Empty(plan.SavedInSlots);
        Assert.Empty(Saves(SweepsOf(Mse())));
    }

    /// <summary><c>p = a; for (i …) p = p * x[i] + Math.Sin(p); return p;</c></summary>
    private static MethodIr Recurrence() => Method("Recurrence",
        new[] { new Parameter("x", ParameterKind.DoubleArray, true), new Parameter("a", ParameterKind.Double, true) },
        new[] { new LocalVariable("p", ScalarType.Double) },
        Set("p", D("a")),
        Loop("i", CI(0), new LengthOf("x", -1), Set("p", Add(Mul(D("p"), At("x", I("i"))), Call(MathFunction.Sin, D("p"))))),
        new Return(D("p")));

    [Fact]
    public void A_scalar_overwritten_by_each_iteration_is_saved_per_iteration_in_a_slot()
    {
        var (context, plan) = PlanOf(Recurrence());
        var loop = OnlyLoop(context);
        var update = context.Ids.Of(loop.Body.Statements.Single());
        var first = context.Ids.Of(context.Primal.Method.Body.Statements.OfType<Assign>().First(a => a.Target == "p"));
        // Each iteration's reverse reads the p it started from (p·x[i] and sin(p) both have p in their derivatives).
        Assert.Contains("p", plan.Analysis.Restore);
        Assert.False(plan.IsRecomputed("p"));
        Assert.True(plan.SavesBefore(update, "p", inFusedLoop: false));
        // p = a overwrites only p's default: nothing to save.
        Assert.False(plan.SavesBefore(first, "p", inFusedLoop: false));
        // The loop's trip count is known before it runs, and nothing encloses it: one slot per iteration.
        Assert.Equal(new[] { update }, plan.SavedInSlots.ToArray());
        // p carries from one iteration to the next: the loop cannot fuse; its bounds need no recording.
        Assert.Null(plan.Fusion);
        Assert.Empty(plan.RecordedLoops);
        // The sweeps do so: p pushed into its slot before the update, popped from it in the reversed loop, no scratch stack.
        var program = SweepsOf(Recurrence());
        var saves = Saves(program);
        Assert.Equal(2, saves.Count);
        Assert.Equal("p", Assert.IsType<VarRef>(Assert.IsType<Push>(saves[0]).Value).Name);
        Assert.NotNull(((Push)saves[0]).Slot);
        Assert.Equal("p", Assert.IsType<Pop>(saves[1]).Target);
        Assert.NotNull(((Pop)saves[1]).Slot);
        Assert.False(program.UsesScratch);
    }

    /// <summary><c>s = a; if (a &gt; 0) s = s * a; for (i …) { if (s &gt; 1) s = s * 0.5; else s = s * a; } return s;</c></summary>
    private static MethodIr Halving() => Method("Halving",
        new[] { new Parameter("a", ParameterKind.Double, true) },
        new[] { new LocalVariable("s", ScalarType.Double) },
        Set("s", D("a")),
        new If(Greater(D("a"), C(0)), Body(Set("s", Mul(D("s"), D("a")))), Block.Empty),
        Loop("i", CI(0), CI(3), new If(Greater(D("s"), C(1)), Body(Set("s", Mul(D("s"), C(0.5)))), Body(Set("s", Mul(D("s"), D("a")))))),
        new Return(D("s")));

    [Fact]
    public void A_branch_whose_condition_reads_what_it_overwrites_has_its_direction_recorded()
    {
        var (context, plan) = PlanOf(Halving());
        var top = context.Primal.Method.Body.Statements;
        var outer = top.OfType<If>().Single();
        var inner = (If)OnlyLoop(context).Body.Statements.Single();
        // The reverse sweep can test a > 0 again (a never changes), but not s > 1 (s is what the branch changes).
        Assert.Equal(new[] { context.Ids.Of(inner) }, plan.RecordedBranches.ToArray());
        Assert.DoesNotContain(context.Ids.Of(outer), plan.RecordedBranches);
        // s = s * a reads s in its derivative: saved, in both branches.
        Assert.Contains("s", plan.Analysis.Restore);
        Assert.True(plan.SavesBefore(context.Ids.Of(inner.Else.Statements.Single()), "s", inFusedLoop: false));
        // The sweeps record one direction: one Bool flag, saved per iteration on the scratch stack with the values of s.
        var program = SweepsOf(Halving());
        Assert.Single(program.Locals, l => l.Type == ScalarType.Bool);
        Assert.True(program.UsesScratch);
    }

    [Fact]
    public void The_reversal_analysis_says_what_the_reverse_sweep_reads_and_names_nothing()
    {
        var (context, plan) = PlanOf(Halving());
        var inner = (If)OnlyLoop(context).Body.Statements.Single();
        int given = context.Names.Given.Count;
        int locals = context.Names.Locals.Count;
        var reads = new ReverseReadAnalysis(context, plan.Sequential).OfBlock(context.Primal.Method.Body, inLoop: false);
        // s = s * a has both in its adjoint, and a > 0 is tested again; s > 1 is not (its direction is a recorded flag).
        Assert.Equal(new[] { "a", "s" }, reads.WithLengths.OrderBy(v => v, System.StringComparer.Ordinal));
        // It lists the names a sweep would give (the flag among them), and gives none itself.
        Assert.Contains(new NameRequest(NamePurpose.BranchFlag, context.Ids.Of(inner)), reads.Names);
        Assert.Equal(given, context.Names.Given.Count);
        Assert.Equal(locals, context.Names.Locals.Count);
        // A sweep built from the same facts reads and names the same (ReversalOracle checks it for every test program).
        Assert.Empty(Infrastructure.ReversalOracle.Disagreements(context, new[] { plan.Sequential, plan.Analysis }));
    }

    [Fact]
    public void Statement_ids_are_paths_from_the_body_root()
    {
        var (context, _) = PlanOf(Halving());
        var inner = (If)OnlyLoop(context).Body.Statements.Single();
        var id = context.Ids.Of(inner.Else.Statements.Single());
        Assert.Equal("2.body.0.else.0", id.Path);
        Assert.Same(inner.Else.Statements.Single(), context.Ids[id]);
        // A copy is a different object: it has no id of its own (a sweep asking for one is a bug, reported as such).
        Assert.Throws<System.InvalidOperationException>(() => context.Ids.Of(inner with { }));
    }
}
